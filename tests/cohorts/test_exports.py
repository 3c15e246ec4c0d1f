"""The files cohorts hands out (cohorts.exports): every cell, the header row included, is kept as
text when a spreadsheet would read it as a formula, from the page and the API alike."""

import csv
import io

import pytest
from django.urls import reverse

from cohorts.exports import safe_cell
from cohorts.models import ApplicationQuestion, Cohort
from tests.cohorts.factories import ApplicationFactory, cohort_with
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db

DANGEROUS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", "＋1", "－1", "＠SUM(A1)"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_cell_that_would_start_a_formula_is_kept_as_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["سؤال", "a=1", "", 12, None, -3])
def test_other_cells_are_left_as_they_are(value):
    assert safe_cell(value) == value


def _rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.fixture
def recruiting_with_formula_question(manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.RECRUITING)
    first = ApplicationQuestion.objects.create(cohort=cohort, position=1, text="=1+1 ما مبادرتك؟")
    second = ApplicationQuestion.objects.create(cohort=cohort, position=2, text="＠cmd سؤال")
    ApplicationFactory(
        cohort=cohort,
        applicant=TraineeFactory(full_name="-2+3"),
        answers={str(first.pk): "＝HYPERLINK()", str(second.pk): "جواب"},
    )
    return cohort


def test_page_export_escapes_question_texts_in_the_header(
    login, manager, recruiting_with_formula_question
):
    cohort = recruiting_with_formula_question
    response = login(manager).get(reverse("cohorts:applications_export", args=[cohort.pk]))

    assert response.status_code == 200
    header, row = _rows(response)
    assert header[-2:] == ["'=1+1 ما مبادرتك؟", "'＠cmd سؤال"]
    assert row[0] == "'-2+3" and row[-2:] == ["'＝HYPERLINK()", "جواب"]


def test_api_export_escapes_question_texts_in_the_header(
    api_login, manager, recruiting_with_formula_question
):
    cohort = recruiting_with_formula_question
    response = api_login(manager).get(reverse("api:cohort-applications-export", args=[cohort.pk]))

    assert response.status_code == 200
    header, row = _rows(response)
    assert header[-2:] == ["'=1+1 ما مبادرتك؟", "'＠cmd سؤال"]
    assert row[0] == "'-2+3" and row[-2:] == ["'＝HYPERLINK()", "جواب"]
