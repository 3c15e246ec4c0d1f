"""Proposal uploads: courses.files sniffs the content (and refuses DOCX zip bombs); here the
name must also say what the content is (an HTML page renamed .pdf, or a PNG called .pdf, is
refused), and files are stored through Django's storage API under random names. A stored file
whose row does not survive the transaction is deleted again (see `stored`)."""

import contextlib
import os

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from courses import files as course_files

ATTACHMENT_TYPES = course_files.SUBMISSION_TYPES
PHOTO_TYPES = course_files.COVER_TYPES
_NAME_EXTENSIONS = {
    course_files.PDF: {"pdf"},
    course_files.PNG: {"png"},
    course_files.JPEG: {"jpg", "jpeg"},
    course_files.DOCX: {"docx"},
}
MAX_BYTES = 10 * 1024 * 1024


def validate(upload, *, allowed=ATTACHMENT_TYPES) -> str:
    """The detected content type of an upload of at most 10 MB whose name matches its content."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is too large. The limit is %(limit)s MB."),
            code="file_too_large",
            params={"limit": MAX_BYTES // (1024 * 1024)},
        )
    detected = course_files.validate_upload(upload, allowed=allowed)
    extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if extension not in _NAME_EXTENSIONS[detected]:
        raise ValidationError(
            _("The file's name does not match its content (it is a %(type)s file)."),
            code="file_mislabelled",
            params={"type": course_files.LABELS[detected]},
        )
    return detected


def store(upload, *, folder: str, content_type: str) -> str:
    """Save the upload under a random name; the file is removed again if the surrounding
    transaction rolls back (the caller must be inside one)."""
    name = default_storage.save(f"{folder}/{course_files.stored_name(content_type)}", upload)
    _forget_on_rollback(name)
    return name


def _forget_on_rollback(name: str) -> None:
    # Django has no on_rollback hook: a savepoint-free marker does the job. The name is
    # remembered on the connection; `cleanup_failed` deletes it unless the commit happened.
    connection = transaction.get_connection()
    pending = connection.__dict__.setdefault("_proposals_pending_files", set())
    pending.add(name)

    def committed():
        pending.discard(name)

    transaction.on_commit(committed)


@contextlib.contextmanager
def cleanup_on_failure():
    """Run a write; if it raises, delete every file it stored (no orphan files)."""
    connection = transaction.get_connection()
    before = set(connection.__dict__.get("_proposals_pending_files", set()))
    try:
        yield
    except BaseException:
        pending = connection.__dict__.get("_proposals_pending_files", set())
        for name in pending - before:
            with contextlib.suppress(OSError):
                default_storage.delete(name)
            pending.discard(name)
        raise
