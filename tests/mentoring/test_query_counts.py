"""The mentoring pages and list endpoints run the same number of queries whatever the number
of mentees, meetings, goals and proposed pairs: counted exactly, at two sizes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring import services, views
from mentoring.models import Mentorship
from tests.mentoring.test_views import _published, _setup

pytestmark = pytest.mark.django_db


def _world(manager, size):
    """`size` trainees with one mentor, all accepted, each pair with `size` meetings and goals;
    then a draft round for `size` more trainees."""
    cohort, trainees, [mentor] = _setup(manager, size, 1)
    _published(manager, cohort)
    today = timezone.localdate()
    for m in Mentorship.objects.filter(cohort=cohort):
        services.accept(actor=mentor, mentorship=m)
        for n in range(size):
            services.log_meeting(
                actor=mentor,
                mentorship=m,
                date=today - datetime.timedelta(days=n),
                duration_minutes=30,
                topics=["elections"],
                next_steps="خطوة",
            )
            services.set_goal(actor=mentor, mentorship=m, text=f"هدف {n}", progress=10 * n)
    return cohort, trainees, mentor


@pytest.mark.parametrize("size", [2, 5])
def test_mentoring_pages_run_constant_queries(client, manager, size, django_assert_num_queries):
    cohort, trainees, mentor = _world(manager, size)
    mentorship = Mentorship.objects.filter(mentor=mentor).first()
    client.force_login(mentor)
    # Each person's first page counts their unread notifications for the badge; the next ones
    # read the count from the cache (one query fewer).
    with django_assert_num_queries(4):
        assert client.get(reverse("mentoring:my_mentees")).status_code == 200
    # The mentee's dashboard figures: its at-risk reasons are part of the figures' query and read
    # their messages only for a flagged row (a new mentorship has none).
    with django_assert_num_queries(9):
        assert client.get(reverse("mentoring:mentorship", args=[mentorship.pk])).status_code == 200
    client.force_login(mentorship.trainee)
    with django_assert_num_queries(4):
        assert client.get(reverse("mentoring:my_mentor")).status_code == 200
    client.force_login(manager)
    # Its list of proposed pairs fits on one page: no count query for the pager (core.paging).
    # Session, person, the cohort, the round, its page of pairs, its pins, its forbids, the
    # mentors (both lists in one), the badge's unread count.
    with django_assert_num_queries(9):
        assert client.get(reverse("mentoring:round", args=[cohort.pk])).status_code == 200
    # Session, person, the cohort, its mentors, its quiet pairs (none: every pair met today).
    with django_assert_num_queries(5):
        assert client.get(reverse("mentoring:load", args=[cohort.pk])).status_code == 200


@pytest.mark.parametrize("quiet", [5, 11])
def test_mentor_load_runs_constant_queries_whatever_the_quiet_pairs(
    client, manager, quiet, monkeypatch, django_assert_num_queries
):
    """`quiet` pairs without a recent meeting (some never met, some long ago, each with a few
    old meetings) and as many that met this week, four a page: every page, the first, a middle
    one and the last, and a page out of range, runs the same queries; when every quiet pair fits
    on the first page the pager's count is not asked."""
    monkeypatch.setattr(views, "LOAD_PAGE_SIZE", 4)
    cohort, trainees, mentors = _setup(manager, 2 * quiet, 3)
    _published(manager, cohort)
    today = timezone.localdate()
    pairs = list(Mentorship.objects.filter(cohort=cohort).order_by("pk"))
    for n, m in enumerate(pairs):
        services.accept(actor=m.mentor, mentorship=m)
        if n < quiet and n % 3 == 0:
            continue  # never met
        recent = n >= quiet
        for k in range(3):
            days = k * 7 + (1 if recent else 40 + n)
            m.meetings.create(date=today - datetime.timedelta(days=days), duration_minutes=30)
    client.force_login(manager)
    url = reverse("mentoring:load", args=[cohort.pk])
    client.get(url)  # the badge's unread count is cached from here on
    last = -(-quiet // 4)
    # Session, person, the cohort, its mentors, the pager's count, the page of quiet pairs.
    for number in (1, 2, last, 999, "x"):
        with django_assert_num_queries(6):
            response = client.get(url, {"page": number})
        assert response.status_code == 200
        assert response.context["page"].paginator.count == quiet
    monkeypatch.setattr(views, "LOAD_PAGE_SIZE", 50)
    with django_assert_num_queries(5):  # one page: its rows are the count
        response = client.get(url)
    assert len(response.context["page"]) == quiet
