"""Every state change of cohorts: the cohort's lifecycle and curriculum, applications and
selection, memberships and the waitlist, sessions, attendance (roll call, self check-in, excuses,
sign-in sheet import), announcements and calendar tokens. Pages, the API, the admin and tasks call
these; none saves a status itself.

Errors: bad input raises django ValidationError (400 in the API), no right to act
PermissionDenied (403), a state that forbids the action `Conflict` (409). Every function is
atomic, so nothing is half-saved."""

import csv
import datetime
import hmac
import io
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.errors import Conflict
from core.models import record
from notifications import kinds
from notifications.services import notify

from . import tallies
from .models import (
    BAGHDAD,
    CHECK_IN_CODE_LENGTH,
    Announcement,
    Application,
    ApplicationQuestion,
    Attendance,
    CalendarFeed,
    Cohort,
    CurriculumItem,
    ExcuseRequest,
    Membership,
    Session,
    new_calendar_token,
    new_check_in_code,
)

# --- Notification kinds ---------------------------------------------------------------------------


def _cohort_params(params: dict) -> dict:
    return {"cohort": kinds.localized(params, "cohort")}


def _session_params(params: dict) -> dict:
    return {
        "cohort": kinds.localized(params, "cohort"),
        "session": kinds.localized(params, "session"),
    }


APPLICATION_RECEIVED = kinds.register(
    "cohorts.application_received",
    title=_("We received your application"),
    body=_(
        "Thank you for applying to “%(cohort)s”. We will tell you here and by e-mail when the "
        "selection committee decides."
    ),
    prepare=_cohort_params,
)
APPLICATION_SHORTLISTED = kinds.register(
    "cohorts.application_shortlisted",
    title=_("You are on the shortlist"),
    body=_("Your application to “%(cohort)s” has been shortlisted. A final decision follows."),
    prepare=_cohort_params,
)
APPLICATION_ACCEPTED = kinds.register(
    "cohorts.application_accepted",
    title=_("You have been accepted"),
    body=_("Congratulations: you have been accepted into “%(cohort)s”. Welcome to the programme."),
    prepare=_cohort_params,
)
APPLICATION_WAITLISTED = kinds.register(
    "cohorts.application_waitlisted",
    title=_("You are on the waiting list"),
    body=_(
        "“%(cohort)s” is full for now and your application is on its waiting list. If a place "
        "opens, you will be told at once."
    ),
    prepare=_cohort_params,
)
APPLICATION_REJECTED = kinds.register(
    "cohorts.application_rejected",
    title=_("About your application"),
    body=_(
        "Thank you for applying to “%(cohort)s”. We could not offer you a place this time; we "
        "hope to see your application in a future cohort."
    ),
    prepare=_cohort_params,
)
PROMOTED_FROM_WAITLIST = kinds.register(
    "cohorts.promoted_from_waitlist",
    title=_("A place opened for you"),
    body=_("A place opened in “%(cohort)s” and you have been accepted from the waiting list."),
    prepare=_cohort_params,
)
MEMBER_ADDED = kinds.register(
    "cohorts.member_added",
    title=_("You have joined a cohort"),
    body=_("You have been added to “%(cohort)s” as %(role)s."),
    prepare=lambda params: {
        **_cohort_params(params),
        "role": Membership.Role(params["role"]).label
        if params.get("role") in Membership.Role.values
        else "",
    },
)
EXCUSE_APPROVED = kinds.register(
    "cohorts.excuse_approved",
    title=_("Your excuse was accepted"),
    body=_("You are excused from the session “%(session)s” of “%(cohort)s”."),
    prepare=_session_params,
)
EXCUSE_DECLINED = kinds.register(
    "cohorts.excuse_declined",
    title=_("Your excuse was not accepted"),
    body=_("Your request to be excused from “%(session)s” of “%(cohort)s” was not accepted."),
    prepare=_session_params,
)
ANNOUNCEMENT = kinds.register(
    "cohorts.announcement",
    title=_("%(cohort)s: %(title)s"),
    body=_("%(body)s"),
    prepare=_cohort_params,
)

DECISION_KINDS = {
    Application.Status.SHORTLISTED: APPLICATION_SHORTLISTED,
    Application.Status.ACCEPTED: APPLICATION_ACCEPTED,
    Application.Status.WAITLISTED: APPLICATION_WAITLISTED,
    Application.Status.REJECTED: APPLICATION_REJECTED,
}


