"""Celery entry points for notifications: thin, id-based, safe to run twice.

E-mail delivery is at least once, with deduplication by a lease on the row:

- `send_notification_email` claims the row with a conditional UPDATE (pending, or sending under
  an expired lease, or sending under its own lease: the same message redelivered after its worker
  died) and holds it for `EMAIL_LEASE` seconds. A duplicate message finds the lease held by
  another task, or the row sent, and does nothing.
- The lease outlives the task's hard time limit, so when it expires the holder is certainly gone
  (finished, killed by the limit, or dead with its worker). `sweep_notification_emails` (beat,
  every minute) then hands the row to a fresh message, as it does for `pending` rows whose
  enqueue after commit never reached the broker.
- SMTP errors are retried with exponential backoff and jitter; the lease covers the wait, and the
  ceiling stays below the broker's visibility timeout (config/settings/base.py).

One duplicate window remains (decision 001): a worker killed after the SMTP server accepted the
message but before the row is marked sent sends it again."""

import datetime
import logging
import random
import uuid

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.jobs import enqueue

from . import channels, delivery, reminders, unsubscribe
from .digest import recipients_with_held, send_digest
from .models import Notification
from .preferences import preference_of

logger = logging.getLogger(__name__)

# Hard and soft time limits of one sending attempt: the soft one interrupts a hung SMTP
# conversation (retried like any SMTP error), the hard one kills the process.
EMAIL_TIME_LIMIT = 60
EMAIL_SOFT_TIME_LIMIT = 45
# Longer than the hard time limit: an expired lease means its holder no longer runs.
EMAIL_LEASE = 90
# Retry n waits a random 50-100 % of min(BASE * 2**n, CEILING) seconds: 30 s, 1, 2, 4, 8 min.
EMAIL_RETRY_BASE = 30
# The retry message sits unacknowledged in the worker until its countdown ends: the countdown
# plus the lease must stay below the broker's visibility timeout, or Redis delivers it twice.
EMAIL_RETRY_CEILING = 600
EMAIL_MAX_RETRIES = 5
# A pending row this old has lost its message (the enqueue after commit failed).
EMAIL_PENDING_GRACE = 60
SWEEP_BATCH = 500


def _claim(notification_id: int, token: str) -> bool:
    now = timezone.now()
    sending = Notification.EmailStatus.SENDING
    return bool(
        Notification.objects.filter(
            Q(email_status=Notification.EmailStatus.PENDING)
            | Q(email_status=sending, claimed_until__lt=now)
            | Q(email_status=sending, claimed_by=token),
            pk=notification_id,
        ).update(
            email_status=sending,
            claimed_by=token,
            claimed_until=now + datetime.timedelta(seconds=EMAIL_LEASE),
        )
    )


def _retry_countdown(retries: int) -> float:
    ceiling = min(EMAIL_RETRY_BASE * 2**retries, EMAIL_RETRY_CEILING)
    return ceiling * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not a secret


def render_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail for one notification in its recipient's language: a plain-text part (not
    HTML-escaped) and an HTML part (escaped, right to left for Arabic)."""
    recipient = notification.recipient
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    unsubscribe_url = unsubscribe.url_for(recipient, notification.kind)
    with translation.override(language):
        title, body = notification.rendered()
        context = {
            "unsubscribe_url": unsubscribe_url,
            "recipient": recipient,
            "title": title,
            "body": body,
            "notification": notification,
            "site_url": settings.SITE_URL,
            "language": language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
        }
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
        # Header lines cannot carry line breaks.
        subject = " ".join(f"{settings.SITE_NAME}: {title}".split())
    headers = {}
    if unsubscribe_url:
        # RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the link.
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(subject, text, None, [recipient.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


@shared_task(
    bind=True,
    max_retries=EMAIL_MAX_RETRIES,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=EMAIL_TIME_LIMIT,
    soft_time_limit=EMAIL_SOFT_TIME_LIMIT,
)
def send_notification_email(self, notification_id: int) -> bool:
    # The message's task id is the lease token: it survives a redelivery and a retry, while a
    # duplicate message (a second enqueue, the sweep) has its own. A direct call has none.
    token = self.request.id or uuid.uuid4().hex
    if not _claim(notification_id, token):
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    # The person's preference for the kind, read at send time: turned off since, or to be held
    # for the daily digest.
    try:
        mode = preference_of(notification.recipient_id, notification.kind)
    except KeyError:
        mode = "immediate"
    if mode != "immediate":
        status = (
            Notification.EmailStatus.DIGEST
            if mode == "digest"
            else Notification.EmailStatus.NOT_WANTED
        )
        Notification.objects.filter(pk=notification_id, claimed_by=token).update(
            email_status=status, claimed_until=None, claimed_by=""
        )
        return False
    try:
        render_email(notification).send()
    except Exception as exc:
        mine = Notification.objects.filter(pk=notification_id, claimed_by=token)
        if self.request.retries >= self.max_retries:
            mine.update(email_status=Notification.EmailStatus.FAILED, claimed_until=None)
            logger.exception("Giving up e-mail for notification %s", notification_id)
            return False
        countdown = _retry_countdown(self.request.retries)
        # Keep the lease over the wait, so that the sweep leaves the row to this retry.
        mine.update(
            claimed_until=timezone.now() + datetime.timedelta(seconds=countdown + EMAIL_LEASE)
        )
        raise self.retry(exc=exc, countdown=countdown) from exc
    Notification.objects.filter(pk=notification_id).update(
        email_status=Notification.EmailStatus.SENT,
        emailed_at=timezone.now(),
        claimed_until=None,
    )
    return True


@shared_task
def sweep_notification_emails() -> int:
    """Beat, every minute: re-enqueue e-mails whose lease expired (their worker died) and pending
    ones whose message never reached the broker. Returns how many were re-enqueued."""
    now = timezone.now()
    pending, sending = Notification.EmailStatus.PENDING, Notification.EmailStatus.SENDING
    due = Q(email_status=sending, claimed_until__lt=now) | Q(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        email_status=pending,
        created_at__lt=now - datetime.timedelta(seconds=EMAIL_PENDING_GRACE),
    )
    with transaction.atomic():
        # Rows another sweep is handling are skipped, so two beats never enqueue a row twice.
        ids = list(
            Notification.objects.filter(due)
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        # Back to pending, and left alone for one lease while the new message is on its way.
        Notification.objects.filter(pk__in=ids).update(
            email_status=pending,
            claimed_by="",
            claimed_until=now + datetime.timedelta(seconds=EMAIL_LEASE),
        )
        for pk in ids:
            transaction.on_commit(lambda pk=pk: enqueue_email(pk))
    if ids:
        logger.warning("Re-enqueued %s notification e-mails", len(ids))
    return len(ids)


class EmailChannel(channels.Channel):
    """One e-mail per notification, sent by the lease-based task above, or held for the daily
    digest. A recipient without an address (or inactive) gets none."""

    key = "email"
    digestible = True

    def prepare(self, notification, mode):
        recipient = notification.recipient
        if not recipient.email or not recipient.is_active:
            return
        notification.email_status = (
            Notification.EmailStatus.DIGEST
            if mode == "digest"
            else Notification.EmailStatus.PENDING
        )

    def deliver(self, notification, mode):
        if notification.email_status == Notification.EmailStatus.PENDING:
            # After commit, so the worker finds the row; if the broker is unreachable the row
            # stays pending and the sweep sends it a minute later.
            transaction.on_commit(lambda: enqueue_email(notification.pk))


channels.register(EmailChannel())


def enqueue_email(notification_id: int) -> None:
    """Publish the send task. A broker that cannot be reached loses nothing: the row stays
    pending and the sweep enqueues it again, so the caller's committed work never fails here."""
    enqueue(send_notification_email, notification_id)


