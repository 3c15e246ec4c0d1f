"""The benchmark's 1,000-trainee cohort (bench.fixture.seed_cohort, seeded here at its quick
size): its bulk-loaded records leave the dashboard's stored figures in step, so the measured
dashboard page shows what the records say, and seeding twice adds nothing."""

from io import StringIO

import pytest
from django.db.models import Count
from django.urls import reverse

from bench import fixture
from cohorts import tallies
from cohorts.models import Attendance, Membership
from courses import snapshots

pytestmark = pytest.mark.django_db


def test_bench_cohort_is_seeded_once_with_its_figures_in_step(client):
    scale = fixture.Scale(quick=True)
    fixture.seed(scale=scale, stdout=StringIO())
    first = fixture.sizes()
    extra = fixture.seed(scale=scale, stdout=StringIO())
    cohort, held = extra["cohort"], extra["roll_call_session"]

    assert fixture.sizes() == first
    assert Membership.objects.active().trainees().filter(cohort=cohort).count() == 30
    assert cohort.sessions.count() == fixture.COHORT_SESSIONS
    assert Attendance.objects.filter(session__cohort=cohort).count() == 30 * fixture.COHORT_HELD
    assert Attendance.objects.filter(session=held).count() == 30
    # Nothing left to fix: the counters and snapshots agree with the marks and the progress.
    assert tallies.rebuild([cohort.pk]) == 0
    assert snapshots.refresh_course(cohort.curriculum.get().course_id) == 0

    client.force_login(fixture.personas()["manager"])
    board = client.get(reverse("cohorts:dashboard", args=[cohort.pk])).context["board"]
    assert board.total_trainees == 30
    attended = dict(
        Attendance.objects.filter(session__cohort=cohort, status__in=["present", "late"])
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    assert {row.user_id: row.sessions_attended for row in board.matching} == attended
    assert any(row.completion_percent for row in board.matching)
