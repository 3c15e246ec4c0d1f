"""The one notification path every app calls: `notify(...)`."""

from django.db import transaction
from django.utils import timezone

from . import kinds
from .models import Notification
from .tasks import enqueue_email


def notify(*, recipient, kind: str, params: dict | None = None, url: str = "", email: bool = True):
    """Create an in-app notification for `recipient` and, if asked, e-mail it after commit.

    The text is rendered when shown or sent, in the reader's language, so the same row reads in
    Arabic on one phone and in English on another."""
    kinds.get(kind)  # an unknown kind is a programming error: fail loudly, before writing
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        params=params or {},
        url=url,
        email_status=(
            Notification.EmailStatus.PENDING
            if email and recipient.email and recipient.is_active
            else Notification.EmailStatus.NOT_WANTED
        ),
    )
    if notification.email_status == Notification.EmailStatus.PENDING:
        # After commit, so the worker finds the row; if the broker is unreachable the row stays
        # pending and the sweep (notifications.tasks) sends it a minute later.
        transaction.on_commit(lambda: enqueue_email(notification.pk))
    return notification


def mark_read(*, user, notification_ids=None) -> int:
    """Mark the reader's own notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.for_recipient(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
