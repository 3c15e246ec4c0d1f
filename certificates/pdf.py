"""The certificate renderer: a pure function from certificate data to PDF bytes.

No database, no Django settings: everything the page shows comes in ``CertificateData``.
A4 landscape, Arabic first then English, Amiri for both scripts (bundled with its licence in
certificates/fonts/), the QR code drawn as one vector path from the ``qrcode`` module matrix.
Output is deterministic: the PDF dates come from the certificate's issue date, so rendering the
same data twice gives the same bytes.

ReportLab is not thread-safe: render in Celery's prefork pool; ``render`` holds a process-wide
lock so a threaded web server rendering on demand stays correct.
"""

from __future__ import annotations

import calendar
import io
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import qrcode
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, shapeStr
from reportlab.pdfgen.canvas import Canvas

from .rtl import Run, visual_runs

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "Amiri"
BOLD = "Amiri-Bold"

# Registered once per process, at import (about 0.2 s).
for _name, _file in ((REGULAR, "Amiri-Regular.ttf"), (BOLD, "Amiri-Bold.ttf")):
    try:
        pdfmetrics.getFont(_name)
    except KeyError:
        pdfmetrics.registerFont(TTFont(_name, str(FONT_DIR / _file)))

CENTER_AR = "مركز عشتار لدعم الديمقراطية"
CENTER_EN = "Ishtar Center for Democracy Support"

INK = Color(0.12, 0.16, 0.24)
ACCENT = Color(0.55, 0.38, 0.12)
MUTED = Color(0.38, 0.40, 0.45)

MONTHS_AR = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)

_lock = threading.Lock()


@dataclass(frozen=True)
class Signatory:
    name_ar: str = ""
    name_en: str = ""
    title_ar: str = ""
    title_en: str = ""
    image: bytes | None = None  # PNG/JPEG of the signature, optional


@dataclass(frozen=True)
class CertificateData:
    code: str  # the full verification code (in the QR URL)
    display_code: str  # short human-typable form printed on the page
    verify_url: str
    name_ar: str
    name_latin: str
    programme_ar: str
    programme_en: str
    cohort_ar: str
    cohort_en: str
    issued_on: date
    starts_on: date | None = None
    ends_on: date | None = None
    version: int = 1
    signatories: tuple[Signatory, ...] = field(default_factory=tuple)


def date_ar(d: date | None) -> str:
    return f"{d.day} {MONTHS_AR[d.month - 1]} {d.year}" if d else ""


def date_en(d: date | None) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}" if d else ""


# --- text drawing -------------------------------------------------------------------------


def _drawable(text: str, font: str) -> str:
    """Drop characters the font has no glyph for (emoji...) instead of printing boxes."""
    cmap = pdfmetrics.getFont(font).face.charToGlyph
    return "".join(ch for ch in text if ord(ch) in cmap or ch == " ")


@lru_cache(maxsize=1024)
def _runs(text: str, font: str, base: str) -> tuple[tuple[Run, float], ...]:
    """Visual runs of a line with their widths at 1 pt (widths scale with the size)."""
    out = []
    for run in visual_runs(_drawable(text, font), base):
        if run.shaped:
            shaped = shapeStr(run.text, font, 1000)
            width = sum(d.x_advance for d in shaped.__shapeData__) / 1000
        else:
            width = pdfmetrics.stringWidth(run.text, font, 1)
        out.append((run, width))
    return tuple(out)


def _pieces(text: str, font: str, size: float, base: str):
    """(string to draw, width) per visual run; HarfBuzz-shaped where needed."""
    return [
        (shapeStr(run.text, font, size) if run.shaped else run.text, w * size)
        for run, w in _runs(text, font, base)
    ]


def text_width(text: str, font: str, size: float, base: str = "R") -> float:
    return sum(w for _, w in _runs(text, font, base)) * size


def draw_line(c: Canvas, text: str, x: float, y: float, font: str, size: float, base="R"):
    """Draw one line centred on x."""
    pieces = _pieces(text, font, size, base)
    left = x - sum(w for _, w in pieces) / 2
    c.setFont(font, size)
    for s, w in pieces:
        c.drawString(left, y, s)
        left += w


