"""The cohorts API through DRF's client: the application flow, decisions, sessions, roll call,
check-in, import, dashboard and exports, errors in the caller's language, and list query
budgets at two sizes."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from cohorts.models import Application, Attendance, Cohort, Membership, Session
from tests.cohorts.factories import (
    ApplicationFactory,
    AttendanceFactory,
    MembershipFactory,
    SessionFactory,
    at,
    cohort_with,
    today,
)
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db

APPLY = {"motivation": "أريد خدمة مجتمعي", "availability": "المساء", "consent": True}


def test_apply_then_see_my_status(api_login, manager, trainee):
    cohort = cohort_with(manager=manager, status=Cohort.Status.RECRUITING)
    client = api_login(trainee)
    response = client.post(reverse("api:cohort-apply", args=[cohort.pk]), APPLY, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "submitted"
    again = client.post(reverse("api:cohort-apply", args=[cohort.pk]), APPLY, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_applied"
    assert Application.objects.filter(cohort=cohort).count() == 1
    mine = client.get(reverse("api:cohort-my-application", args=[cohort.pk]))
    assert mine.json()["status"] == "submitted"
    assert "decision_note" not in mine.json()


def test_apply_errors_are_in_the_callers_language(api_login, manager, trainee):
    running = cohort_with(manager=manager, status=Cohort.Status.RUNNING, trainees=[])
    recruiting = cohort_with(manager=manager, status=Cohort.Status.RECRUITING)
    client = api_login(trainee)
    closed = client.post(
        reverse("api:cohort-apply", args=[running.pk]),
        APPLY,
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    # Members see their running cohort; an outsider would get 404. The trainee is not a member.
    assert closed.status_code == 404
    no_consent = client.post(
        reverse("api:cohort-apply", args=[recruiting.pk]),
        {**APPLY, "consent": False},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert no_consent.status_code == 400
    assert "consent" in no_consent.json()["error"]["fields"]
    assert not Application.objects.exists()


def test_manager_decides_and_bulk_decides(api_login, manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.RECRUITING, capacity=1)
    first, second, third = (ApplicationFactory(cohort=cohort) for _ in range(3))
    client = api_login(manager)
    response = client.post(
        reverse("api:application-decide", args=[first.pk]), {"decision": "accepted"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["applicant"]["id"] == first.applicant_id
    full = client.post(
        reverse("api:application-decide", args=[second.pk]), {"decision": "accepted"}, format="json"
    )
    assert full.status_code == 409
    assert full.json()["error"]["code"] == "cohort_full"
    bulk = client.post(
        reverse("api:application-bulk-decide"),
        {"cohort": cohort.pk, "ids": [second.pk, third.pk], "decision": "accepted"},
        format="json",
    )
    assert bulk.status_code == 200
    assert bulk.json()["counts"] == {"waitlisted": 2}
    assert cohort.active_trainee_count() == 1


def test_cohort_crud_and_status(api_login, manager, trainee):
    client = api_login(manager)
    bad = client.post(
        reverse("api:cohort-list"),
        {
            "name": "دفعة",
            "governorate": "najaf",
            "starts_on": "2027-05-01",
            "ends_on": "2027-04-01",
            "capacity": 20,
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "ends_on" in bad.json()["error"]["fields"]
    created = client.post(
        reverse("api:cohort-list"),
        {
            "name": "دفعة",
            "governorate": "najaf",
            "starts_on": "2027-04-01",
            "ends_on": "2027-05-01",
            "capacity": 20,
        },
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["my_role"] == "manager"
    pk = created.json()["id"]
    moved = client.post(reverse("api:cohort-change-status", args=[pk]), {"status": "completed"})
    assert moved.status_code == 409
    client.post(reverse("api:cohort-change-status", args=[pk]), {"status": "recruiting"})
    assert Cohort.objects.get(pk=pk).status == "recruiting"
    assert api_login(trainee).post(reverse("api:cohort-list"), {}, format="json").status_code == 403


def test_check_in_with_the_session_code(api_login, manager, trainee):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    session = SessionFactory(cohort=cohort, starts_at=at(today(), 17), ends_at=at(today(), 19))
    other = SessionFactory(cohort=cohort, starts_at=at(today(), 17), ends_at=at(today(), 19))
    client = api_login(trainee)
    url = reverse("api:session-check-in", args=[session.pk])
    with time_machine.travel(at(today(), 17, 2)):
        wrong = client.post(url, {"code": other.check_in_code}, format="json")
        assert wrong.status_code == 400
        ok = client.post(url, {"code": session.check_in_code}, format="json")
    assert ok.status_code == 200
    assert ok.json()["status"] == "present"
    with time_machine.travel(at(today(), 20)):
        late = api_login(MembershipFactory(cohort=cohort).user).post(
            url, {"code": session.check_in_code}, format="json"
        )
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "check_in_closed"
    assert Attendance.objects.count() == 1


def test_roll_call_and_code_visibility(api_login, manager, trainee, mentor):
    cohort = cohort_with(manager=manager, trainees=[trainee], facilitators=[mentor])
    session = SessionFactory(cohort=cohort, facilitator=mentor)
    roster = api_login(mentor).get(reverse("api:session-attendance", args=[session.pk]))
    assert roster.status_code == 200
    assert [r["user"]["id"] for r in roster.json()] == [trainee.pk]
    marked = api_login(mentor).post(
        reverse("api:session-attendance", args=[session.pk]),
        {"marks": [{"user": trainee.pk, "status": "late"}]},
        format="json",
    )
    assert marked.status_code == 200
    assert Attendance.objects.get(session=session, user=trainee).status == "late"
    outsider_mark = api_login(mentor).post(
        reverse("api:session-attendance", args=[session.pk]),
        {"marks": [{"user": TraineeFactory().pk, "status": "present"}]},
        format="json",
    )
    assert outsider_mark.status_code == 400
    detail = reverse("api:session-detail", args=[session.pk])
    assert api_login(mentor).get(detail).json()["check_in_code"] == session.check_in_code
    assert api_login(trainee).get(detail).json()["check_in_code"] is None


def test_import_dry_run_reports_rows_and_writes_nothing(api_login, manager, trainee):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    session = SessionFactory(cohort=cohort)
    url = reverse("api:session-import-sheet", args=[session.pk])
    sheet = (
        f"email,status\n{trainee.email},حاضر\nnobody@example.org,present\n{trainee.email},maybe\n"
    )
    client = api_login(manager)
    dry = client.post(
        url, {"file": io.BytesIO(sheet.encode()), "dry_run": "true"}, format="multipart"
    )
    assert dry.status_code == 200
    body = dry.json()
    assert body["valid"] is False
    # Line 3: unknown person; line 4: the same person twice, and a status that is none.
    assert [e["line"] for e in body["errors"]] == [3, 4, 4]
    assert not Attendance.objects.exists()
    real = client.post(url, {"text": sheet, "dry_run": False}, format="json")
    assert real.status_code == 400
    assert not Attendance.objects.exists()
    good = client.post(
        url, {"text": f"email,status\n{trainee.email},late\n", "dry_run": False}, format="json"
    )
    assert good.status_code == 200
    assert good.json()["written"] == 1
    assert Attendance.objects.get().source == "import"


def test_dashboard_and_exports(api_login, manager, trainee):
    cohort = cohort_with(manager=manager, trainees=[trainee, TraineeFactory()])
    client = api_login(manager)
    board = client.get(reverse("api:cohort-dashboard", args=[cohort.pk]), {"sort": "name"})
    assert board.status_code == 200
    assert board.json()["count"] == 2
    assert {r["user_id"] for r in board.json()["results"]} >= {trainee.pk}
    bad = client.get(reverse("api:cohort-dashboard", args=[cohort.pk]), {"sort": "bogus"})
    assert bad.status_code == 400
    exported = client.get(reverse("api:cohort-dashboard-export", args=[cohort.pk]))
    assert exported.status_code == 200 and exported.streaming
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    assert trainee.email in text
    xlsx = client.get(reverse("api:cohort-dashboard-export", args=[cohort.pk]), {"file": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 3
    assert (
        api_login(trainee).get(reverse("api:cohort-dashboard", args=[cohort.pk])).status_code == 403
    )


def test_applications_export_streams_csv(api_login, manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.RECRUITING)
    application = ApplicationFactory(cohort=cohort)
    response = api_login(manager).get(reverse("api:cohort-applications-export", args=[cohort.pk]))
    assert response.status_code == 200
    assert application.applicant.email in b"".join(response.streaming_content).decode("utf-8-sig")


def test_withdraw_membership_promotes_waitlisted(api_login, manager, trainee):
    cohort = cohort_with(
        manager=manager, status=Cohort.Status.RUNNING, trainees=[trainee], capacity=1
    )
    waiting = ApplicationFactory(
        cohort=cohort, status="waitlisted", decided_at=datetime.datetime.now(datetime.UTC)
    )
    membership = Membership.objects.get(cohort=cohort, user=trainee)
    response = api_login(trainee).post(reverse("api:membership-withdraw", args=[membership.pk]))
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert Application.objects.get(pk=waiting.pk).status == "accepted"


def test_series_endpoint(api_login, manager):
    cohort = cohort_with(manager=manager)
    first = today() + datetime.timedelta(days=1)
    response = api_login(manager).post(
        reverse("api:session-series"),
        {
            "cohort": cohort.pk,
            "title": "ورشة",
            "first_day": first.isoformat(),
            "last_day": (first + datetime.timedelta(days=6)).isoformat(),
            "weekdays": list(range(7)),
            "start_time": "17:00",
            "end_time": "16:00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "end_time" in response.json()["error"]["fields"]
    assert not Session.objects.exists()


def test_calendar_address_rotates(api_login, trainee):
    client = api_login(trainee)
    first = client.get(reverse("api:calendar-feed")).json()["url"]
    second = client.post(reverse("api:calendar-feed")).json()["url"]
    assert first != second and second.endswith(".ics")
    assert client.get(reverse("api:calendar-feed")).json()["url"] == second


# --- Query budgets of list endpoints at two sizes --------------------------------------------------


def _populate(manager, trainee, size):
    for _ in range(size):
        cohort = cohort_with(manager=manager, trainees=[TraineeFactory()])
        session = SessionFactory(cohort=cohort)
        AttendanceFactory(session=session)
        ApplicationFactory(cohort=cohort)
    cohort = cohort_with(manager=manager, trainees=[trainee])
    for _ in range(size):
        AttendanceFactory(session=SessionFactory(cohort=cohort), user=trainee)


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize(
    "route",
    [
        "api:cohort-list",
        "api:cohort-mine",
        "api:application-list",
        "api:membership-list",
        "api:session-list",
        "api:attendance-list",
        "api:excuse-list",
    ],
)
@pytest.mark.parametrize("persona", ["manager", "trainee"])
def test_list_query_budget(
    api_login, manager, trainee, persona, route, size, django_assert_max_num_queries
):
    _populate(manager, trainee, size)
    client = api_login(manager if persona == "manager" else trainee)
    with django_assert_max_num_queries(6):
        response = client.get(reverse(route))
    assert response.status_code == 200
