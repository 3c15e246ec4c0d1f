"""core.markup.esc gives conditional_escape's text for every kind of value the Python-built rows
hand it: plain, hostile, safe, lazy, lazy safe, numbers, None."""

import pytest
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from core.markup import esc, escaped, url_halves

VALUES = [
    "",
    "زينب علي",
    'Adam <b>"Early"</b> & co\'s',
    "<script>alert(1)</script>",
    "\x00nul\u200frtl",
    "٣٤٥",
    mark_safe("<em>already safe</em>"),
    SafeString("&amp;"),
    gettext_lazy("Attendance"),
    lazy(lambda: mark_safe("<i>lazy safe</i>"), SafeString)(),
    lazy(lambda: "<i>lazy plain</i>", str)(),
    0,
    75,
    None,
    12.5,
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
@pytest.mark.parametrize("language", ["ar", "en"])
def test_esc_is_conditional_escape(value, language):
    with override(language):
        assert esc(value) == str(conditional_escape(value))


def test_esc_escapes_what_is_not_safe():
    assert esc('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"
    assert esc(mark_safe("<b>")) == "<b>"


def test_url_halves_put_any_key_where_reverse_puts_it():
    for name in ("courses:course", "certificates:download", "certificates:verify_json"):
        head, tail = url_halves(name)
        for key in (1, 42, 900000001):
            assert f"{head}{key}{tail}" == reverse(name, args=[key])


def test_escaped_escapes_every_word_once():
    assert escaped({"a": "<b> & 'c'", "b": mark_safe("<i>kept</i>")}) == {
        "a": "&lt;b&gt; &amp; &#x27;c&#x27;",
        "b": "<i>kept</i>",
    }
