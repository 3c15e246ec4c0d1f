"""What the authorization matrix is made of: the personas, the expected codes of each kind of
route, the objects rows point at, and one row (`Case`)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.cohorts.world import get as cohort_get
from tests.mentoring.world import get as mentoring_get

ROLES = ("anonymous", "trainee", "mentor", "manager", "staff")
# Every URL is walked by two more personas (tests/cohorts/world.py builds their objects):
# - "other_manager": a program manager who runs only a cohort of their own, with nobody of the
#   world in it (the whole cohorts world exists when they walk, so the outsider is a trainee of
#   "elsewhere" for them). By default they get what the manager gets; rows whose objects belong to
#   the manager's cohorts or people say otherwise (404: out of their scope);
# - "removed_facilitator": a mentor removed as facilitator of "running" while still named as the
#   facilitator of its sessions (a stale pointer, put back with a direct update). By default they
#   get what the mentor gets; rows where the mentor acts as facilitator or reviewer say otherwise
#   (what a plain mentor with no cohort gets).
EXTRA_ROLES = ("other_manager", "removed_facilitator")
ALL_ROLES = ROLES + EXTRA_ROLES


@dataclass(frozen=True)
class Case:
    expect: dict[str, int]
    method: str = "get"
    # kwargs for reverse() and data; values may be callables taking the `world` fixture dict
    # (and so may data as a whole, when its keys depend on the world too).
    kwargs: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] | Callable[[dict], dict] | None = None
    api: bool = False
    # The extra personas' codes where the section's default (in `expect`) is wrong for the row.
    other_manager: int | None = None
    removed_facilitator: int | None = None

    def code_for(self, role: str) -> int:
        explicit = getattr(self, role) if role in EXTRA_ROLES else None
        return explicit if explicit is not None else self.expect[role]


def codes(
    anonymous, trainee, mentor, manager, staff, *, other_manager=None, removed_facilitator=None
):
    """Each persona's status; the extra personas default to the manager's and the mentor's."""
    return {
        **dict(zip(ROLES, (anonymous, trainee, mentor, manager, staff), strict=True)),
        "other_manager": manager if other_manager is None else other_manager,
        "removed_facilitator": mentor if removed_facilitator is None else removed_facilitator,
    }


def everyone(code):
    return dict.fromkeys(ALL_ROLES, code)


SIGNED_IN_PAGE = codes(302, 200, 200, 200, 200)
MANAGERS_PAGE = codes(302, 403, 403, 200, 200)
MANAGERS_POST = codes(302, 403, 403, 302, 302)
SIGNED_IN_API = codes(401, 200, 200, 200, 200)
# Cohorts (tests/cohorts/world.py): the manager persona manages "running"; the mentor persona
# facilitates its sessions. The other manager cannot see "running" at all (404); the removed
# facilitator still sees it (a past member keeps their history) but may not run it (403), and
# takes no attendance: its sessions are not theirs to see (404).
COHORT_MANAGERS_API = codes(401, 403, 403, 200, 200, other_manager=404)
ATTENDANCE_TAKERS_API = codes(401, 403, 200, 200, 200, other_manager=404, removed_facilitator=404)
RUNNING = {"pk": cohort_get("running")}
ELSEWHERE = {"pk": cohort_get("elsewhere")}
SESSION = {"pk": cohort_get("session")}
OUTSIDER_APPLICATION = {"pk": cohort_get("outsider_application")}
TRAINEE_MEMBERSHIP = {"pk": cohort_get("trainee_membership")}
TRAINEE_EXCUSE = {"pk": cohort_get("trainee_excuse")}
# Cohorts pages: management pages of the manager's cohorts answer 404 to the other manager.
COHORT_MANAGERS_PAGE = codes(302, 404, 404, 200, 200, other_manager=404)
COHORT_MANAGERS_POST = codes(302, 404, 404, 302, 302, other_manager=404)
ATTENDANCE_TAKERS_PAGE = codes(302, 403, 200, 200, 200, other_manager=404, removed_facilitator=404)
TRAINEES_PAGE = codes(302, 200, 403, 403, 403, other_manager=404, removed_facilitator=404)
# What the members of "running" read: the other manager is not one (404); the removed facilitator
# keeps the cohort's own pages (their history) but not its sessions and excuses.
RUNNING_MEMBERS_API = codes(401, 200, 200, 200, 200, other_manager=404)
SESSION_MEMBERS_API = codes(401, 200, 200, 200, 200, other_manager=404, removed_facilitator=404)
# Objects the extra personas have no part in, whatever the section's default.
NOT_THEIRS = {"other_manager": 404, "removed_facilitator": 404}
OPEN = {"pk": cohort_get("open")}
TRAINEE_APPLICATION = {"pk": cohort_get("trainee_application")}
CURRICULUM_ITEM = {"pk": cohort_get("running"), "item_pk": cohort_get("curriculum_item")}

# Mentoring (tests/mentoring/world.py).
MENTORSHIP = {"pk": mentoring_get("mentorship")}
MENTORING_ROUND = {"pk": mentoring_get("round")}
MENTORING_PAIR = {"trainee": mentoring_get("waiting"), "mentor": lambda w: w["mentor"].pk}
MENTORING_ROUND_POST = codes(302, 404, 404, 302, 302, other_manager=404)
NOT_THEIRS_CODES = {"other_manager": 404, "removed_facilitator": 404}
COHORT_ROUND_API = codes(401, 404, 404, 200, 200, other_manager=404)
