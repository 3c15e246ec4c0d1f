"""The matching engine: a pure function from trainees, mentors, weights, pins and forbids to an
assignment, with each pair's score in parts and each unmatched trainee's reason.

No ORM and no Django here: the services build the inputs from the database and
`mentoring.explain` renders the parts in the reader's language.

Objective (globally optimal, not greedy): first match as many trainees as the hard constraints
allow, then maximise the total weighted score. Each mentor is expanded into as many columns
("slots") as their free places and scipy's `linear_sum_assignment` solves the rectangular
assignment problem over trainees x slots with the value BIG + score for a feasible pair and 0
for an infeasible one (infeasible pairs the solver chose are dropped). BIG exceeds any possible
total score, so the number of matched trainees comes first.

Hard constraints: free capacity (capacity minus current mentees), at least one shared language,
a mentor of the same gender when the trainee asked for it, the manager's forbidden pairs. Pins
are placed first (a pin breaking a hard constraint or a mentor's capacity is an error) and the
rest is optimised around them.

Soft score: weight x shared topics + weight if same governorate + weight x overlapping
availability slots + weight if the mentor's expertise lies in the cohort's track.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class Trainee:
    id: int
    languages: frozenset[str]
    topics: frozenset[str] = frozenset()
    governorate: str = ""
    gender: str = ""
    availability: frozenset[str] = frozenset()
    same_gender: bool = False


@dataclass(frozen=True)
class Mentor:
    id: int
    languages: frozenset[str]
    capacity: int
    topics: frozenset[str] = frozenset()
    governorate: str = ""
    gender: str = ""
    availability: frozenset[str] = frozenset()
    current: int = 0  # mentees already held (from earlier rounds)

    @property
    def free(self) -> int:
        return max(self.capacity - self.current, 0)


@dataclass(frozen=True)
class Weights:
    topics: int = 10
    governorate: int = 10
    availability: int = 4
    track: int = 5


@dataclass(frozen=True)
class Pair:
    trainee: int
    mentor: int
    score: int
    # [{"kind": "topics", "points": 20, "items": ["elections", "media"]}, ...]
    parts: tuple[dict, ...]
    pinned: bool = False


@dataclass(frozen=True)
class Unmatched:
    trainee: int
    # one of: no_mentors, no_language, no_same_gender, no_gender_given, forbidden,
    # no_capacity, capacity_taken
    code: str
    languages: tuple[str, ...] = ()


@dataclass
class Result:
    pairs: list[Pair] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(p.score for p in self.pairs)

    def mentor_of(self) -> dict[int, int]:
        return {p.trainee: p.mentor for p in self.pairs}


class MatchingError(ValueError):
    """Bad input: `code` says what, `params` with which ids (rendered by mentoring.explain)."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")


# -- scoring ----------------------------------------------------------------------------------


def hard_ok(trainee: Trainee, mentor: Mentor, forbids: frozenset = frozenset()) -> bool:
    """The pair breaks no hard constraint other than capacity."""
    if trainee.id == mentor.id or (trainee.id, mentor.id) in forbids:
        return False
    if not (trainee.languages & mentor.languages):
        return False
    return not (trainee.same_gender and (not trainee.gender or trainee.gender != mentor.gender))


def score_parts(
    trainee: Trainee, mentor: Mentor, weights: Weights, track_topics: frozenset[str]
) -> tuple[int, tuple[dict, ...]]:
    """The pair's soft score and its parts, in the order they are shown."""
    parts = []
    shared = sorted(trainee.topics & mentor.topics)
    if shared and weights.topics:
        parts.append({"kind": "topics", "points": weights.topics * len(shared), "items": shared})
    if trainee.governorate and trainee.governorate == mentor.governorate and weights.governorate:
        parts.append(
            {"kind": "governorate", "points": weights.governorate, "items": [mentor.governorate]}
        )
    overlap = sorted(trainee.availability & mentor.availability)
    if overlap and weights.availability:
        parts.append(
            {
                "kind": "availability",
                "points": weights.availability * len(overlap),
                "items": overlap,
            }
        )
    in_track = sorted(mentor.topics & track_topics)
    if in_track and weights.track:
        parts.append({"kind": "track", "points": weights.track, "items": in_track})
    return sum(p["points"] for p in parts), tuple(parts)


