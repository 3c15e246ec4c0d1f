"""Announcements to a cohort's members, delivered after commit by a Celery task."""

import datetime

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.jobs import enqueue
from core.models import record
from core.pages import page_url
from notifications.services import notify

from ..models import Announcement, Cohort, Membership
from ..notifications import ANNOUNCEMENT, cohort_names
from .permissions import require_cohort_manager

# An announcement still unsent this long after it was posted lost its message (the broker could
# not be reached after commit, or the task failed): `sweep_announcements` sends it.
SEND_GRACE = datetime.timedelta(minutes=2)
# Older than this, an unsent announcement is stale news: the sweep leaves it unsent.
SEND_MAX_AGE = datetime.timedelta(days=2)


@transaction.atomic
def post_announcement(*, actor, cohort: Cohort, title: str, body: str) -> Announcement:
    """A manager writes to every active member; the notifications (in-app and e-mail) are sent by
    a Celery task after commit."""
    require_cohort_manager(actor, cohort)
    title = (title or "").strip()
    body = (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = [_("Give the announcement a title.")]
    if not body:
        errors["body"] = [_("Write the announcement.")]
    if len(body) > 5000:
        errors["body"] = [_("Keep the announcement under 5000 characters.")]
    if errors:
        raise ValidationError(errors)
    announcement = Announcement.objects.create(cohort=cohort, author=actor, title=title, body=body)
    record(actor=actor, action="cohorts.post_announcement", target=announcement, cohort=cohort.pk)
    # robust: the announcement is posted whatever the broker does; the sweep sends it if not now.
    transaction.on_commit(lambda: send_announcement.delay(announcement.pk), robust=True)
    return announcement


@transaction.atomic
def deliver_announcement(*, announcement_id: int) -> int:
    """Notify every active member once (the row lock and `sent_at` make a second run a no-op).
    Returns how many people were notified by this call."""
    announcement = (
        Announcement.objects.select_for_update()
        .select_related("cohort")
        .filter(pk=announcement_id)
        .first()
    )
    if announcement is None or announcement.sent_at is not None:
        return 0
    cohort = announcement.cohort
    recipients = (
        User.objects.filter(
            cohort_memberships__cohort=cohort,
            cohort_memberships__status=Membership.Status.ACTIVE,
            is_active=True,
        )
        .exclude(pk=announcement.author_id)
        .distinct()
    )
    count = 0
    params = {**cohort_names(cohort), "title": announcement.title, "body": announcement.body}
    url = page_url("cohorts:detail", pk=cohort.pk)
    for user in recipients:
        notify(recipient=user, kind=ANNOUNCEMENT.key, params=params, url=url)
        count += 1
    announcement.sent_at = timezone.now()
    announcement.recipient_count = count
    announcement.save(update_fields=["sent_at", "recipient_count"])
    return count


# The dotted name it had when it lived in cohorts/tasks.py: messages already queued keep working.
@shared_task(name="cohorts.tasks.send_announcement", acks_late=True)
def send_announcement(announcement_id: int) -> int:
    # The service claims the announcement under a row lock and marks it sent in the same
    # transaction, so a redelivered message notifies nobody twice.
    return deliver_announcement(announcement_id=announcement_id)


def unsent_announcements(now=None) -> list[int]:
    now = now or timezone.now()
    return list(
        Announcement.objects.filter(
            sent_at__isnull=True,
            created_at__lt=now - SEND_GRACE,
            created_at__gte=now - SEND_MAX_AGE,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )


@shared_task(name="cohorts.tasks.sweep_announcements")
def sweep_announcements() -> int:
    """Beat, every few minutes: announcements whose message was lost are sent (a duplicate
    message finds the announcement sent and does nothing)."""
    ids = unsent_announcements()
    for pk in ids:
        enqueue(send_announcement, pk)
    return len(ids)
