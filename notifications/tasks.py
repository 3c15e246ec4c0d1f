"""Celery entry points for notifications: thin, id-based, safe to run twice."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_notification_email(self, notification_id: int) -> bool:
    # Claim the row with a conditional UPDATE: a duplicated or redelivered message finds it no
    # longer PENDING and does nothing, so the reader gets one e-mail.
    claimed = Notification.objects.filter(
        pk=notification_id, email_status=Notification.EmailStatus.PENDING
    ).update(email_status=Notification.EmailStatus.SENDING)
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        title, body = notification.rendered()
        text = render_to_string(
            "notifications/email.txt",
            {
                "recipient": recipient,
                "title": title,
                "body": body,
                "notification": notification,
                "site_url": settings.SITE_URL,
            },
        )
        subject = f"{settings.SITE_NAME}: {title}"
    try:
        send_mail(subject, text, None, [recipient.email])
    except Exception as exc:
        Notification.objects.filter(pk=notification_id).update(
            email_status=Notification.EmailStatus.PENDING
        )
        if self.request.retries >= self.max_retries:
            Notification.objects.filter(pk=notification_id).update(
                email_status=Notification.EmailStatus.FAILED
            )
            logger.exception("Giving up e-mail for notification %s", notification_id)
            return False
        # Backoff stays far below the broker's visibility timeout (see settings).
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 900)) from exc
    Notification.objects.filter(pk=notification_id).update(
        email_status=Notification.EmailStatus.SENT, emailed_at=timezone.now()
    )
    return True


@shared_task
def purge_old_notifications(days: int = 180) -> int:
    """Read notifications older than `days` are deleted: keep no more personal data than useful."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _ = Notification.objects.filter(read_at__lt=cutoff).delete()
    return deleted
