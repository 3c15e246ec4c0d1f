"""A cohort's sessions."""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import localized

from .base import access_key, new_check_in_code, person_id, signed_in
from .cohort import Cohort, Membership


def facilitating(user) -> Q:
    """Sessions whose facilitator is this person while they are an active mentor, facilitator
    or manager of the session's cohort (a removed facilitator's stale pointer matches nothing)."""
    return Q(facilitator=user) & Q(
        Exists(Membership.objects.facilitating().filter(cohort=OuterRef("cohort"), user=user))
    )


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff all; managers the sessions of the cohorts they manage; a facilitator the
        sessions they facilitate (while still a member, see `facilitated_by`); trainees and
        mentors the sessions of their active cohorts."""
        return self.visible_to_person(person_id(user), **access_key(user))

    def visible_to_person(self, user_id: int, *, signed_in: bool, staff: bool):
        """`visible_to` from the person's id and flags (`access_key`): the rule itself, which
        compiled shapes (cohorts.shapes) build from too."""
        if not signed_in:
            return self.none()
        if staff:
            return self.all()
        attending = Exists(
            Membership.objects.active().filter(
                cohort=OuterRef("cohort"),
                user_id=user_id,
                role__in=[Membership.Role.TRAINEE, Membership.Role.MENTOR],
            )
        )
        managed = Cohort.objects.managed_by_person(user_id, signed_in=True, staff=False)
        return self.filter(Q(cohort__in=managed) | facilitating(user_id) | Q(attending))

    def facilitated_by(self, user):
        """The sessions this person facilitates and may take attendance of: they are the
        session's facilitator and hold an active facilitating membership of its cohort."""
        if not signed_in(user):
            return self.none()
        return self.filter(facilitating(user))

    def upcoming(self, now=None):
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "id")

    def held(self, now=None):
        """Sessions that have started (attendance is counted for them)."""
        return self.filter(starts_at__lte=now or timezone.now())


class Session(models.Model):
    class Format(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        DIALOGUE_TABLE = "dialogue_table", _("Dialogue table")
        SEMINAR = "seminar", _("Seminar")
        PANEL = "panel", _("Panel discussion")
        CONFERENCE = "conference", _("Conference")
        ONLINE_MEETING = "online_meeting", _("Online meeting")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("cohort")
    )
    title = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.WORKSHOP
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    venue = models.CharField(
        _("venue"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty to use the cohort's venue."),
    )
    online_url = models.CharField(
        _("online link"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["https", "http"])],
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_sessions",
        verbose_name=_("facilitator"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    check_in_code = models.CharField(
        _("check-in code"), max_length=12, default=new_check_in_code, editable=False
    )
    # Sessions generated together as a weekly series share this.
    series = models.UUIDField(_("series"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="cohorts_session_ends_after"
            ),
            models.CheckConstraint(
                condition=~Q(mode="online") | ~Q(online_url=""),
                name="cohorts_session_online_has_link",
            ),
            models.CheckConstraint(
                condition=Q(
                    format__in=[
                        "workshop",
                        "dialogue_table",
                        "seminar",
                        "panel",
                        "conference",
                        "online_meeting",
                    ]
                ),
                name="cohorts_session_format_valid",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=["in_person", "online"]), name="cohorts_session_mode_valid"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "starts_at"], name="cohorts_session_cohort_time")]

    def __str__(self):
        return self.title

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def place(self) -> str:
        """Where to go: the link online, else the venue (the cohort's when the session has none)."""
        if self.mode == self.Mode.ONLINE:
            return self.online_url
        return self.venue or self.cohort.venue
