"""Uploaded files are judged by their content, never by their name or the browser's claim: the
first bytes must be those of an allowed type, and the size within COURSES_MAX_UPLOAD_BYTES."""

import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", DOCX: "docx"}
LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG", DOCX: "DOCX"}

SUBMISSION_TYPES = (PDF, DOCX, PNG, JPEG)
RESOURCE_TYPES = (PDF,)
COVER_TYPES = (PNG, JPEG)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_upload_bytes() -> int:
    return getattr(settings, "COURSES_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


def sniff(upload) -> str | None:
    """The content type the bytes say the file is, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        # A DOCX is a ZIP holding word/document.xml; other ZIPs (and XLSX, ODT...) are not one.
        # Only the central directory is read, never the members, so a ZIP bomb costs nothing.
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
    return None


def validate_upload(upload, *, allowed=SUBMISSION_TYPES) -> str:
    """Return the detected content type, or raise a ValidationError a person can act on."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB."),
            code="file_too_large",
            params={"size": _megabytes(upload.size), "limit": _megabytes(limit)},
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    detected = sniff(upload)
    if detected not in allowed:
        raise ValidationError(
            _("This file is not of an allowed type. Allowed: %(types)s."),
            code="file_type",
            params={"types": ", ".join(LABELS[t] for t in allowed)},
        )
    return detected


def stored_name(content_type: str) -> str:
    """A random file name with the extension of the detected type."""
    return f"{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")
