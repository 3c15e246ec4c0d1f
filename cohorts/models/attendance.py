"""Attendance marks, the dashboard's counters of them (per trainee and per session) and excuse
requests."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import gendered_label, loaded_gender

from .base import is_staff, signed_in
from .cohort import Cohort
from .session import Session


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A trainee sees only their own attendance; a facilitator that of their sessions (while
        still a member of the cohort); managers that of the cohorts they manage."""
        if not signed_in(user):
            return self.none()
        if is_staff(user):
            return self.all()
        return self.filter(
            Q(user=user)
            | Q(session__in=Session.objects.facilitated_by(user))
            | Q(session__cohort__in=Cohort.objects.managed_by(user))
        )


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    class Source(models.TextChoices):
        ROLL_CALL = "roll_call", _("Roll call")
        CHECK_IN = "check_in", _("Self check-in")
        IMPORT = "import", _("Sign-in sheet")
        EXCUSE = "excuse", _("Approved excuse")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("trainee"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    source = models.CharField(_("recorded by"), max_length=10, choices=Source.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)
    excuse = models.ForeignKey(
        "ExcuseRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("excuse"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "user__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="cohorts_attendance_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["present", "late", "excused", "absent"]),
                name="cohorts_attendance_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["roll_call", "check_in", "import", "excuse"]),
                name="cohorts_attendance_source_valid",
            ),
        ]
        indexes = [models.Index(fields=["user", "session"], name="cohorts_attendance_user")]

    def __str__(self):
        return f"{self.user} — {self.session}: {self.get_status_display()}"

    @property
    def attended(self) -> bool:
        return self.status in (self.Status.PRESENT, self.Status.LATE)

    def get_status_display(self):
        """In the feminine for a woman whose account was read with the mark (her own pages)."""
        gender = loaded_gender(self._state.fields_cache.get("user"))
        return gendered_label(self.Status, self.status, gender, FEMININE_MARKS)


FEMININE_MARKS = {
    Attendance.Status.PRESENT: pgettext_lazy("feminine", "Present"),
    Attendance.Status.LATE: pgettext_lazy("feminine", "Late"),
    Attendance.Status.EXCUSED: pgettext_lazy("feminine", "Excused"),
    Attendance.Status.ABSENT: pgettext_lazy("feminine", "Absent"),
}


# The stored figures the dashboard of a large cohort reads instead of every mark and lesson state,
# kept by cohorts.tallies (see there for who writes what, and the lock order). Attendance counts
# the marks as stored, whatever the session's date or the person's membership (the dashboard
# narrows them to held sessions and active trainees): services.attendance.set_mark, the one path that
# writes a mark, changes them in the same transaction, and a deleted mark takes its count with
# it. `manage.py refresh_progress_snapshots` rebuilds everything from the records. No CHECK >= 0
# on the counts on purpose: a counter that drifted must never stop a facilitator from taking
# attendance; the rebuild repairs it.


class AttendanceTally(models.Model):
    """One person's tally in one cohort: how they were marked across its sessions and, while
    they are an active trainee, a copy of their progress in its curriculum (from their course
    progress snapshots, the figures of courses.progress), so that the dashboard reads one row
    per trainee."""

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="attendance_tallies",
        verbose_name=_("cohort"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendance_tallies",
        verbose_name=_("trainee"),
    )
    present = models.IntegerField(_("present"), default=0)
    late = models.IntegerField(_("late"), default=0)
    excused = models.IntegerField(_("excused"), default=0)
    absent = models.IntegerField(_("absent"), default=0)
    # When the latest present or late mark was made (the dashboard's "last activity").
    last_attended_at = models.DateTimeField(_("last attended"), null=True, blank=True)
    # Curriculum progress: {"12": 60, "13": 100}, the percentage of each curriculum course the
    # trainee has a snapshot of, by course id (none: 0 %).
    course_percents = models.JSONField(_("course percentages"), blank=True, default=dict)
    # The latest activity in any curriculum course (a lesson opened, a quiz, work handed in).
    course_activity_at = models.DateTimeField(_("last course activity"), null=True, blank=True)
    # The ids of the curriculum's assignments handed in, whatever their review, ascending.
    handed_in = models.JSONField(_("assignments handed in"), blank=True, default=list)
    # Whether the person is an active trainee of the cohort now: the dashboard takes the marks of
    # everyone else (withdrawn, other roles) out of the session counters.
    active_trainee = models.BooleanField(_("active trainee"), default=False)

    class Meta:
        verbose_name = _("attendance tally")
        verbose_name_plural = _("attendance tallies")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="cohorts_tally_one_per_person"),
        ]

    def __str__(self):
        return f"{self.user} — {self.cohort}"


class SessionTally(models.Model):
    """How everyone was marked at one session."""

    session = models.OneToOneField(
        Session,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="tally",
        verbose_name=_("session"),
    )
    present = models.IntegerField(_("present"), default=0)
    late = models.IntegerField(_("late"), default=0)
    excused = models.IntegerField(_("excused"), default=0)
    absent = models.IntegerField(_("absent"), default=0)

    class Meta:
        verbose_name = _("session tally")
        verbose_name_plural = _("session tallies")

    def __str__(self):
        return str(self.session)


class ExcuseRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The trainee's own; a facilitator's sessions' (while still a member of the cohort); the
        managed cohorts' ones."""
        if not signed_in(user):
            return self.none()
        if is_staff(user):
            return self.all()
        return self.filter(
            Q(user=user)
            | Q(session__in=Session.objects.facilitated_by(user))
            | Q(session__cohort__in=Cohort.objects.managed_by(user))
        )

    def pending(self):
        return self.filter(status=ExcuseRequest.Status.PENDING)


class ExcuseRequest(models.Model):
    """A trainee asks, before a session, to be excused from it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="excuse_requests", verbose_name=_("session")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="excuse_requests",
        verbose_name=_("trainee"),
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = ExcuseRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("excuse request")
        verbose_name_plural = _("excuse requests")
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="cohorts_excuse_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "declined"]),
                name="cohorts_excuse_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.session}"
