"""The proposal pages' reads as compiled shapes (core.compiled): built from the same rules as the
ORM path (`visible_to_person`, which `visible_to` calls), compiled once per connection, then run
with the request's ids. A person's role (staff or not) is a keyword of the shape, never read
inside a builder. Related rows a page would prefetch come from shapes of their own and are put
where Django's prefetching puts them."""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404

from cohorts.models import Cohort, Membership, is_staff, signed_in
from core.compiled import Shape, attach_related
from core.paging import ShapedList

from . import mentors, services
from .models import (
    Attachment,
    BudgetLine,
    Criterion,
    Milestone,
    ProgressPhoto,
    ProgressUpdate,
    Proposal,
    Review,
    ReviewAssignment,
    ReviewNote,
    Revision,
    Rubric,
    Score,
    TeamMember,
    Transition,
)


def _proposal(user_id, proposal_id, *, staff):
    """One proposal the person may read, with its cohort and lead."""
    return (
        Proposal.objects.visible_to_person(user_id, staff=staff)
        .select_related("cohort", "lead")
        .filter(pk=proposal_id)
        .order_by()
    )


def _team_parts(user_id) -> dict:
    """services.is_team's two questions as annotations of a proposal: whether the person
    belongs to its cohort (not withdrawn) and is an accepted co-author (see `_is_team`)."""
    in_cohort = Membership.objects.filter(cohort=OuterRef("cohort"), user_id=user_id).exclude(
        status=Membership.Status.WITHDRAWN
    )
    accepted = TeamMember.objects.filter(
        proposal=OuterRef("pk"), user_id=user_id, status=TeamMember.Status.ACCEPTED
    )
    return {"in_cohort": Exists(in_cohort), "accepted": Exists(accepted)}


def _is_team(user, proposal) -> bool:
    """services.is_team, from `_team_parts`' annotations."""
    return bool(
        user.is_active and proposal.in_cohort and (proposal.lead_id == user.pk or proposal.accepted)
    )


def _detail(user_id, proposal_id, *, staff):
    """`_proposal` with what the detail page asks of the person in the same query: whether
    they are of the team (`_team_parts`), whether they run the cohort (services.can_manage;
    staff run every cohort) and whether the cohort's rubric hides reviewers' names (null
    without a rubric)."""
    manages = Cohort.objects.managed_by_person(user_id, signed_in=True, staff=False).filter(
        pk=OuterRef("cohort")
    )
    hide = Rubric.objects.filter(cohort=OuterRef("cohort")).values("hide_reviewer_names")
    return _proposal(user_id, proposal_id, staff=staff).annotate(
        **_team_parts(user_id),
        manages=Exists(manages),
        hide_names=Subquery(hide[:1]),
    )


def _children(model, *related, only=()):
    """A proposal's rows of one kind, in their model's order (as its prefetch reads them). The
    order's leading `proposal` is the same for every row, so it is left out: ordering by it
    joins the proposal for its own default order. Only the named relations are joined (a bare
    `select_related()` would join the proposal, its cohort and its lead into every row)."""
    ordering = [field for field in model._meta.ordering if field != "proposal"]

    def build(proposal_id):
        rows = model.objects.filter(proposal=proposal_id).order_by(*ordering)
        if related:
            rows = rows.select_related(*related)
        return rows.only(*only) if only else rows

    return Shape(build)


def _submitted_reviews(user_id, proposal_id, *, staff):
    """The submitted reviews of a proposal the person may read, with their reviewers."""
    return (
        Review.objects.visible_to_person(user_id, staff=staff)
        .submitted()
        .filter(assignment__proposal=proposal_id)
        .select_related("assignment__reviewer")
    )


def _assignments(proposal_id):
    """A proposal's review assignments with their reviewers and reviews (if any)."""
    return ReviewAssignment.objects.filter(proposal=proposal_id).select_related(
        "reviewer", "review"
    )


def _scores(*review_ids, reviews):
    """The scores of these reviews with their criteria (`reviews`: how many ids), each review's
    in its model's order. By the review's id, not the review: ordering by the review joins it
    and its assignment for their own default order, and the scores are put on their reviews by
    id anyway."""
    return (
        Score.objects.filter(review__in=review_ids)
        .select_related("criterion")
        .order_by("review_id", "criterion__position", "id")
    )


def _assignment(assignment_id, reviewer_id):
    """One of the reviewer's assignments, with the proposal (its cohort, lead) and the review."""
    return (
        ReviewAssignment.objects.select_related("proposal__cohort", "proposal__lead", "review")
        .filter(pk=assignment_id, reviewer=reviewer_id)
        .order_by()
    )


def _notes(user_id, proposal_id, *, staff):
    """The private notes of a proposal the person may read, with their authors."""
    return (
        ReviewNote.objects.visible_to_person(user_id, staff=staff)
        .filter(proposal=proposal_id)
        .select_related("author")
    )


