"""Applications and selection (apply, decide one or many, withdraw), memberships and the
waitlist that fills freed places."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict
from core.models import record
from core.pages import page_url
from core.templatetags.dates import format_when
from notifications.services import notify

from ..models import Application, Cohort, Membership
from ..notifications import (
    APPLICATION_RECEIVED,
    DECISION_KINDS,
    MEMBER_ADDED,
    NEW_APPLICATION,
    PROMOTED_FROM_WAITLIST,
    cohort_managers,
    cohort_names,
)
from .permissions import require_cohort_manager, require_person_in_scope
from .sessions import release_facilitator

A = Application.Status
# Applications are decided while recruiting, and while running (late places, the waitlist).
DECIDING_STATUSES = {Cohort.Status.RECRUITING, Cohort.Status.RUNNING}
# The decisions a manager may take from each status (withdrawal is the applicant's own act).
DECISIONS: dict[str, set[str]] = {
    A.SUBMITTED: {A.SHORTLISTED, A.ACCEPTED, A.WAITLISTED, A.REJECTED},
    A.SHORTLISTED: {A.ACCEPTED, A.WAITLISTED, A.REJECTED},
    A.WAITLISTED: {A.SHORTLISTED, A.ACCEPTED, A.REJECTED},
    A.REJECTED: {A.SHORTLISTED},
    A.ACCEPTED: set(),
    A.WITHDRAWN: set(),
}
Decision = Literal["shortlisted", "accepted", "waitlisted", "rejected"]
Overflow = Literal["refuse", "waitlist"]
MAX_ANSWER_LENGTH = 4000


@transaction.atomic
def apply_to_cohort(
    *,
    applicant,
    cohort: Cohort,
    motivation: str,
    availability: str,
    consent: bool,
    civic_experience: str = "",
    answers: Mapping | None = None,
) -> Application:
    """A trainee applies to a recruiting cohort, once. The applicant gets a receipt; the cohort's
    managers an in-app notification (no e-mail: they see the list and a count on their home)."""
    if not (applicant.is_authenticated and applicant.is_active and applicant.is_trainee):
        raise PermissionDenied(_("Only trainees can apply to a cohort."))
    cohort = Cohort.objects.get(pk=cohort.pk)
    if cohort.status != Cohort.Status.RECRUITING:
        raise Conflict(_("This cohort is not accepting applications."), code="not_recruiting")
    if not cohort.taking_applications():
        raise Conflict(
            _("Applications to this cohort closed on %(date)s.")
            % {"date": format_when(cohort.applications_close_on, "DATE_FORMAT")},
            code="applications_closed",
        )
    if Application.objects.filter(cohort=cohort, applicant=applicant).exists():
        raise Conflict(_("You have already applied to this cohort."), code="already_applied")
    if Membership.objects.active().filter(cohort=cohort, user=applicant).exists():
        raise Conflict(_("You are already a member of this cohort."), code="already_member")

    errors = {}
    motivation = (motivation or "").strip()
    availability = (availability or "").strip()
    civic_experience = (civic_experience or "").strip()
    if not motivation:
        errors["motivation"] = [_("Tell us why you want to join.")]
    if not availability:
        errors["availability"] = [_("Tell us when you can attend.")]
    for name, value in (
        ("motivation", motivation),
        ("availability", availability),
        ("civic_experience", civic_experience),
    ):
        if len(value) > MAX_ANSWER_LENGTH:
            errors[name] = [
                _("Keep this under %(limit)s characters.") % {"limit": MAX_ANSWER_LENGTH}
            ]
    if consent is not True:
        errors["consent"] = [_("You must agree to the programme's use of your data to apply.")]
    cleaned_answers, answer_errors = _clean_answers(cohort, answers or {})
    if answer_errors:
        errors["answers"] = answer_errors
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                cohort=cohort,
                applicant=applicant,
                motivation=motivation,
                availability=availability,
                civic_experience=civic_experience,
                answers=cleaned_answers,
                consented_at=now,
                submitted_at=now,
            )
    except IntegrityError as exc:
        # Two submissions racing: the unique constraint lets only one in.
        raise Conflict(
            _("You have already applied to this cohort."), code="already_applied"
        ) from exc
    record(actor=applicant, action="cohorts.apply", target=application, cohort=cohort.pk)
    notify(
        recipient=applicant,
        kind=APPLICATION_RECEIVED.key,
        params=cohort_names(cohort),
        url=page_url("cohorts:detail", pk=cohort.pk),
    )
    # The cohort's managers, in their notification centre (no e-mail: a recruiting cohort
    # receives many; their home counts what waits).
    waiting = page_url("cohorts:applications", pk=cohort.pk)
    for manager in cohort_managers(cohort.pk):
        notify(
            recipient=manager,
            kind=NEW_APPLICATION.key,
            params={**cohort_names(cohort), "name": applicant.full_name or applicant.email},
            url=waiting,
        )
    return application


def _clean_answers(cohort: Cohort, answers: Mapping) -> tuple[dict, list]:
    questions = {str(q.pk): q for q in cohort.application_questions.all()}
    errors = []
    cleaned = {}
    for key, value in answers.items():
        key = str(key)
        if key not in questions:
            errors.append(_("An answer refers to a question this cohort does not ask."))
            continue
        text = str(value or "").strip()
        if len(text) > MAX_ANSWER_LENGTH:
            errors.append(
                _("Keep each answer under %(limit)s characters.") % {"limit": MAX_ANSWER_LENGTH}
            )
        if text:
            cleaned[key] = text
    for key, question in questions.items():
        if question.required and key not in cleaned:
            errors.append(
                _("Answer the question: %(question)s") % {"question": question.display_text}
            )
    return cleaned, errors


@dataclass
class DecisionResult:
    application: Application
    # What was decided; may differ from what was asked when a full cohort waitlists instead.
    status: str
    changed: bool


@transaction.atomic
def decide_application(
    *,
    actor,
    application: Application,
    decision: Decision,
    note: str = "",
    overflow: Overflow = "refuse",
) -> DecisionResult:
    """Shortlist, accept, waitlist or reject one application; the applicant is notified in
    their language. Accepting never takes the cohort past its capacity, however many managers
    decide at once: the cohort row is locked while the trainees are counted. When the cohort is
    full, `overflow="refuse"` raises Conflict(code="cohort_full") and `"waitlist"` waitlists."""
    result = _decide(
        actor=actor, application_id=application.pk, decision=decision, note=note, overflow=overflow
    )
    application.refresh_from_db()
    result.application = application
    return result


def _decide(*, actor, application_id: int, decision: str, note: str, overflow: str):
    if decision not in DECISIONS[A.SUBMITTED]:
        raise ValidationError({"decision": [_("Unknown decision.")]})
    application = Application.objects.select_related("cohort").get(pk=application_id)
    require_cohort_manager(actor, application.cohort)
    # Lock order everywhere: the cohort row first, then the application.
    cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
    application = Application.objects.select_for_update().get(pk=application_id)
    if cohort.status not in DECIDING_STATUSES:
        raise Conflict(
            _("Applications are decided only while the cohort is recruiting or running."),
            code="not_deciding",
        )
    if application.status == decision:
        return DecisionResult(application=application, status=decision, changed=False)
    if decision not in DECISIONS[application.status]:
        raise Conflict(
            _("An application that is “%(old)s” cannot become “%(new)s”.")
            % {"old": A(application.status).label, "new": A(decision).label},
            code="bad_transition",
        )
    if decision == A.ACCEPTED:
        taken = Membership.objects.active().trainees().filter(cohort=cohort).count()
        if taken >= cohort.capacity:
            if overflow != "waitlist":
                raise Conflict(
                    _("The cohort is full (%(capacity)s trainees).")
                    % {"capacity": cohort.capacity},
                    code="cohort_full",
                )
            decision = A.WAITLISTED
            if application.status == decision:
                return DecisionResult(application=application, status=decision, changed=False)
        else:
            _admit(actor=actor, cohort=cohort, application=application)
    application.status = decision
    application.decided_at = timezone.now()
    application.decided_by = actor
    fields = ["status", "decided_at", "decided_by"]
    if note:
        application.decision_note = note.strip()
        fields.append("decision_note")
    application.save(update_fields=fields)
    record(
        actor=actor,
        action="cohorts.decide_application",
        target=application,
        decision=decision,
        cohort=cohort.pk,
    )
    notify(
        recipient=application.applicant,
        kind=DECISION_KINDS[decision].key,
        params=cohort_names(cohort),
        url=page_url("cohorts:detail", pk=cohort.pk),
    )
    return DecisionResult(application=application, status=decision, changed=True)


def _admit(*, actor, cohort: Cohort, application: Application) -> Membership:
    if Membership.objects.active().filter(cohort=cohort, user_id=application.applicant_id).exists():
        raise Conflict(_("This person already has a role in the cohort."), code="already_member")
    return Membership.objects.create(
        cohort=cohort,
        user_id=application.applicant_id,
        role=Membership.Role.TRAINEE,
        added_by=actor,
    )


@dataclass
class BulkResult:
    decided: list[DecisionResult] = field(default_factory=list)
    # {application id: message} for those that could not take the decision.
    failed: dict[int, str] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.decided:
            if r.changed:
                counts[r.status] = counts.get(r.status, 0) + 1
        return counts


def bulk_decide(
    *,
    actor,
    cohort: Cohort,
    application_ids: Iterable[int],
    decision: Decision,
    overflow: Overflow = "waitlist",
) -> BulkResult:
    """Take one decision for many applications of one cohort (in submission order, so the
    earliest applicants get the last places). Each application is decided in its own
    transaction: one that cannot take the decision is reported, the others go ahead."""
    require_cohort_manager(actor, cohort)
    if decision not in DECISIONS[A.SUBMITTED]:
        raise ValidationError({"decision": [_("Unknown decision.")]})
    ids = list(
        Application.objects.filter(cohort=cohort, pk__in=list(application_ids))
        .order_by("submitted_at", "id")
        .values_list("pk", flat=True)
    )
    result = BulkResult()
    for application_id in ids:
        try:
            with transaction.atomic():
                decided = _decide(
                    actor=actor,
                    application_id=application_id,
                    decision=decision,
                    note="",
                    overflow=overflow,
                )
        except Conflict as exc:
            result.failed[application_id] = exc.message
        else:
            result.decided.append(decided)
    return result


@transaction.atomic
def withdraw_application(*, user, application: Application) -> Application:
    """The applicant withdraws. An accepted applicant leaves the cohort, which promotes the first
    person on the waitlist."""
    if application.applicant_id != user.pk:
        raise PermissionDenied(_("Only the applicant can withdraw an application."))
    cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status == A.WITHDRAWN:
        return application
    if application.status == A.ACCEPTED:
        membership = Membership.objects.active().trainees().filter(cohort=cohort, user=user).first()
        if membership is not None:
            return _withdraw(actor=user, membership=membership, cohort=cohort).application
    if application.status == A.REJECTED:
        raise Conflict(_("This application was already decided."), code="bad_transition")
    application.status = A.WITHDRAWN
    application.save(update_fields=["status"])
    record(actor=user, action="cohorts.withdraw_application", target=application)
    return application


@transaction.atomic
def add_member(
    *, actor, cohort: Cohort, user, role: str, send_notification: bool = True
) -> Membership:
    """A manager adds a mentor, facilitator, co-manager, or (bypassing the application form) a
    trainee. Trainees count against the capacity."""
    require_cohort_manager(actor, cohort)
    if role not in Membership.Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    require_person_in_scope(actor, user, field="user")
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if role == Membership.Role.TRAINEE:
        taken = Membership.objects.active().trainees().filter(cohort=cohort).count()
        if taken >= cohort.capacity:
            raise Conflict(
                _("The cohort is full (%(capacity)s trainees).") % {"capacity": cohort.capacity},
                code="cohort_full",
            )
    if Membership.objects.active().filter(cohort=cohort, user=user).exists():
        raise Conflict(_("This person already has a role in the cohort."), code="already_member")
    membership = Membership.objects.create(cohort=cohort, user=user, role=role, added_by=actor)
    record(actor=actor, action="cohorts.add_member", target=membership, role=role, cohort=cohort.pk)
    if send_notification and user.pk != actor.pk:
        notify(
            recipient=user,
            kind=MEMBER_ADDED.key,
            params={**cohort_names(cohort), "role": role},
            url=page_url("cohorts:detail", pk=cohort.pk),
        )
    return membership


@transaction.atomic
def reinstate_member(*, actor, membership: Membership) -> Membership:
    """A manager takes back someone who left or was withdrawn (by mistake, or back after a
    break): a new active membership in the same role, counted against the capacity as any
    addition is; their accepted application, withdrawn with them, is accepted again."""
    cohort = membership.cohort
    require_cohort_manager(actor, cohort)
    if membership.status == Membership.Status.ACTIVE:
        raise Conflict(_("This person is still a member of the cohort."), code="still_member")
    if cohort.status in (Cohort.Status.COMPLETED, Cohort.Status.ARCHIVED):
        raise Conflict(_("A completed or archived cohort takes nobody back."), code="cohort_closed")
    back = add_member(actor=actor, cohort=cohort, user=membership.user, role=membership.role)
    if membership.role == Membership.Role.TRAINEE:
        # Withdrawn with them after its acceptance (it has a decision date); one withdrawn by
        # the applicant before any decision stays withdrawn.
        Application.objects.filter(
            cohort=cohort,
            applicant_id=membership.user_id,
            status=A.WITHDRAWN,
            decided_at__isnull=False,
        ).update(status=A.ACCEPTED)
    record(
        actor=actor,
        action="cohorts.reinstate_member",
        target=back,
        cohort=cohort.pk,
        previous=membership.pk,
    )
    return back


@dataclass
class WithdrawalResult:
    membership: Membership
    application: Application | None
    promoted: list[Application]


@transaction.atomic
def withdraw_membership(*, actor, membership: Membership, reason: str = "") -> WithdrawalResult:
    """A member leaves (or a manager removes them). When a trainee leaves, the first people on
    the waitlist are accepted into the freed place and told; a facilitator's upcoming sessions
    are left without one (see `release_facilitator`)."""
    if membership.user_id != actor.pk:
        require_cohort_manager(actor, membership.cohort)
    cohort = Cohort.objects.select_for_update().get(pk=membership.cohort_id)
    return _withdraw(actor=actor, membership=membership, cohort=cohort, reason=reason)


def _withdraw(*, actor, membership: Membership, cohort: Cohort, reason: str = ""):
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    application = (
        Application.objects.select_for_update()
        .filter(cohort=cohort, applicant_id=membership.user_id)
        .first()
    )
    if membership.status != Membership.Status.ACTIVE:
        return WithdrawalResult(membership=membership, application=application, promoted=[])
    if membership.role == Membership.Role.MANAGER and (
        not Membership.objects.active()
        .filter(cohort=cohort, role=Membership.Role.MANAGER)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise Conflict(_("A cohort must keep at least one manager."), code="last_manager")
    membership.status = Membership.Status.WITHDRAWN
    membership.left_at = timezone.now()
    membership.save(update_fields=["status", "left_at"])
    # Their upcoming sessions lose them as facilitator in the same transaction (access checks
    # the membership too, so a pointer left behind would give nothing, but it would mislead).
    release_facilitator(actor=actor, cohort=cohort, user=membership.user)
    if (
        membership.role == Membership.Role.TRAINEE
        and application is not None
        and application.status == A.ACCEPTED
    ):
        application.status = A.WITHDRAWN
        application.save(update_fields=["status"])
    record(
        actor=actor,
        action="cohorts.withdraw_member",
        target=membership,
        cohort=cohort.pk,
        role=membership.role,
        reason=reason,
    )
    promoted = []
    if membership.role == Membership.Role.TRAINEE:
        promoted = fill_from_waitlist(actor=actor, cohort=cohort)
    return WithdrawalResult(membership=membership, application=application, promoted=promoted)


def fill_from_waitlist(*, actor, cohort: Cohort) -> list[Application]:
    """Accept waitlisted applicants, first come first served, while places are free. The caller
    holds the cohort row lock."""
    if cohort.status not in DECIDING_STATUSES:
        return []
    free = cohort.capacity - Membership.objects.active().trainees().filter(cohort=cohort).count()
    promoted = []
    if free <= 0:
        return promoted
    waiting = (
        Application.objects.select_for_update()
        .filter(cohort=cohort)
        .waitlisted()
        .in_waitlist_order()
        .select_related("applicant")
    )
    for application in waiting:
        if free <= 0:
            break
        if (
            Membership.objects.active()
            .filter(cohort=cohort, user_id=application.applicant_id)
            .exists()
        ):
            continue
        _admit(actor=actor, cohort=cohort, application=application)
        application.status = A.ACCEPTED
        application.decided_at = timezone.now()
        application.decided_by = actor
        application.save(update_fields=["status", "decided_at", "decided_by"])
        record(
            actor=actor,
            action="cohorts.promote_from_waitlist",
            target=application,
            cohort=cohort.pk,
        )
        notify(
            recipient=application.applicant,
            kind=PROMOTED_FROM_WAITLIST.key,
            params=cohort_names(cohort),
            url=page_url("cohorts:detail", pk=cohort.pk),
        )
        promoted.append(application)
        free -= 1
    return promoted
