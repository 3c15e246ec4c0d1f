"""The pages a cohort's managers run its sessions with: sessions and weekly series, the session page
with its QR code, roll call, sign-in sheet import and excuse decisions. Every POST is checked
against the database; cohorts run by someone else are not found."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cohorts.models import (
    Attendance,
    ExcuseRequest,
    Membership,
    Session,
)
from tests.cohorts.factories import (
    AttendanceFactory,
    ExcuseRequestFactory,
    MembershipFactory,
    SessionFactory,
    at,
    today,
)
from tests.cohorts.test_views_manage import _url
from tests.factories import MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


# --- Sessions -------------------------------------------------------------------------------------


def test_scheduling_one_session_with_a_facilitator(login, manager, running):
    facilitator = MentorFactory()
    MembershipFactory(cohort=running, user=facilitator, role=Membership.Role.FACILITATOR)
    day = today() + datetime.timedelta(days=3)

    response = login(manager).post(
        _url("session_create", running),
        {
            "title": "طاولة حوار",
            "starts_at": f"{day}T17:00",
            "ends_at": f"{day}T19:00",
            "format": "dialogue_table",
            "mode": "in_person",
            "facilitator": facilitator.pk,
        },
    )

    session = Session.objects.get(cohort=running)
    assert response["Location"] == _url("session", session)
    assert session.starts_at == at(day, 17)
    assert session.facilitator == facilitator


def test_a_session_outside_the_cohort_or_ending_first_is_a_400(login, manager, running):
    client = login(manager)
    late = running.ends_on + datetime.timedelta(days=5)
    day = today()

    outside = client.post(
        _url("session_create", running),
        {"title": "بعد النهاية", "starts_at": f"{late}T17:00", "ends_at": f"{late}T18:00",
         "format": "workshop", "mode": "in_person"},
    )  # fmt: skip
    backwards = client.post(
        _url("session_create", running),
        {"title": "معكوسة", "starts_at": f"{day}T17:00", "ends_at": f"{day}T16:00",
         "format": "workshop", "mode": "in_person"},
    )  # fmt: skip

    assert outside.status_code == backwards.status_code == 400
    assert not Session.objects.exists()


def test_weekly_series_skips_fridays_by_default(login, manager, running):
    monday = today() + datetime.timedelta(days=7 - today().weekday())
    data = {
        "title": "ورشة أسبوعية",
        "first_day": monday,
        "last_day": monday + datetime.timedelta(days=13),
        "weekdays": [0, 4],
        "start_time": "17:00",
        "end_time": "19:00",
        "format": "workshop",
        "mode": "in_person",
    }
    client = login(manager)

    response = client.post(_url("session_series", running), {**data, "skip_fridays": "on"})

    assert response.status_code == 302
    days = [s.starts_at.astimezone(at(today(), 0).tzinfo).weekday() for s in Session.objects.all()]
    assert days == [0, 0]
    assert Session.objects.values("series").distinct().count() == 1

    client.post(_url("session_series", running), data)  # Fridays kept when unticked
    assert Session.objects.count() == 2 + 4


def test_series_without_days_is_a_400(login, manager, running):
    response = login(manager).post(
        _url("session_series", running),
        {"title": "x", "first_day": today(), "last_day": today(), "start_time": "17:00",
         "end_time": "19:00", "format": "workshop", "mode": "in_person"},
    )  # fmt: skip

    assert response.status_code == 400
    assert not Session.objects.exists()


def test_session_page_shows_the_code_and_a_qr_code_of_the_check_in_address(login, manager, running):
    session = SessionFactory(cohort=running)

    response = login(manager).get(_url("session", session))

    html = response.content.decode()
    assert session.check_in_code in html
    assert "<svg" in html and "<script" not in html
    assert 'style="' not in html  # the page CSP refuses inline styles
    assert response.context["address"].endswith(
        _url("check_in", session, code=session.check_in_code)
    )


def test_new_code_replaces_the_old_one(login, manager, running):
    session = SessionFactory(cohort=running)
    old = session.check_in_code

    login(manager).post(_url("session_rotate_code", session))

    session.refresh_from_db()
    assert session.check_in_code != old


def test_facilitator_opens_their_session_but_not_the_cohorts_management(login, running):
    facilitator = MentorFactory()
    MembershipFactory(cohort=running, user=facilitator, role=Membership.Role.FACILITATOR)
    session = SessionFactory(cohort=running, facilitator=facilitator)
    client = login(facilitator)

    assert client.get(_url("session", session)).status_code == 200
    assert client.get(_url("roll_call", session)).status_code == 200
    assert client.get(_url("sessions", running)).status_code == 404


# --- Roll call ------------------------------------------------------------------------------------


def test_roll_call_saves_the_marks_chosen_in_one_submit(login, manager, running, trainee):
    late, away = TraineeFactory(full_name="ب متأخر"), TraineeFactory(full_name="ت غائب")
    for person in (late, away):
        MembershipFactory(cohort=running, user=person)
    session = SessionFactory(cohort=running)
    shown = [trainee.pk, late.pk, away.pk]

    response = login(manager).post(
        _url("roll_call", session),
        {
            "shown": shown,
            f"m{trainee.pk}": "present",
            f"m{late.pk}": "late",
            f"m{away.pk}": "absent",
        },
    )

    assert response.status_code == 302
    marks = dict(Attendance.objects.filter(session=session).values_list("user_id", "status"))
    assert marks == {trainee.pk: "present", late.pk: "late", away.pk: "absent"}
    assert set(Attendance.objects.values_list("source", flat=True)) == {"roll_call"}


def test_everyone_else_present_marks_only_the_unmarked_rows(login, manager, running, trainee):
    other = TraineeFactory()
    MembershipFactory(cohort=running, user=other)
    session = SessionFactory(cohort=running)
    AttendanceFactory(session=session, user=trainee, status=Attendance.Status.EXCUSED)

    login(manager).post(
        _url("roll_call", session), {"shown": [trainee.pk, other.pk], "rest": "present"}
    )

    marks = dict(Attendance.objects.filter(session=session).values_list("user_id", "status"))
    assert marks == {trainee.pk: "excused", other.pk: "present"}


def test_roll_call_page_shows_current_marks_checked_and_excuses(login, manager, running, trainee):
    session = SessionFactory(cohort=running)
    AttendanceFactory(session=session, user=trainee, status=Attendance.Status.LATE)

    ExcuseRequestFactory(session=session, user=trainee)

    response = login(manager).get(_url("roll_call", session))

    assert f'name="m{trainee.pk}" value="late" checked' in response.content.decode()
    (row,) = response.context["rows"]
    assert row["excuse"] == ExcuseRequest.Status.PENDING.label


def test_roll_call_for_someone_outside_the_cohort_is_a_400_and_writes_nothing(
    login, manager, running, trainee, outsider
):
    session = SessionFactory(cohort=running)

    response = login(manager).post(
        _url("roll_call", session),
        {
            "shown": [trainee.pk, outsider.pk],
            f"m{trainee.pk}": "present",
            f"m{outsider.pk}": "present",
        },
    )

    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_roll_call_before_the_session_opens_is_a_409(login, manager, running, trainee):
    later = today() + datetime.timedelta(days=2)
    session = SessionFactory(cohort=running, starts_at=at(later, 17), ends_at=at(later, 19))

    response = login(manager).post(
        _url("roll_call", session), {"shown": [trainee.pk], f"m{trainee.pk}": "present"}
    )

    assert response.status_code == 409
    assert not Attendance.objects.exists()


def test_roll_call_with_no_mark_chosen_is_a_400(login, manager, running, trainee):
    session = SessionFactory(cohort=running)

    response = login(manager).post(_url("roll_call", session), {"shown": [trainee.pk]})

    assert response.status_code == 400


def test_roll_call_search_narrows_the_rows(login, manager, running):
    MembershipFactory(cohort=running, user=TraineeFactory(full_name="سجاد جواد"))
    session = SessionFactory(cohort=running)

    response = login(manager).get(_url("roll_call", session, q="سجاد"))

    assert [row["name"] for row in response.context["rows"]] == ["سجاد جواد"]


# --- Sign-in sheet import -------------------------------------------------------------------------


def test_sheet_dry_run_lists_row_errors_and_writes_nothing(login, manager, running, trainee):
    session = SessionFactory(cohort=running)
    sheet = (
        f"email,status\n{trainee.email},حاضر\nnobody@example.org,present\n{trainee.email},maybe\n"
    )

    response = login(manager).post(
        _url("session_import", session),
        {"file": SimpleUploadedFile("sheet.csv", sheet.encode(), content_type="text/csv")},
    )

    assert response.status_code == 400
    # Line 3: an unknown person; line 4: the same person again, and a word that is no status.
    assert [e.line for e in response.context["report"].errors] == [3, 4, 4]
    assert not Attendance.objects.exists()


def test_sheet_dry_run_then_confirm_writes_the_marks(login, manager, running, trainee):
    other = TraineeFactory()
    MembershipFactory(cohort=running, user=other)
    session = SessionFactory(cohort=running)
    sheet = f"email,status,note\n{trainee.email},present,\n{other.email},غائب,مريض\n"
    client = login(manager)

    check = client.post(
        _url("session_import", session),
        {"file": SimpleUploadedFile("sheet.csv", ("\ufeff" + sheet).encode(), "text/csv")},
    )
    assert check.status_code == 200
    assert check.context["report"].valid
    assert not Attendance.objects.exists()
    assert check.context["sheet"] == sheet

    confirm = client.post(_url("session_import", session), {"text": sheet, "confirm": "1"})

    assert confirm.status_code == 302
    marks = dict(Attendance.objects.filter(session=session).values_list("user_id", "status"))
    assert marks == {trainee.pk: "present", other.pk: "absent"}
    assert Attendance.objects.get(user=other).note == "مريض"
    assert set(Attendance.objects.values_list("source", flat=True)) == {"import"}


def test_confirming_a_sheet_with_errors_is_a_400_and_writes_nothing(
    login, manager, running, trainee
):
    session = SessionFactory(cohort=running)
    sheet = f"email,status\n{trainee.email},present\nnobody@example.org,present\n"

    response = login(manager).post(_url("session_import", session), {"text": sheet, "confirm": "1"})

    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_import_with_neither_file_nor_text_is_a_400(login, manager, running):
    session = SessionFactory(cohort=running)

    assert login(manager).post(_url("session_import", session), {}).status_code == 400


# --- Excuses --------------------------------------------------------------------------------------


def test_manager_approves_an_excuse_and_the_trainee_is_marked_excused(
    login, manager, running, trainee
):
    later = today() + datetime.timedelta(days=2)
    session = SessionFactory(cohort=running, starts_at=at(later, 17), ends_at=at(later, 19))
    excuse = ExcuseRequestFactory(session=session, user=trainee)
    client = login(manager)

    listed = client.get(_url("excuses", running, status="pending"))
    assert [e.pk for e in listed.context["page"]] == [excuse.pk]

    response = client.post(
        _url("excuse_decide", excuse), {"decision": "approve", "next": _url("excuses", running)}
    )

    assert response["Location"] == _url("excuses", running)
    excuse.refresh_from_db()
    assert excuse.status == ExcuseRequest.Status.APPROVED
    assert Attendance.objects.get(session=session, user=trainee).status == "excused"
    again = client.post(_url("excuse_decide", excuse), {"decision": "decline"})
    assert again.status_code == 409
    excuse.refresh_from_db()
    assert excuse.status == ExcuseRequest.Status.APPROVED


def test_excuse_decision_ignores_an_outside_next_address(login, manager, running, trainee):
    excuse = ExcuseRequestFactory(session=SessionFactory(cohort=running), user=trainee)

    response = login(manager).post(
        _url("excuse_decide", excuse), {"decision": "decline", "next": "https://evil.example/"}
    )

    assert response["Location"] == _url("session", excuse.session)
    excuse.refresh_from_db()
    assert excuse.status == ExcuseRequest.Status.DECLINED
