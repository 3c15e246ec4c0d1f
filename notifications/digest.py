"""The daily digest: the notifications a person asked to receive once a day (their preference
for the kind) gathered into one e-mail in their language."""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import unsubscribe
from .models import Notification

# As the single e-mails' lease (notifications.tasks.EMAIL_LEASE): longer than a send may last.
EMAIL_LEASE = 90

logger = logging.getLogger(__name__)


def render_digest(recipient, notifications) -> EmailMultiAlternatives:
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        items = []
        for n in notifications:
            title, body = n.rendered()
            items.append(
                {
                    "title": title,
                    "body": body,
                    "url": n.url,
                    "unsubscribe_url": unsubscribe.url_for(recipient, n.kind),
                }
            )
        context = {
            "recipient": recipient,
            "items": items,
            "site_url": settings.SITE_URL,
            "language": language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
            "title": _("Your daily digest"),
        }
        text = render_to_string("notifications/digest.txt", context)
        html = render_to_string("notifications/digest.html", context)
        subject = " ".join(f"{settings.SITE_NAME}: {context['title']}".split())
    message = EmailMultiAlternatives(subject, text, None, [recipient.email])
    message.attach_alternative(html, "text/html")
    return message


def recipients_with_held() -> list[int]:
    """The people who have notifications held for their digest."""
    return list(
        Notification.objects.filter(email_status=Notification.EmailStatus.DIGEST)
        .values_list("recipient_id", flat=True)
        .order_by("recipient_id")
        .distinct()
    )


def send_digest(recipient_id: int, token: str) -> bool:
    """Send one person's digest of everything held for it; True when an e-mail went.

    The rows are claimed (digest -> sending, under `token`) before the e-mail goes, so a second
    task for the same person sends nothing twice. The claim also takes back rows still "sending"
    under the same token: the same task message redelivered after its worker died mid-send sends
    the digest today, rather than leaving the rows to the e-mail sweep and the next day's digest."""
    held, sending = Notification.EmailStatus.DIGEST, Notification.EmailStatus.SENDING
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(
                Q(email_status=held) | Q(email_status=sending, claimed_by=token),
                recipient_id=recipient_id,
            )
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        # A lease as for single e-mails: if the task's message is lost with its worker, the
        # e-mail sweep hands the held items back to the digest after it expires. Nothing is lost.
        Notification.objects.filter(pk__in=ids).update(
            email_status=sending,
            claimed_by=token,
            claimed_until=timezone.now() + datetime.timedelta(seconds=EMAIL_LEASE),
        )
    if not ids:
        return False
    rows = list(
        Notification.objects.filter(pk__in=ids)
        .select_related("recipient")
        .order_by("created_at", "pk")
    )
    recipient = rows[0].recipient
    mine = Notification.objects.filter(pk__in=ids, claimed_by=token)
    if not recipient.email or not recipient.is_active:
        mine.update(email_status=Notification.EmailStatus.NOT_WANTED, claimed_by="")
        return False
    try:
        render_digest(recipient, rows).send()
    except Exception:
        # Held again for the next digest: nothing lost, nothing sent twice.
        logger.exception("Daily digest for %s failed", recipient_id)
        mine.update(email_status=held, claimed_by="", claimed_until=None)
        return False
    mine.update(
        email_status=Notification.EmailStatus.SENT,
        emailed_at=timezone.now(),
        claimed_by="",
        claimed_until=None,
    )
    return True


def send_digests() -> int:
    """Every person's digest, one after the other in this process; returns how many e-mails
    were sent. The daily task hands each person's digest to a task of its own instead."""
    return sum(send_digest(pk, uuid.uuid4().hex) for pk in recipients_with_held())
