"""Training content (course -> ordered modules -> ordered lessons, quiz questions) and each
trainee's progress through it (lesson progress, quiz attempts, assignment submissions).

Content is Arabic first: every text field has an optional English twin (`title_en`, ...) and
`localized(obj, "title")` picks the active language's version, falling back to Arabic."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import localized
from core.tracks import Track

from . import access
from .html import clean_html


class Localized:
    """`.t("title")` / `.display_title` on content models."""

    def t(self, field: str, language: str | None = None) -> str:
        return localized(self, field, language)

    @property
    def display_title(self) -> str:
        return localized(self, "title")


def _page_url(name: str, pk: int) -> str:
    """The trainee page of a course or lesson (URL names `courses:course` / `courses:lesson`,
    one `pk` argument); empty while the pages are not installed."""
    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


# --- Content ------------------------------------------------------------------------------------


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """THE access path to courses (and through them to modules and lessons).

        Program managers and staff see every course, drafts included. Anyone else sees published
        courses whose audience includes them: see `courses.access.trainee_course_filter`, the
        point where cohorts plug in their curricula."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.can_manage():
            return self.all()
        return self.published().filter(access.trainee_course_filter(user))


class Course(Localized, models.Model):
    class Level(models.TextChoices):
        INTRODUCTORY = "introductory", _("Introductory")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    title = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary = models.TextField(_("summary (Arabic)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.INTRODUCTORY
    )
    cover = models.FileField(
        _("cover image"),
        upload_to="courses/covers/",
        blank=True,
        help_text=_("Optional. PNG or JPEG; keep it small for phones on slow connections."),
    )
    estimated_hours = models.PositiveSmallIntegerField(
        _("estimated hours"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    sequential_modules = models.BooleanField(
        _("modules in order"),
        default=False,
        help_text=_("Each module opens only when the previous one is complete."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
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

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["track", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(track__in=Track.values), name="courses_course_track_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="courses_course_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return _page_url("courses:course", self.pk)


class ModuleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Modules are reached only through a visible course."""
        return self.filter(course__in=Course.objects.visible_to(user))


class Module(Localized, models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="modules", verbose_name=_("course")
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    title = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary = models.TextField(_("summary (Arabic)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    available_from = models.DateTimeField(
        _("available from"),
        null=True,
        blank=True,
        help_text=_("Leave empty to open the module as soon as the course is open."),
    )

    objects = ModuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "position"], name="courses_module_position_unique"
            ),
        ]

    def __str__(self):
        return self.title


class LessonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lessons are reached only through a visible course. Whether a visible lesson is open
        (not locked by sequencing, prerequisites or dates) is `courses.progress`'s answer."""
        return self.filter(module__course__in=Course.objects.visible_to(user))

    def required(self):
        return self.filter(is_required=True)

    def in_outline_order(self):
        return self.order_by("module__position", "module_id", "position", "id")


http_url_validator = URLValidator(schemes=["http", "https"])


class Lesson(Localized, models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        VIDEO = "video", _("Video")
        RESOURCE = "resource", _("Downloadable resource")
        QUIZ = "quiz", _("Quiz")
        ASSIGNMENT = "assignment", _("Assignment")

    class LatePolicy(models.TextChoices):
        ACCEPT_LATE = "accept", _("Accept late submissions and flag them")
        REFUSE = "refuse", _("Refuse submissions after the deadline")

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("module")
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TEXT)
    title = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    # Text lessons: the content; quizzes: an introduction; assignments: the instructions.
    # Stored sanitised (see save()).
    body = models.TextField(_("content (Arabic)"), blank=True)
    body_en = models.TextField(_("content (English)"), blank=True)
    is_required = models.BooleanField(_("required"), default=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="unlocks",
        verbose_name=_("prerequisites"),
        help_text=_("Lessons of the same course that must be complete before this one opens."),
    )
    # Video: an external link plus a transcript, because bandwidth is scarce.
    video_url = models.CharField(
        _("video link"), max_length=500, blank=True, validators=[http_url_validator]
    )
    transcript = models.TextField(_("transcript (Arabic)"), blank=True)
    transcript_en = models.TextField(_("transcript (English)"), blank=True)
    # Downloadable resource: a PDF.
    resource = models.FileField(_("PDF file"), upload_to="courses/resources/", blank=True)
    # Quiz settings.
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempt limit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for unlimited attempts."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    # Assignment settings.
    due_at = models.DateTimeField(_("due date"), null=True, blank=True)
    due_days_after_start = models.PositiveSmallIntegerField(
        _("due days after the cohort starts"),
        null=True,
        blank=True,
        help_text=_("A deadline relative to the start of the trainee's cohort."),
    )
    late_policy = models.CharField(
        _("late submissions"),
        max_length=10,
        choices=LatePolicy.choices,
        default=LatePolicy.ACCEPT_LATE,
    )
    allow_text = models.BooleanField(_("text answer allowed"), default=True)
    allow_file = models.BooleanField(_("file upload allowed"), default=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["module", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "position"], name="courses_lesson_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["text", "video", "resource", "quiz", "assignment"]),
                name="courses_lesson_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__lte=100), name="courses_lesson_pass_mark_range"
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__isnull=True) | Q(max_attempts__gte=1),
                name="courses_lesson_max_attempts_positive",
            ),
            models.CheckConstraint(
                condition=~Q(kind="assignment") | Q(allow_text=True) | Q(allow_file=True),
                name="courses_lesson_assignment_accepts_something",
            ),
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(due_days_after_start__isnull=True),
                name="courses_lesson_one_kind_of_deadline",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Sanitise on every save (services, admin, shell alike): script in lesson content is
        # neutralised before it is stored, so no page can forget to do it.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.body = clean_html(self.body)
        if update_fields is None or "body_en" in update_fields:
            self.body_en = clean_html(self.body_en)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return _page_url("courses:lesson", self.pk)

    @property
    def course_id(self):
        return self.module.course_id

    @property
    def completes_by_itself(self) -> bool:
        """Text, video and resource lessons are completed by the trainee marking them; quizzes by
        a passing attempt; assignments by an accepted submission."""
        return self.kind not in (self.Kind.QUIZ, self.Kind.ASSIGNMENT)

    def deadline(self, *, starts_at: datetime.datetime | None = None):
        """The assignment deadline: absolute, or relative to the trainee's cohort start (None when
        the lesson has none, or when it is relative and no start date is known)."""
        if self.due_at is not None:
            return self.due_at
        if self.due_days_after_start is not None and starts_at is not None:
            return starts_at + datetime.timedelta(days=self.due_days_after_start)
        return None


class Question(Localized, models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="questions", verbose_name=_("quiz")
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    text = models.TextField(_("question (Arabic)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    explanation = models.TextField(
        _("explanation (Arabic)"), blank=True, help_text=_("Shown after an attempt is submitted.")
    )
    explanation_en = models.TextField(_("explanation (English)"), blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["lesson", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "position"], name="courses_question_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["single", "multiple", "true_false"]),
                name="courses_question_kind_valid",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def display_text(self) -> str:
        return localized(self, "text")


class Choice(Localized, models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    text = models.CharField(_("answer (Arabic)"), max_length=500)
    text_en = models.CharField(_("answer (English)"), max_length=500, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")
        ordering = ["question", "position", "id"]

    def __str__(self):
        return self.text

    @property
    def display_text(self) -> str:
        return localized(self, "text")


# --- Audience and progress -----------------------------------------------------------------------


class CourseEnrollment(models.Model):
    """A trainee enrolled in a course directly. Until cohorts exist this is how a course reaches
    its trainees; afterwards cohort curricula add a second way (see courses.access)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_enrollments",
        verbose_name=_("trainee"),
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("course")
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enrolled by"),
    )

    class Meta:
        verbose_name = _("course enrollment")
        verbose_name_plural = _("course enrollments")
        ordering = ["-enrolled_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courses_enrollment_unique"),
        ]

    def __str__(self):
        return f"{self.user} → {self.course}"


class ProgressQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People see their own progress; staff everyone's; a program manager that of the people
        they may see (`User.objects.visible_to`: the people of the cohorts they run); mentors
        and facilitators their trainees' through `courses.access.progress_owner_filter`."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff or user.is_superuser:
            return self.all()
        condition = access.progress_owner_filter(user, prefix="user")
        if user.can_manage():
            condition |= Q(user__in=get_user_model().objects.visible_to(user).values("pk"))
        return self.filter(condition)

    def for_course(self, course):
        return self.filter(lesson__module__course=course)


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("trainee"),
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="progress", verbose_name=_("lesson")
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    # The last time the trainee opened the lesson: "continue where you left off".
    last_seen_at = models.DateTimeField(_("last opened"), default=timezone.now, db_index=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="courses_progress_unique"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True)
                | Q(completed_at__gte=models.F("started_at")),
                name="courses_progress_completed_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.lesson}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class QuizAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        verbose_name=_("trainee"),
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz")
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    # {"<question id>": [choice ids]} as submitted, and the order the questions were shown in.
    answers = models.JSONField(_("answers"), default=dict)
    question_order = models.JSONField(_("question order"), default=list)
    # {"<question id>": true/false}: which answers were right, computed at submission.
    results = models.JSONField(_("results"), default=dict)
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["lesson", "user", "number"]
        constraints = [
            # The attempt limit holds under concurrency: two racing submissions cannot both take
            # the same number.
            models.UniqueConstraint(
                fields=["user", "lesson", "number"], name="courses_attempt_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="courses_attempt_number_min"),
            models.CheckConstraint(condition=Q(score__lte=100), name="courses_attempt_score_range"),
        ]

    def __str__(self):
        return f"{self.user} — {self.lesson} #{self.number}"


def submission_upload_to(instance, filename):
    # The stored name never comes from the uploader: a random name with the extension of the
    # type detected from the content (see courses.files).
    return f"courses/submissions/{instance.lesson_id}/{filename}"


class AssignmentSubmission(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        ACCEPTED = "accepted", _("Accepted")

    AWAITING_REVIEW = (Status.SUBMITTED, Status.RESUBMITTED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignment_submissions",
        verbose_name=_("trainee"),
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("assignment")
    )
    text = models.TextField(_("answer"), blank=True)
    file = models.FileField(_("file"), upload_to=submission_upload_to, blank=True)
    file_type = models.CharField(_("file type"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    is_late = models.BooleanField(_("late"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    feedback = models.TextField(_("feedback"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment submission")
        verbose_name_plural = _("assignment submissions")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # One submission per trainee and assignment; a resubmission replaces its content
            # and moves it on (returned -> resubmitted), earlier decisions stay in the audit trail.
            models.UniqueConstraint(fields=["user", "lesson"], name="courses_submission_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "returned", "resubmitted", "accepted"]),
                name="courses_submission_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["returned", "accepted"]) | Q(reviewed_at__isnull=False),
                name="courses_submission_review_has_date",
            ),
        ]
        indexes = [
            # The review queue: the few submissions waiting, oldest first, among all of them.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status__in=["submitted", "resubmitted"]),
                name="courses_submission_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.lesson}"

    @property
    def awaiting_review(self) -> bool:
        return self.status in self.AWAITING_REVIEW


class CourseProgressSnapshot(models.Model):
    """A stored copy of what `courses.progress` answers for one trainee and one course, so that
    pages over hundreds of trainees (the cohort dashboard, through its own copy) do not compute
    every lesson state.

    Written only by `courses.snapshots`, which computes the figures by calling the rule itself:
    the services refresh a trainee's row in the transaction that changes their progress
    (completion, a quiz passed, an assignment handed in, accepted or returned); a change to the
    course's structure refreshes every row of the course in a task after commit; `manage.py
    refresh_progress_snapshots` rebuilds them all. No row means no activity in the course: 0 %,
    not complete, nothing handed in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_snapshots",
        verbose_name=_("trainee"),
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="progress_snapshots",
        verbose_name=_("course"),
    )
    required_total = models.PositiveSmallIntegerField(_("required lessons"), default=0)
    required_done = models.PositiveSmallIntegerField(_("required lessons complete"), default=0)
    percent = models.PositiveSmallIntegerField(_("completion (%)"), default=0)
    completed = models.BooleanField(_("completed"), default=False)
    # The course's assignments the trainee has handed in, whatever the review, as ",12,15,"
    # (for overdue work; text so that copies and lookups stay plain on every database).
    handed_in = models.TextField(_("assignments handed in"), blank=True, default="")
    refreshed_at = models.DateTimeField(_("refreshed"), default=timezone.now)

    class Meta:
        verbose_name = _("course progress snapshot")
        verbose_name_plural = _("course progress snapshots")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courses_snapshot_unique"),
            models.CheckConstraint(
                condition=Q(required_done__lte=models.F("required_total")),
                name="courses_snapshot_done_within_total",
            ),
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="courses_snapshot_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(completed=False)
                | Q(required_total__gt=0, required_done=models.F("required_total")),
                name="courses_snapshot_completed_means_all_done",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.course}: {self.percent}%"
