"""A cohort's lifecycle (create, edit, status moves), its curriculum and its application form."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict
from core.models import record

from .. import tallies
from ..models import ApplicationQuestion, Cohort, CurriculumItem, Membership
from .permissions import require_cohort_manager
from .selection import fill_from_waitlist

COHORT_FIELDS = {
    "name", "name_en", "description", "description_en", "track", "governorate", "venue",
    "starts_on", "ends_on", "applications_close_on", "capacity", "min_attendance_percent",
    "requires_approved_initiative",
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


def _validate_cohort(cohort: Cohort) -> None:
    errors = {}
    if not (cohort.name or "").strip():
        errors["name"] = [_("Give the cohort a name.")]
    if cohort.starts_on and cohort.ends_on and cohort.ends_on < cohort.starts_on:
        errors["ends_on"] = [_("The cohort cannot end before it starts.")]
    closes = cohort.applications_close_on
    if closes and cohort.ends_on and closes > cohort.ends_on:
        errors["applications_close_on"] = [_("Applications cannot close after the cohort ends.")]
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
    require_cohort_manager(actor, cohort)
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
        fill_from_waitlist(actor=actor, cohort=cohort)
    return cohort


@transaction.atomic
def change_cohort_status(*, actor, cohort: Cohort, status: str) -> Cohort:
    """THE way a cohort moves through draft → recruiting → running → completed → archived
    (STATUS_TRANSITIONS lists every allowed move)."""
    require_cohort_manager(actor, cohort)
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
    require_cohort_manager(actor, cohort)
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
    require_cohort_manager(actor, cohort)
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
    require_cohort_manager(actor, item.cohort)
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


@transaction.atomic
def set_application_questions(
    *, actor, cohort: Cohort, questions: Sequence[Mapping]
) -> list[ApplicationQuestion]:
    """Replace the cohort's own questions ({"text", "text_en", "required"} each). Answers already
    given stay stored under their old question ids."""
    require_cohort_manager(actor, cohort)
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