# -- validation -------------------------------------------------------------------------------


def _validate(trainees, mentors, weights, known_topics):
    for name in ("topics", "governorate", "availability", "track"):
        value = getattr(weights, name)
        if not isinstance(value, int) or value < 0 or value > 1000:
            raise MatchingError("bad_weight", weight=name)
    seen = set()
    for t in trainees:
        if t.id in seen:
            raise MatchingError("duplicate_trainee", trainee=t.id)
        seen.add(t.id)
    seen = set()
    for m in mentors:
        if m.id in seen:
            raise MatchingError("duplicate_mentor", mentor=m.id)
        seen.add(m.id)
        if not isinstance(m.capacity, int) or m.capacity < 0:
            raise MatchingError("bad_capacity", mentor=m.id)
        if m.current < 0:
            raise MatchingError("bad_capacity", mentor=m.id)
    if known_topics is not None:
        for person in (*trainees, *mentors):
            unknown = sorted(person.topics - known_topics)
            if unknown:
                raise MatchingError("unknown_topic", person=person.id, topic=unknown[0])


def _bits(values: Iterable[frozenset[str]]) -> tuple[np.ndarray, dict[str, int]]:
    """Each set as a bitmask over the vocabulary found (≤ 64 words per field)."""
    values = list(values)
    vocab = sorted(set().union(*values)) if values else []
    if len(vocab) > 63:
        raise MatchingError("vocabulary_too_large", size=len(vocab))
    index = {word: i for i, word in enumerate(vocab)}
    out = np.zeros(len(values), dtype=np.uint64)
    for row, value in enumerate(values):
        mask = 0
        for word in value:
            mask |= 1 << index[word]
        out[row] = mask
    return out, index


# -- the solver -------------------------------------------------------------------------------


def match(
    trainees: list[Trainee],
    mentors: list[Mentor],
    *,
    weights: Weights = Weights(),
    pins: Iterable[tuple[int, int]] = (),
    forbids: Iterable[tuple[int, int]] = (),
    track_topics: frozenset[str] = frozenset(),
    known_topics: frozenset[str] | None = None,
) -> Result:
    """The optimal assignment (see the module's docstring). Raises MatchingError on bad input;
    an impossible round is not an error: the best feasible assignment is returned with every
    unmatched trainee explained."""
    trainees = list(trainees)
    mentors = list(mentors)
    forbids = frozenset(forbids)
    _validate(trainees, mentors, weights, known_topics)
    by_trainee = {t.id: t for t in trainees}
    by_mentor = {m.id: m for m in mentors}
    free = {m.id: m.free for m in mentors}
    result = Result()

    # 1. Pins, checked and placed first.
    pinned = set()
    for trainee_id, mentor_id in pins:
        if trainee_id not in by_trainee:
            raise MatchingError("pin_unknown_trainee", trainee=trainee_id)
        if mentor_id not in by_mentor:
            raise MatchingError("pin_unknown_mentor", mentor=mentor_id)
        if trainee_id in pinned:
            raise MatchingError("pin_twice", trainee=trainee_id)
        t, m = by_trainee[trainee_id], by_mentor[mentor_id]
        if (trainee_id, mentor_id) in forbids:
            raise MatchingError("pin_forbidden", trainee=trainee_id, mentor=mentor_id)
        if not (t.languages & m.languages):
            raise MatchingError("pin_no_language", trainee=trainee_id, mentor=mentor_id)
        if not hard_ok(t, m, forbids):
            raise MatchingError("pin_gender", trainee=trainee_id, mentor=mentor_id)
        if free[mentor_id] <= 0:
            raise MatchingError("pin_over_capacity", trainee=trainee_id, mentor=mentor_id)
        free[mentor_id] -= 1
        pinned.add(trainee_id)
        score, parts = score_parts(t, m, weights, track_topics)
        result.pairs.append(Pair(trainee_id, mentor_id, score, parts, pinned=True))

    rest = [t for t in trainees if t.id not in pinned]
    open_mentors = [m for m in mentors if free[m.id] > 0]

    # 2. The optimal assignment of the rest over the free slots.
    chosen: dict[int, int] = {}
    if rest and open_mentors:
        feasible, scores = _matrices(rest, open_mentors, weights, forbids, track_topics)
        # No mentor needs more slots than there are trainees.
        caps = np.minimum([free[m.id] for m in open_mentors], len(rest))
        slot_mentor = np.repeat(np.arange(len(open_mentors)), caps)
        big = float(scores.max(initial=0)) * len(rest) + 1.0
        value = np.where(feasible, big + scores, 0.0)[:, slot_mentor]
        rows, cols = linear_sum_assignment(value, maximize=True)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            j = int(slot_mentor[c])
            if feasible[r, j]:
                chosen[r] = j

    for r, t in enumerate(rest):
        if r in chosen:
            m = open_mentors[chosen[r]]
            score, parts = score_parts(t, m, weights, track_topics)
            result.pairs.append(Pair(t.id, m.id, score, parts))
        else:
            result.unmatched.append(_why(t, mentors, forbids, by_mentor))
    return result