def _page_url(name: str, **kwargs) -> str:
    """A page of the cohorts site, or "" while that page is not installed."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _cohort_names(cohort: Cohort) -> dict:
    return {"cohort": cohort.name, "cohort_en": cohort.name_en}


# --- Permissions ----------------------------------------------------------------------------------


def can_manage_cohort(user, cohort: Cohort) -> bool:
    """Staff, and people with an active MANAGER membership of this cohort."""
    return Cohort.objects.managed_by(user).filter(pk=cohort.pk).exists()


def _require_cohort_manager(actor, cohort: Cohort) -> None:
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied(_("Only this cohort's managers can do this."))


def can_take_attendance(user, session: Session) -> bool:
    """The session's facilitator and the cohort's managers."""
    if not (user.is_authenticated and user.is_active):
        return False
    if session.facilitator_id == user.pk:
        return True
    return can_manage_cohort(user, session.cohort)


def _require_attendance_taker(actor, session: Session) -> None:
    if not can_take_attendance(actor, session):
        raise PermissionDenied(_("Only the facilitator or the cohort's managers take attendance."))


# --- Cohort and its lifecycle ---------------------------------------------------------------------

COHORT_FIELDS = {
    "name", "name_en", "description", "description_en", "track", "governorate", "venue",
    "starts_on", "ends_on", "capacity", "min_attendance_percent", "requires_approved_initiative",
}  # fmt: skip

S = Cohort.Status
# Every allowed move of a cohort's status; anything else is refused.
STATUS_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.RECRUITING, S.RUNNING, S.ARCHIVED},
    S.RECRUITING: {S.DRAFT, S.RUNNING, S.ARCHIVED},
    S.RUNNING: {S.COMPLETED},
    S.COMPLETED: {S.RUNNING, S.ARCHIVED},
    S.ARCHIVED: set(),
}
# Applications are decided while recruiting, and while running (late places, the waitlist).
DECIDING_STATUSES = {S.RECRUITING, S.RUNNING}


def _validate_cohort(cohort: Cohort) -> None:
    errors = {}
    if not (cohort.name or "").strip():
        errors["name"] = [_("Give the cohort a name.")]
    if cohort.starts_on and cohort.ends_on and cohort.ends_on < cohort.starts_on:
        errors["ends_on"] = [_("The cohort cannot end before it starts.")]
    if cohort.capacity is not None and cohort.capacity < 1:
        errors["capacity"] = [_("The capacity must be at least one trainee.")]
    if cohort.min_attendance_percent is not None and cohort.min_attendance_percent > 100:
        errors["min_attendance_percent"] = [_("Enter a percentage between 0 and 100.")]
    if errors:
        raise ValidationError(errors)
    try:
        cohort.full_clean(exclude=["created_by"], validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def create_cohort(
    *,
    actor,
    name: str,
    governorate: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    capacity: int,
    **fields,
) -> Cohort:
    """A program manager opens a cohort (as a draft) and becomes its first manager."""
    if not actor.can_manage():
        raise PermissionDenied(_("Only program managers can create cohorts."))
    unknown = set(fields) - COHORT_FIELDS
    if unknown:
        raise ValueError(f"fields not settable here: {sorted(unknown)}")
    cohort = Cohort(
        name=(name or "").strip(),
        governorate=governorate,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        created_by=actor,
        **fields,
    )
    _validate_cohort(cohort)
    cohort.save()
    Membership.objects.create(
        cohort=cohort, user=actor, role=Membership.Role.MANAGER, added_by=actor
    )
    record(actor=actor, action="cohorts.create_cohort", target=cohort, name=cohort.name)
    return cohort


@transaction.atomic
def update_cohort(*, actor, cohort: Cohort, **fields) -> Cohort:
    """Edit the cohort's description, dates, capacity and completion policy (not its status:
    see change_cohort_status). A larger capacity admits people from the waitlist."""
    _require_cohort_manager(actor, cohort)
    unknown = set(fields) - COHORT_FIELDS
    if unknown:
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    changed = []
    for name, value in fields.items():
        if getattr(cohort, name) != value:
            setattr(cohort, name, value)
            changed.append(name)
    if not changed:
        return cohort
    _validate_cohort(cohort)
    if "capacity" in changed:
        taken = Membership.objects.active().trainees().filter(cohort=cohort).count()
        if cohort.capacity < taken:
            raise ValidationError(
                {
                    "capacity": [
                        _(
                            "%(count)s trainees are already in the cohort; the capacity cannot be lower."
                        )
                        % {"count": taken}
                    ]
                }
            )
    cohort.save(update_fields=[*changed, "updated_at"])
    record(actor=actor, action="cohorts.update_cohort", target=cohort, fields=sorted(changed))
    if "capacity" in changed:
        _fill_from_waitlist(actor=actor, cohort=cohort)
    return cohort


@transaction.atomic
def change_cohort_status(*, actor, cohort: Cohort, status: str) -> Cohort:
    """THE way a cohort moves through draft → recruiting → running → completed → archived
    (STATUS_TRANSITIONS lists every allowed move)."""
    _require_cohort_manager(actor, cohort)
    if status not in Cohort.Status.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    previous = cohort.status
    if status == previous:
        return cohort
    if status not in STATUS_TRANSITIONS[previous]:
        raise Conflict(
            _("A cohort cannot go from “%(old)s” to “%(new)s”.")
            % {"old": Cohort.Status(previous).label, "new": Cohort.Status(status).label},
            code="bad_transition",
        )
    cohort.status = status
    cohort.save(update_fields=["status", "updated_at"])
    record(actor=actor, action="cohorts.change_status", target=cohort, old=previous, new=status)
    return cohort


# --- Curriculum -----------------------------------------------------------------------------------


@dataclass
class CurriculumEntry:
    course: object
    due_on: datetime.date | None = None
    required: bool = True


@transaction.atomic
def set_curriculum(
    *, actor, cohort: Cohort, items: Sequence[CurriculumEntry | Mapping]
) -> list[CurriculumItem]:
    """Replace the curriculum with `items`, in that order (a course at most once)."""
    _require_cohort_manager(actor, cohort)
    entries = [i if isinstance(i, CurriculumEntry) else CurriculumEntry(**i) for i in items]
    course_ids = [e.course.pk for e in entries]
    if len(set(course_ids)) != len(course_ids):
        raise ValidationError({"items": [_("A course can appear only once in the curriculum.")]})
    _validate_due_dates(cohort, entries)
    cohort.curriculum.all().delete()
    created = CurriculumItem.objects.bulk_create(
        [
            CurriculumItem(
                cohort=cohort,
                course=e.course,
                position=position,
                due_on=e.due_on,
                required=e.required,
            )
            for position, e in enumerate(entries, start=1)
        ]
    )
    # The dashboard's copy of every trainee's progress follows the curriculum.
    tallies.refresh_progress([cohort.pk])
    record(actor=actor, action="cohorts.set_curriculum", target=cohort, courses=course_ids)
    return created


@transaction.atomic
def add_curriculum_item(
    *, actor, cohort: Cohort, course, due_on: datetime.date | None = None, required: bool = True
) -> CurriculumItem:
    """Append a course to the end of the curriculum."""
    _require_cohort_manager(actor, cohort)
    entry = CurriculumEntry(course=course, due_on=due_on, required=required)
    _validate_due_dates(cohort, [entry])
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.curriculum.filter(course=course).exists():
        raise ValidationError({"course": [_("This course is already in the curriculum.")]})
    last = cohort.curriculum.order_by("-position").values_list("position", flat=True).first()
    item = CurriculumItem.objects.create(
        cohort=cohort, course=course, position=(last or 0) + 1, due_on=due_on, required=required
    )
    tallies.refresh_progress([cohort.pk])
    record(actor=actor, action="cohorts.add_curriculum_item", target=cohort, course=course.pk)
    return item


@transaction.atomic
def remove_curriculum_item(*, actor, item: CurriculumItem) -> None:
    _require_cohort_manager(actor, item.cohort)
    record(
        actor=actor,
        action="cohorts.remove_curriculum_item",
        target=item.cohort,
        course=item.course_id,
    )
    item.delete()
    tallies.refresh_progress([item.cohort_id])


def _validate_due_dates(cohort: Cohort, entries: Iterable[CurriculumEntry]) -> None:
    for entry in entries:
        if entry.due_on is not None and entry.due_on < cohort.starts_on:
            raise ValidationError({"due_on": [_("A due date cannot be before the cohort starts.")]})


# --- Application form -----------------------------------------------------------------------------


@transaction.atomic
def set_application_questions(
    *, actor, cohort: Cohort, questions: Sequence[Mapping]
) -> list[ApplicationQuestion]:
    """Replace the cohort's own questions ({"text", "text_en", "required"} each). Answers already
    given stay stored under their old question ids."""
    _require_cohort_manager(actor, cohort)
    if len(questions) > 10:
        raise ValidationError({"questions": [_("Ask at most ten questions of your own.")]})
    cleaned = []
    for q in questions:
        text = (q.get("text") or "").strip()
        if not text:
            raise ValidationError({"questions": [_("Every question needs its Arabic text.")]})
        cleaned.append(
            ApplicationQuestion(
                cohort=cohort,
                text=text,
                text_en=(q.get("text_en") or "").strip(),
                required=bool(q.get("required", True)),
            )
        )
    cohort.application_questions.all().delete()
    for position, question in enumerate(cleaned, start=1):
        question.position = position
    return ApplicationQuestion.objects.bulk_create(cleaned)


# --- Applications and selection -------------------------------------------------------------------

A = Application.Status
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
    """A trainee applies to a recruiting cohort, once. Managers are told nothing by e-mail (they
    see the list); the applicant gets a receipt."""
    if not (applicant.is_authenticated and applicant.is_active and applicant.is_trainee):
        raise PermissionDenied(_("Only trainees can apply to a cohort."))
    cohort = Cohort.objects.get(pk=cohort.pk)
    if cohort.status != Cohort.Status.RECRUITING:
        raise Conflict(_("This cohort is not accepting applications."), code="not_recruiting")
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
        params=_cohort_names(cohort),
        url=_page_url("cohorts:detail", pk=cohort.pk),
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
    _require_cohort_manager(actor, application.cohort)
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
        params=_cohort_names(cohort),
        url=_page_url("cohorts:detail", pk=cohort.pk),
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
    _require_cohort_manager(actor, cohort)
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


# --- Memberships ----------------------------------------------------------------------------------


@transaction.atomic
def add_member(
    *, actor, cohort: Cohort, user, role: str, send_notification: bool = True
) -> Membership:
    """A manager adds a mentor, facilitator, co-manager, or (bypassing the application form) a
    trainee. Trainees count against the capacity."""
    _require_cohort_manager(actor, cohort)
    if role not in Membership.Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
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
            params={**_cohort_names(cohort), "role": role},
            url=_page_url("cohorts:detail", pk=cohort.pk),
        )
    return membership


@dataclass
class WithdrawalResult:
    membership: Membership
    application: Application | None
    promoted: list[Application]


@transaction.atomic
def withdraw_membership(*, actor, membership: Membership, reason: str = "") -> WithdrawalResult:
    """A member leaves (or a manager removes them). When a trainee leaves, the first people on
    the waitlist are accepted into the freed place and told."""
    if membership.user_id != actor.pk:
        _require_cohort_manager(actor, membership.cohort)
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
        promoted = _fill_from_waitlist(actor=actor, cohort=cohort)
    return WithdrawalResult(membership=membership, application=application, promoted=promoted)


def _fill_from_waitlist(*, actor, cohort: Cohort) -> list[Application]:
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
            params=_cohort_names(cohort),
            url=_page_url("cohorts:detail", pk=cohort.pk),
        )
        promoted.append(application)
        free -= 1
    return promoted


# --- Sessions -------------------------------------------------------------------------------------

SESSION_FIELDS = {
    "title", "title_en", "description", "format", "mode", "venue", "online_url", "facilitator",
    "starts_at", "ends_at",
}  # fmt: skip
MAX_SERIES = 200


def _validate_session(session: Session, cohort: Cohort) -> None:
    errors = {}
    if not (session.title or "").strip():
        errors["title"] = [_("Give the session a title.")]
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = [_("The session must end after it starts.")]
    if session.mode == Session.Mode.ONLINE and not session.online_url:
        errors["online_url"] = [_("An online session needs its link.")]
    if session.starts_at:
        day = timezone.localtime(session.starts_at, BAGHDAD).date()
        if not cohort.starts_on <= day <= cohort.ends_on:
            errors["starts_at"] = [_("The session must fall within the cohort's dates.")]
    if errors:
        raise ValidationError(errors)
    try:
        session.full_clean(exclude=["cohort", "facilitator"], validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _ensure_facilitator_membership(*, actor, cohort: Cohort, facilitator) -> None:
    """A facilitator's role in the cohort is a membership like any other: add one if needed; a
    trainee of the cohort cannot facilitate its sessions."""
    if facilitator is None:
        return
    current = Membership.objects.active().filter(cohort=cohort, user=facilitator).first()
    if current is None:
        Membership.objects.create(
            cohort=cohort, user=facilitator, role=Membership.Role.FACILITATOR, added_by=actor
        )
    elif current.role == Membership.Role.TRAINEE:
        raise ValidationError(
            {"facilitator": [_("A trainee of this cohort cannot facilitate its sessions.")]}
        )


@transaction.atomic
def create_session(
    *,
    actor,
    cohort: Cohort,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    format: str = Session.Format.WORKSHOP,  # noqa: A002 - the model's field name
    mode: str = Session.Mode.IN_PERSON,
    **fields,
) -> Session:
    _require_cohort_manager(actor, cohort)
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise ValueError(f"fields not settable here: {sorted(unknown)}")
    session = Session(
        cohort=cohort,
        title=(title or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        format=format,
        mode=mode,
        **fields,
    )
    _validate_session(session, cohort)
    _ensure_facilitator_membership(actor=actor, cohort=cohort, facilitator=session.facilitator)
    session.save()
    record(actor=actor, action="cohorts.create_session", target=session, cohort=cohort.pk)
    return session


@transaction.atomic
def update_session(*, actor, session: Session, **fields) -> Session:
    _require_cohort_manager(actor, session.cohort)
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    changed = []
    for name, value in fields.items():
        if getattr(session, name) != value:
            setattr(session, name, value)
            changed.append(name)
    if not changed:
        return session
    _validate_session(session, session.cohort)
    if "facilitator" in changed:
        _ensure_facilitator_membership(
            actor=actor, cohort=session.cohort, facilitator=session.facilitator
        )
    session.save(update_fields=changed)
    record(actor=actor, action="cohorts.update_session", target=session, fields=sorted(changed))
    return session


@transaction.atomic
def generate_series(
    *,
    actor,
    cohort: Cohort,
    title: str,
    first_day: datetime.date,
    last_day: datetime.date,
    weekdays: Iterable[int],
    start_time: datetime.time,
    end_time: datetime.time,
    skip_fridays: bool = True,
    **fields,
) -> list[Session]:
    """Weekly sessions on the chosen weekdays (Monday=0 … Sunday=6) between two dates, at the
    same Baghdad times. Fridays, the weekend, are skipped unless `skip_fridays=False`."""
    _require_cohort_manager(actor, cohort)
    days = sorted(set(weekdays))
    errors = {}
    if not days or any(d not in range(7) for d in days):
        errors["weekdays"] = [_("Choose at least one day of the week.")]
    if last_day < first_day:
        errors["last_day"] = [_("The series cannot end before it starts.")]
    if end_time <= start_time:
        errors["end_time"] = [_("The session must end after it starts.")]
    if errors:
        raise ValidationError(errors)
    dates = []
    day = first_day
    while day <= last_day:
        if day.weekday() in days and not (skip_fridays and day.weekday() == 4):
            dates.append(day)
        day += datetime.timedelta(days=1)
    if not dates:
        raise ValidationError({"weekdays": [_("No day in this range matches the chosen days.")]})
    if len(dates) > MAX_SERIES:
        raise ValidationError(
            {"last_day": [_("A series has at most %(max)s sessions.") % {"max": MAX_SERIES}]}
        )
    series = uuid.uuid4()
    sessions = []
    for day in dates:
        session = Session(
            cohort=cohort,
            title=(title or "").strip(),
            starts_at=datetime.datetime.combine(day, start_time, tzinfo=BAGHDAD),
            ends_at=datetime.datetime.combine(day, end_time, tzinfo=BAGHDAD),
            series=series,
            **fields,
        )
        _validate_session(session, cohort)
        sessions.append(session)
    _ensure_facilitator_membership(
        actor=actor, cohort=cohort, facilitator=fields.get("facilitator")
    )
    Session.objects.bulk_create(sessions)
    record(
        actor=actor,
        action="cohorts.generate_series",
        target=cohort,
        series=str(series),
        count=len(sessions),
    )
    return sessions


@transaction.atomic
def rotate_check_in_code(*, actor, session: Session) -> Session:
    """A new code, e.g. when the old one was shared outside the room."""
    _require_attendance_taker(actor, session)
    session.check_in_code = new_check_in_code()
    session.save(update_fields=["check_in_code"])
    return session


# --- Attendance -----------------------------------------------------------------------------------

# Self check-in opens a little before the start (people arrive early) and closes at the end.
CHECK_IN_OPENS_BEFORE = datetime.timedelta(minutes=15)
# Checking in later than this after the start counts as late.
LATE_AFTER = datetime.timedelta(minutes=10)
# Wrong codes allowed per person and session before check-in is refused (guessing).
MAX_CHECK_IN_FAILURES = 10


def check_in_window(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    return session.starts_at - CHECK_IN_OPENS_BEFORE, session.ends_at


def _active_trainee_ids(cohort_id: int) -> set[int]:
    return set(
        Membership.objects.active()
        .trainees()
        .filter(cohort_id=cohort_id)
        .values_list("user_id", flat=True)
    )


def _is_active_trainee(user, cohort_id: int) -> bool:
    return Membership.objects.active().trainees().filter(cohort_id=cohort_id, user=user).exists()


@dataclass
class RosterRow:
    user: User
    attendance: Attendance | None
    excuse: ExcuseRequest | None


def session_roster(session: Session) -> list[RosterRow]:
    """The roll-call list: the cohort's active trainees with their mark and excuse, by name. Three
    queries whatever the size of the cohort."""
    users = list(
        User.objects.filter(
            cohort_memberships__cohort_id=session.cohort_id,
            cohort_memberships__status=Membership.Status.ACTIVE,
            cohort_memberships__role=Membership.Role.TRAINEE,
        )
        .only("id", "full_name", "full_name_latin", "email")
        .order_by("full_name", "id")
    )
    marks = {a.user_id: a for a in Attendance.objects.filter(session=session)}
    excuses = {e.user_id: e for e in ExcuseRequest.objects.filter(session=session)}
    return [RosterRow(user=u, attendance=marks.get(u.pk), excuse=excuses.get(u.pk)) for u in users]


def _set_mark(
    *, session, user_id, status, source, actor=None, note="", excuse=None, now=None
) -> tuple[Attendance, bool]:
    """Create or change one mark; returns (attendance, changed)."""
    now = now or timezone.now()
    values = {
        "status": status,
        "source": source,
        "marked_by": actor if getattr(actor, "pk", None) else None,
        "marked_at": now,
        "note": note,
        "excuse": excuse,
    }
    # The session's counter is locked before the mark (the lock order of cohorts.tallies).
    tallies.lock_session(session)
    # Ordered by id: the model's default order would join the person's row and lock it too,
    # which stalls every transaction that commits a row pointing at that person (PostgreSQL
    # checks foreign keys at commit with a share lock) and can close a deadlock.
    current = (
        Attendance.objects.select_for_update()
        .filter(session=session, user_id=user_id)
        .order_by("pk")
        .first()
    )
    if current is None:
        try:
            with transaction.atomic():
                created = Attendance.objects.create(session=session, user_id=user_id, **values)
        except IntegrityError:
            # A check-in and a roll call racing for the same person: the later write wins.
            current = Attendance.objects.select_for_update().get(session=session, user_id=user_id)
        else:
            tallies.count_mark(session=session, user_id=user_id, old="", new=status, marked_at=now)
            return created, True
    if current.status == status and current.note == note:
        return current, False
    previous = current.status
    for key, value in values.items():
        setattr(current, key, value)
    current.save(update_fields=list(values))
    # The dashboard's counters change with the mark, in the same transaction.
    tallies.count_mark(session=session, user_id=user_id, old=previous, new=status, marked_at=now)
    return current, True


def _validate_status(status: str) -> None:
    if status not in Attendance.Status.values:
        raise ValidationError({"status": [_("Unknown attendance status.")]})


def _require_attendance_open(session: Session, now) -> None:
    opens, _closes = check_in_window(session)
    if now < opens:
        raise Conflict(
            _("Attendance can be taken once the session opens."), code="session_not_started"
        )


@transaction.atomic
def mark_attendance(
    *, actor, session: Session, user, status: str, note: str = "", now=None
) -> Attendance:
    """The facilitator or a cohort manager marks one trainee (the roll-call page calls this per
    tap, or `mark_roll_call` for the whole list)."""
    return mark_roll_call(
        actor=actor, session=session, marks={user.pk: status}, note=note, now=now
    )[0]


@transaction.atomic
def mark_roll_call(
    *, actor, session: Session, marks: Mapping[int, str], note: str = "", now=None
) -> list[Attendance]:
    """Marks for several trainees at once ({user id: status}); all or nothing."""
    _require_attendance_taker(actor, session)
    now = now or timezone.now()
    _require_attendance_open(session, now)
    trainees = _active_trainee_ids(session.cohort_id)
    errors = []
    for user_id, status in marks.items():
        if status not in Attendance.Status.values:
            errors.append(_("Unknown attendance status: %(status)s") % {"status": status})
        if int(user_id) not in trainees:
            errors.append(_("This person is not a trainee of the cohort."))
    if errors:
        raise ValidationError({"marks": errors})
    written = {}
    changed = 0
    # In user id order: the lock order of the attendance counters (see cohorts.tallies).
    for user_id, status in sorted(marks.items(), key=lambda mark: int(mark[0])):
        attendance, did_change = _set_mark(
            session=session,
            user_id=int(user_id),
            status=status,
            source=Attendance.Source.ROLL_CALL,
            actor=actor,
            note=note.strip(),
            now=now,
        )
        changed += did_change
        written[user_id] = attendance
    result = [written[user_id] for user_id in marks]
    if changed:
        record(
            actor=actor,
            action="cohorts.mark_attendance",
            target=session,
            marks={str(k): v for k, v in marks.items()},
        )
    return result


def _normalise_code(code: str) -> str:
    table = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
    return "".join(ch for ch in (code or "").translate(table).upper() if not ch.isspace())


@transaction.atomic
def check_in(*, user, session: Session, code: str, now=None) -> Attendance:
    """A trainee checks themself in with the code shown in the room. Refused outside the session
    window (15 minutes before the start until the end), with a wrong code or one of another
    session; late after the first ten minutes. Checking in twice changes nothing."""
    now = now or timezone.now()
    if not _is_active_trainee(user, session.cohort_id):
        raise PermissionDenied(_("Only the cohort's trainees check in to its sessions."))
    failures_key = f"cohorts:check-in-failures:{session.pk}:{user.pk}"
    if (cache.get(failures_key) or 0) >= MAX_CHECK_IN_FAILURES:
        raise Conflict(
            _("Too many wrong codes. Ask the facilitator to mark you present."),
            code="too_many_attempts",
        )
    opens, closes = check_in_window(session)
    if not opens <= now <= closes:
        raise Conflict(
            _("Check-in is open only from 15 minutes before the session until it ends."),
            code="check_in_closed",
        )
    entered = _normalise_code(code)
    # Constant-time comparison: the time taken says nothing about how much of the code matched.
    if len(entered) != CHECK_IN_CODE_LENGTH or not hmac.compare_digest(
        entered.encode(), session.check_in_code.encode()
    ):
        try:
            cache.add(failures_key, 0, timeout=60 * 60 * 12)
            cache.incr(failures_key)
        except ValueError:
            cache.set(failures_key, 1, timeout=60 * 60 * 12)
        raise ValidationError({"code": [_("This is not the code of this session.")]})
    current = Attendance.objects.filter(session=session, user=user).first()
    if current is not None and current.attended:
        return current
    status = (
        Attendance.Status.LATE
        if now > session.starts_at + LATE_AFTER
        else Attendance.Status.PRESENT
    )
    attendance, _changed = _set_mark(
        session=session, user_id=user.pk, status=status, source=Attendance.Source.CHECK_IN, now=now
    )
    return attendance


@transaction.atomic
def request_excuse(*, user, session: Session, reason: str, now=None) -> ExcuseRequest:
    """A trainee asks to be excused, before the session starts."""
    now = now or timezone.now()
    if not _is_active_trainee(user, session.cohort_id):
        raise PermissionDenied(_("Only the cohort's trainees can ask to be excused."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why you cannot attend.")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("Keep the reason under 2000 characters.")]})
    if now >= session.starts_at:
        raise Conflict(
            _("Excuses are requested before the session starts."), code="session_started"
        )
    try:
        with transaction.atomic():
            excuse = ExcuseRequest.objects.create(session=session, user=user, reason=reason)
    except IntegrityError as exc:
        raise Conflict(
            _("You have already asked to be excused from this session."), code="already_requested"
        ) from exc
    record(actor=user, action="cohorts.request_excuse", target=excuse, session=session.pk)
    return excuse


@transaction.atomic
def decide_excuse(*, actor, excuse: ExcuseRequest, approve: bool) -> ExcuseRequest:
    """The facilitator or a manager approves (the trainee is marked excused) or declines."""
    _require_attendance_taker(actor, excuse.session)
    excuse = (
        ExcuseRequest.objects.select_for_update()
        .select_related("session__cohort")
        .get(pk=excuse.pk)
    )
    if excuse.status != ExcuseRequest.Status.PENDING:
        raise Conflict(_("This request was already decided."), code="already_decided")
    excuse.status = ExcuseRequest.Status.APPROVED if approve else ExcuseRequest.Status.DECLINED
    excuse.decided_by = actor
    excuse.decided_at = timezone.now()
    excuse.save(update_fields=["status", "decided_by", "decided_at"])
    session = excuse.session
    if approve:
        _set_mark(
            session=session,
            user_id=excuse.user_id,
            status=Attendance.Status.EXCUSED,
            source=Attendance.Source.EXCUSE,
            actor=actor,
            excuse=excuse,
        )
    record(actor=actor, action="cohorts.decide_excuse", target=excuse, approved=approve)
    notify(
        recipient=excuse.user,
        kind=(EXCUSE_APPROVED if approve else EXCUSE_DECLINED).key,
        params={
            **_cohort_names(session.cohort),
            "session": session.title,
            "session_en": session.title_en,
        },
    )
    return excuse


# --- Sign-in sheet import -------------------------------------------------------------------------

MAX_IMPORT_ROWS = 2000
MAX_IMPORT_BYTES = 512 * 1024
# Sign-in sheets are written by hand in either language: these words are read as statuses too.
STATUS_WORDS = {
    "present": Attendance.Status.PRESENT,
    "حاضر": Attendance.Status.PRESENT,
    "حاضرة": Attendance.Status.PRESENT,
    "late": Attendance.Status.LATE,
    "متأخر": Attendance.Status.LATE,
    "متاخر": Attendance.Status.LATE,
    "متأخرة": Attendance.Status.LATE,
    "excused": Attendance.Status.EXCUSED,
    "معذور": Attendance.Status.EXCUSED,
    "معذورة": Attendance.Status.EXCUSED,
    "مجاز": Attendance.Status.EXCUSED,
    "absent": Attendance.Status.ABSENT,
    "غائب": Attendance.Status.ABSENT,
    "غائبة": Attendance.Status.ABSENT,
}


@dataclass
class ImportRow:
    line: int
    email: str
    status: str
    note: str
    user_id: int | None = None
    name: str = ""
    previous_status: str = ""


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self):
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True
    written: int = 0

    @property
    def valid(self) -> bool:
        return not self.errors


def import_attendance_csv(
    *, actor, session: Session, data: bytes | str, dry_run: bool = True, now=None
) -> ImportReport:
    """Read a paper sign-in sheet typed up as CSV (columns `email`, `status`, optional `note`).
    Every row is checked first; the report lists row-level errors. With dry_run=False the marks
    are written only when every row is valid; otherwise ValidationError carries the row errors
    and nothing is written."""
    _require_attendance_taker(actor, session)
    now = now or timezone.now()
    report = _parse_sheet(session, data)
    report.dry_run = dry_run
    if report.errors and not dry_run:
        raise ValidationError({"rows": [str(e) for e in report.errors]})
    if dry_run:
        return report
    if session.starts_at > now:
        raise Conflict(
            _("A sign-in sheet can be imported once the session has started."),
            code="session_not_started",
        )
    with transaction.atomic():
        # In user id order: the lock order of the attendance counters (see cohorts.tallies).
        for row in sorted(report.rows, key=lambda row: row.user_id):
            _attendance, changed = _set_mark(
                session=session,
                user_id=row.user_id,
                status=row.status,
                source=Attendance.Source.IMPORT,
                actor=actor,
                note=row.note,
                now=now,
            )
            report.written += changed
        record(
            actor=actor,
            action="cohorts.import_attendance",
            target=session,
            rows=len(report.rows),
            written=report.written,
        )
    return report


def _parse_sheet(session: Session, data: bytes | str) -> ImportReport:
    report = ImportReport()
    if isinstance(data, bytes):
        if len(data) > MAX_IMPORT_BYTES:
            report.errors.append(RowError(0, str(_("The file is too large."))))
            return report
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.errors.append(RowError(0, str(_("Save the sheet as CSV in UTF-8."))))
            return report
    else:
        text = data.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "email" not in header or "status" not in header:
        report.errors.append(
            RowError(1, str(_("The first line must name the columns email and status.")))
        )
        return report
    reader.fieldnames = header
    raw_rows = []
    for row in reader:
        if len(raw_rows) >= MAX_IMPORT_ROWS:
            report.errors.append(
                RowError(
                    reader.line_num,
                    str(_("A sheet has at most %(max)s rows.") % {"max": MAX_IMPORT_ROWS}),
                )
            )
            break
        values = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(values.values()):
            continue
        raw_rows.append((reader.line_num, values))

    emails = {values.get("email", "").lower() for _line, values in raw_rows}
    people = {
        u.email.lower(): u
        for u in User.objects.filter(email__in=emails).only("id", "email", "full_name")
    }
    trainees = _active_trainee_ids(session.cohort_id)
    previous = dict(Attendance.objects.filter(session=session).values_list("user_id", "status"))
    seen = {}
    for line, values in raw_rows:
        email = values.get("email", "").lower()
        status_word = values.get("status", "")
        status = STATUS_WORDS.get(status_word.lower()) or STATUS_WORDS.get(status_word)
        user = people.get(email)
        problems = []
        if not email:
            problems.append(_("the e-mail address is missing"))
        elif user is None:
            problems.append(_("nobody is registered with the e-mail %(email)s") % {"email": email})
        elif user.pk not in trainees:
            problems.append(
                _("%(name)s is not a trainee of this cohort") % {"name": user.full_name}
            )
        elif email in seen:
            problems.append(
                _("%(email)s already appears on line %(line)s")
                % {"email": email, "line": seen[email]}
            )
        if status is None:
            problems.append(
                _("“%(status)s” is not an attendance status (present, late, excused, absent)")
                % {"status": status_word}
            )
        if problems:
            report.errors.extend(RowError(line, str(p)) for p in problems)
            continue
        seen[email] = line
        report.rows.append(
            ImportRow(
                line=line,
                email=email,
                status=status,
                note=values.get("note", "")[:300],
                user_id=user.pk,
                name=user.full_name,
                previous_status=previous.get(user.pk, ""),
            )
        )
    if not raw_rows and not report.errors:
        report.errors.append(RowError(1, str(_("The sheet has no rows."))))
    return report


# --- Announcements --------------------------------------------------------------------------------


@transaction.atomic
def post_announcement(*, actor, cohort: Cohort, title: str, body: str) -> Announcement:
    """A manager writes to every active member; the notifications (in-app and e-mail) are sent by
    a Celery task after commit."""
    _require_cohort_manager(actor, cohort)
    title = (title or "").strip()
    body = (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = [_("Give the announcement a title.")]
    if not body:
        errors["body"] = [_("Write the announcement.")]
    if len(body) > 5000:
        errors["body"] = [_("Keep the announcement under 5000 characters.")]
    if errors:
        raise ValidationError(errors)
    announcement = Announcement.objects.create(cohort=cohort, author=actor, title=title, body=body)
    record(actor=actor, action="cohorts.post_announcement", target=announcement, cohort=cohort.pk)
    from .tasks import send_announcement

    transaction.on_commit(lambda: send_announcement.delay(announcement.pk))
    return announcement


@transaction.atomic
def deliver_announcement(*, announcement_id: int) -> int:
    """Notify every active member once (the row lock and `sent_at` make a second run a no-op).
    Returns how many people were notified by this call."""
    announcement = (
        Announcement.objects.select_for_update()
        .select_related("cohort")
        .filter(pk=announcement_id)
        .first()
    )
    if announcement is None or announcement.sent_at is not None:
        return 0
    cohort = announcement.cohort
    recipients = (
        User.objects.filter(
            cohort_memberships__cohort=cohort,
            cohort_memberships__status=Membership.Status.ACTIVE,
            is_active=True,
        )
        .exclude(pk=announcement.author_id)
        .distinct()
    )
    count = 0
    params = {**_cohort_names(cohort), "title": announcement.title, "body": announcement.body}
    url = _page_url("cohorts:detail", pk=cohort.pk)
    for user in recipients:
        notify(recipient=user, kind=ANNOUNCEMENT.key, params=params, url=url)
        count += 1
    announcement.sent_at = timezone.now()
    announcement.recipient_count = count
    announcement.save(update_fields=["sent_at", "recipient_count"])
    return count


# --- Calendar feed --------------------------------------------------------------------------------


def calendar_feed_for(user) -> CalendarFeed:
    """The person's secret calendar address, created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def rotate_calendar_token(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = calendar_feed_for(user)
    feed.token = new_calendar_token()
    feed.rotated_at = timezone.now()
    feed.save(update_fields=["token", "rotated_at"])
    record(actor=user, action="cohorts.rotate_calendar_token", target=feed)
    return feed
