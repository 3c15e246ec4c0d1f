"""The pages a cohort's managers run it with: creating and editing, status changes, the
curriculum and application questions, applications with bulk decisions and export, people with
withdrawal and the waitlist, and announcements (sessions and attendance: test_views_attendance).
Every POST is checked against the database; cohorts run by someone else are not found."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from cohorts.models import (
    Announcement,
    Application,
    ApplicationQuestion,
    Cohort,
    CurriculumItem,
    Membership,
)
from notifications.models import Notification
from tests.cohorts.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CurriculumItemFactory,
    ExcuseRequestFactory,
    MembershipFactory,
    SessionFactory,
    cohort_with,
)
from tests.courses.factories import CourseFactory
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def _url(name, *args, **query):
    url = reverse(f"cohorts:{name}", args=[getattr(a, "pk", a) for a in args])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def english(client):
    """The client with the language switch set to English, for assertions on exact wording."""
    client.cookies["lang"] = "en"
    return client


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


COHORT = {
    "name": "القادة الشباب 2027 — الديوانية",
    "name_en": "Young Leaders 2027 — Diwaniyah",
    "description": "دفعة جديدة",
    "track": "youth",
    "governorate": "qadisiyyah",
    "venue": "قاعة المركز",
    "starts_on": "2027-02-01",
    "ends_on": "2027-05-31",
    "capacity": "25",
    "min_attendance_percent": "75",
}


# --- Creating, editing and the status -------------------------------------------------------------


def test_manager_creates_a_cohort_and_becomes_its_manager(login, manager):
    response = login(manager).post(_url("create"), COHORT)

    cohort = Cohort.objects.get(name_en=COHORT["name_en"])
    assert response.status_code == 302
    assert response["Location"] == _url("manage_cohort", cohort)
    assert cohort.status == Cohort.Status.DRAFT
    assert (cohort.capacity, str(cohort.ends_on)) == (25, "2027-05-31")
    assert Membership.objects.get(cohort=cohort, user=manager).role == Membership.Role.MANAGER


def test_a_cohort_that_ends_before_it_starts_is_a_400_and_not_saved(login, manager):
    response = login(manager).post(_url("create"), {**COHORT, "ends_on": "2027-01-15"})

    assert response.status_code == 400
    assert "ends_on" in response.context["form"].errors
    assert not Cohort.objects.exists()


def test_trainees_may_not_create_cohorts(login, trainee):
    assert login(trainee).post(_url("create"), COHORT).status_code == 403
    assert not Cohort.objects.exists()


def test_editing_dates_into_the_wrong_order_is_a_400_and_changes_nothing(login, manager, running):
    form = login(manager).get(_url("edit", running)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["ends_on"] = running.starts_on - datetime.timedelta(days=1)

    response = login(manager).post(_url("edit", running), data)

    assert response.status_code == 400
    before = running.ends_on
    running.refresh_from_db()
    assert running.ends_on == before


def test_editing_the_capacity_through_the_page(login, manager, running):
    client = login(manager)
    data = dict(client.get(_url("edit", running)).context["form"].initial)
    data.update(capacity=40, requires_approved_initiative="on")

    response = client.post(_url("edit", running), data)

    assert response.status_code == 302
    running.refresh_from_db()
    assert running.capacity == 40 and running.requires_approved_initiative


def test_another_managers_cohort_is_not_found(login, running):
    other = ManagerFactory()
    client = login(other)

    assert client.get(_url("manage_cohort", running)).status_code == 404
    assert client.post(_url("change_status", running), {"status": "completed"}).status_code == 404
    running.refresh_from_db()
    assert running.status == Cohort.Status.RUNNING


def test_a_trainee_of_the_cohort_does_not_find_its_management_pages(login, trainee, running):
    for name in ("manage_cohort", "dashboard", "applications", "members", "sessions"):
        assert login(trainee).get(_url(name, running)).status_code == 404


def test_status_buttons_offer_the_allowed_moves_and_change_the_status(login, manager):
    draft = cohort_with(manager=manager, status=Cohort.Status.DRAFT)
    client = login(manager)

    html = client.get(_url("manage_cohort", draft)).content.decode()
    assert 'value="recruiting"' in html and 'value="completed"' not in html

    response = client.post(_url("change_status", draft), {"status": "recruiting", "confirmed": "1"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Cohort.Status.RECRUITING


def test_a_move_the_lifecycle_forbids_is_a_409_with_the_reason(login, manager, running):
    response = login(manager).post(_url("change_status", running), {"status": "draft"})

    assert response.status_code == 409
    assert response.context["error"]
    running.refresh_from_db()
    assert running.status == Cohort.Status.RUNNING


def test_an_unknown_status_is_a_400(login, manager, running):
    assert login(manager).post(_url("change_status", running), {"status": "x"}).status_code == 400


def test_manage_list_shows_only_the_cohorts_one_runs(login, manager, running):
    elsewhere = cohort_with(manager=ManagerFactory(), name="دفعة مدير آخر")

    html = login(manager).get(_url("manage")).content.decode()

    assert running.name in html and elsewhere.name not in html


# --- Curriculum and questions ---------------------------------------------------------------------


def test_curriculum_add_with_due_date_reorder_and_remove(login, manager, running):
    first, second = CourseFactory(title="مقرر أول"), CourseFactory(title="مقرر ثان")
    client = login(manager)
    due = running.starts_on + datetime.timedelta(days=30)

    client.post(_url("curriculum", running), {"course": first.pk, "due_on": due, "required": "on"})
    client.post(_url("curriculum", running), {"course": second.pk})
    items = list(CurriculumItem.objects.filter(cohort=running).order_by("position"))
    assert [(i.course, i.due_on, i.required) for i in items] == [
        (first, due, True),
        (second, None, False),
    ]

    client.post(_url("curriculum_move", running, items[1]), {"direction": "up"})
    order = list(
        CurriculumItem.objects.filter(cohort=running)
        .order_by("position")
        .values_list("course_id", "due_on")
    )
    assert order == [(second.pk, None), (first.pk, due)]

    moved = CurriculumItem.objects.get(cohort=running, course=first)
    client.post(_url("curriculum_remove", running, moved))
    assert list(
        CurriculumItem.objects.filter(cohort=running).values_list("course_id", flat=True)
    ) == [second.pk]


def test_a_due_date_before_the_cohort_starts_is_a_400(login, manager, running):
    course = CourseFactory()
    response = login(manager).post(
        _url("curriculum", running),
        {"course": course.pk, "due_on": running.starts_on - datetime.timedelta(days=1)},
    )

    assert response.status_code == 400
    assert not CurriculumItem.objects.exists()


def test_a_curriculum_item_of_another_cohort_is_not_found(login, manager, running):
    foreign = CurriculumItemFactory()

    assert login(manager).post(_url("curriculum_remove", running, foreign)).status_code == 404
    assert CurriculumItem.objects.filter(pk=foreign.pk).exists()


def _question_rows(rows):
    data = {"q-TOTAL_FORMS": str(len(rows)), "q-INITIAL_FORMS": "0"}
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"q-{n}-{key}"] = value
    return data


def test_questions_editor_replaces_the_questions_in_the_chosen_order(login, manager, running):
    client = login(manager)
    response = client.post(
        _url("questions", running),
        _question_rows(
            [
                {"text": "ما مبادرتك؟", "required": "on", "ORDER": "2"},
                {"text": "من أين سمعت بنا؟", "text_en": "How did you hear of us?", "ORDER": "1"},
                {"text": "", "ORDER": "3"},
            ]
        ),
    )

    assert response.status_code == 302
    saved = list(
        ApplicationQuestion.objects.filter(cohort=running)
        .order_by("position")
        .values_list("text", "required")
    )
    assert saved == [("من أين سمعت بنا؟", False), ("ما مبادرتك؟", True)]
    page = client.get(_url("questions", running))
    assert page.context["formset"].total_form_count() == 4  # two questions and two empty rows


def test_more_than_ten_questions_is_a_400(login, manager, running):
    rows = [{"text": f"سؤال {n}", "ORDER": str(n)} for n in range(11)]

    response = login(manager).post(_url("questions", running), _question_rows(rows))

    assert response.status_code == 400
    assert not ApplicationQuestion.objects.exists()


# --- Applications ---------------------------------------------------------------------------------


@pytest.fixture
def recruiting(manager):
    return cohort_with(manager=manager, status=Cohort.Status.RECRUITING, capacity=2)


def test_applications_list_filters_by_status_and_name(login, manager, recruiting):
    hassan = ApplicationFactory(cohort=recruiting, applicant=TraineeFactory(full_name="حسن كاظم"))
    zahraa = ApplicationFactory(cohort=recruiting, applicant=TraineeFactory(full_name="زهراء علي"))
    zahraa.status = Application.Status.SHORTLISTED
    zahraa.decided_at = zahraa.submitted_at
    zahraa.save()
    client = login(manager)

    by_status = client.get(_url("applications", recruiting, status="shortlisted"))
    by_name = client.get(_url("applications", recruiting, q="حسن"))

    assert [a.pk for a in by_status.context["page"]] == [zahraa.pk]
    assert [a.pk for a in by_name.context["page"]] == [hassan.pk]


def test_bulk_accept_fills_the_places_and_waitlists_the_rest(login, manager, recruiting):
    applications = [ApplicationFactory(cohort=recruiting) for _n in range(3)]
    client = english(login(manager))

    response = client.post(
        _url("applications_bulk", recruiting),
        {"ids": [a.pk for a in applications], "decision": "accepted", "waitlist_if_full": "1"},
        follow=True,
    )

    statuses = [Application.objects.get(pk=a.pk).status for a in applications]
    assert statuses == ["accepted", "accepted", "waitlisted"]
    assert Membership.objects.active().trainees().filter(cohort=recruiting).count() == 2
    assert _messages(response) == ["Decided: 2 accepted, 1 waitlisted."]


def test_bulk_accept_without_waitlisting_reports_how_many_the_full_cohort_refused(
    login, manager, recruiting
):
    applications = [ApplicationFactory(cohort=recruiting) for _n in range(4)]

    response = english(login(manager)).post(
        _url("applications_bulk", recruiting),
        {"ids": [a.pk for a in applications], "decision": "accepted"},
        follow=True,
    )

    assert Application.objects.filter(status="accepted").count() == 2
    assert Application.objects.filter(status="submitted").count() == 2
    refused = ", ".join(a.applicant.full_name for a in applications[2:])
    assert _messages(response) == [
        "Decided: 2 accepted.",
        f"2 not accepted: The cohort is full (2 trainees). ({refused})",
    ]


def test_bulk_decisions_ignore_applications_of_other_cohorts(login, manager, recruiting):
    foreign = ApplicationFactory()

    login(manager).post(
        _url("applications_bulk", recruiting), {"ids": [foreign.pk], "decision": "rejected"}
    )

    foreign.refresh_from_db()
    assert foreign.status == Application.Status.SUBMITTED


def test_bulk_without_a_selection_is_a_400(login, manager, recruiting):
    response = login(manager).post(_url("applications_bulk", recruiting), {"decision": "accepted"})

    assert response.status_code == 400


def test_single_decision_with_a_note_and_the_full_cohort_refusal(login, manager, recruiting):
    MembershipFactory.create_batch(2, cohort=recruiting)
    application = ApplicationFactory(cohort=recruiting)
    client = login(manager)

    full = client.post(
        _url("application_decide", application), {"decision": "accepted", "confirmed": "1"}
    )
    assert full.status_code == 409
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    waitlisted = client.post(
        _url("application_decide", application),
        {"decision": "accepted", "waitlist_if_full": "on", "note": "جيدة جداً", "confirmed": "1"},
    )
    assert waitlisted.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decision_note) == ("waitlisted", "جيدة جداً")
    assert Notification.objects.filter(
        recipient=application.applicant, kind="cohorts.application_waitlisted"
    ).exists()


def test_application_page_shows_the_answers_to_the_cohorts_questions(login, manager, recruiting):
    question = ApplicationQuestion.objects.create(cohort=recruiting, position=1, text="ما مبادرتك؟")
    application = ApplicationFactory(cohort=recruiting, answers={str(question.pk): "مكتبة متنقلة"})

    html = login(manager).get(_url("application", application)).content.decode()

    assert "ما مبادرتك؟" in html and "مكتبة متنقلة" in html


def test_applications_export_is_a_csv_of_the_filtered_applications(login, manager, recruiting):
    question = ApplicationQuestion.objects.create(cohort=recruiting, position=1, text="سؤال")
    ApplicationFactory(
        cohort=recruiting,
        applicant=TraineeFactory(full_name="=HYPERLINK()"),
        answers={str(question.pk): "جواب"},
    )
    ApplicationFactory(
        cohort=recruiting, status="rejected", decided_at=datetime.datetime.now(datetime.UTC)
    )

    response = login(manager).get(_url("applications_export", recruiting, status="submitted"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[0][-1] == "سؤال"
    assert rows[1][0] == "'=HYPERLINK()" and rows[1][-1] == "جواب"


# --- People and the waitlist ----------------------------------------------------------------------


def test_withdrawing_a_trainee_promotes_the_first_waitlisted_and_says_who(login, manager):
    cohort = cohort_with(manager=manager, capacity=1)
    leaving = MembershipFactory(cohort=cohort)
    first = ApplicationFactory(cohort=cohort, applicant=TraineeFactory(full_name="أول المنتظرين"))
    second = ApplicationFactory(cohort=cohort)
    for application in (first, second):
        application.status = Application.Status.WAITLISTED
        application.decided_at = application.submitted_at
        application.save()

    response = login(manager).post(
        _url("member_withdraw", leaving),
        {"reason": "انتقل إلى محافظة أخرى", "confirmed": "1"},
        follow=True,
    )

    leaving.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert leaving.status == Membership.Status.WITHDRAWN
    assert (first.status, second.status) == ("accepted", "waitlisted")
    assert Membership.objects.active().filter(cohort=cohort, user=first.applicant).exists()
    assert any("أول المنتظرين" in m for m in _messages(response))


def test_the_last_manager_cannot_be_withdrawn(login, manager, running):
    membership = Membership.objects.get(cohort=running, user=manager)

    response = login(manager).post(_url("member_withdraw", membership), {"confirmed": "1"})

    assert response.status_code == 409
    membership.refresh_from_db()
    assert membership.is_active


def test_adding_a_facilitator_by_email(login, manager, running):
    person = MentorFactory(email="facilitator@example.org")

    response = login(manager).post(
        _url("members", running), {"email": "Facilitator@Example.org", "role": "facilitator"}
    )

    assert response.status_code == 302
    assert Membership.objects.get(cohort=running, user=person).role == "facilitator"


def test_adding_an_unknown_email_is_a_400_and_a_full_cohort_a_409(login, manager):
    cohort = cohort_with(manager=manager, capacity=1, trainees=[TraineeFactory()])
    client = login(manager)

    unknown = client.post(
        _url("members", cohort), {"email": "nobody@example.org", "role": "mentor"}
    )
    full = client.post(
        _url("members", cohort), {"email": TraineeFactory().email, "role": "trainee"}
    )

    assert unknown.status_code == 400
    assert full.status_code == 409
    assert Membership.objects.filter(cohort=cohort).count() == 2


# --- Announcements --------------------------------------------------------------------------------


def test_announcement_reaches_every_member_in_app_and_by_email(
    login, manager, running, trainee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(manager).post(
            _url("announcements", running), {"title": "تأجيل الورشة", "body": "إلى يوم الخميس"}
        )

    assert response.status_code == 302
    announcement = Announcement.objects.get(cohort=running)
    assert announcement.sent_at is not None and announcement.recipient_count == 1
    assert Notification.objects.filter(recipient=trainee, kind="cohorts.announcement").exists()
    assert [m.to for m in mailoutbox] == [[trainee.email]]


def test_an_empty_announcement_is_a_400(login, manager, running):
    response = login(manager).post(_url("announcements", running), {"title": "", "body": ""})

    assert response.status_code == 400
    assert not Announcement.objects.exists()


# --- Query budgets of the management lists ----------------------------------------------------------


def _queries(client, url, django_assert_max_num_queries, budget):
    client.get(url)  # a page seen before: the shell's unread count is then read from the cache
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _grow(cohort, n):
    """n more trainees with an application, a session with marks, an excuse and an announcement."""
    session = SessionFactory(cohort=cohort)
    for _i in range(n):
        person = TraineeFactory()
        MembershipFactory(cohort=cohort, user=person)
        ApplicationFactory(cohort=cohort, applicant=person)
        AttendanceFactory(session=session, user=person)
        ExcuseRequestFactory(session=session, user=person)
        Announcement.objects.create(cohort=cohort, title="إعلان", body="نص")
    CurriculumItemFactory(cohort=cohort)
    return session


@pytest.mark.parametrize(
    "name",
    [
        "manage",
        "manage_cohort",
        "applications",
        "members",
        "sessions",
        "excuses",
        "announcements",
        "curriculum",
        "roll_call",
        "session",
    ],
)
def test_management_pages_cost_the_same_at_two_sizes(
    login, manager, django_assert_max_num_queries, name
):
    cohort = cohort_with(manager=manager)
    client = login(manager)
    session = _grow(cohort, 2)
    target = session if name in ("roll_call", "session") else cohort
    url = _url(name) if name == "manage" else _url(name, target)
    small = _queries(client, url, django_assert_max_num_queries, 14)
    _grow(cohort, 12)
    cohort_with(manager=manager)
    assert _queries(client, url, django_assert_max_num_queries, 14) == small


def test_roll_call_of_a_large_cohort_is_split_into_pages(login, manager, running):
    session = SessionFactory(cohort=running)
    for _n in range(105):
        MembershipFactory(cohort=running)

    first = login(manager).get(_url("roll_call", session))
    second = login(manager).get(_url("roll_call", session, page=2))

    assert len(first.context["rows"]) == 100
    assert len(second.context["rows"]) == 6
