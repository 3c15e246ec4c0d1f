"""Times the mentor matching engine on random instances shaped like the programme at scale:
N trainees x 500 mentors with capacities 1-5, Arabic/Kurdish/English, 14 topics, 21 slots.

    .venv/bin/python bench/matching.py            # the 250/500/1,000/2,000 curve
    .venv/bin/python bench/matching.py 2000       # one size
    .venv/bin/python bench/matching.py --json     # the curve as JSON (bench/run.py reads it)

Prints seconds (best of 3) and the peak memory traced during one solve (tracemalloc, which sees
numpy's buffers). The aim: 2,000 x 500 in at most 2 s.
"""

import json
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mentoring.matching import Mentor, Trainee, Weights, match  # noqa: E402

TOPICS = [f"t{i}" for i in range(14)]
SLOTS = [f"{d}-{p}" for d in range(7) for p in ("m", "a", "e")]
GOVS = [f"g{i}" for i in range(18)]
LANG_MIX = [{"ar"}] * 6 + [{"ar", "en"}] * 2 + [{"ku"}, {"ku", "ar"}]


def instance(n_trainees, n_mentors, seed=1):
    rng = random.Random(seed)
    trainees = [
        Trainee(
            id=i,
            languages=frozenset(rng.choice(LANG_MIX)),
            topics=frozenset(rng.sample(TOPICS, rng.randint(1, 4))),
            governorate=rng.choice(GOVS),
            gender=rng.choice(["female", "male"]),
            availability=frozenset(rng.sample(SLOTS, rng.randint(1, 6))),
            same_gender=rng.random() < 0.2,
        )
        for i in range(n_trainees)
    ]
    mentors = [
        Mentor(
            id=100_000 + j,
            languages=frozenset(rng.choice(LANG_MIX)),
            capacity=rng.randint(1, 5),
            topics=frozenset(rng.sample(TOPICS, rng.randint(2, 5))),
            governorate=rng.choice(GOVS),
            gender=rng.choice(["female", "male"]),
            availability=frozenset(rng.sample(SLOTS, rng.randint(2, 8))),
        )
        for j in range(n_mentors)
    ]
    return trainees, mentors


def run(n_trainees, n_mentors=500):
    trainees, mentors = instance(n_trainees, n_mentors)
    kwargs = {"weights": Weights(), "track_topics": frozenset(TOPICS[:4])}
    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = match(trainees, mentors, **kwargs)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    match(trainees, mentors, **kwargs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return min(times), peak, result


def curve(sizes) -> list[dict]:
    rows = []
    for n in sizes:
        seconds, peak, result = run(n)
        rows.append(
            {
                "trainees": n,
                "mentors": 500,
                "seconds": seconds,
                "peak_mib": peak / 2**20,
                "matched": len(result.pairs),
                "total": result.total,
            }
        )
    return rows


def format_curve(rows) -> str:
    lines = [
        f"{'trainees':>8} {'mentors':>7} {'seconds':>8} {'peak MiB':>8} {'matched':>7} {'total':>8}"
    ]
    for r in rows:
        lines.append(
            f"{r['trainees']:>8} {r['mentors']:>7} {r['seconds']:>8.3f} {r['peak_mib']:>8.1f} "
            f"{r['matched']:>7} {r['total']:>8}"
        )
    return "\n".join(lines)


def main():
    args = [a for a in sys.argv[1:] if a != "--json"]
    rows = curve([int(a) for a in args] or [250, 500, 1000, 2000])
    if "--json" in sys.argv[1:]:
        print(json.dumps(rows))  # for bench/run.py, which prints and stores the curve
    else:
        print(format_curve(rows))


if __name__ == "__main__":
    main()
