"""In-app notifications, each optionally mirrored by one e-mail sent by Celery."""

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import kinds


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        """The one access path: people only ever see their own notifications."""
        if not user.is_authenticated:
            return self.none()
        return self.of_person(user.pk)

    def of_person(self, user_id):
        """`for_recipient` for a signed-in person given by id (the inbox's stored SQL)."""
        return self.filter(recipient_id=user_id)

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
        # Held for the person's daily digest (their preference for the kind).
        DIGEST = "digest", _("Held for the daily digest")

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

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The recipient as loaded: a save that gives the row to someone else changes the unread
        # count of both (notifications.unread).
        instance._loaded_recipient_id = instance.__dict__.get("recipient_id")
        return instance

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


class Preference(models.Model):
    """How one person wants one kind of notification; no row means the kind's default
    (immediately)."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DIGEST = "digest", _("In a daily digest")
        OFF = "off", _("Off")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    mode = models.CharField(_("delivery"), max_length=10, choices=Mode.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_unique")
        ]

    def __str__(self):
        return f"{self.kind}: {self.mode}"


class DeliveryQuerySet(models.QuerySet):
    def for_recipients(self, user_ids):
        """What was delivered to these people (a queryset of user ids, e.g. a cohort's members):
        a subquery, not a join, so the log needs no DISTINCT."""
        return self.filter(recipient_id__in=user_ids)


class Delivery(models.Model):
    """One due reminder for one person, claimed by its unique key before anything is sent, so a
    scan run twice, a message delivered twice or two beats still send it once
    (docs/decisions/005-reminders.md)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being sent")
        DEFERRED = "deferred", _("Deferred")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped: no longer due")
        OFF = "off", _("Turned off by the person")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    object_key = models.CharField(_("about"), max_length=100)
    occurrence = models.CharField(_("occurrence"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Not before this time (quiet hours, the weekend); the sweep picks deferred rows up then.
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    notification = models.OneToOneField(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delivery",
        verbose_name=_("notification"),
    )
    # The lease, as on Notification's e-mail (notifications.tasks).
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_key", "occurrence"],
                name="reminder_delivery_unique",
            )
        ]
        indexes = [
            # The sweep's scan: only rows still on their way.
            models.Index(
                fields=["not_before"],
                name="reminder_delivery_open_idx",
                condition=models.Q(status__in=["queued", "sending", "deferred"]),
            ),
            # A cohort's reminder log, newest first: read in this order until a page of the
            # cohort's members' deliveries is found, instead of sorting every delivery.
            models.Index(fields=["-created_at", "-id"], name="reminder_delivery_newest_idx"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_key} {self.occurrence} -> {self.recipient_id}"
