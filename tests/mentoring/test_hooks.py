"""What mentoring plugs into courses and cohorts: mentors see their active mentees' progress; the
cohort dashboard shows each trainee's mentor and days since the last meeting."""

import datetime

import pytest
from django.utils import timezone, translation

from cohorts.dashboard import cohort_dashboard
from courses.models import LessonProgress
from mentoring import services
from mentoring.models import Meeting, Mentorship
from tests.courses.factories import LessonProgressFactory
from tests.mentoring.test_views import _published, _setup

pytestmark = pytest.mark.django_db


def test_mentor_sees_only_active_mentees_progress(manager):
    cohort, trainees, mentors = _setup(manager, 2, 1)
    mentor = mentors[0]
    _published(manager, cohort)
    rows = {t.pk: LessonProgressFactory(user=t) for t in [*trainees]}
    # Proposed (not yet accepted): nothing.
    assert not LessonProgress.objects.visible_to(mentor).exists()
    first = Mentorship.objects.get(trainee=trainees[0])
    services.accept(actor=mentor, mentorship=first)
    visible = set(LessonProgress.objects.visible_to(mentor).values_list("pk", flat=True))
    assert visible == {rows[trainees[0].pk].pk}
    # A trainee sees no one else's progress through mentoring.
    assert set(LessonProgress.objects.visible_to(trainees[1]).values_list("user", flat=True)) == {
        trainees[1].pk
    }


def test_dashboard_shows_mentor_and_days_since_meeting(manager):
    cohort, trainees, mentors = _setup(manager, 2, 1)
    mentor = mentors[0]
    _published(manager, cohort)
    first = Mentorship.objects.get(trainee=trainees[0])
    services.accept(actor=mentor, mentorship=first)
    Meeting.objects.create(
        mentorship=first,
        date=timezone.localdate() - datetime.timedelta(days=12),
        duration_minutes=30,
    )
    with translation.override("en"):
        board = cohort_dashboard(cohort)
    by_user = {row.user_id: row.mentor for row in board.rows}
    assert by_user[trainees[0].pk] == f"{mentor.full_name} · 12 days since the last meeting"
    assert by_user[trainees[1].pk] == f"{mentor.full_name} · no meeting yet"
    assert board.has_mentors