_PROPOSAL = Shape(_proposal)
_DETAIL = Shape(_detail)
# The detail page's related rows (its template reads no milestones).
_DETAIL_CHILDREN = (
    ("budget_lines", _children(BudgetLine)),
    ("attachments", _children(Attachment)),
    ("team_members", _children(TeamMember, "user")),
    ("transitions", _children(Transition, "actor")),
    ("revisions", _children(Revision, only=("id", "proposal_id", "number", "created_at"))),
)
_SUBMITTED_REVIEWS = Shape(_submitted_reviews)
_ASSIGNMENTS = Shape(_assignments)
_SCORES = Shape(_scores)
_ASSIGNMENT = Shape(_assignment)
_RUBRIC = Shape(lambda cohort_id: Rubric.objects.filter(cohort=cohort_id).order_by())
_CRITERIA = Shape(lambda rubric_id: Criterion.objects.filter(rubric=rubric_id))
_NOTES = Shape(_notes)


def visible_proposal(user, proposal_id) -> Proposal:
    """`Proposal.objects.visible_to(user)`'s proposal with this id (else 404), with its cohort
    and lead."""
    if not signed_in(user):
        raise Http404
    proposal = _PROPOSAL.first(user.pk, proposal_id, staff=is_staff(user))
    if proposal is None:
        raise Http404
    return proposal


def detail_proposal(user, proposal_id) -> Proposal:
    """The proposal of the detail page (`visible_to(user)`, else 404), with its cohort, lead,
    budget lines, attachments, team (with the people), transitions (with the actors) and
    revisions (their numbers and dates); `is_team` and `is_manager` set as services.is_team
    and services.can_manage answer, `hide_names` the cohort's rubric's setting (None without a
    rubric)."""
    if not signed_in(user):
        raise Http404
    staff = is_staff(user)
    proposal = _DETAIL.first(user.pk, proposal_id, staff=staff)
    if proposal is None:
        raise Http404
    # services.is_team and services.can_manage, from the annotations.
    proposal.is_team = _is_team(user, proposal)
    proposal.is_manager = staff or proposal.manages
    for name, shape in _DETAIL_CHILDREN:
        attach_related(proposal, name, shape.list(proposal.pk), back="proposal")
    return proposal


def submitted_reviews(user, proposal) -> list[Review]:
    """The submitted reviews of the proposal that `Review.objects.visible_to(user)` shows, with
    their reviewers and their scores (with the criteria)."""
    if not signed_in(user):
        return []
    return _with_scores(_SUBMITTED_REVIEWS.list(user.pk, proposal.pk, staff=is_staff(user)))


def review_board(proposal) -> tuple[list[ReviewAssignment], list[Review]]:
    """The decision page's: the proposal's review assignments in their order, with the
    reviewers and `is_done` (the review submitted); and every submitted review, in the same
    order (a review's order is its assignment's), with its assignment, reviewer and scores (with
    the criteria). One query for both, one for the scores."""
    assignments = _ASSIGNMENTS.list(proposal.pk)
    reviews = []
    for assignment in assignments:
        review = getattr(assignment, "review", None)
        assignment.is_done = review is not None and review.submitted_at is not None
        if assignment.is_done:
            reviews.append(review)
    return assignments, _with_scores(reviews)


def _with_children(parents: list, shape: Shape, *, name: str, back: str) -> list:
    """The parents, each given its children read by `shape` in one stored query over the
    parents' ids (keyed by their number, `<back>s`), as prefetch_related("<name>") would."""
    if parents:
        ids = [parent.pk for parent in parents]
        by_parent = {pk: [] for pk in ids}
        for child in shape.list(*ids, **{f"{back}s": len(ids)}):
            by_parent[getattr(child, f"{back}_id")].append(child)
        for parent in parents:
            attach_related(parent, name, by_parent[parent.pk], back=back)
    return parents


def _with_scores(reviews: list[Review]) -> list[Review]:
    """The reviews, each given its scores (with the criteria) as prefetching would."""
    return _with_children(reviews, _SCORES, name="scores", back="review")


def reviewer_assignment(user, assignment_id) -> ReviewAssignment:
    """The person's own review assignment (else 404), with the proposal's cohort and lead and the
    review if there is one."""
    assignment = _ASSIGNMENT.first(assignment_id, user.pk)
    if assignment is None:
        raise Http404
    return assignment


def criteria_for(cohort) -> list[Criterion]:
    """The criteria of the cohort's rubric (`rubric_for(cohort).criteria.all()`): the rubric is
    created with the default criteria the first time it is needed."""
    return rubric_and_criteria(cohort)[1]


def rubric_and_criteria(cohort) -> tuple[Rubric, list[Criterion]]:
    """`services.rubric_for(cohort)` and its `criteria.all()`, each criterion holding it."""
    rubric = _RUBRIC.first(cohort.pk) or services.rubric_for(cohort)
    criteria = _CRITERIA.list(rubric.pk)
    for criterion in criteria:
        criterion.rubric = rubric
    return rubric, criteria


def notes(user, proposal) -> list[ReviewNote]:
    """The proposal's private notes that `ReviewNote.objects.visible_to(user)` shows."""
    if not signed_in(user):
        return []
    return _NOTES.list(user.pk, proposal.pk, staff=is_staff(user))


