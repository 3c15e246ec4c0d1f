"""Escaping for HTML built in Python (table rows, roll calls, widgets). Django's escape() runs
through keep_lazy's wrapper on every call, which inspects every argument for lazy text: in a page
that escapes a thousand values that check costs several times the escaping itself. `esc` gives
conditional_escape's text (tests/core/test_markup.py compares them) without it."""

from html import escape as _escape


def esc(value) -> str:
    """conditional_escape(value) as plain text: what is already safe (has __html__) as it is,
    anything else turned to text and escaped (& < > " ')."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape(str(value))