@shared_task
def purge_old_notifications(days: int = 180) -> int:
    """Read notifications older than `days` are deleted: keep no more personal data than useful."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _ = Notification.objects.filter(read_at__lt=cutoff).delete()
    return deleted


# --- Reminders (notifications.delivery, docs/decisions/005-reminders.md) -----------------------


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=60,
    soft_time_limit=45,
)
def deliver_reminder(self, delivery_id: int) -> str:
    # As for e-mails, the message's task id is the lease token: a redelivery of this message
    # finds its own lease; a duplicate message (second enqueue, the sweep) has its own id.
    token = self.request.id or uuid.uuid4().hex
    return delivery.deliver(delivery_id, token)


def enqueue_delivery(delivery_id: int) -> None:
    """Publish one delivery; a broker that cannot be reached loses nothing (the sweep)."""
    enqueue(deliver_reminder, delivery_id)


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def run_reminder_scans(kinds: list[str] | None = None) -> int:
    """Beat, every few minutes: every registered reminder's scan, its new deliveries inserted
    under their unique key, one message per new delivery. Returns how many were new."""
    now = timezone.now()
    new = 0
    for key, reminder in sorted(reminders.registered().items()):
        if kinds is not None and key not in kinds:
            continue
        try:
            with transaction.atomic():
                ids = delivery.record_due(reminder, now)
                for pk in ids:
                    transaction.on_commit(lambda pk=pk: enqueue_delivery(pk))
        except Exception:
            # One broken scan does not stop the others; the next run catches up.
            logger.exception("Reminder scan %s failed", key)
            continue
        new += len(ids)
    return new


@shared_task
def sweep_reminder_deliveries() -> int:
    """Beat, every minute: deliveries whose message was lost or whose worker died, and deferred
    ones whose time has come (08:00 after quiet hours, the next working day)."""
    with transaction.atomic():
        ids = delivery.due_for_sweep(timezone.now())
        for pk in ids:
            transaction.on_commit(lambda pk=pk: enqueue_delivery(pk))
    return len(ids)


@shared_task(acks_late=True)
def send_daily_digests() -> int:
    """Beat, once a day: one e-mail per person gathering the notifications held for their digest,
    in their language, each sent by a task of its own (`send_person_digest`): however many people
    there are, no single task runs into its time limit and leaves the rest for tomorrow, and a
    worker killed mid-send loses one person's message, which comes back. Returns how many
    digests were handed out."""
    ids = recipients_with_held()
    for pk in ids:
        # One that cannot be enqueued stays held: the next daily run sends it.
        enqueue(send_person_digest, pk)
    return len(ids)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=EMAIL_TIME_LIMIT,
    soft_time_limit=EMAIL_SOFT_TIME_LIMIT,
)
def send_person_digest(self, recipient_id: int) -> bool:
    # As for single e-mails, the message's task id is the claim's token: a redelivery of this
    # message takes back the rows it claimed; a duplicate message has its own id.
    return send_digest(recipient_id, self.request.id or uuid.uuid4().hex)
