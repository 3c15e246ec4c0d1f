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