# --- The implementation page, the revisions compared and the public showcase -------------------


def _implementation(user_id, proposal_id, *, staff):
    """`_proposal` with what the implementation page asks of the person in the same query:
    whether they are of the team (`_team_parts`) and whether they run the cohort or mentor its
    lead (services.can_comment's rule, asked of the proposal's own row)."""
    managed = Cohort.objects.managed_by_person(user_id, signed_in=True, staff=staff)
    comments = Proposal.objects.filter(
        Q(cohort__in=managed) | mentors.mentee_filter(user_id), pk=OuterRef("pk")
    )
    return _proposal(user_id, proposal_id, staff=staff).annotate(
        **_team_parts(user_id), comments=Exists(comments)
    )


def _updates(proposal_id):
    """The proposal's latest progress updates with their authors, as the page shows them."""
    return (
        ProgressUpdate.objects.filter(proposal=proposal_id)
        .select_related("author")
        .order_by("-created_at", "-id")[:50]
    )


def _photos(*update_ids, updates):
    """The photos of these updates (`updates`: how many ids), by update then id (the model has
    no order of its own; prefetching read them in the table's order, which is the ids')."""
    return ProgressPhoto.objects.filter(update__in=update_ids).order_by("update_id", "id")


def _showcased():
    """Completed initiatives whose team agreed to show them (Proposal.objects.showcased), with
    their cohorts and leads, newest decision first."""
    return (
        Proposal.objects.showcased().select_related("cohort", "lead").order_by("-decided_at", "-id")
    )


def _showcased_one(proposal_id):
    """`_showcased`'s initiative with this id."""
    return _showcased().filter(pk=proposal_id).order_by()


def _accepted_team(*proposal_ids, proposals):
    """The accepted co-authors of these proposals (`proposals`: how many ids) with their users,
    each proposal's in its model's order (by the proposal's id, not the proposal: ordering by it
    joins it for its own default order, and the rows are put on their proposals by id)."""
    return (
        TeamMember.objects.filter(proposal__in=proposal_ids, status=TeamMember.Status.ACCEPTED)
        .select_related("user")
        .order_by("proposal_id", "invited_at", "id")
    )


_IMPLEMENTATION = Shape(_implementation)
_MILESTONES = _children(Milestone)
_UPDATES = Shape(_updates)
_PHOTOS = Shape(_photos)
_REVISIONS = Shape(
    lambda proposal_id: Revision.objects.filter(proposal=proposal_id).order_by("number")
)
_SHOWCASED_ONE = Shape(_showcased_one)
_ACCEPTED_TEAM = Shape(_accepted_team)


def implementation_proposal(user, proposal_id) -> Proposal:
    """The proposal of the implementation page (`visible_to(user)`, else 404), with its cohort
    and lead; `is_team` and `can_comment` set as services.is_team and services.can_comment
    answer."""
    if not signed_in(user):
        raise Http404
    proposal = _IMPLEMENTATION.first(user.pk, proposal_id, staff=is_staff(user))
    if proposal is None:
        raise Http404
    proposal.is_team = _is_team(user, proposal)
    proposal.can_comment = bool(user.is_active and proposal.comments)
    return proposal


def milestones(proposal) -> list[Milestone]:
    """`proposal.milestones.all()`: the proposal's milestones in their order."""
    return _back(_MILESTONES.list(proposal.pk), proposal)


def updates(proposal) -> list[ProgressUpdate]:
    """The implementation page's updates: the latest 50, newest first, with their authors and
    their photos (as `prefetch_related("photos")` leaves them)."""
    rows = _back(_UPDATES.list(proposal.pk), proposal)
    return _with_children(rows, _PHOTOS, name="photos", back="update")


def revisions(proposal) -> list[Revision]:
    """`proposal.revisions.order_by("number")`: its revisions, oldest first."""
    return _back(_REVISIONS.list(proposal.pk), proposal)


def _back(rows: list, proposal) -> list:
    """The rows, each holding the proposal as its related manager's rows do."""
    for row in rows:
        row.proposal = proposal
    return rows


def showcase() -> ShapedList:
    """The showcase's list (Proposal.objects.showcased, newest decision first, with cohorts
    and leads), paged as stored SQL; `accepted_teams` gives a page's teams."""
    return ShapedList(_showcased)


def showcased_proposal(proposal_id) -> Proposal | None:
    """The showcased initiative with this id (Proposal.objects.showcased), with its cohort and
    lead, or None."""
    return _SHOWCASED_ONE.first(proposal_id)


def accepted_teams(proposals) -> dict[int, list[TeamMember]]:
    """Each proposal's accepted co-authors (with the people), in their order, by proposal id:
    what the showcase's prefetch of accepted members gave, without a query when there is no
    proposal."""
    teams = {proposal.pk: [] for proposal in proposals}
    if teams:
        for member in _ACCEPTED_TEAM.list(*teams, proposals=len(teams)):
            teams[member.proposal_id].append(member)
    return teams
