"""A cohort, its completion policy and curriculum, and its memberships (a person's role in it)."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Governorate, gendered_label, loaded_gender
from core.i18n import localized
from core.tracks import Track

from .base import BAGHDAD, access_key, is_staff, person_id, signed_in


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user):
        """THE read path to cohorts: staff all; everyone else the cohorts they belong to (any
        role, active or not, so a withdrawn trainee still sees their history) and the recruiting
        ones (the public page)."""
        return self.visible_to_person(person_id(user), **access_key(user))

    def visible_to_person(self, user_id: int, *, signed_in: bool, staff: bool):
        """`visible_to` from the person's id and flags (`access_key`): the rule itself, which
        compiled shapes (cohorts.shapes) build from too."""
        public = Q(status=Cohort.Status.RECRUITING)
        if not signed_in:
            return self.filter(public)
        if staff:
            return self.all()
        member = Exists(Membership.objects.filter(cohort=OuterRef("pk"), user_id=user_id))
        return self.filter(public | Q(member))

    def managed_by(self, user):
        """The cohorts this person may run (decisions, sessions, dashboard): staff all, anyone
        else those where they hold an active MANAGER membership."""
        return self.managed_by_person(person_id(user), **access_key(user))

    def managed_by_person(self, user_id: int, *, signed_in: bool, staff: bool):
        """`managed_by` from the person's id and flags (`access_key`)."""
        if not signed_in:
            return self.none()
        if staff:
            return self.all()
        return self.filter(
            Exists(
                Membership.objects.active().filter(
                    cohort=OuterRef("pk"), user_id=user_id, role=Membership.Role.MANAGER
                )
            )
        )

    def recruiting(self):
        return self.filter(status=Cohort.Status.RECRUITING)

    def of_member(self, user):
        """Cohorts where the person holds an active membership ("my cohorts")."""
        return self.filter(
            Exists(Membership.objects.active().filter(cohort=OuterRef("pk"), user=user))
        )


@dataclass(frozen=True)
class CompletionPolicy:
    """What completing the cohort requires; the certificates app reads it from
    `Cohort.completion_policy`."""

    required_course_ids: tuple[int, ...]
    min_attendance_percent: int
    # Initiative proposals do not exist yet: the flag is stored so that the certificates app can
    # honour it once they do.
    requires_approved_initiative: bool


