"""The round page's reads as compiled shapes (core.compiled), rows as plain values for
`mentoring.round_rows`: a page of proposed pairs (matched first, best score first, then the
unmatched), the pins and forbids of the round, and every active mentor's name with whether a
round may match them. The page is a manager's (cohorts.Cohort.objects.managed_by) and a manager
sees every mentor profile (MentorProfile.objects.visible_to) and the cohort's rounds
(MatchRound.objects.visible_to), so these are read by the cohort alone."""

from django.db.models import Case, F, When

from core.compiled import Shape
from core.paging import ShapedList

from .explain import reasons_text, unmatched_text
from .models import MatchForbid, MatchPin, MatchProposal, MatchRound, MentorProfile, taking_flag


def _pairs(round_id):
    return (
        MatchProposal.objects.filter(round=round_id)
        .annotate(unmatched=Case(When(mentor__isnull=True, then=1), default=0))
        .order_by("unmatched", "-score", "pk")
        .values(
            "trainee_id",
            "mentor_id",
            "score",
            "pinned",
            "reasons",
            "unmatched_reason",
            trainee_name=F("trainee__full_name"),
            mentor_name=F("mentor__full_name"),
        )
    )


def _edits(model):
    def build(round_id):
        return (
            model.objects.filter(round=round_id)
            .order_by("pk")
            .values(
                "trainee_id",
                "mentor_id",
                trainee_name=F("trainee__full_name"),
                mentor_name=F("mentor__full_name"),
            )
        )

    return build


def _mentors():
    return (
        MentorProfile.objects.filter(user__is_active=True)
        .annotate(taking=taking_flag())
        .order_by("user__full_name", "pk")
        .values_list("user_id", "user__full_name", "taking")
    )


_LATEST_ROUND = Shape(lambda cohort_id: MatchRound.objects.filter(cohort=cohort_id)[:1])
_PINS = Shape(_edits(MatchPin))
_FORBIDS = Shape(_edits(MatchForbid))
_MENTORS = Shape(_mentors)


def latest_round(cohort_id: int) -> MatchRound | None:
    """The cohort's newest round (draft or published), or None."""
    return _LATEST_ROUND.first(cohort_id)


def pairs(round_id: int) -> ShapedList:
    """The round's proposed pairs as a list the paginator pages (and counts) in stored SQL."""
    return ShapedList(_pairs, round_id)


def pair_rows(page) -> tuple[list[dict], list[dict]]:
    """A page's pairs as rows for round_rows: (matched, unmatched), each reason in words (the
    few reasons for a missing mentor repeat over many trainees: worded once)."""
    matched, unmatched, texts = [], [], {}
    for p in page:
        row = {
            "trainee_id": p["trainee_id"],
            "mentor_id": p["mentor_id"],
            "trainee": p["trainee_name"],
            "mentor": p["mentor_name"] or "",
            "score": p["score"],
            "pinned": p["pinned"],
        }
        if p["mentor_id"]:
            row["why"] = reasons_text(p["reasons"])
            matched.append(row)
        else:
            reason = p["unmatched_reason"] or {}
            key = (reason.get("code"), tuple(reason.get("languages", ())))
            if key not in texts:
                texts[key] = unmatched_text(p["unmatched_reason"])
            row["why"] = texts[key]
            unmatched.append(row)
    return matched, unmatched


def _named(rows) -> list[dict]:
    return [
        {
            "trainee_id": r["trainee_id"],
            "mentor_id": r["mentor_id"],
            "trainee": r["trainee_name"],
            "mentor": r["mentor_name"],
        }
        for r in rows
    ]


def edits(round_id: int) -> tuple[list[dict], list[dict]]:
    """The round's pins and forbids, oldest first, as rows for round_rows."""
    return _named(_PINS.list(round_id)), _named(_FORBIDS.list(round_id))


def mentors() -> tuple[list[tuple[int, str]], list[str]]:
    """Active mentors by name: (id, name) of those a round may match, and the names of those
    paused (not taking mentees, or capacity 0)."""
    taking, paused = [], []
    for user_id, name, takes in _MENTORS.list():
        if takes:
            taking.append((user_id, name))
        else:
            paused.append(name)
    return taking, paused
