"""The notification kinds of cohorts (selection decisions, places from the waitlist, new roles,
excuse decisions, announcements). Defined here, registered by `CohortsConfig.ready()` through
`register_kinds()`, so that the e-mail worker can render any of them by key."""

import datetime

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.templatetags.dates import format_when
from notifications import kinds
from notifications.kinds import Kind

from .models import Application, Cohort, Membership


def _cohort_params(params: dict) -> dict:
    return {"cohort": kinds.localized(params, "cohort")}


def _session_params(params: dict) -> dict:
    return {
        "cohort": kinds.localized(params, "cohort"),
        "session": kinds.localized(params, "session"),
    }


APPLICATION_RECEIVED = Kind(
    "cohorts.application_received",
    title=_("We received your application"),
    body=_(
        "Thank you for applying to “%(cohort)s”. We will tell you here and by e-mail when the "
        "selection committee decides."
    ),
    prepare=_cohort_params,
)
APPLICATION_SHORTLISTED = Kind(
    "cohorts.application_shortlisted",
    title=_("You are on the shortlist"),
    body=_("Your application to “%(cohort)s” has been shortlisted. A final decision follows."),
    prepare=_cohort_params,
)
APPLICATION_ACCEPTED = Kind(
    "cohorts.application_accepted",
    title=_("You have been accepted"),
    body=_("Congratulations: you have been accepted into “%(cohort)s”. Welcome to the programme."),
    prepare=_cohort_params,
)
APPLICATION_WAITLISTED = Kind(
    "cohorts.application_waitlisted",
    title=_("You are on the waiting list"),
    body=_(
        "“%(cohort)s” is full for now and your application is on its waiting list. If a place "
        "opens, you will be told at once."
    ),
    prepare=_cohort_params,
)
APPLICATION_REJECTED = Kind(
    "cohorts.application_rejected",
    title=_("About your application"),
    body=_(
        "Thank you for applying to “%(cohort)s”. We could not offer you a place this time; we "
        "hope to see your application in a future cohort."
    ),
    prepare=_cohort_params,
)
PROMOTED_FROM_WAITLIST = Kind(
    "cohorts.promoted_from_waitlist",
    title=_("A place opened for you"),
    body=_("A place opened in “%(cohort)s” and you have been accepted from the waiting list."),
    prepare=_cohort_params,
)
MEMBER_ADDED = Kind(
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
EXCUSE_APPROVED = Kind(
    "cohorts.excuse_approved",
    title=_("Your excuse was accepted"),
    body=_("You are excused from the session “%(session)s” of “%(cohort)s”."),
    prepare=_session_params,
)
EXCUSE_DECLINED = Kind(
    "cohorts.excuse_declined",
    title=_("Your excuse was not accepted"),
    body=_("Your request to be excused from “%(session)s” of “%(cohort)s” was not accepted."),
    prepare=_session_params,
)
ANNOUNCEMENT = Kind(
    "cohorts.announcement",
    title=_("%(cohort)s: %(title)s"),
    body=_("%(body)s"),
    prepare=_cohort_params,
)


def _moment(params: dict, key: str, name: str = "WEEKDAY_DATETIME_FORMAT") -> str:
    try:
        return format_when(datetime.datetime.fromisoformat(params.get(key) or ""), name)
    except ValueError:
        return ""


# To the people who run a cohort: new work waiting for them.
NEW_APPLICATION = Kind(
    "cohorts.new_application",
    title=_("New application: %(cohort)s"),
    body=_("%(name)s applied to “%(cohort)s”. The applications page lists everyone waiting."),
    prepare=_cohort_params,
    # In the centre only: a recruiting cohort receives many; the home card counts them.
    channels=("inapp",),
)
EXCUSE_REQUESTED = Kind(
    "cohorts.excuse_requested",
    title=_("Excuse request: %(session)s"),
    body=_("%(name)s asks to be excused from “%(session)s” of “%(cohort)s” on %(when)s."),
    prepare=lambda params: {**_session_params(params), "when": _moment(params, "starts_at")},
    # Decided before the session: a digest the next morning may come too late.
    digestible=False,
)


# Reminders (cohorts.reminders): a session soon, course work due or overdue, inactivity.
SESSION_SOON = Kind(
    "cohorts.session_soon",
    title=_("Session soon: %(session)s"),
    body=_("The session “%(session)s” of “%(cohort)s” starts on %(when)s. Where: %(place)s"),
    prepare=lambda params: {**_session_params(params), "when": _moment(params, "starts_at")},
    # A digest the next morning would arrive after the session.
    digestible=False,
)
SESSION_CANCELLED = Kind(
    "cohorts.session_cancelled",
    title=_("Session cancelled: %(session)s"),
    body=_("The session “%(session)s” of “%(cohort)s” on %(when)s is cancelled.%(reason)s"),
    prepare=lambda params: {
        **_session_params(params),
        "when": _moment(params, "starts_at"),
        "reason": (" " + str(_("Reason: %(reason)s") % {"reason": params["reason"]}))
        if params.get("reason")
        else "",
    },
    # Safety-critical: people would otherwise travel to a room where nothing happens.
    can_turn_off=False,
    digestible=False,
)
WORK_DUE = Kind(
    "cohorts.work_due",
    title=_("Due soon: %(lesson)s"),
    body=_("“%(lesson)s” in the course “%(course)s” is due on %(when)s and is not done yet."),
    prepare=lambda params: {
        "lesson": kinds.localized(params, "lesson"),
        "course": kinds.localized(params, "course"),
        "when": _moment(params, "deadline"),
    },
    digestible=False,
)
WORK_OVERDUE = Kind(
    "cohorts.work_overdue",
    title=_("Overdue: %(lesson)s"),
    body=_(
        "“%(lesson)s” in the course “%(course)s” was due on %(when)s. It is not too late to "
        "finish it."
    ),
    prepare=lambda params: {
        "lesson": kinds.localized(params, "lesson"),
        "course": kinds.localized(params, "course"),
        "when": _moment(params, "deadline"),
    },
)
TRAINEE_INACTIVE = Kind(
    "cohorts.trainee_inactive",
    title=_("We miss you"),
    body=_(
        "You have not been active in “%(cohort)s” for a week. Open your courses and pick up "
        "where you left off."
    ),
    prepare=_cohort_params,
)

DECISION_KINDS = {
    Application.Status.SHORTLISTED: APPLICATION_SHORTLISTED,
    Application.Status.ACCEPTED: APPLICATION_ACCEPTED,
    Application.Status.WAITLISTED: APPLICATION_WAITLISTED,
    Application.Status.REJECTED: APPLICATION_REJECTED,
}

KINDS = (
    APPLICATION_RECEIVED,
    APPLICATION_SHORTLISTED,
    APPLICATION_ACCEPTED,
    APPLICATION_WAITLISTED,
    APPLICATION_REJECTED,
    PROMOTED_FROM_WAITLIST,
    MEMBER_ADDED,
    EXCUSE_APPROVED,
    EXCUSE_DECLINED,
    ANNOUNCEMENT,
    NEW_APPLICATION,
    EXCUSE_REQUESTED,
    SESSION_SOON,
    SESSION_CANCELLED,
    WORK_DUE,
    WORK_OVERDUE,
    TRAINEE_INACTIVE,
)


def register_kinds() -> None:
    """Make every kind above known to the notifications app (called once, from ready())."""
    kinds.register_all(KINDS)


def cohort_managers(cohort_id: int) -> list:
    """The active managers of a cohort (active accounts), who are told of work waiting."""
    return list(
        User.objects.filter(
            is_active=True,
            cohort_memberships__cohort_id=cohort_id,
            cohort_memberships__role=Membership.Role.MANAGER,
            cohort_memberships__status=Membership.Status.ACTIVE,
        )
        .distinct()
        .order_by("pk")
    )


def cohort_names(cohort: Cohort) -> dict:
    """The cohort's name in both languages, as the parameters of a notification about it."""
    return {"cohort": cohort.name, "cohort_en": cohort.name_en}
