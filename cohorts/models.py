"""Cohorts: one run of the leadership programme with its people (memberships), selection
(application questions and applications), curriculum, completion policy, calendar of sessions,
attendance, excuse requests and announcements.

A person's role in a cohort is a `Membership`; course access, review rights and progress
visibility follow from it (see cohorts.apps, which plugs these rules into courses.access).

Access (one path per model, `Model.objects.visible_to(user)`; decision 001 in docs/decisions):
- staff (is_staff / superuser) see every cohort and everything in it;
- a program manager manages only the cohorts where they hold an active MANAGER membership; the
  creator of a cohort becomes its first manager. The global MANAGER role lets a person create
  cohorts, not read other managers' ones;
- members see their own cohorts; anyone (even signed out) sees cohorts that are recruiting, as
  the public page with the application form;
- trainees see only their own applications and attendance; a facilitator the sessions they
  facilitate (and the attendance of those sessions)."""

import datetime
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Governorate
from core.i18n import localized
from core.tracks import Track

BAGHDAD = ZoneInfo("Asia/Baghdad")

# Check-in codes are read off a screen or a QR code and typed on phones: no 0/O, 1/I/L, 2/Z,
# 5/S or 8/B that could be mistaken for one another.
CHECK_IN_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CHECK_IN_CODE_LENGTH = 6


def new_check_in_code() -> str:
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(CHECK_IN_CODE_LENGTH))


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


def _is_staff(user) -> bool:
    return bool(user.is_active and (user.is_staff or user.is_superuser))


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


# --- Cohort --------------------------------------------------------------------------------------


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user):
        """THE read path to cohorts: staff all; everyone else the cohorts they belong to (any
        role, active or not, so a withdrawn trainee still sees their history) and the recruiting
        ones (the public page)."""
        public = Q(status=Cohort.Status.RECRUITING)
        if not _signed_in(user):
            return self.filter(public)
        if _is_staff(user):
            return self.all()
        member = Exists(Membership.objects.filter(cohort=OuterRef("pk"), user=user))
        return self.filter(public | Q(member))

    def managed_by(self, user):
        """The cohorts this person may run (decisions, sessions, dashboard): staff all, anyone
        else those where they hold an active MANAGER membership."""
        if not _signed_in(user):
            return self.none()
        if _is_staff(user):
            return self.all()
        return self.filter(
            Exists(
                Membership.objects.active().filter(
                    cohort=OuterRef("pk"), user=user, role=Membership.Role.MANAGER
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

    @property
    def starts_at(self) -> datetime.datetime:
        """The start as a moment (midnight in Baghdad), for deadlines relative to it."""
        return datetime.datetime.combine(self.starts_on, datetime.time.min, tzinfo=BAGHDAD)

    @property
    def completion_policy(self) -> CompletionPolicy:
        return CompletionPolicy(
            required_course_ids=tuple(
                self.curriculum.filter(required=True).values_list("course_id", flat=True)
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


# --- Membership ---------------------------------------------------------------------------------


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Managers see the memberships of the cohorts they manage; everyone else their own."""
        if not _signed_in(user):
            return self.none()
        if _is_staff(user):
            return self.all()
        return self.filter(Q(user=user) | Q(cohort__in=Cohort.objects.managed_by(user)))

    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def trainees(self):
        return self.filter(role=Membership.Role.TRAINEE)

    def with_role(self, *roles):
        return self.filter(role__in=roles)


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


# --- Applications -------------------------------------------------------------------------------


class ApplicationQuestion(models.Model):
    """A question the cohort's managers add to the standard application form."""

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="application_questions",
        verbose_name=_("cohort"),
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    text = models.CharField(_("question (Arabic)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("answer required"), default=True)

    class Meta:
        verbose_name = _("application question")
        verbose_name_plural = _("application questions")
        ordering = ["cohort", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "position"], name="cohorts_question_position_unique"
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def display_text(self) -> str:
        return localized(self, "text")


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Applicants see their own application; managers those to the cohorts they manage."""
        if not _signed_in(user):
            return self.none()
        if _is_staff(user):
            return self.all()
        return self.filter(Q(applicant=user) | Q(cohort__in=Cohort.objects.managed_by(user)))

    def waitlisted(self):
        return self.filter(status=Application.Status.WAITLISTED)

    def in_waitlist_order(self):
        # First come, first served: the earliest to be waitlisted is promoted first.
        return self.order_by("decided_at", "id")


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="applications", verbose_name=_("cohort")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cohort_applications",
        verbose_name=_("applicant"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    motivation = models.TextField(_("motivation"))
    civic_experience = models.TextField(_("prior civic experience"), blank=True)
    availability = models.TextField(_("availability"))
    # {"<question id>": "answer"} for the cohort's own questions.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    consented_at = models.DateTimeField(_("consent to the programme's data use"))
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    # Seen by the cohort's managers only.
    decision_note = models.TextField(_("internal note"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["cohort", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "applicant"], name="cohorts_application_one_per_person"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "submitted",
                        "shortlisted",
                        "accepted",
                        "waitlisted",
                        "rejected",
                        "withdrawn",
                    ]
                ),
                name="cohorts_application_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "withdrawn"]) | Q(decided_at__isnull=False),
                name="cohorts_application_decision_has_date",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"], name="cohorts_app_cohort_status")]

    def __str__(self):
        return f"{self.applicant} → {self.cohort}"


# --- Sessions and attendance --------------------------------------------------------------------


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff all; managers the sessions of the cohorts they manage; a facilitator the
        sessions they facilitate; trainees and mentors the sessions of their active cohorts."""
        if not _signed_in(user):
            return self.none()
        if _is_staff(user):
            return self.all()
        attending = Exists(
            Membership.objects.active().filter(
                cohort=OuterRef("cohort"),
                user=user,
                role__in=[Membership.Role.TRAINEE, Membership.Role.MENTOR],
            )
        )
        return self.filter(
            Q(cohort__in=Cohort.objects.managed_by(user)) | Q(facilitator=user) | Q(attending)
        )

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


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A trainee sees only their own attendance; a facilitator that of their sessions;
        managers that of the cohorts they manage."""
        if not _signed_in(user):
            return self.none()
        if _is_staff(user):
            return self.all()
        return self.filter(
            Q(user=user)
            | Q(session__facilitator=user)
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
    # Curriculum progress. "12:60,13:100": the percentage of each curriculum course the trainee
    # has a snapshot of (none: 0 %); text, not JSON: read for a thousand trainees at a time, it
    # parses fastest.
    course_percents = models.TextField(_("course percentages"), blank=True, default="")
    # The latest activity in any curriculum course (a lesson opened, a quiz, work handed in).
    course_activity_at = models.DateTimeField(_("last course activity"), null=True, blank=True)
    # The curriculum's assignments handed in, whatever their review, as ",6,9,".
    handed_in = models.TextField(_("assignments handed in"), blank=True, default="")
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
        """The trainee's own; a facilitator's sessions'; the managed cohorts' ones."""
        if not _signed_in(user):
            return self.none()
        if _is_staff(user):
            return self.all()
        return self.filter(
            Q(user=user)
            | Q(session__facilitator=user)
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


# --- Announcements and calendar feeds -----------------------------------------------------------


class AnnouncementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Members read their cohorts' announcements; managers those of the cohorts they run."""
        if not _signed_in(user):
            return self.none()
        if _is_staff(user):
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
