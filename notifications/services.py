"""The one notification path every app calls: `notify(...)`."""

from django.db import transaction
from django.utils import timezone

from . import kinds
from .models import Notification


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
        from .tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


def notify_many(*, recipients, kind: str, params: dict | None = None, url: str = "", email=True):
    return [notify(recipient=r, kind=kind, params=params, url=url, email=email) for r in recipients]


def mark_read(*, user, notification_ids=None) -> int:
    """Mark the reader's own notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.for_recipient(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