class Cohort(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RECRUITING = "recruiting", _("Recruiting")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Arabic)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    track = models.CharField(
        _("track"), max_length=20, choices=Track.choices, default=Track.YOUTH_INITIATIVES
    )
    governorate = models.CharField(_("governorate"), max_length=20, choices=Governorate.choices)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    # The last day applications are taken (Baghdad time); none: while the cohort is recruiting.
    applications_close_on = models.DateField(
        _("applications close on"),
        null=True,
        blank=True,
        help_text=_("The last day to apply. Leave empty to take applications while recruiting."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
        help_text=_("The most trainees the cohort accepts."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # Completion policy (see CompletionPolicy); the required courses are the curriculum items
    # marked required.
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=75,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    requires_approved_initiative = models.BooleanField(
        _("an approved initiative is required"),
        default=False,
        help_text=_("Trainees complete the cohort only with an approved initiative proposal."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="cohorts_cohort_dates_order"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cohorts_cohort_capacity"),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__lte=100),
                name="cohorts_cohort_min_attendance_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "recruiting", "running", "completed", "archived"]),
                name="cohorts_cohort_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(track__in=Track.values), name="cohorts_cohort_track_valid"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def is_recruiting(self) -> bool:
        return self.status == self.Status.RECRUITING

    def taking_applications(self, today: datetime.date | None = None) -> bool:
        """Recruiting, and its application deadline (a day in Baghdad) has not passed."""
        if not self.is_recruiting:
            return False
        today = today or timezone.localdate(timezone=BAGHDAD)
        return self.applications_close_on is None or today <= self.applications_close_on

    @property
    def starts_at(self) -> datetime.datetime:
        """The start as a moment (midnight in Baghdad), for deadlines relative to it."""
        return datetime.datetime.combine(self.starts_on, datetime.time.min, tzinfo=BAGHDAD)

    def curriculum_entries(self) -> list[tuple[int, bool, str]]:
        """(course id, required, course title) of the curriculum in its order: one query, or
        none while the cohort's dashboard holds the ones it has just read (handing_curriculum)."""
        handed = self.__dict__.get("_handed_curriculum")
        if handed is not None:
            return handed
        return list(
            self.curriculum.order_by("position", "id").values_list(
                "course_id", "required", "course__title"
            )
        )

    @contextmanager
    def handing_curriculum(self, entries: list[tuple[int, bool, str]]):
        """Within the block, curriculum_entries() answers `entries` (read by the caller in the
        same request); after it, the database again."""
        self.__dict__["_handed_curriculum"] = entries
        try:
            yield
        finally:
            self.__dict__.pop("_handed_curriculum", None)

    @property
    def completion_policy(self) -> CompletionPolicy:
        return CompletionPolicy(
            required_course_ids=tuple(
                course_id for course_id, required, _title in self.curriculum_entries() if required
            ),
            min_attendance_percent=self.min_attendance_percent,
            requires_approved_initiative=self.requires_approved_initiative,
        )

    def active_trainee_count(self) -> int:
        return self.memberships.active().trainees().count()


class CurriculumItem(models.Model):
    """One course of the cohort's curriculum, in order, with an optional due date."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="curriculum", verbose_name=_("cohort")
    )
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.PROTECT,
        related_name="curriculum_items",
        verbose_name=_("course"),
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    required = models.BooleanField(
        _("required for completion"),
        default=True,
        help_text=_("Trainees must complete this course to complete the cohort."),
    )

    class Meta:
        verbose_name = _("curriculum item")
        verbose_name_plural = _("curriculum items")
        ordering = ["cohort", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "course"], name="cohorts_curriculum_course_unique"
            ),
            models.UniqueConstraint(
                fields=["cohort", "position"], name="cohorts_curriculum_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.cohort} — {self.course}"


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Managers see the memberships of the cohorts they manage; everyone else their own."""
        if not signed_in(user):
            return self.none()
        return self.visible_to_person(user.pk, staff=is_staff(user))

    def visible_to_person(self, user_id: int, *, staff: bool):
        """`visible_to` for a signed-in person given by id and whether they are staff: the rule
        itself, which compiled shapes build from too."""
        if staff:
            return self.all()
        managed = Cohort.objects.managed_by_person(user_id, signed_in=True, staff=False)
        return self.filter(Q(user=user_id) | Q(cohort__in=managed))

    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def trainees(self):
        return self.filter(role=Membership.Role.TRAINEE)

    def with_role(self, *roles):
        return self.filter(role__in=roles)

    def facilitating(self):
        """Active memberships whose role lets a person facilitate the cohort's sessions."""
        return self.active().filter(role__in=FACILITATING_ROLES)


class Membership(models.Model):
    class Role(models.TextChoices):
        TRAINEE = "trainee", _("Trainee")
        MENTOR = "mentor", _("Mentor")
        FACILITATOR = "facilitator", _("Facilitator")
        MANAGER = "manager", _("Manager")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COMPLETED = "completed", _("Completed")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cohort")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cohort_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["cohort", "role", "user__full_name", "id"]
        constraints = [
            # One active role per person and cohort; withdrawn and completed rows stay as history.
            models.UniqueConstraint(
                fields=["cohort", "user"],
                condition=Q(status="active"),
                name="cohorts_membership_one_active",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["trainee", "mentor", "facilitator", "manager"]),
                name="cohorts_membership_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "withdrawn", "completed"]),
                name="cohorts_membership_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"], name="cohorts_member_user_status")]

    def __str__(self):
        return f"{self.user} — {self.cohort} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def _member_gender(self) -> str:
        """The member's gender when their account was read with the membership, else ""."""
        return loaded_gender(self._state.fields_cache.get("user"))

    def get_role_display(self):
        return gendered_label(self.Role, self.role, self._member_gender(), FEMININE_MEMBER_ROLES)

    def get_status_display(self):
        return gendered_label(
            self.Status, self.status, self._member_gender(), FEMININE_MEMBER_STATUSES
        )


# A woman's role and state in the cohort, in the feminine where Arabic has one (see
# accounts.models.FEMININE_ROLES).
FEMININE_MEMBER_ROLES = {
    Membership.Role.TRAINEE: pgettext_lazy("feminine", "Trainee"),
    Membership.Role.MENTOR: pgettext_lazy("feminine", "Mentor"),
    Membership.Role.FACILITATOR: pgettext_lazy("feminine", "Facilitator"),
    Membership.Role.MANAGER: pgettext_lazy("feminine", "Manager"),
}
FEMININE_MEMBER_STATUSES = {
    Membership.Status.ACTIVE: pgettext_lazy("feminine", "Active"),
    Membership.Status.WITHDRAWN: pgettext_lazy("feminine", "Withdrawn"),
    Membership.Status.COMPLETED: pgettext_lazy("feminine", "Completed"),
}


# Who may facilitate a cohort's sessions: its mentors, facilitators and managers (not its
# trainees). A session's `facilitator` gives attendance powers only while that person holds one of
# these roles, active, in the session's cohort: a pointer left behind by a removal gives nothing.
FACILITATING_ROLES = (Membership.Role.MENTOR, Membership.Role.FACILITATOR, Membership.Role.MANAGER)
