"""Cohort pages for everyone and for members: the list of recruiting cohorts, the public page
with its application form, a member's cohorts, check-in, excuses, attendance, the calendar
address and the home panel; errors answer 4xx and leave the database as it was."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cohorts import services
from cohorts.models import (
    Announcement,
    Application,
    ApplicationQuestion,
    Attendance,
    CalendarFeed,
    Cohort,
    ExcuseRequest,
    Membership,
)
from notifications.models import Notification
from tests.cohorts.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CohortFactory,
    ExcuseRequestFactory,
    MembershipFactory,
    SessionFactory,
    at,
    cohort_with,
    today,
)
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db

APPLY = {
    "motivation": "أريد أن أتعلم القيادة وخدمة مدينتي.",
    "civic_experience": "تطوعت في حملة تنظيف النجف.",
    "availability": "مساء الأحد والثلاثاء",
    "consent": "on",
}


def _url(name, obj, **query):
    url = reverse(f"cohorts:{name}", args=[obj.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def recruiting(manager):
    return cohort_with(
        manager=manager, status=Cohort.Status.RECRUITING, name="القادة الشباب — كربلاء"
    )


# --- The list and the public page -----------------------------------------------------------------


def test_recruiting_cohorts_are_listed_for_everyone_and_others_are_not(client, recruiting):
    draft = CohortFactory(status=Cohort.Status.DRAFT, name="مسودة لا تظهر")
    running = CohortFactory(status=Cohort.Status.RUNNING, name="دفعة جارية")

    response = client.get(reverse("cohorts:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert recruiting.name in html
    assert draft.name not in html and running.name not in html


def test_anonymous_visitor_reads_a_recruiting_cohort_and_is_asked_to_sign_in(client, recruiting):
    response = client.get(_url("detail", recruiting))

    assert response.status_code == 200
    html = response.content.decode()
    assert recruiting.name in html
    assert reverse("account_login") + "?next=" in html
    assert 'name="motivation"' not in html


def test_draft_cohort_is_not_found_for_a_stranger_but_shown_to_its_manager(login, trainee, manager):
    draft = cohort_with(manager=manager, status=Cohort.Status.DRAFT)

    assert login(trainee).get(_url("detail", draft)).status_code == 404
    assert login(manager).get(_url("detail", draft)).status_code == 200


def test_application_form_shows_the_data_use_text_and_the_cohorts_own_questions(
    login, trainee, recruiting
):
    ApplicationQuestion.objects.create(cohort=recruiting, position=1, text="ما مبادرتك المقترحة؟")

    html = login(trainee).get(_url("detail", recruiting)).content.decode()

    for name in ("motivation", "civic_experience", "availability", "consent"):
        assert f'name="{name}"' in html
    assert "ما مبادرتك المقترحة؟" in html
    assert 'class="data-use"' in html


def test_trainee_applies_then_sees_the_status_on_the_cohort_page(login, trainee, recruiting):
    question = ApplicationQuestion.objects.create(
        cohort=recruiting, position=1, text="ما مبادرتك المقترحة؟"
    )
    client = login(trainee)

    response = client.post(
        _url("apply", recruiting), {**APPLY, f"answer_{question.pk}": "مكتبة متنقلة"}
    )

    assert response.status_code == 302
    application = Application.objects.get(cohort=recruiting, applicant=trainee)
    assert application.status == Application.Status.SUBMITTED
    assert application.consented_at is not None
    assert application.civic_experience == APPLY["civic_experience"]
    assert application.answers == {str(question.pk): "مكتبة متنقلة"}
    assert Notification.objects.filter(
        recipient=trainee, kind="cohorts.application_received"
    ).exists()
    page = client.get(response["Location"]).content.decode()
    assert 'id="my-application"' in page
    assert 'class="status status-submitted"' in page
    assert 'name="motivation"' not in page


def test_applying_twice_answers_409_and_keeps_one_application(login, trainee, recruiting):
    client = login(trainee)
    client.post(_url("apply", recruiting), APPLY)

    again = client.post(_url("apply", recruiting), {**APPLY, "motivation": "مرة ثانية"})

    assert again.status_code == 409
    assert 'role="alert"' in again.content.decode()
    assert Application.objects.filter(cohort=recruiting, applicant=trainee).count() == 1
    assert Application.objects.get(applicant=trainee).motivation == APPLY["motivation"]


def test_applying_to_a_running_cohort_one_belongs_to_answers_409(login, trainee, manager):
    running = cohort_with(manager=manager, trainees=[trainee])

    response = login(trainee).post(_url("apply", running), APPLY)

    assert response.status_code == 409
    assert not Application.objects.exists()


def test_applying_to_a_cohort_one_cannot_see_is_not_found(login, trainee, manager):
    draft = cohort_with(manager=manager, status=Cohort.Status.DRAFT)

    assert login(trainee).post(_url("apply", draft), APPLY).status_code == 404
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consent": ""}, "consent"),
        ({"motivation": "  "}, "motivation"),
        ({"availability": ""}, "availability"),
    ],
)
def test_incomplete_application_is_shown_again_with_400_and_nothing_saved(
    login, trainee, recruiting, change, field
):
    response = login(trainee).post(_url("apply", recruiting), {**APPLY, **change})

    assert response.status_code == 400
    assert f"{field}" in response.context["form"].errors
    assert not Application.objects.exists()


def test_a_required_question_left_empty_is_a_400(login, trainee, recruiting):
    ApplicationQuestion.objects.create(cohort=recruiting, position=1, text="سؤال إلزامي")

    response = login(trainee).post(_url("apply", recruiting), APPLY)

    assert response.status_code == 400
    assert not Application.objects.exists()


def test_mentors_may_not_apply(login, mentor, recruiting):
    response = login(mentor).post(_url("apply", recruiting), APPLY)

    assert response.status_code == 403
    assert not Application.objects.exists()


def test_anonymous_apply_is_sent_to_sign_in(client, recruiting):
    response = client.post(_url("apply", recruiting), APPLY)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Application.objects.exists()


def test_applicant_withdraws_their_application(login, trainee, recruiting):
    application = ApplicationFactory(cohort=recruiting, applicant=trainee)

    response = login(trainee).post(_url("withdraw_application", recruiting))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_a_rejected_application_cannot_be_withdrawn(login, trainee, recruiting, manager):
    application = ApplicationFactory(cohort=recruiting, applicant=trainee)
    services.decide_application(actor=manager, application=application, decision="rejected")

    response = login(trainee).post(_url("withdraw_application", recruiting))

    assert response.status_code == 409
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED


# --- A member's cohort page -----------------------------------------------------------------------


def test_trainee_sees_upcoming_sessions_announcements_and_their_marks(login, trainee, manager):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    tomorrow = today() + datetime.timedelta(days=1)
    upcoming = SessionFactory(cohort=cohort, starts_at=at(tomorrow, 17), ends_at=at(tomorrow, 19))
    past = SessionFactory(cohort=cohort)
    Announcement.objects.create(
        cohort=cohort, author=manager, title="تغيير القاعة", body="الطابق 2"
    )

    html = login(trainee).get(_url("detail", cohort)).content.decode()

    assert upcoming.title in html and past.title not in html
    assert "تغيير القاعة" in html
    assert _url("request_excuse", upcoming) in html
    assert _url("my_attendance", cohort) in html
    assert 'name="motivation"' not in html


def test_trainee_sees_their_excuse_on_the_session_and_cannot_ask_twice(login, trainee, manager):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    tomorrow = today() + datetime.timedelta(days=1)
    asked = SessionFactory(cohort=cohort, starts_at=at(tomorrow, 17), ends_at=at(tomorrow, 19))
    ExcuseRequestFactory(session=asked, user=trainee)
    AttendanceFactory(session=asked, user=trainee, status=Attendance.Status.EXCUSED)

    response = login(trainee).get(_url("detail", cohort))

    (row,) = response.context["upcoming"]
    assert (row["mark"], row["can_excuse"]) == ("excused", False)
    assert row["excuse_label"] == str(ExcuseRequest.Status.PENDING.label)
    assert _url("request_excuse", asked) not in response.content.decode()


def test_member_cohort_page_costs_the_same_at_two_sizes(
    login, trainee, manager, django_assert_max_num_queries
):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    client = login(trainee)

    def grow(n):
        for d in range(n):
            day = today() + datetime.timedelta(days=d + 1)
            session = SessionFactory(cohort=cohort, starts_at=at(day, 17), ends_at=at(day, 19))
            AttendanceFactory(session=session, user=trainee)
            ExcuseRequestFactory(session=session, user=trainee)
            Announcement.objects.create(cohort=cohort, author=manager, title="إعلان", body="نص")

    grow(1)
    small = _queries(client, _url("detail", cohort), django_assert_max_num_queries, 12)
    grow(12)
    assert _queries(client, _url("detail", cohort), django_assert_max_num_queries, 12) == small


def test_check_in_button_appears_only_while_the_window_is_open(login, trainee, manager):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    session = SessionFactory(cohort=cohort, starts_at=at(today(), 17), ends_at=at(today(), 19))
    client = login(trainee)

    with time_machine.travel(at(today(), 16, 30)):
        assert _url("check_in", session) not in client.get(_url("detail", cohort)).content.decode()
    with time_machine.travel(at(today(), 16, 50)):
        assert _url("check_in", session) in client.get(_url("detail", cohort)).content.decode()


def test_my_cohorts_lists_memberships_with_the_next_session_and_open_applications(
    login, trainee, manager
):
    cohort = cohort_with(manager=manager, trainees=[trainee], name="دفعة النجف")
    tomorrow = today() + datetime.timedelta(days=1)
    SessionFactory(
        cohort=cohort, title="ورشة الغد", starts_at=at(tomorrow, 17), ends_at=at(tomorrow, 19)
    )
    other = cohort_with(manager=manager, status=Cohort.Status.RECRUITING, name="دفعة بغداد")
    ApplicationFactory(cohort=other, applicant=trainee)

    html = login(trainee).get(reverse("cohorts:mine")).content.decode()

    assert "دفعة النجف" in html and "ورشة الغد" in html
    assert "دفعة بغداد" in html and "status-submitted" in html


def test_my_attendance_shows_only_my_marks_with_the_percentage(login, trainee, manager):
    other = TraineeFactory()
    cohort = cohort_with(manager=manager, trainees=[trainee, other])
    held = [
        SessionFactory(
            cohort=cohort,
            starts_at=at(today() - datetime.timedelta(days=d), 17),
            ends_at=at(today() - datetime.timedelta(days=d), 19),
        )
        for d in (3, 2, 1)
    ]
    AttendanceFactory(session=held[0], user=trainee, status=Attendance.Status.PRESENT)
    AttendanceFactory(session=held[1], user=trainee, status=Attendance.Status.ABSENT)
    AttendanceFactory(session=held[2], user=other, status=Attendance.Status.PRESENT)

    response = login(trainee).get(_url("my_attendance", cohort))

    assert response.status_code == 200
    assert response.context["attended"] == 1 and response.context["expected"] == 3
    assert response.context["percent"] == 33


def test_my_attendance_of_a_cohort_one_is_not_in_is_not_found(login, outsider, manager, trainee):
    cohort = cohort_with(manager=manager, trainees=[trainee])

    assert login(outsider).get(_url("my_attendance", cohort)).status_code == 404


# --- Check-in -------------------------------------------------------------------------------------


@pytest.fixture
def tonight(manager, trainee):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    return SessionFactory(cohort=cohort, starts_at=at(today(), 17), ends_at=at(today(), 19))


def test_the_qr_address_fills_in_the_code_but_only_the_button_checks_in(login, trainee, tonight):
    client = login(trainee)
    with time_machine.travel(at(today(), 17)):
        response = client.get(_url("check_in", tonight, code=tonight.check_in_code))

    assert response.status_code == 200
    assert f'value="{tonight.check_in_code}"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_check_in_with_the_right_code_marks_present_then_late(login, trainee, tonight):
    late_one = TraineeFactory()
    MembershipFactory(cohort=tonight.cohort, user=late_one)

    with time_machine.travel(at(today(), 17, 5)):
        response = login(trainee).post(_url("check_in", tonight), {"code": tonight.check_in_code})
        assert response.status_code == 302
        page = login(trainee).get(response["Location"]).content.decode()
    with time_machine.travel(at(today(), 17, 30)):
        login(late_one).post(_url("check_in", tonight), {"code": tonight.check_in_code.lower()})

    mark = Attendance.objects.get(session=tonight, user=trainee)
    assert (mark.status, mark.source) == (Attendance.Status.PRESENT, Attendance.Source.CHECK_IN)
    assert 'id="check-in-status"' in page
    assert Attendance.objects.get(session=tonight, user=late_one).status == Attendance.Status.LATE


def test_a_wrong_code_is_a_400_with_the_reason(login, trainee, tonight):
    with time_machine.travel(at(today(), 17, 5)):
        response = login(trainee).post(_url("check_in", tonight), {"code": "XXXXXX"})

    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert not Attendance.objects.exists()


def test_the_code_of_another_session_is_a_400(login, trainee, tonight):
    other = SessionFactory(
        cohort=tonight.cohort, starts_at=at(today(), 17), ends_at=at(today(), 19)
    )
    assert other.check_in_code != tonight.check_in_code

    with time_machine.travel(at(today(), 17, 5)):
        response = login(trainee).post(_url("check_in", tonight), {"code": other.check_in_code})

    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_an_expired_code_stops_working_once_a_new_one_is_made(login, trainee, tonight, manager):
    old = tonight.check_in_code
    services.rotate_check_in_code(actor=manager, session=tonight)

    with time_machine.travel(at(today(), 17, 5)):
        response = login(trainee).post(_url("check_in", tonight), {"code": old})

    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_check_in_outside_the_window_is_a_409(login, trainee, tonight):
    with time_machine.travel(at(today(), 19, 30)):
        response = login(trainee).post(_url("check_in", tonight), {"code": tonight.check_in_code})

    assert response.status_code == 409
    assert response.context["error"]
    assert not Attendance.objects.exists()


def test_a_mentor_of_the_cohort_cannot_check_in(login, mentor, tonight):
    MembershipFactory(cohort=tonight.cohort, user=mentor, role=Membership.Role.MENTOR)

    with time_machine.travel(at(today(), 17, 5)):
        response = login(mentor).post(_url("check_in", tonight), {"code": tonight.check_in_code})

    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_check_in_to_a_session_of_another_cohort_is_not_found(login, outsider, tonight):
    with time_machine.travel(at(today(), 17, 5)):
        response = login(outsider).post(_url("check_in", tonight), {"code": tonight.check_in_code})

    assert response.status_code == 404


# --- Excuses --------------------------------------------------------------------------------------


def test_trainee_asks_to_be_excused_before_the_session(login, trainee, tonight):
    with time_machine.travel(at(today(), 12)):
        response = login(trainee).post(_url("request_excuse", tonight), {"reason": "امتحان جامعي"})

    assert response.status_code == 302
    excuse = ExcuseRequest.objects.get(session=tonight, user=trainee)
    assert (excuse.reason, excuse.status) == ("امتحان جامعي", ExcuseRequest.Status.PENDING)


def test_excuse_after_the_start_or_twice_is_a_409(login, trainee, tonight):
    client = login(trainee)
    with time_machine.travel(at(today(), 17, 1)):
        late = client.post(_url("request_excuse", tonight), {"reason": "تأخرت"})
    assert late.status_code == 409
    assert not ExcuseRequest.objects.exists()

    ExcuseRequestFactory(session=tonight, user=trainee)
    with time_machine.travel(at(today(), 12)):
        twice = client.post(_url("request_excuse", tonight), {"reason": "مرة أخرى"})
    assert twice.status_code == 409
    assert ExcuseRequest.objects.count() == 1


def test_excuse_without_a_reason_is_a_400(login, trainee, tonight):
    with time_machine.travel(at(today(), 12)):
        response = login(trainee).post(_url("request_excuse", tonight), {"reason": " "})

    assert response.status_code == 400
    assert not ExcuseRequest.objects.exists()


# --- Calendar address -----------------------------------------------------------------------------


def test_calendar_page_shows_the_secret_address_and_rotating_replaces_it(login, trainee):
    client = login(trainee)
    page = client.get(reverse("cohorts:calendar"))
    token = CalendarFeed.objects.get(user=trainee).token
    assert token in page.content.decode()

    response = client.post(reverse("cohorts:calendar_rotate"))

    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=trainee).token
    assert new != token
    assert client.get(reverse("calendar:feed", args=[token])).status_code == 404
    assert client.get(reverse("calendar:feed", args=[new])).status_code == 200
    assert new in client.get(reverse("cohorts:calendar")).content.decode()


# --- Home panel and navigation --------------------------------------------------------------------


def test_home_panel_shows_my_cohort_and_its_next_session(login, trainee, manager):
    cohort = cohort_with(manager=manager, trainees=[trainee], name="دفعة الكوفة")
    tomorrow = today() + datetime.timedelta(days=1)
    SessionFactory(
        cohort=cohort, title="ندوة الدستور", starts_at=at(tomorrow, 17), ends_at=at(tomorrow, 19)
    )

    html = login(trainee).get(reverse("core:home")).content.decode()

    assert 'id="cohorts-panel"' in html
    assert "دفعة الكوفة" in html and "ندوة الدستور" in html
    assert reverse("cohorts:mine") in html  # the navigation link


def test_home_panel_links_a_trainee_without_a_cohort_to_the_open_ones(login, trainee):
    html = login(trainee).get(reverse("core:home")).content.decode()

    assert reverse("cohorts:list") in html


def test_managers_navigation_leads_to_the_cohorts_they_run(login, manager):
    html = login(manager).get(reverse("core:home")).content.decode()

    assert reverse("cohorts:manage") in html


def test_home_panel_costs_the_same_queries_for_one_cohort_or_five(
    login, trainee, manager, django_assert_max_num_queries
):
    client = login(trainee)
    cohort_with(manager=manager, trainees=[trainee])
    one = _queries(client, reverse("core:home"), django_assert_max_num_queries, 15)
    for _n in range(4):
        cohort = cohort_with(manager=manager, trainees=[trainee])
        SessionFactory(cohort=cohort, starts_at=timezone.now() + datetime.timedelta(days=2))
    assert _queries(client, reverse("core:home"), django_assert_max_num_queries, 15) == one


# --- Query budgets of a member's list pages ---------------------------------------------------------


def _queries(client, url, django_assert_max_num_queries, budget):
    client.get(url)  # a page seen before: the shell's unread count is then read from the cache
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", ["mine", "list"])
def test_member_list_pages_cost_the_same_at_two_sizes(
    login, trainee, manager, django_assert_max_num_queries, name
):
    client = login(trainee)
    url = reverse(f"cohorts:{name}")

    def grow(n):
        for _i in range(n):
            cohort = cohort_with(manager=manager, trainees=[trainee])
            SessionFactory(cohort=cohort, starts_at=timezone.now() + datetime.timedelta(days=3))
            recruiting = CohortFactory(status=Cohort.Status.RECRUITING)
            ApplicationFactory(cohort=recruiting, applicant=trainee)

    grow(2)
    small = _queries(client, url, django_assert_max_num_queries, 8)
    grow(8)
    assert _queries(client, url, django_assert_max_num_queries, 8) == small


def test_my_attendance_costs_the_same_at_two_sizes(
    login, trainee, manager, django_assert_max_num_queries
):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    client = login(trainee)

    def grow(n):
        for _i in range(n):
            session = SessionFactory(cohort=cohort)
            AttendanceFactory(session=session, user=trainee)

    grow(2)
    small = _queries(client, _url("my_attendance", cohort), django_assert_max_num_queries, 8)
    grow(10)
    assert (
        _queries(client, _url("my_attendance", cohort), django_assert_max_num_queries, 8) == small
    )


def test_english_pages_show_the_english_name_when_there_is_one(client, recruiting):
    recruiting.name_en = "Young Leaders — Karbala"
    recruiting.save(update_fields=["name_en"])
    client.cookies["lang"] = "en"

    html = client.get(_url("detail", recruiting)).content.decode()

    assert "Young Leaders — Karbala" in html
    assert 'lang="en"' in html
