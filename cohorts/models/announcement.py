"""Announcements to a cohort's members, and each person's secret calendar-feed address."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import is_staff, new_calendar_token, signed_in
from .cohort import Cohort, Membership


class AnnouncementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Members read their cohorts' announcements; managers those of the cohorts they run."""
        if not signed_in(user):
            return self.none()
        if is_staff(user):
            return self.all()
        member = Exists(Membership.objects.active().filter(cohort=OuterRef("cohort"), user=user))
        return self.filter(Q(member) | Q(cohort__in=Cohort.objects.managed_by(user)))


class Announcement(models.Model):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="announcements", verbose_name=_("cohort")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Set by the Celery task when every member has been notified (claims the work once).
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class CalendarFeed(models.Model):
    """A person's secret calendar address (iCal). Anyone holding the token can read the
    person's sessions, so it is long, random, and rotated on request."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("person"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    rotated_at = models.DateTimeField(_("rotated"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
