"""The demo makes reminders fire on their own: right after `seed_demo`, the scans find a session
soon, course work due, an inactive trainee, a silent mentorship and its idle mentee, and a
review due tomorrow; seeding again adds nothing."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cohorts.models import BAGHDAD, Session
from notifications import reminders
from notifications.models import Delivery, Notification
from notifications.tasks import run_reminder_scans

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
    soon = reminders.get("cohorts.session_soon").scan(later)
    assert {d.occurrence.split(":")[0] for d in soon} >= {"2h"}


WEDNESDAY_MORNING = datetime.datetime(2030, 1, 2, 10, 0, tzinfo=BAGHDAD)


def test_demo_reminders_delivered_once_per_key_when_the_scan_task_runs_twice(
    django_capture_on_commit_callbacks,
):
    """End to end on the demo: the beat's scan task, run twice on a working-day morning, sends
    exactly one notification per (recipient, kind, object, occurrence), all of them still due."""
    with time_machine.travel(WEDNESDAY_MORNING):
        call_command("seed_demo")
        with django_capture_on_commit_callbacks(execute=True):
            first = run_reminder_scans(kinds=list(FIRING))
        with django_capture_on_commit_callbacks(execute=True):
            second = run_reminder_scans(kinds=list(FIRING))
    assert first > 0
    assert second == 0
    deliveries = Delivery.objects.filter(kind__in=FIRING)
    assert deliveries.count() == first
    assert set(deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert set(deliveries.values_list("kind", flat=True)) == set(FIRING)
    sent = list(deliveries.values_list("notification_id", flat=True))
    assert None not in sent and len(set(sent)) == len(sent)
    assert Notification.objects.filter(kind__in=FIRING).count() == len(sent)
    assert (
        len(mail.outbox)
        == Notification.objects.filter(kind__in=FIRING, recipient__email__gt="").count()
    )