def _matrices(rest, mentors, weights, forbids, track_topics):
    """Feasibility (bool) and soft scores (float) of every trainee x mentor pair, vectorised."""
    n, k = len(rest), len(mentors)
    lang, _ = _bits([t.languages for t in rest] + [m.languages for m in mentors])
    topic, topic_index = _bits([t.topics for t in rest] + [m.topics for m in mentors])
    slot, _ = _bits([t.availability for t in rest] + [m.availability for m in mentors])
    t_lang, m_lang = lang[:n, None], lang[None, n:]
    feasible = (t_lang & m_lang) != 0
    wants = np.array([t.same_gender for t in rest])[:, None]
    t_gender = np.array([t.gender or "\x00none" for t in rest], dtype=object)[:, None]
    m_gender = np.array([m.gender or "\x01none" for m in mentors], dtype=object)[None, :]
    feasible &= ~wants | (t_gender == m_gender)
    t_ids = np.array([t.id for t in rest])
    m_ids = np.array([m.id for m in mentors])
    feasible &= t_ids[:, None] != m_ids[None, :]
    if forbids:
        t_pos = {t.id: i for i, t in enumerate(rest)}
        m_pos = {m.id: j for j, m in enumerate(mentors)}
        for trainee_id, mentor_id in forbids:
            if trainee_id in t_pos and mentor_id in m_pos:
                feasible[t_pos[trainee_id], m_pos[mentor_id]] = False

    scores = np.zeros((n, k), dtype=np.float64)
    if weights.topics:
        shared = np.bitwise_count(topic[:n, None] & topic[None, n:])
        scores += weights.topics * shared
    if weights.availability:
        scores += weights.availability * np.bitwise_count(slot[:n, None] & slot[None, n:])
    if weights.governorate:
        t_gov = np.array([t.governorate or "\x00none" for t in rest], dtype=object)[:, None]
        m_gov = np.array([m.governorate or "\x01none" for m in mentors], dtype=object)[None, :]
        scores += weights.governorate * (t_gov == m_gov)
    if weights.track and track_topics:
        in_track = np.array([bool(m.topics & track_topics) for m in mentors])
        scores += weights.track * in_track[None, :]
    return feasible, scores


def _why(trainee, mentors, forbids, by_mentor) -> Unmatched:
    """The first reason, most fundamental first, why no mentor was found."""
    langs = tuple(sorted(trainee.languages))
    if not mentors:
        return Unmatched(trainee.id, "no_mentors", langs)
    speaking = [m for m in mentors if m.id != trainee.id and trainee.languages & m.languages]
    if not speaking:
        return Unmatched(trainee.id, "no_language", langs)
    if trainee.same_gender:
        if not trainee.gender:
            return Unmatched(trainee.id, "no_gender_given", langs)
        speaking = [m for m in speaking if m.gender == trainee.gender]
        if not speaking:
            return Unmatched(trainee.id, "no_same_gender", langs)
    allowed = [m for m in speaking if (trainee.id, m.id) not in forbids]
    if not allowed:
        return Unmatched(trainee.id, "forbidden", langs)
    if not any(m.free > 0 for m in allowed):
        return Unmatched(trainee.id, "no_capacity", langs)
    return Unmatched(trainee.id, "capacity_taken", langs)
