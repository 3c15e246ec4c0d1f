"""Who may run a cohort and take a session's attendance: the checks every service makes."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from ..models import Cohort, Membership, Session


def can_manage_cohort(user, cohort: Cohort) -> bool:
    """Staff, and people with an active MANAGER membership of this cohort."""
    return Cohort.objects.managed_by(user).filter(pk=cohort.pk).exists()


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
