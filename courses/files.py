"""Uploaded files are judged by their content, never by their name or the browser's claim: the
first bytes must be those of an allowed type, and the size within COURSES_MAX_UPLOAD_BYTES."""

import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.i18n import join_list

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
        try:
            return DOCX if is_word_document(upload) else None
        finally:
            upload.seek(0)
    return None


# An office document is a ZIP; these bound what checking one may cost. A real DOCX, even with
# pictures, stays far below them, while a "ZIP bomb" (1 MiB holding 1 GiB) goes far above.
OOXML_MAX_ENTRIES = 1000
OOXML_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
_CHUNK = 64 * 1024


def is_word_document(upload) -> bool:
    """True when the ZIP is a Word (OOXML) document whose unpacked size is bounded.

    The members are decompressed in memory, chunk by chunk, and counted as they come, so neither
    the sizes the archive declares (which may lie) nor a bomb can make this cost more than
    OOXML_MAX_UNPACKED_BYTES of decompression; nothing is written to disk."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                return False
            if len(members) > OOXML_MAX_ENTRIES:
                return False
            if sum(member.file_size for member in members) > OOXML_MAX_UNPACKED_BYTES:
                return False
            unpacked = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > OOXML_MAX_UNPACKED_BYTES:
                            return False
            with archive.open("[Content_Types].xml") as stream:
                types = stream.read(_CHUNK)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError):
        # RuntimeError: an encrypted member; EOFError/BadZipFile: a truncated or lying archive.
        return False
    return b"wordprocessingml" in types


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
            params={"types": join_list(LABELS[t] for t in allowed)},
        )
    return detected


def stored_name(content_type: str) -> str:
    """A random file name with the extension of the detected type."""
    return f"{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")
