"""The demo makes reminders fire on their own: right after `seed_demo`, the scans find a session
soon, course work due, an inactive trainee, a silent mentorship and its idle mentee, and a
review due tomorrow; seeding again adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from cohorts.models import Session
from notifications import reminders

pytestmark = pytest.mark.django_db

FIRING = (
    "cohorts.session_soon",
    "cohorts.work_due",
    "cohorts.trainee_inactive",
    "mentoring.no_meeting",
    "mentoring.mentee_inactive",
    "proposals.review_due",
)


def test_demo_reminders_are_due_soon_after_seeding():
    call_command("seed_demo")
    sessions = Session.objects.count()
    call_command("seed_demo")
    assert Session.objects.count() == sessions
    now = timezone.now()
    due = {kind: list(reminders.get(kind).scan(now)) for kind in FIRING}
    assert {kind: bool(found) for kind, found in due.items()} == dict.fromkeys(FIRING, True)
    for kind, found in due.items():
        assert all(reminders.get(kind).still_due(d, now) for d in found), kind
    # The session in about 3 hours: its 2 h reminder follows an hour or so later.
    later = now + timezone.timedelta(hours=1, minutes=15)
    assert {d.occurrence for d in reminders.get("cohorts.session_soon").scan(later)} >= {"2h"}
