"""The review queue (courses.queue): its rows built in Python are the markup the template engine
renders from the same rows, in both languages and with hostile names; each reviewer sees exactly
the waiting submissions their rules give, a page at a time, counted."""

import datetime

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import AssignmentSubmission
from courses.queue import rows_html
from mentoring.models import Mentorship
from tests.cohorts.factories import cohort_with
from tests.courses.factories import AssignmentFactory, SubmissionFactory
from tests.factories import ManagerFactory, MentorFactory, StaffFactory, TraineeFactory

# The rows as the queue's template wrote them before they were built in Python.
TEMPLATE = (
    "{% load i18n %}"
    '{% translate "late" as late %}{% translate "Review" as review %}'
    '{% translate "Trainee" as l_trainee %}{% translate "Assignment" as l_assignment %}'
    '{% translate "Submitted" as l_submitted %}'
    '{% for row in rows %}<tr><td data-label="{{ l_trainee }}">{{ row.name }}</td>'
    '<td data-label="{{ l_assignment }}"><span dir="auto">{{ row.lesson }}</span><br>'
    '<small class="muted" dir="auto">{{ row.course }}</small></td>'
    '<td data-label="{{ l_submitted }}">{{ row.submitted_at|when:"DATETIME_FORMAT" }}'
    '{% if row.late %} · <span class="error">{{ late }}</span>{% endif %}'
    "{% if row.version %} · {{ row.version }}{% endif %}</td>"
    '<td><a href="{{ row.url }}">{{ review }}</a></td></tr>'
    '{% empty %}<tr><td colspan="4">{% translate "Nothing is waiting for review." %}</td></tr>'
    "{% endfor %}"
)

AT = datetime.datetime(2026, 3, 1, 21, 30, tzinfo=datetime.UTC)
ROWS = [
    {
        "id": 7,
        "name": "زينب علي",
        "lesson": "ورقة سياسات",
        "course": "الثقافة السياسية",
        "submitted_at": AT,
        "late": False,
        "version": "",
        "url": "/courses/reviews/7/",
    },
    {
        "id": 12345,
        "name": 'Adam <b>"Early"</b> & co',
        "lesson": "<script>alert('x')</script>",
        "course": "A & B's <course>",
        "submitted_at": AT + datetime.timedelta(days=40, minutes=7),
        "late": True,
        "version": 'v<2> "quoted"',
        "url": '/courses/reviews/12345/?a=1&b="2"',
    },
    {
        "id": 3,
        "name": "حسين",
        "lesson": "درس",
        "course": "دورة",
        "submitted_at": AT - datetime.timedelta(days=200),
        "late": True,
        "version": "",
        "url": "/courses/reviews/3/",
    },
]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_python_rows_equal_the_template_rows(language):
    with translation.override(language), timezone.override("Asia/Baghdad"):
        template = engines["django"].from_string(TEMPLATE)
        assert str(rows_html(ROWS)) == template.render({"rows": ROWS})
        assert str(rows_html([])) == template.render({"rows": []})


# --- Who sees what ------------------------------------------------------------------------------


@pytest.fixture
def world(db, assignment):
    """Cohort A: facilitated by the mentor, trainee `a`. Cohort B: trainee `b`, the mentor's
    mentee there (the mentor is no member of B), and trainee `c`, nobody's. Each has a
    submission waiting (in this order, a day apart); `a` has one accepted besides."""
    mentor, first, second = MentorFactory(), ManagerFactory(), ManagerFactory()
    a, b, c = (TraineeFactory(full_name=name) for name in ("أ", "ب", "ج"))
    cohort_with(manager=first, trainees=[a], facilitators=[mentor])
    cohort_b = cohort_with(manager=second, trainees=[b, c])
    Mentorship.objects.create(
        cohort=cohort_b, mentor=mentor, trainee=b, status=Mentorship.Status.ACTIVE
    )
    start = timezone.now() - datetime.timedelta(days=10)
    waiting = {
        person.full_name: SubmissionFactory(
            user=person, lesson=assignment, submitted_at=start + datetime.timedelta(days=day)
        )
        for day, person in enumerate((a, b, c))
    }
    SubmissionFactory(
        user=a, lesson=AssignmentFactory(), status=AssignmentSubmission.Status.ACCEPTED,
        reviewed_at=timezone.now(),
    )  # fmt: skip
    return {"mentor": mentor, "first": first, "second": second, "waiting": waiting}


def _queue(client):
    response = client.get(reverse("courses:review_queue"))
    assert response.status_code == 200
    return [row["id"] for row in response.context["rows"]]


def test_each_reviewer_sees_exactly_the_submissions_their_rules_give(world, login):
    waiting = world["waiting"]
    # The mentor: their cohort's trainee and their mentee in another cohort, oldest first.
    assert _queue(login(world["mentor"])) == [waiting["أ"].pk, waiting["ب"].pk]
    # Each manager: their own cohort's, nobody else's.
    assert _queue(login(world["first"])) == [waiting["أ"].pk]
    assert _queue(login(world["second"])) == [waiting["ب"].pk, waiting["ج"].pk]
    assert _queue(login(StaffFactory())) == [s.pk for s in waiting.values()]


def test_a_mentorship_ended_takes_its_submissions_out_of_the_queue(world, login):
    Mentorship.objects.filter(mentor=world["mentor"]).update(status=Mentorship.Status.ENDED)
    assert _queue(login(world["mentor"])) == [world["waiting"]["أ"].pk]


def test_more_than_a_page_is_counted_and_paged(
    login, manager, assignment, django_assert_num_queries
):
    people = SubmissionFactory.create_batch(51, lesson=assignment)
    client = login(manager)
    client.get(reverse("courses:review_queue"))

    # The session, the person, the page, and its count (past one page only).
    with django_assert_num_queries(4):
        first = client.get(reverse("courses:review_queue"))
    second = client.get(reverse("courses:review_queue"), {"page": 2})

    assert first.context["page"].paginator.count == 51
    ids = [row["id"] for row in first.context["rows"] + second.context["rows"]]
    assert ids == sorted(s.pk for s in people) and len(first.context["rows"]) == 50
