"""Where a page's server time goes: cProfile over requests made in-process (Django's test client,
the production settings of the benchmark, the seeded bench database, the personas' cookies).

    .venv/bin/python bench/profile_pages.py --pages home-trainee,profile-trainee
    .venv/bin/python bench/profile_pages.py --pages course-outline-trainee --top 40 --sort tottime

Run `make bench` (or bench/run.py) once first: this script neither migrates nor seeds. It prints,
per page, the mean milliseconds per request while profiled and the top functions."""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(BASE_DIR)

from bench import run  # noqa: E402
from bench.pages import PAGES, BenchContext, select  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", required=True, help="shell patterns, comma-separated")
    parser.add_argument("--requests", type=int, default=50, help="profiled requests per page")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", run.DEFAULT_DATABASE_URL),
    )
    args = parser.parse_args(argv)
    run.configure_environment(
        argparse.Namespace(
            redis_url=os.environ.get("BENCH_REDIS_URL"), database_url=args.database_url
        )
    )
    import django

    django.setup()
    from bench import core, fixture

    with open(os.devnull, "w") as quiet:
        extra = fixture.seed(scale=fixture.Scale(quick=False), stdout=quiet)
    context = BenchContext(personas=fixture.personas(), extra=extra)
    host = run.HOST
    jars = core.browser_cookies(context.personas, host)
    for page in select(PAGES, [p for p in args.pages.split(",") if p]):
        path = page.path(context)
        client = core._client(jars[page.persona], host)
        for _ in range(5):
            client.get(path, headers={"accept": page.accept})
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(args.requests):
            client.get(path, headers={"accept": page.accept})
        profiler.disable()
        elapsed = (time.perf_counter() - started) / args.requests * 1000
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(args.sort).print_stats(args.top)
        print(f"=== {page.name} {path}: {elapsed:.1f} ms per request while profiled")
        print("\n".join(out.getvalue().splitlines()[6:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
