"""Office uploads are checked as real OOXML with a bounded unpacked size, never unpacked to disk."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from courses import files
from tests.courses.factories import docx_bytes


def _zip(entries: dict, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression, compresslevel=9) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType='
    b'"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def test_a_real_docx_is_accepted():
    upload = SimpleUploadedFile("paper.docx", docx_bytes())
    assert files.validate_upload(upload) == files.DOCX


def test_a_docx_shaped_zip_bomb_is_refused():
    # About 1 MiB on the wire, 1 GiB unpacked once its declared sizes are believed or its members
    # decompressed: the check stops at the bound.
    zeros = b"\0" * (64 * 1024 * 1024)
    bomb = _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": b"<w:document/>",
            **{f"word/media/pad{i}.bin": zeros for i in range(16)},
        }
    )
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        files.validate_upload(SimpleUploadedFile("bomb.docx", bomb))
    assert caught.value.code == "file_type"


def test_a_zip_lying_about_its_sizes_is_refused(monkeypatch):
    # Declared sizes can lie; counting the bytes that really come out is what holds.
    monkeypatch.setattr(files, "OOXML_MAX_UNPACKED_BYTES", 1024 * 1024)
    data = _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": b"<w:document/>" + b" " * (2 * 1024 * 1024),
        }
    )
    assert files.sniff(SimpleUploadedFile("x.docx", data)) is None


def test_too_many_entries_are_refused(monkeypatch):
    monkeypatch.setattr(files, "OOXML_MAX_ENTRIES", 10)
    entries = {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>"}
    entries.update({f"word/x{i}.xml": b"x" for i in range(20)})
    assert files.sniff(SimpleUploadedFile("x.docx", _zip(entries))) is None


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"\0" * 100,  # truncated
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"x"}),  # not Word
        _zip({"word/document.xml": b"x"}),  # no content types
        _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"x"})[:-30],  # cut
    ],
    ids=["truncated", "not-word", "no-content-types", "cut-central-directory"],
)
def test_broken_or_foreign_zips_are_refused(data):
    with pytest.raises(ValidationError):
        files.validate_upload(SimpleUploadedFile("x.docx", data))
