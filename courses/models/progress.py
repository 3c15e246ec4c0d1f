"""Each trainee's progress: lesson progress, quiz attempts, assignment submissions and the stored figures of a course per trainee."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import access
from .content import Course, Lesson


class ProgressQuerySet(models.QuerySet):
    def visible_to(self, user, *, per_row: bool = False):
        """People see their own progress; staff everyone's; a program manager that of the people
        they may see (`User.objects.visible_to`: the people of the cohorts they run); mentors
        and facilitators their trainees' through `courses.access.progress_owner_filter`.
        `per_row` asks who may see each row as it is read (`courses.access.among`): for a page
        read in the order of an index, or one row."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff or user.is_superuser:
            return self.all()
        condition = access.progress_owner_filter(user, prefix="user", per_row=per_row)
        if user.can_manage():
            people = get_user_model().objects.visible_to(user).values("pk")
            condition |= access.among(people, "user", per_row=per_row)
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
        indexes = [
            # "Continue where you left off": the person's lesson opened last, read from the top
            # of this index instead of walking everyone's by time (25,000 rows for one person
            # in the benchmark's fixture).
            models.Index(
                fields=["user", "-last_seen_at", "-id"], name="courses_progress_user_recent"
            ),
        ]
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
    # The course's assignments the trainee has handed in, whatever the review: their lesson ids,
    # sorted (for overdue work).
    handed_in = models.JSONField(_("assignments handed in"), blank=True, default=list)
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
