"""The dashboard's registry of columns and at-risk reasons (cohorts.dashboard.register_column,
register_reason): a reason's condition is applied by the database to every trainee of the cohort
(its flag counts, filters and sorts like the dashboard's own) and its lookup words it for the
flagged rows on show only; a column is looked up once for the rows on show; both through the
page, its filter form and the API's."""

import pytest
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse

from cohorts import dashboard as dash
from cohorts import dashboard_extensions as ext
from cohorts.models import Membership
from tests.cohorts.factories import MembershipFactory, cohort_with
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(monkeypatch):
    """A reason flagging the cohort's first trainee (by id) and a column naming everyone,
    registered for the test only; each records the rows it was asked about."""
    monkeypatch.setattr(ext, "_extensions", dict(ext._extensions))
    monkeypatch.setattr(ext, "FLAG_LABELS", dict(ext.FLAG_LABELS))
    monkeypatch.setattr(ext, "FLAG_CHOICES", list(ext.FLAG_CHOICES))
    calls = {"reason": [], "column": []}

    def reason(cohort, rows, now):
        calls["reason"].append([r.user_id for r in rows])
        return {r.user_id: "Sleeps through the sessions." for r in rows}

    def condition(cohort, now):
        first = (
            Membership.objects.filter(cohort=OuterRef("cohort_id"), role="trainee")
            .order_by("user_id")
            .values("user_id")[:1]
        )
        return Q(user_id=Subquery(first))

    def column(cohort, rows, now):
        calls["column"].append([r.user_id for r in rows])
        return {r.user_id: f"#{r.user_id}" for r in rows}

    dash.register_reason("sleepy", "Sleepy", reason, condition)
    dash.register_column("number", "Number", column)
    return calls


def test_a_reason_counts_every_row_and_words_the_flagged_rows_shown(manager, registered):
    cohort = cohort_with(manager=manager)
    people = [TraineeFactory() for _ in range(3)]
    for person in people:
        MembershipFactory(cohort=cohort, user=person)
    first = min(p.pk for p in people)

    board = dash.cohort_dashboard(cohort, page_size=1, sort="-name")

    # The page shows someone else: the reason is counted, its message not asked for.
    assert board.rows[0].user_id != first
    assert registered["reason"] == []
    assert registered["column"] == [[board.rows[0].user_id]]
    assert board.flag_counts["sleepy"] == 1 and board.at_risk_count >= 1
    risky = dash.cohort_dashboard(cohort, page_size=1, sort="risk")
    assert [r.user_id for r in risky.rows] == [first]
    assert registered["reason"] == [[first]]
    flagged = dash.cohort_dashboard(cohort, flag="sleepy")
    assert [r.user_id for r in flagged.matching] == [first]
    assert [f.label for f in flagged.matching[0].flags if f.code == "sleepy"] == ["Sleepy"]
    assert flagged.matching[0].columns["number"] == f"#{first}"


def test_the_page_and_the_api_accept_a_registered_reason_as_filter(
    login, api_login, manager, registered
):
    cohort = cohort_with(manager=manager)
    MembershipFactory(cohort=cohort, user=TraineeFactory())

    page = login(manager).get(reverse("cohorts:dashboard", args=[cohort.pk]) + "?flag=sleepy")
    assert page.context["filters"].cleaned_data["flag"] == "sleepy"
    assert "Number" in page.content.decode()
    api = api_login(manager).get(f"/api/v1/cohorts/{cohort.pk}/dashboard/?flag=sleepy")
    assert api.status_code == 200
    assert api.json()["count"] == 1
    assert api.json()["results"][0]["columns"]["number"].startswith("#")
    unknown = api_login(manager).get(f"/api/v1/cohorts/{cohort.pk}/dashboard/?flag=bogus")
    assert unknown.status_code == 400
