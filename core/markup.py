"""Escaping for HTML built in Python (table rows, roll calls, widgets). Django's escape() runs
through keep_lazy's wrapper on every call, which inspects every argument for lazy text: in a page
that escapes a thousand values that check costs several times the escaping itself. `esc` gives
conditional_escape's text (tests/core/test_markup.py compares them) without it. `escaped`,
`csrf_input` and `url_halves` are what the row builders share: a page's words (or a choice
field's labels) escaped once, a form's CSRF field, and a named URL split around its key so that
each row's link is joined rather than reversed."""

from functools import lru_cache
from html import escape as _escape

from django.urls import get_script_prefix, reverse


def esc(value) -> str:
    """conditional_escape(value) as plain text: what is already safe (has __html__) as it is,
    anything else turned to text and escaped (& < > " ')."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape(str(value))


def escaped(words: dict) -> dict:
    """{key: text escaped}: a page's words, translated by the caller outside its f-strings (where
    the message extractor sees them), escaped once."""
    return {key: esc(text) for key, text in words.items()}


def csrf_input(csrf_token: str) -> str:
    """The hidden field of a form built in Python that `{% csrf_token %}` writes."""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token)}">'


def url_halves(name: str) -> tuple[str, str]:
    """The escaped text before and after the one key of a named URL ("/courses/", "/" for
    courses:course), reversed once per script prefix: a reverse costs more than a row."""
    return _halves(name, get_script_prefix())


@lru_cache(maxsize=128)
def _halves(name: str, prefix: str) -> tuple[str, str]:
    head, tail = reverse(name, args=[0]).rsplit("/0/", 1)
    return esc(f"{head}/"), esc(f"/{tail}")
