"""The greeting's name: the first name after any title, never the title itself."""

import pytest

from accounts.models import User


@pytest.mark.parametrize(
    ("full_name", "short"),
    [
        ("علي حسن", "علي"),
        ("د. علي الحكيم", "علي"),
        ("أ.د. زينب الموسوي", "زينب"),
        ("الدكتورة مريم جواد", "مريم"),
        ("الشيخ الحاج كاظم عباس", "كاظم"),
        ("Dr. Sara Ali", "Sara"),
        ("د.", "د."),  # nothing but a title: it is all there is to show
    ],
)
def test_the_short_name_skips_titles(full_name, short):
    assert User(full_name=full_name, email="x@example.org").get_short_name() == short


def test_without_a_name_the_email_is_used():
    assert User(full_name="", email="x@example.org").get_short_name() == "x@example.org"


@pytest.mark.parametrize(
    ("language", "short"),
    [("en", "Ali"), ("ar", "علي"), (None, "علي")],
)
def test_the_short_name_in_english_is_of_the_latin_spelling(language, short):
    person = User(full_name="د. علي الحكيم", full_name_latin="Dr. Ali Al-Hakim", email="x@e.org")
    assert person.get_short_name(language) == short


def test_without_a_latin_spelling_english_uses_the_arabic_name():
    person = User(full_name="الدكتورة مريم جواد", full_name_latin="", email="x@example.org")
    assert person.get_short_name("en") == "مريم"
