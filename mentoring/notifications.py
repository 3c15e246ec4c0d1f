"""The notification kinds of mentoring, registered by `MentoringConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds
from notifications.kinds import Kind

MENTOR_ASSIGNED = Kind(
    "mentoring.mentee_proposed",
    title=_("A new mentee for you"),
    body=_("%(trainee)s of %(cohort)s has been matched with you. Please accept or decline."),
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

KINDS = (MENTOR_ASSIGNED, TRAINEE_MATCHED, DECLINED, POOR_FIT)


def register_kinds() -> None:
    kinds.register_all(KINDS)
