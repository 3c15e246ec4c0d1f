"""A team's proposal: its team, budget, files, the revisions frozen at each submission and every
transition."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import Governorate
from cohorts.models import Cohort, Membership, is_staff, signed_in

from .. import mentors

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Budget bounds: a youth initiative's line never needs more than this; bigger numbers are typos
# (or attacks on the totals), refused by the form and by the database alike.
MAX_QUANTITY = 100_000
MAX_UNIT_COST_IQD = 1_000_000_000
SCORE_MIN, SCORE_MAX = 1, 5


def managed_cohorts(user_id):
    """The cohorts a signed-in person who is not staff manages, by id (`managed_by_person`, the
    rule `Cohort.objects.managed_by` calls; the callers have checked both flags)."""
    return Cohort.objects.managed_by_person(user_id, signed_in=True, staff=False)


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """THE read path to proposals (see the module docstring)."""
        if not signed_in(user):
            return self.none()
        return self.visible_to_person(user.pk, staff=is_staff(user))

    def visible_to_person(self, user_id, *, staff):
        """`visible_to` for a signed-in, active person given by id; `staff` is `is_staff(user)`.
        The one rule, which compiled shapes (core.compiled) build from the id and the flag."""
        if staff:
            return self.all()
        team = Exists(
            TeamMember.objects.filter(
                proposal=OuterRef("pk"), user=user_id, status=TeamMember.Status.ACCEPTED
            )
        )
        # An invitee reads the proposal to decide, while the invitation can still be accepted:
        # the proposal not yet decided or withdrawn, the invitee still a trainee of its cohort.
        invited = Exists(
            TeamMember.objects.filter(
                proposal=OuterRef("pk"), user=user_id, status=TeamMember.Status.INVITED
            )
        )
        in_cohort = Exists(
            Membership.objects.trainees()
            .filter(cohort=OuterRef("cohort"), user=user_id)
            .exclude(status=Membership.Status.WITHDRAWN)
        )
        # The assignments of the review module, reached through the relation (it imports this one).
        assignments = self.model._meta.get_field("assignments").related_model
        reviewing = Exists(assignments.objects.filter(proposal=OuterRef("pk"), reviewer=user_id))
        return self.filter(
            Q(lead=user_id)
            | Q(team)
            | (Q(invited) & Q(in_cohort) & Q(status__in=Proposal.OPEN))
            | Q(reviewing)
            | Q(cohort__in=managed_cohorts(user_id))
            | mentors.mentee_filter(user_id)
        )

    def of_team(self, user):
        """Proposals where the person is the lead or an accepted co-author ("my proposals")."""
        accepted = Exists(
            TeamMember.objects.filter(
                proposal=OuterRef("pk"), user=user, status=TeamMember.Status.ACCEPTED
            )
        )
        return self.filter(Q(lead=user) | Q(accepted))

    def showcased(self):
        """Completed initiatives whose team agreed to show them publicly."""
        return self.filter(status=Proposal.Status.COMPLETED, showcase_consent=True)

    def with_budget_total(self):
        """Each proposal's budget total as `budget_total_iqd` (None without budget lines), summed
        by a subquery per row read: joining the lines and grouping summed them for every
        proposal of the list before the page was cut from it."""
        return self.annotate(budget_total_iqd=budget_total_subquery())


def budget_total_subquery() -> Subquery:
    """The sum of the outer proposal's budget lines (quantity × unit cost), None without any."""
    lines = BudgetLine.objects.filter(proposal=OuterRef("pk")).order_by().values("proposal")
    return Subquery(
        lines.annotate(total=Sum(F("quantity") * F("unit_cost_iqd"))).values("total"),
        output_field=models.BigIntegerField(),
    )


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        IN_IMPLEMENTATION = "in_implementation", _("In implementation")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    EDITABLE = (Status.DRAFT, Status.CHANGES_REQUESTED)
    UNDER_REVIEW = (Status.SUBMITTED, Status.IN_REVIEW, Status.RESUBMITTED)
    DECIDED = (Status.APPROVED, Status.REJECTED, Status.IN_IMPLEMENTATION, Status.COMPLETED)
    IMPLEMENTING = (Status.APPROVED, Status.IN_IMPLEMENTATION)
    # Not yet decided nor withdrawn: an invitation to co-author can still be answered.
    OPEN = (*EDITABLE, *UNDER_REVIEW)

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("cohort")
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_proposals",
        verbose_name=_("lead"),
    )
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem statement"), blank=True, max_length=5000)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    governorate = models.CharField(
        _("governorate"), max_length=20, choices=Governorate.choices, blank=True
    )
    objectives = models.TextField(_("objectives"), blank=True, max_length=5000)
    activities = models.TextField(_("activities"), blank=True, max_length=5000)
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    partners = models.TextField(_("partners"), blank=True, max_length=2000)
    expected_impact = models.TextField(_("expected impact"), blank=True, max_length=5000)
    indicators = models.TextField(_("measurable indicators"), blank=True, max_length=3000)
    risks = models.TextField(_("risks"), blank=True, max_length=3000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Optimistic concurrency: every save states the version it started from; a stale one is told
    # that someone else saved changes instead of overwriting them.
    version = models.PositiveIntegerField(_("version"), default=1)
    showcase_consent = models.BooleanField(
        _("show in the public showcase once completed"), default=False
    )
    showcase_first_names_only = models.BooleanField(
        _("show only first names in the showcase"), default=True
    )
    decision_message = models.TextField(_("decision message"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # A double-submitted creation form carries the same token twice: one proposal.
    form_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative proposal")
        verbose_name_plural = _("initiative proposals")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="proposals_proposal_dates_order",
                violation_error_code="dates_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "in_review",
                        "changes_requested",
                        "resubmitted",
                        "approved",
                        "rejected",
                        "in_implementation",
                        "completed",
                        "withdrawn",
                    ]
                ),  # fmt: skip
                name="proposals_proposal_status_valid",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="proposals_version_positive"),
            models.UniqueConstraint(
                fields=["lead", "form_token"], name="proposals_proposal_form_token_unique"
            ),
        ]
        # A cohort's list, all of it or one status, newest first: read a page from the index.
        indexes = [
            models.Index(fields=["cohort", "-updated_at", "-id"], name="proposals_cohort_updated"),
            models.Index(
                fields=["cohort", "status", "-updated_at", "-id"],
                name="proposals_cohort_status_upd",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED

    def budget_total(self) -> int:
        total = getattr(self, "budget_total_iqd", None)
        if total is not None:
            return total
        return sum(line.total for line in self.budget_lines.all())

    def overall_progress(self) -> int:
        """Overall progress: the mean of the milestones' percentages (0 without milestones)."""
        percents = [m.percent_complete for m in self.milestones.all()]
        return round(sum(percents) / len(percents)) if percents else 0

    def team_user_ids(self) -> set[int]:
        ids = {self.lead_id}
        ids.update(
            m.user_id for m in self.team_members.all() if m.status == TeamMember.Status.ACCEPTED
        )
        return ids


class TeamMember(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="team_members", verbose_name=_("proposal")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposal_teams",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")
        ordering = ["proposal", "invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="proposals_team_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["invited", "accepted", "declined"]),
                name="proposals_team_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.proposal}"


class BudgetLine(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("proposal")
    )
    item = models.CharField(_("item"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_cost_iqd = models.BigIntegerField(_("unit cost (IQD)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["proposal", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=MAX_QUANTITY),
                name="proposals_budget_quantity_range",
            ),
            models.CheckConstraint(
                condition=Q(unit_cost_iqd__gte=0) & Q(unit_cost_iqd__lte=MAX_UNIT_COST_IQD),
                name="proposals_budget_unit_cost_range",
            ),
        ]

    def __str__(self):
        return self.item

    @property
    def total(self) -> int:
        return self.quantity * self.unit_cost_iqd


def attachment_path(instance, filename):
    # The stored name is random (chosen by the service); only the folder is decided here.
    return f"proposals/attachments/{filename}"


class Attachment(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("proposal")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["proposal", "uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=MAX_ATTACHMENT_BYTES), name="proposals_attachment_size"
            ),
        ]

    def __str__(self):
        return self.original_name


class Revision(models.Model):
    """The proposal as it was submitted (frozen JSON), one per submission."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("proposal")
    )
    number = models.PositiveIntegerField(_("number"))
    proposal_version = models.PositiveIntegerField(_("proposal version"))
    snapshot = models.JSONField(_("snapshot"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="proposals_revision_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.proposal} #{self.number}"


class Transition(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("proposal")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Proposal.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Proposal.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["proposal", "created_at", "id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
