"""The renderer: text found after extraction, bidi edge cases, determinism, hostile names."""

import hashlib
import io
import shutil
import subprocess
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader

from certificates.pdf import CertificateData, Signatory, render
from certificates.rtl import needs_harfbuzz, visual


def data(name_ar="سارة علي", name_latin="Sara Ali", **kw):
    base = {
        "code": "c" * 43,
        "display_code": "K7QF-9M2X-ZP4D",
        "verify_url": "https://lms.example/verify/" + "c" * 43 + "/",
        "name_ar": name_ar,
        "name_latin": name_latin,
        "programme_ar": "برنامج القيادة الشبابية",
        "programme_en": "Youth Leadership Programme",
        "cohort_ar": "الدفعة الثالثة",
        "cohort_en": "Cohort 3",
        "issued_on": date(2026, 3, 25),
        "starts_on": date(2026, 1, 10),
        "ends_on": date(2026, 3, 20),
        "signatories": (Signatory("د. سارة علي", "Dr Sara Ali", "مديرة المركز", "Director"),),
    }
    base.update(kw)
    return CertificateData(**base)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return unicodedata.normalize("NFKC", reader.pages[0].extract_text())


def squash(s: str) -> str:
    return "".join(s.split())


def test_bidi_mirrors_brackets_in_rtl_runs():
    assert visual("رقم (12)") == "(12) ﻢﻗﺭ"
    assert visual("مركز عشتار (Ishtar Center) 2026") == "2026 (Ishtar Center) ﺭﺎﺘﺸﻋ ﺰﻛﺮﻣ"


def test_bidi_keeps_latin_lines_and_harakat():
    assert visual("Cohort (3) 2026", base="L") == "Cohort (3) 2026"
    assert "ّ" in visual("محمّد")
    assert unicodedata.normalize("NFKC", visual("محمّد")[::-1]) == "محمّد"


def test_kurdish_letters_go_to_harfbuzz():
    assert needs_harfbuzz("ڕێباز عەلی")
    assert not needs_harfbuzz("محمد علي")


@pytest.mark.parametrize(
    "name_ar,name_latin",
    [
        ("", "John Smith"),
        ("محمد عبد الله", ""),
        ("سارة Smith", "Sara Smith"),
        ("مُحَمَّد عَبْدُ الله", "Muhammad Abdullah"),
    ],
)
def test_name_and_programme_found_in_extracted_text(name_ar, name_latin):
    text = squash(text_of(render(data(name_ar, name_latin))))
    assert "YouthLeadershipProgramme" in text
    for name in (name_ar, name_latin):
        for word in name.split():  # pypdf gives each Arabic run back in logical order
            assert word in text


def test_arabic_programme_and_center_extract_in_logical_order():
    text = squash(text_of(render(data())))
    assert squash("برنامج القيادة الشبابية") in text
    assert squash("مركز عشتار لدعم الديمقراطية") in text


def test_rendering_twice_gives_the_same_hash():
    a, b = render(data()), render(data())
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()
    assert render(data(issued_on=date(2026, 3, 26))) != a


@pytest.mark.parametrize(
    "name_ar,name_latin",
    [
        ("عبد الرحمن " * 11, "Abdulrahman " * 10),  # 120 characters
        ("سارة 😀🎓", "Sara 😀🎓"),  # emoji: dropped, not boxes, no crash
        ("ڕێباز عەلی ئەحمەد", "Rebaz Ali Ahmed"),  # Kurdish Sorani
        ("x" * 120, "y" * 120),  # one unbreakable word
    ],
)
def test_hostile_names_give_a_valid_small_pdf(name_ar, name_latin):
    pdf = render(data(name_ar.strip(), name_latin.strip()))
    assert pdf.startswith(b"%PDF") and len(pdf) < 60_000
    assert "Sara" in text_of(pdf) if "Sara" in name_latin else True


def test_metadata_and_no_signatories():
    pdf = render(data(signatories=()))
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert "Certificate of Completion" in meta.title
    assert "Ishtar" in meta.author and "Youth Leadership" in meta.subject
    assert b"/Lang (ar)" in pdf


def test_bad_signature_image_is_skipped():
    sig = Signatory("أحمد", "Ahmed", "منسق", "Coordinator", image=b"not an image")
    assert render(data(signatories=(sig,))).startswith(b"%PDF")


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
@pytest.mark.parametrize("name_ar", ["مُحَمَّد عَبْدُ الله", "ڕێباز عەلی ئەحمەد", "سارة Smith (2)"])
def test_png_render_has_ink_where_the_name_goes(tmp_path, name_ar):
    """The automated half of the visual check (the other half: look at the PNGs, see
    certificates/VISUAL_CHECK.md): the page rasterises, and the name line is not blank."""
    from PIL import Image

    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(render(data(name_ar, "Sara Smith")))
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-singlefile", str(pdf), str(tmp_path / "c")],
        check=True,
        timeout=60,
    )
    image = Image.open(tmp_path / "c.png").convert("L")
    width, height = image.size
    band = image.crop((width // 4, int(height * 0.30), 3 * width // 4, int(height * 0.40)))
    assert band.getextrema()[0] < 128  # dark pixels: the name was drawn
