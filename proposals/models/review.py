"""The cohort's rubric, review assignments, the reviews scored with it and private notes."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, is_staff, signed_in
from core.i18n import localized

from .proposal import SCORE_MAX, SCORE_MIN, Proposal, managed_cohorts


class Rubric(models.Model):
    """A cohort's rubric and its review settings."""

    cohort = models.OneToOneField(
        Cohort, on_delete=models.CASCADE, related_name="proposal_rubric", verbose_name=_("cohort")
    )
    hide_reviewer_names = models.BooleanField(_("hide reviewers' names from teams"), default=True)
    exclude_own_mentor = models.BooleanField(
        _("a trainee's own mentor does not review their proposal"), default=False
    )
    proposal_deadline = models.DateField(_("proposal deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self):
        return str(self.cohort)


class Criterion(models.Model):
    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubric")
    )
    name = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Arabic)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100), name="proposals_criterion_weight"
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


class ReviewAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not signed_in(user):
            return self.none()
        if is_staff(user):
            return self.all()
        return self.filter(
            Q(reviewer=user) | Q(proposal__cohort__in=Cohort.objects.managed_by(user))
        )

    def pending(self):
        return self.filter(Q(review__isnull=True) | Q(review__submitted_at__isnull=True))

    def done(self):
        return self.filter(review__submitted_at__isnull=False)


class ReviewAssignment(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("proposal")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposal_assignments",
        verbose_name=_("reviewer"),
    )
    due_on = models.DateField(_("due date"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    objects = ReviewAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "reviewer"], name="proposals_assignment_unique"
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.proposal}"


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reviewers their own; managers their cohorts'; the team only submitted reviews of a
        decided proposal."""
        if not signed_in(user):
            return self.none()
        return self.visible_to_person(user.pk, staff=is_staff(user))

    def visible_to_person(self, user_id, *, staff):
        """`visible_to` for a signed-in, active person given by id; `staff` is `is_staff(user)`."""
        if staff:
            return self.all()
        managed = managed_cohorts(user_id)
        team = Proposal.objects.of_team(user_id).filter(status__in=Proposal.DECIDED)
        return self.filter(
            Q(assignment__reviewer=user_id)
            | Q(assignment__proposal__cohort__in=managed)
            | (Q(assignment__proposal__in=team) & Q(submitted_at__isnull=False))
        )

    def submitted(self):
        return self.filter(submitted_at__isnull=False)


class Review(models.Model):
    assignment = models.OneToOneField(
        ReviewAssignment,
        on_delete=models.CASCADE,
        related_name="review",
        verbose_name=_("assignment"),
    )
    comments = models.TextField(_("comments"), blank=True, max_length=10000)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assignment", "id"]

    def __str__(self):
        return str(self.assignment)

    def weighted_score(self) -> float | None:
        """Σ weight·score / Σ weight over this review's scores (1–5), None without scores."""
        scores = list(self.scores.all())
        weight = sum(s.criterion.weight for s in scores)
        if not weight:
            return None
        return sum(s.criterion.weight * s.score for s in scores) / weight


class Score(models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "criterion__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="proposals_score_unique"),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX),
                name="proposals_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class ReviewNoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Private notes: the proposal's reviewers and its cohort's managers, never the team."""
        if not signed_in(user):
            return self.none()
        return self.visible_to_person(user.pk, staff=is_staff(user))

    def visible_to_person(self, user_id, *, staff):
        """`visible_to` for a signed-in, active person given by id; `staff` is `is_staff(user)`."""
        if staff:
            return self.all()
        reviewing = Exists(
            ReviewAssignment.objects.filter(proposal=OuterRef("proposal"), reviewer=user_id)
        )
        return self.filter(Q(reviewing) | Q(proposal__cohort__in=managed_cohorts(user_id)))


class ReviewNote(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="notes", verbose_name=_("proposal")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = ReviewNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        ordering = ["proposal", "created_at", "id"]

    def __str__(self):
        return self.body[:50]
