"""The notification kinds of mentoring, registered by `MentoringConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds
from notifications.kinds import Kind

MENTOR_ASSIGNED = Kind(
    "mentoring.mentee_proposed",
    title=_("A new mentee for you"),
    body=_("%(trainee)s of %(cohort)s has been matched with you. Please accept or decline."),
    # The match waits for the mentor's answer: not held back for a digest.
    digestible=False,
)
TRAINEE_MATCHED = Kind(
    "mentoring.mentor_assigned",
    title=_("Your mentor"),
    body=_("%(mentor)s will be your mentor in %(cohort)s."),
)
DECLINED = Kind(
    "mentoring.declined",
    title=_("A mentor declined"),
    body=_("%(mentor)s declined to mentor %(trainee)s in %(cohort)s: %(reason)s"),
)
POOR_FIT = Kind(
    "mentoring.poor_fit",
    title=_("A mentorship needs re-matching"),
    body=_("The mentorship of %(trainee)s with %(mentor)s in %(cohort)s was reported a poor fit."),
)


def _cohort_params(params: dict) -> dict:
    return {**params, "cohort": kinds.localized(params, "cohort")}


# Reminders (mentoring.reminders), both to the mentor.
NO_MEETING = Kind(
    "mentoring.no_meeting",
    title=_("Time to meet %(trainee)s"),
    body=_(
        "No meeting with %(trainee)s (%(cohort)s) has been logged for 30 days. Arrange one and "
        "log it on the mentorship's page."
    ),
    prepare=_cohort_params,
)
MENTEE_INACTIVE = Kind(
    "mentoring.mentee_inactive",
    title=_("%(trainee)s has been inactive for two weeks"),
    body=_(
        "Your mentee %(trainee)s has not been active in “%(cohort)s” for two weeks. A message "
        "from you may help."
    ),
    prepare=_cohort_params,
)

MENTEE_LEFT = Kind(
    "mentoring.mentee_left",
    title=_("%(trainee)s left %(cohort)s"),
    body=_(
        "%(trainee)s is no longer a trainee of %(cohort)s, so your mentorship has ended. Its "
        "meetings and goals stay on record."
    ),
    prepare=_cohort_params,
)

KINDS = (
    MENTOR_ASSIGNED,
    TRAINEE_MATCHED,
    DECLINED,
    POOR_FIT,
    NO_MEETING,
    MENTEE_INACTIVE,
    MENTEE_LEFT,
)


def register_kinds() -> None:
    kinds.register_all(KINDS)
