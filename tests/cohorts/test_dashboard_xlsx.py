"""The dashboard's exports: the workbook has a governorate column, the last activity as a real
date cell, readable column widths and a frozen header row; the CSV holds the same columns as text
and keeps its formula escaping. Columns other apps register (mentor, initiative, certificate)
come after the figures, in both."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cohorts import dashboard as dash
from cohorts.models import BAGHDAD
from tests.cohorts.factories import MembershipFactory, cohort_with
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def _cohort(manager):
    cohort = cohort_with(manager=manager)
    person = TraineeFactory(full_name="=HYPERLINK(1)", governorate="basra")
    person.last_login = timezone.now() - datetime.timedelta(days=2)
    person.save(update_fields=["last_login"])
    MembershipFactory(cohort=cohort, user=person)
    return cohort, person


def test_xlsx_has_governorate_date_cells_widths_and_a_frozen_header(login, manager):
    cohort, person = _cohort(manager)

    response = login(manager).get(
        reverse("cohorts:dashboard_export", args=[cohort.pk]) + "?file=xlsx"
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = {header[i]: c for i, c in enumerate(sheet[2])}
    assert sheet.freeze_panes == "A2"
    assert sheet.sheet_view.rightToLeft
    assert all(c.font.b for c in sheet[1])
    assert row["المحافظة"].value == "البصرة"
    activity = row["آخر نشاط"]
    assert activity.is_date
    expected = timezone.localtime(person.last_login, BAGHDAD).replace(tzinfo=None)
    assert abs(activity.value - expected) < datetime.timedelta(seconds=1)
    assert row["الاسم"].value == "'=HYPERLINK(1)"  # still kept as text
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
    assert all(width >= 12 for width in widths)
    assert widths[-1] >= 40  # the at-risk reasons
    # The registered columns of the other apps, in order, before the reasons.
    keys = [c.label for c in dash.columns()]
    assert header[7 : 7 + len(keys)] == [str(k) for k in keys]


def test_csv_keeps_text_cells_and_formula_escaping(login, manager):
    cohort, person = _cohort(manager)

    response = login(manager).get(reverse("cohorts:dashboard_export", args=[cohort.pk]))

    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    header, row = list(csv.reader(io.StringIO(body)))
    values = dict(zip(header, row, strict=True))
    assert values["الاسم"] == "'=HYPERLINK(1)"
    assert values["المحافظة"] == "البصرة"
    assert values["آخر نشاط"] == timezone.localtime(person.last_login, BAGHDAD).strftime(
        "%Y-%m-%d %H:%M"
    )