def _wrap(text: str, font: str, size: float, width: float, base: str) -> list[str]:
    """Greedy word wrap on the logical text (reordering happens per line afterwards)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", font, size, base) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def draw_fitted(c, text, x, y, font, size, width, base="R", min_size=None, max_lines=2):
    """Draw text centred on x within width: shrink down to min_size, then wrap, then shrink
    the wrapped lines. Returns the y below the last line."""
    min_size = min_size or size * 0.6
    s = size
    while s > min_size and text_width(text, font, s, base) > width:
        s -= 1
    if text_width(text, font, s, base) <= width:
        draw_line(c, text, x, y, font, s, base)
        return y - s * 1.3
    s = size
    while True:
        lines = _wrap(text, font, s, width, base)
        fits = all(text_width(line, font, s, base) <= width for line in lines)
        if (len(lines) <= max_lines and fits) or s <= min_size * 0.7:
            break
        s -= 1
    for line in lines[:max_lines] if len(lines) > max_lines else lines:
        draw_line(c, line, x, y, font, s, base)
        y -= s * 1.2
    return y - s * 0.1


# --- QR -----------------------------------------------------------------------------------


def qr_matrix(data: str) -> list[list[bool]]:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=0)
    qr.add_data(data)
    qr.make(fit=True)
    return qr.get_matrix()


def draw_qr(c: Canvas, data: str, x: float, y: float, size: float):
    """The QR code as one vector path: one rectangle per horizontal run of dark modules, in
    module units (integers) under one transformation, written as a single fill operation."""
    matrix = qr_matrix(data)
    n = len(matrix)
    ops = []
    for r, row in enumerate(matrix):
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                ops.append(f"{start} {n - 1 - r} {col - start} 1 re")
            else:
                col += 1
    c.saveState()
    c.setFillColor(INK)
    c.transform(size / n, 0, 0, size / n, x, y)
    c.addLiteral("\n".join(ops) + "\nf")
    c.restoreState()


# --- page ---------------------------------------------------------------------------------


def _frame(c: Canvas, w: float, h: float):
    c.setStrokeColor(ACCENT)
    c.setLineWidth(3)
    c.rect(22, 22, w - 44, h - 44)
    c.setLineWidth(0.8)
    c.rect(30, 30, w - 60, h - 60)


def _image(raw: bytes | None) -> ImageReader | None:
    """A signature image, or None when absent or unreadable (never break the certificate)."""
    if not raw:
        return None
    try:
        img = ImageReader(io.BytesIO(raw))
        img.getSize()
    except Exception:  # noqa: BLE001 - Pillow raises many types for bad input
        return None
    return img


def _signatories(c: Canvas, sigs: tuple[Signatory, ...], w: float):
    if not sigs:
        return
    sigs = sigs[:4]
    band = (w - 300) / len(sigs)
    for i, sig in enumerate(reversed(sigs)):  # the first signatory on the right (Arabic order)
        cx = 170 + band * (i + 0.5)
        img = _image(sig.image)
        if img is not None:
            iw, ih = img.getSize()
            hh = 34
            ww = min(band - 20, iw * hh / ih)
            c.drawImage(img, cx - ww / 2, 154, ww, hh, mask="auto", preserveAspectRatio=True)
        c.setStrokeColor(MUTED)
        c.setLineWidth(0.6)
        c.line(cx - band / 2 + 18, 150, cx + band / 2 - 18, 150)
        c.setFillColor(INK)
        y = draw_fitted(c, sig.name_ar or sig.name_en, cx, 136, BOLD, 11, band - 20, max_lines=1)
        c.setFillColor(MUTED)
        if sig.title_ar:
            y = draw_fitted(c, sig.title_ar, cx, y, REGULAR, 9.5, band - 20, max_lines=1)
        line = " — ".join(p for p in (sig.name_en, sig.title_en) if p)
        if line:
            draw_fitted(c, line, cx, y, REGULAR, 8.5, band - 20, base="L", max_lines=1)


def render(data: CertificateData) -> bytes:
    """Certificate data -> PDF bytes (deterministic)."""
    with _lock:
        return _render(data)


def _render(data: CertificateData) -> bytes:
    buf = io.BytesIO()
    w, h = landscape(A4)
    c = Canvas(buf, pagesize=(w, h), invariant=1, lang="ar", pageCompression=1)
    ts = c._doc._timeStamp  # fixed creation date: the issue date, so output is reproducible
    epoch = calendar.timegm(data.issued_on.timetuple())
    ts.t, ts.lt = epoch, time.gmtime(epoch)
    ts.YMDhms = tuple(ts.lt)[:6]
    name_latin = data.name_latin or data.name_ar
    name_ar = data.name_ar or data.name_latin
    c.setTitle(f"شهادة إتمام — Certificate of Completion — {name_latin}")
    c.setAuthor(f"{CENTER_AR} — {CENTER_EN}")
    c.setSubject(f"{data.programme_ar} — {data.programme_en} ({data.cohort_en})")
    c.setKeywords(f"certificate {data.display_code}")
    c.setCreator(CENTER_EN)

    _frame(c, w, h)
    cx, text_w = w / 2, w - 140
    c.setFillColor(ACCENT)
    draw_line(c, CENTER_AR, cx, h - 70, BOLD, 18)
    c.setFillColor(MUTED)
    draw_line(c, CENTER_EN, cx, h - 86, REGULAR, 10, base="L")

    # Arabic
    c.setFillColor(INK)
    draw_line(c, "شهادة إتمام", cx, h - 130, BOLD, 34)
    draw_line(c, f"يشهد {CENTER_AR} بأنّ", cx, h - 160, REGULAR, 15)
    c.setFillColor(ACCENT)
    y = draw_fitted(c, name_ar, cx, h - 196, BOLD, 28, text_w, min_size=18)
    c.setFillColor(INK)
    y = draw_fitted(
        c,
        f"قد أتمّ برنامج «{data.programme_ar}» ضمن الدفعة «{data.cohort_ar}»",
        cx,
        y - 4,
        REGULAR,
        14,
        text_w,
    )
    if data.starts_on and data.ends_on:
        y = draw_fitted(
            c,
            f"خلال المدة من {date_ar(data.starts_on)} إلى {date_ar(data.ends_on)}",
            cx,
            y,
            REGULAR,
            13,
            text_w,
        )

    # English
    y = min(y - 8, h - 300)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(0.5)
    c.line(cx - 60, y + 10, cx + 60, y + 10)
    c.setFillColor(MUTED)
    draw_line(c, "Certificate of Completion — This is to certify that", cx, y - 8, REGULAR, 12, "L")
    c.setFillColor(ACCENT)
    y = draw_fitted(c, name_latin, cx, y - 34, BOLD, 22, text_w, base="L", min_size=14)
    c.setFillColor(INK)
    line = f"has completed the programme “{data.programme_en}”, cohort “{data.cohort_en}”"
    y = draw_fitted(c, line, cx, y - 2, REGULAR, 12, text_w, base="L")
    if data.starts_on and data.ends_on:
        line = f"from {date_en(data.starts_on)} to {date_en(data.ends_on)}"
        draw_fitted(c, line, cx, y, REGULAR, 11, text_w, base="L")

    _signatories(c, data.signatories, w)

    # Verification block: QR on the left, code and issue date beside it.
    draw_qr(c, data.verify_url, 46, 40, 68)
    c.setFillColor(INK)
    c.setFont(REGULAR, 9)
    c.drawString(120, 92, f"Verify: {data.verify_url}")
    c.setFont(BOLD, 11)
    c.drawString(120, 76, data.display_code)
    c.setFillColor(MUTED)
    c.setFont(REGULAR, 9)
    c.drawString(120, 62, f"Issued {date_en(data.issued_on)} · v{data.version}")
    right = w - 46
    pieces = _pieces(f"رمز التحقق: {data.display_code}", REGULAR, 10, "R")
    left = right - sum(p[1] for p in pieces)
    c.setFont(REGULAR, 10)
    for s, pw in pieces:
        c.drawString(left, 76, s)
        left += pw
    pieces = _pieces(f"تاريخ الإصدار: {date_ar(data.issued_on)}", REGULAR, 10, "R")
    left = right - sum(p[1] for p in pieces)
    for s, pw in pieces:
        c.drawString(left, 62, s)
        left += pw

    c.showPage()
    c.save()
    return buf.getvalue()
