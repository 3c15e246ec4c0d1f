"""Training content: a course, its ordered modules and lessons, quiz questions and their choices, and the trainees enrolled in a course directly."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import localized
from core.pages import page_url
from core.tracks import Track

from .. import access
from ..html import clean_html, render_markdown
from .base import Localized

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
        return self.for_person(user.pk, manager=user.can_manage())

    def for_person(self, user_id, *, manager: bool):
        """`visible_to` for an active person known by id, and whether they manage (can_manage()):
        the rule itself, shared with the compiled lookups of courses.lookups."""
        if manager:
            return self.all()
        return self.published().filter(
            access.trainee_course_filter(user_id, enrollments=CourseEnrollment.objects)
        )


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
        return page_url("courses:course", pk=self.pk)


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

    def for_person(self, user_id, *, manager: bool):
        """`visible_to` for an active person known by id (see `CourseQuerySet.for_person`)."""
        return self.filter(module__course__in=Course.objects.for_person(user_id, manager=manager))

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

    class BodyFormat(models.TextChoices):
        MARKDOWN = "markdown", _("Markdown")
        HTML = "html", _("HTML")

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
    # `body`/`body_en` are what pages show: sanitised HTML (see save()). Authors write Markdown
    # (`body_markdown`, rendered into `body` on save); lessons written before Markdown existed
    # keep their HTML in `body` with the HTML format.
    body_format = models.CharField(
        _("content format"), max_length=8, choices=BodyFormat.choices, default=BodyFormat.HTML
    )
    body = models.TextField(_("content (Arabic)"), blank=True)
    body_en = models.TextField(_("content (English)"), blank=True)
    body_markdown = models.TextField(_("content in Markdown (Arabic)"), blank=True)
    body_en_markdown = models.TextField(_("content in Markdown (English)"), blank=True)
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
            models.CheckConstraint(
                condition=Q(body_format__in=["markdown", "html"]),
                name="courses_lesson_body_format_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Sanitise on every save (services, admin, shell alike): script in lesson content is
        # neutralised before it is stored, so no page can forget to do it.
        update_fields = kwargs.get("update_fields")
        fields = None if update_fields is None else set(update_fields)
        for shown, markdown in (("body", "body_markdown"), ("body_en", "body_en_markdown")):
            if fields is not None and not {shown, markdown, "body_format"} & fields:
                continue
            if self.body_format == self.BodyFormat.MARKDOWN:
                setattr(self, shown, render_markdown(getattr(self, markdown)))
            else:
                setattr(self, shown, clean_html(getattr(self, shown)))
            if fields is not None:
                fields.add(shown)
        if fields is not None:
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_url("courses:lesson", pk=self.pk)

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


# --- Audience ----------------------------------------------------------------------------------


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
