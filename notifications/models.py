"""In-app notifications, each optionally mirrored by one e-mail sent by Celery."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import kinds


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        """The one access path: people only ever see their own notifications."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    visible_to = for_recipient

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class EmailStatus(models.TextChoices):
        NOT_WANTED = "none", _("No e-mail")
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail status"),
        max_length=10,
        choices=EmailStatus.choices,
        default=EmailStatus.NOT_WANTED,
    )
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # The e-mail's lease (see notifications.tasks): while "sending", the worker task `claimed_by`
    # holds the row until `claimed_until`; after that the holder is known to be gone and the
    # sweep hands the row to a new task. On a "pending" row the sweep re-enqueued, it is the time
    # before which the sweep leaves the row to the message it already sent.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The sweep's scan: only the few rows whose e-mail is still on its way.
            models.Index(
                fields=["created_at"],
                name="notification_email_open_idx",
                condition=models.Q(email_status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self):
        return self.title

    def rendered(self) -> tuple[str, str]:
        """Title and body in the active language. Pages and the API show both, so the texts are
        rendered once per language for this row (the kind's prepare() may be costly) and again
        only when the language, kind or parameters change."""
        key = (translation.get_language(), self.kind, self.params)
        cached = self.__dict__.get("_rendered")
        if cached is not None and cached[0] == key:
            return cached[1]
        try:
            texts = kinds.get(self.kind).render(self.params)
        except KeyError:
            texts = (self.kind, "")
        # A copy of the parameters: a caller changing them in place must not match the old texts.
        self._rendered = ((key[0], key[1], dict(self.params or {})), texts)
        return texts

    @property
    def title(self) -> str:
        return self.rendered()[0]

    @property
    def body(self) -> str:
        return self.rendered()[1]
