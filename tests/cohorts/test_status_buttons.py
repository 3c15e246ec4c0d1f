"""The status form's primary button is the cohort's natural next step (a recruiting cohort starts
running; it is not sent back to draft by its first button)."""

import re

import pytest
from django.urls import reverse

from cohorts.models import Cohort
from tests.cohorts.factories import cohort_with

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "primary"),
    [("draft", "recruiting"), ("recruiting", "running"), ("running", "completed")],
)
def test_the_first_button_moves_forward(login, manager, status, primary):
    cohort = cohort_with(manager=manager, status=status)
    html = login(manager).get(reverse("cohorts:manage_cohort", args=[cohort.pk])).content.decode()
    buttons = re.findall(r'<button type="submit" name="status" value="(\w+)" class="([^"]*)"', html)
    assert buttons[0] == (primary, "")
    assert all(css == "secondary" for _value, css in buttons[1:])
    assert {value for value, _css in buttons} <= {s.value for s in Cohort.Status}
