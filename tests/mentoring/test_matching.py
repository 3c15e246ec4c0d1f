"""The matching engine: optimal (equal to exhaustive search on small instances, never below a
greedy baseline), never breaking a hard constraint, and clear about bad input."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.matching import MatchingError, Mentor, Trainee, Weights, hard_ok, match, score_parts

LANGS = ["ar", "ku", "en"]
TOPICS = ["elections", "media", "law", "economy"]
SLOTS = ["sat-evening", "sun-morning", "mon-evening"]
GOVS = ["najaf", "basra", ""]
TRACK = frozenset({"elections", "media"})


def sets(values, min_size=0):
    return st.frozensets(st.sampled_from(values), min_size=min_size, max_size=len(values))


def trainees_st(max_size):
    return st.lists(
        st.builds(
            Trainee,
            id=st.just(0),
            languages=sets(LANGS, 1),
            topics=sets(TOPICS),
            governorate=st.sampled_from(GOVS),
            gender=st.sampled_from(["female", "male", ""]),
            availability=sets(SLOTS),
            same_gender=st.booleans(),
        ),
        max_size=max_size,
    ).map(lambda ts: [Trainee(**{**t.__dict__, "id": i + 1}) for i, t in enumerate(ts)])


def mentors_st(max_size):
    return st.lists(
        st.builds(
            Mentor,
            id=st.just(0),
            languages=sets(LANGS, 1),
            capacity=st.integers(0, 2),
            topics=sets(TOPICS),
            governorate=st.sampled_from(GOVS),
            gender=st.sampled_from(["female", "male"]),
            availability=sets(SLOTS),
            current=st.integers(0, 1),
        ),
        max_size=max_size,
    ).map(lambda ms: [Mentor(**{**m.__dict__, "id": 100 + i}) for i, m in enumerate(ms)])


weights_st = st.builds(
    Weights,
    topics=st.integers(0, 30),
    governorate=st.integers(0, 30),
    availability=st.integers(0, 30),
    track=st.integers(0, 30),
)


def objective(trainees, mentors, assignment, weights):
    """(matched, total score) — the order the engine optimises in."""
    by_t = {t.id: t for t in trainees}
    by_m = {m.id: m for m in mentors}
    total = sum(score_parts(by_t[t], by_m[m], weights, TRACK)[0] for t, m in assignment.items())
    return len(assignment), total


def exhaustive(trainees, mentors, weights, forbids):
    best = (0, 0)
    options = [None, *mentors]
    for combo in itertools.product(options, repeat=len(trainees)):
        used = {}
        ok = True
        for t, m in zip(trainees, combo, strict=True):
            if m is None:
                continue
            used[m.id] = used.get(m.id, 0) + 1
            if used[m.id] > m.free or not hard_ok(t, m, forbids):
                ok = False
                break
        if ok:
            assignment = {t.id: m.id for t, m in zip(trainees, combo, strict=True) if m}
            best = max(best, objective(trainees, mentors, assignment, weights))
    return best


def greedy(trainees, mentors, weights, forbids):
    free = {m.id: m.free for m in mentors}
    pairs = sorted(
        (
            (score_parts(t, m, weights, TRACK)[0], t.id, m.id)
            for t in trainees
            for m in mentors
            if hard_ok(t, m, forbids)
        ),
        reverse=True,
    )
    assignment = {}
    for _score, t, m in pairs:
        if t not in assignment and free[m] > 0:
            assignment[t] = m
            free[m] -= 1
    return objective(trainees, mentors, assignment, weights)


def check_hard(result, trainees, mentors, forbids):
    by_t = {t.id: t for t in trainees}
    by_m = {m.id: m for m in mentors}
    load = {}
    for p in result.pairs:
        assert hard_ok(by_t[p.trainee], by_m[p.mentor], forbids)
        load[p.mentor] = load.get(p.mentor, 0) + 1
    for mentor_id, n in load.items():
        assert n <= by_m[mentor_id].free
    seen = [p.trainee for p in result.pairs] + [u.trainee for u in result.unmatched]
    assert sorted(seen) == sorted(by_t)


@settings(max_examples=150, deadline=None)
@given(trainees_st(5), mentors_st(3), weights_st, st.data())
def test_equals_exhaustive_search_and_beats_greedy(trainees, mentors, weights, data):
    pairs = [(t.id, m.id) for t in trainees for m in mentors]
    forbids = frozenset(data.draw(st.lists(st.sampled_from(pairs), max_size=3))) if pairs else []
    forbids = frozenset(forbids)
    result = match(trainees, mentors, weights=weights, forbids=forbids, track_topics=TRACK)
    check_hard(result, trainees, mentors, forbids)
    got = objective(trainees, mentors, result.mentor_of(), weights)
    assert got == exhaustive(trainees, mentors, weights, forbids)
    assert got >= greedy(trainees, mentors, weights, forbids)
    assert result.total == got[1]
    for p in result.pairs:
        assert p.score == sum(part["points"] for part in p.parts)


@settings(max_examples=40, deadline=None)
@given(trainees_st(25), mentors_st(10), weights_st)
def test_larger_instances_respect_constraints_and_beat_greedy(trainees, mentors, weights):
    result = match(trainees, mentors, weights=weights, track_topics=TRACK)
    check_hard(result, trainees, mentors, frozenset())
    got = objective(trainees, mentors, result.mentor_of(), weights)
    assert got >= greedy(trainees, mentors, weights, frozenset())


def T(id, **kw):
    return Trainee(id=id, languages=frozenset(kw.pop("languages", {"ar"})), **kw)


def M(id, capacity=1, **kw):
    return Mentor(id=id, capacity=capacity, languages=frozenset(kw.pop("languages", {"ar"})), **kw)


def test_reasons_in_parts():
    t = T(
        1,
        topics=frozenset({"elections", "local_government"}),
        governorate="najaf",
        availability=frozenset({"sat-evening", "sun-evening"}),
    )
    m = M(
        10,
        topics=frozenset({"elections", "local_government", "law"}),
        governorate="najaf",
        availability=frozenset({"sat-evening", "sun-evening", "mon-morning"}),
    )
    result = match(
        [t],
        [m],
        weights=Weights(topics=15, governorate=10, availability=4, track=5),
        track_topics=frozenset({"law"}),
    )
    (pair,) = result.pairs
    assert pair.parts == (
        {"kind": "topics", "points": 30, "items": ["elections", "local_government"]},
        {"kind": "governorate", "points": 10, "items": ["najaf"]},
        {"kind": "availability", "points": 8, "items": ["sat-evening", "sun-evening"]},
        {"kind": "track", "points": 5, "items": ["law"]},
    )
    assert pair.score == 53


def test_unmatched_reasons():
    kurd = T(1, languages={"ku"})
    wants_woman = T(2, gender="female", same_gender=True)
    forbidden = T(3)
    late = T(4)
    mentors = [M(10, gender="male", capacity=2), M(11, languages={"ku"}, capacity=0)]
    result = match([kurd, wants_woman, forbidden, late], mentors, forbids=[(3, 10)])
    reasons = {u.trainee: u.code for u in result.unmatched}
    assert reasons == {1: "no_capacity", 2: "no_same_gender", 3: "forbidden"}
    assert result.mentor_of() == {4: 10}
    assert {u.trainee: u.languages for u in result.unmatched}[1] == ("ku",)
    no_lang = match([T(5, languages={"en"})], [M(10)])
    assert no_lang.unmatched[0].code == "no_language"
    nobody = match([T(6)], [])
    assert nobody.unmatched[0].code == "no_mentors"
    taken = match([T(7), T(8)], [M(10, capacity=1)])
    assert sorted(u.code for u in taken.unmatched) == ["capacity_taken"]


def test_pins_first_and_rest_around_them():
    t1 = T(1, topics=frozenset({"law"}))
    t2 = T(2, topics=frozenset({"media"}))
    law, media = M(10, topics=frozenset({"law"})), M(11, topics=frozenset({"media"}))
    result = match([t1, t2], [law, media], pins=[(1, 11)])
    assert result.mentor_of() == {1: 11, 2: 10}
    assert [p.pinned for p in result.pairs] == [True, False]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"mentors": [M(10, capacity=-1)]}, "bad_capacity"),
        ({"mentors": [M(10, capacity=1, current=-2)]}, "bad_capacity"),
        ({"mentors": [M(10), M(10)]}, "duplicate_mentor"),
        ({"trainees": [T(1), T(1)]}, "duplicate_trainee"),
        ({"pins": [(1, 10)], "mentors": [M(10, capacity=0)]}, "pin_over_capacity"),
        ({"pins": [(1, 10)], "mentors": [M(10, capacity=2, current=2)]}, "pin_over_capacity"),
        ({"pins": [(1, 10), (2, 10)], "trainees": [T(1), T(2)]}, "pin_over_capacity"),
        ({"pins": [(1, 10)], "mentors": [M(10, languages={"ku"})]}, "pin_no_language"),
        ({"pins": [(1, 10)], "forbids": [(1, 10)]}, "pin_forbidden"),
        ({"pins": [(1, 99)]}, "pin_unknown_mentor"),
        ({"pins": [(9, 10)]}, "pin_unknown_trainee"),
        (
            {
                "pins": [(1, 10)],
                "trainees": [T(1, gender="female", same_gender=True)],
                "mentors": [M(10, gender="male")],
            },
            "pin_gender",
        ),
        ({"trainees": [T(1, topics=frozenset({"astrology"}))]}, "unknown_topic"),
        ({"weights": Weights(topics=-1)}, "bad_weight"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, code):
    args = {"trainees": [T(1)], "mentors": [M(10)], **kwargs}
    with pytest.raises(MatchingError) as caught:
        match(
            args.pop("trainees"),
            args.pop("mentors"),
            known_topics=frozenset({"law", "media"}),
            **args,
        )
    assert caught.value.code == code


def test_capacity_zero_and_no_mentors_are_explained_not_errors():
    result = match([T(1)], [M(10, capacity=0)])
    assert result.pairs == [] and result.unmatched[0].code == "no_capacity"
    assert match([], []).pairs == []
