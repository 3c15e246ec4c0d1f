"""Pure arithmetic and formatting of benchmark results: percentiles, ratios, the printed table.

Nothing here touches Django, the network or the clock, so it is tested directly."""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between closest ranks, the same
    definition as numpy's default, so that p50 of an even count is the mean of the middle two."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, not {q}")
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(ordered[low])
    weight = position - low
    return ordered[low] * (1 - weight) + ordered[high] * weight


def ratio(value: float | None, bare: float | None) -> float | None:
    """A page's requests/s as a fraction of the bare view's; None when either is unknown."""
    if value is None or not bare or bare <= 0:
        return None
    return value / bare


@dataclass
class Sample:
    """What one load run against one URL produced."""

    ok: int = 0
    errors: int = 0
    elapsed: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    # Set when the percentiles come precomputed (wrk) instead of from latencies_ms.
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    # CPU seconds the load generator itself used: on a shared machine, taken from the server.
    client_cpu: float | None = None

    @property
    def requests_per_second(self) -> float | None:
        if self.elapsed <= 0 or self.ok == 0:
            return None
        return self.ok / self.elapsed

    @property
    def p50_ms(self) -> float | None:
        if self.p50 is not None:
            return self.p50
        return percentile(self.latencies_ms, 50) if self.latencies_ms else None

    @property
    def p95_ms(self) -> float | None:
        if self.p95 is not None:
            return self.p95
        return percentile(self.latencies_ms, 95) if self.latencies_ms else None

    @property
    def p99_ms(self) -> float | None:
        if self.p99 is not None:
            return self.p99
        return percentile(self.latencies_ms, 99) if self.latencies_ms else None

    def summary(self) -> dict:
        return {
            "ok": self.ok,
            "errors": self.errors,
            "elapsed_s": round(self.elapsed, 3),
            "requests_per_second": _round(self.requests_per_second, 1),
            "p50_ms": _round(self.p50_ms, 2),
            "p95_ms": _round(self.p95_ms, 2),
            "p99_ms": _round(self.p99_ms, 2),
            "statuses": {str(code): count for code, count in sorted(self.statuses.items())},
            "client_cpu_ms_per_request": (
                round(self.client_cpu * 1000 / (self.ok + self.errors), 3)
                if self.client_cpu is not None and self.ok + self.errors
                else None
            ),
        }


def merge(samples: Sequence[Sample]) -> Sample:
    """One sample from several runs of the same URL: requests/s over the summed time."""
    merged = Sample()
    for sample in samples:
        merged.ok += sample.ok
        merged.errors += sample.errors
        merged.elapsed += sample.elapsed
        merged.latencies_ms.extend(sample.latencies_ms)
        for code, count in sample.statuses.items():
            merged.statuses[code] = merged.statuses.get(code, 0) + count
    return merged


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


COLUMNS = [
    # (key, heading, format, align)
    ("page", "page", "{}", "<"),
    ("persona", "persona", "{}", "<"),
    ("queries", "queries", "{:d}", ">"),
    ("sql_ms", "SQL ms", "{:.1f}", ">"),
    ("kb", "KB", "{:.1f}", ">"),
    ("requests_per_second", "req/s", "{:.0f}", ">"),
    ("p50_ms", "p50 ms", "{:.1f}", ">"),
    ("p95_ms", "p95 ms", "{:.1f}", ">"),
    ("p99_ms", "p99 ms", "{:.1f}", ">"),
    ("ratio", "vs bare", "{:.1%}", ">"),
    ("note", "", "{}", "<"),
]


def format_table(rows: Sequence[dict]) -> str:
    """A plain-text table, one row per page; a missing value prints as a dash."""
    cells = [[heading for _key, heading, _fmt, _align in COLUMNS]]
    for row in rows:
        line = []
        for key, _heading, fmt, _align in COLUMNS:
            value = row.get(key)
            line.append("-" if value is None else fmt.format(value))
        line[-1] = row.get("note") or ""
        cells.append(line)
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    out = []
    for index, line in enumerate(cells):
        parts = [
            f"{text:{align}{width}}"
            for text, width, (_k, _h, _f, align) in zip(line, widths, COLUMNS, strict=True)
        ]
        out.append("  ".join(parts).rstrip())
        if index == 0:
            out.append("  ".join("-" * width for width in widths[:-1]))
    return "\n".join(out)


def scale_table(pages: dict[str, dict], rows: Sequence) -> list[dict]:
    """The scale rows (bench.pages.SCALE) from the measured pages: p50 at each size and the
    spread (slowest / fastest) across the row; a row whose pages were not all measured has none."""
    table = []
    for label, sizes in rows:
        times = {size: (pages.get(name) or {}).get("p50_ms") for size, name in sizes}
        measured = [ms for ms in times.values() if ms]
        spread = max(measured) / min(measured) if len(measured) == len(times) else None
        table.append(
            {
                "row": label,
                "p50_ms": times,
                "spread": _round(spread, 2),
                "within_1_5": None if spread is None else spread <= 1.5,
            }
        )
    return table


def format_scale(table: Sequence[dict]) -> str:
    lines = ["Scale: p50 ms at each size (aim: within 1.5x across a row)"]
    for row in table:
        sizes = ", ".join(
            f"{size}: {'-' if ms is None else f'{ms:.1f}'}" for size, ms in row["p50_ms"].items()
        )
        if row["spread"] is None:
            verdict = "not all measured"
        else:
            verdict = f"spread {row['spread']:.2f}x " + ("ok" if row["within_1_5"] else "GROWS")
        lines.append(f"  {row['row']:<27} {sizes}  {verdict}")
    return "\n".join(lines)
