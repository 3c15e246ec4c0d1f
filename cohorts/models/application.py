"""The application form of a cohort (its own questions) and the applications."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import localized

from .base import is_staff, signed_in
from .cohort import Cohort


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
        if not signed_in(user):
            return self.none()
        if is_staff(user):
            return self.all()
        return self.filter(Q(applicant=user) | Q(cohort__in=Cohort.objects.managed_by(user)))

    def waitlisted(self):
        return self.filter(status=Application.Status.WAITLISTED)

    def in_waitlist_order(self):
        # First come, first served: the earliest to be waitlisted is promoted first.
        return self.order_by("decided_at", "id")

    def count_by_status(self) -> dict[str, int]:
        """{status: how many}, in one query."""
        return dict(
            self.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )


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
