"""Who may run a cohort and take a session's attendance: the checks every service makes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .. import shapes
from ..models import Cohort, Membership, Session


def can_manage_cohort(user, cohort: Cohort) -> bool:
    """Staff, and people with an active MANAGER membership of this cohort."""
    return cohort.pk is not None and shapes.manages(user, cohort.pk)


def require_cohort_manager(actor, cohort: Cohort) -> None:
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied(_("Only this cohort's managers can do this."))


def is_facilitating(user, session: Session) -> bool:
    """The session's facilitator, while still an active mentor, facilitator or manager of its
    cohort: the `facilitator` pointer alone gives nothing (it may outlive the membership)."""
    return (
        session.facilitator_id is not None
        and session.facilitator_id == user.pk
        and Membership.objects.facilitating()
        .filter(cohort_id=session.cohort_id, user_id=user.pk)
        .exists()
    )


def can_take_attendance(user, session: Session) -> bool:
    """The session's facilitator (a member of its cohort) and the cohort's managers."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_facilitating(user, session):
        return True
    return can_manage_cohort(user, session.cohort)


def require_attendance_taker(actor, session: Session) -> None:
    if not can_take_attendance(actor, session):
        raise PermissionDenied(_("Only the facilitator or the cohort's managers take attendance."))


def require_person_in_scope(actor, person, *, field: str) -> None:
    """A manager brings into a cohort only an active account they may see: the people of the
    cohorts they run and the pool (accounts.access). Anyone else answers as unknown, so an id
    from another manager's cohort tells nothing about that person."""
    if not User.objects.visible_to(actor).filter(pk=person.pk, is_active=True).exists():
        raise ValidationError({field: [_("Unknown person.")]})
