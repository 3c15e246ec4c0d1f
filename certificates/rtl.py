"""Logical text -> visual runs for drawing with ReportLab (pure, no Django).

ReportLab draws glyphs left to right and does no bidi of its own, so each line is turned into
a list of runs in visual order:

* python-bidi resolves the embedding levels (UAX #9, rules up to I2); we read them from its
  debug output because 0.6 exposes no other access to them;
* the level runs are reordered with rule L2, and characters in odd (right-to-left) runs are
  mirrored (rule L4), which python-bidi's Rust core does not do: ``رقم (12)`` must become
  ``(12) ﻢﻗﺭ``, not ``)12( ﻢﻗﺭ``;
* Arabic runs are joined with arabic-reshaper (harakat kept) and reversed character by
  character: Amiri's zero-advance marks then sit over their letter (checked on PNG renders);
* runs holding letters with no presentation forms (Kurdish Sorani ە ێ ڵ ڕ ...) are left in
  logical order and flagged ``shaped``: the drawer hands them to HarfBuzz, which joins them.

Never store the output: reshape and reorder per line at render time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import arabic_reshaper
from arabic_reshaper.letters import LETTERS_ARABIC
from bidi import get_display
from bidi.mirror import MIRRORED

_reshaper = arabic_reshaper.ArabicReshaper(
    configuration={"delete_harakat": False, "support_ligatures": True}
)
_LEVEL = re.compile(r"Level\(\s*(\d+)\s*,?\s*\)")


@dataclass(frozen=True)
class Run:
    text: str
    rtl: bool = False
    shaped: bool = False  # logical text to be shaped by HarfBuzz (letters with no forms)


def levels(text: str, base: str = "R") -> list[int]:
    """Resolved embedding level of each character of one line (UAX #9 up to rule I2)."""
    info = get_display(text, base_dir=base, debug=True)
    # The debug dump is: text, original_classes, levels, paragraphs. The text itself may
    # contain anything, so search backwards from the last "paragraphs:".
    end = info.rfind("paragraphs: [")
    start = info.rfind("levels: [", 0, end)
    per_byte = [int(x) for x in _LEVEL.findall(info[start:end])]
    if start < 0 or len(per_byte) != len(text.encode()):
        raise ValueError("unexpected python-bidi debug output")
    out, pos = [], 0
    for ch in text:
        out.append(per_byte[pos])
        pos += len(ch.encode())
    return out


def _is_arabic_letter(ch: str) -> bool:
    o = ord(ch)
    return (0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF) and (
        unicodedata.category(ch) == "Lo"
    )


def needs_harfbuzz(text: str) -> bool:
    """True when the text holds Arabic-script letters that arabic-reshaper cannot join."""
    return any(_is_arabic_letter(ch) and ch not in LETTERS_ARABIC for ch in text)


def _rtl_visual(text: str) -> str:
    reshaped = _reshaper.reshape(text)
    return "".join(MIRRORED.get(ch, ch) for ch in reshaped[::-1])


def visual_runs(text: str, base: str = "R") -> list[Run]:
    """One line of logical text -> runs in visual (left-to-right) order."""
    text = " ".join(text.split())
    if not text:
        return []
    lv = levels(text, base)
    runs: list[tuple[str, int]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or lv[i] != lv[start]:
            runs.append((text[start:i], lv[start]))
            start = i
    order = list(range(len(runs)))
    odd = [lvl for _, lvl in runs if lvl % 2]
    highest = max(lvl for _, lvl in runs)
    lowest_odd = min(odd) if odd else highest + 1
    for k in range(highest, lowest_odd - 1, -1):  # rule L2
        i = 0
        while i < len(order):
            if runs[order[i]][1] >= k:
                j = i
                while j < len(order) and runs[order[j]][1] >= k:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    out = []
    for idx in order:
        chunk, lvl = runs[idx]
        if lvl % 2 == 0:
            out.append(Run(chunk))
        elif needs_harfbuzz(chunk):
            out.append(Run(chunk, rtl=True, shaped=True))
        else:
            out.append(Run(_rtl_visual(chunk), rtl=True))
    return out


def visual(text: str, base: str = "R") -> str:
    """The visual string of a line (runs needing HarfBuzz are left logical): for tests."""
    return "".join(r.text for r in visual_runs(text, base))
