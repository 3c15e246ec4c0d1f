"""The daily digest: the notifications a person asked to receive once a day (their preference
for the kind) gathered into one e-mail in their language."""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
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


def send_digests() -> int:
    held = Notification.EmailStatus.DIGEST
    recipients = list(
        Notification.objects.filter(email_status=held)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_id in recipients:
        token = uuid.uuid4().hex
        with transaction.atomic():
            ids = list(
                Notification.objects.filter(recipient_id=recipient_id, email_status=held)
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)
            )
            # A lease as for single e-mails: if this process dies mid-send, the e-mail sweep
            # sends the held items one by one after it expires. Nothing is lost.
            Notification.objects.filter(pk__in=ids).update(
                email_status=Notification.EmailStatus.SENDING,
                claimed_by=token,
                claimed_until=timezone.now() + datetime.timedelta(seconds=EMAIL_LEASE),
            )
        if not ids:
            continue
        rows = list(
            Notification.objects.filter(pk__in=ids)
            .select_related("recipient")
            .order_by("created_at", "pk")
        )
        recipient = rows[0].recipient
        mine = Notification.objects.filter(pk__in=ids, claimed_by=token)
        if not recipient.email or not recipient.is_active:
            mine.update(email_status=Notification.EmailStatus.NOT_WANTED, claimed_by="")
            continue
        try:
            render_digest(recipient, rows).send()
        except Exception:
            # Held again for the next digest: nothing lost, nothing sent twice.
            logger.exception("Daily digest for %s failed", recipient_id)
            mine.update(email_status=held, claimed_by="", claimed_until=None)
            continue
        mine.update(
            email_status=Notification.EmailStatus.SENT,
            emailed_at=timezone.now(),
            claimed_by="",
            claimed_until=None,
        )
        sent += 1
    return sent
