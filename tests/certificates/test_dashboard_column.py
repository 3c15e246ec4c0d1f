"""The cohort dashboard's certificate column (plugged in by certificates): issued, eligible, or
what is missing, decided by the one eligibility rule (services.eligibility_of_rows, which
services.eligibility uses too)."""

import pytest
from django.utils import translation

from certificates import services
from cohorts.dashboard import cohort_dashboard

pytestmark = pytest.mark.django_db


def _column(cohort):
    with translation.override("en"):
        board = cohort_dashboard(cohort)
    return {row.user_id: row.columns.get("certificate") for row in board.rows}, board


def test_eligible_then_issued(cohort, trainee, manager, django_capture_on_commit_callbacks):
    column, board = _column(cohort)
    assert "certificate" in [c.key for c in board.columns]
    assert column[trainee.pk] == "Eligible"

    with django_capture_on_commit_callbacks(execute=True):
        services.issue_certificate(cohort=cohort, trainee=trainee, actor=manager)

    assert _column(cohort)[0][trainee.pk] == "Issued"


def test_missing_says_what_as_eligibility_does(cohort, trainee, held_sessions):
    with translation.override("en"):
        reasons = services.eligibility(cohort, trainee).explanation
    assert reasons

    assert _column(cohort)[0][trainee.pk] == f"Missing: {reasons}"
