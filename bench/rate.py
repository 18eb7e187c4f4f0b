"""Rating writes per second with exact aggregates, and whether a rating costs more as a film gathers ratings.

Seeds two films — one with 100 ratings, one with 100,000 — then times the same number of new ratings on
each through ratings.services.rating_set (the code path every entry point uses), and finally proves the
running scores still equal a recount of the raw rows. Run with `make bench-rate` or:

    .venv/bin/python bench/rate.py [--writes 2000] [--postgres postgres://postgres@127.0.0.1:5432/postgres]

Without --postgres it uses a fresh SQLite file in a temporary directory (WAL, as in production). With it, a
throwaway database is created on that server for the run and dropped afterwards.
"""

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@contextlib.contextmanager
def scratch_database(server_url: str | None) -> Iterator[str | None]:
    """A new, empty PostgreSQL database on `server_url` for the length of the run (None: use SQLite)."""
    if not server_url:
        yield None
        return
    import psycopg

    name = f"talkies_bench_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def setup_django(database_url: str | None, data_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "talkies.settings"
    os.environ["TALKIES_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(n_ratings: int, *, site, slug: str, users: list):
    """A film with `n_ratings` ratings from `users`, and its FilmScore set to match (bulk, not timed)."""
    import datetime
    import random

    from talkies.catalogue.models import Film, ReleaseDate
    from talkies.ratings.models import FilmScore, Rating

    film = Film.objects.create(title=f"Bench film {slug}", slug=slug)
    ReleaseDate.objects.create(film=film, region=site.region, date=datetime.date(2020, 1, 1))
    rng = random.Random(n_ratings)
    values = [rng.randint(1, 10) for _ in range(n_ratings)]
    Rating.objects.bulk_create(
        [Rating(site=site, film=film, user=user, value=v) for user, v in zip(users, values, strict=False)],
        batch_size=5000,
    )
    histogram = [values.count(v) for v in range(1, 11)]
    FilmScore.objects.create(site=site, film=film, count=n_ratings, total=sum(values), histogram=histogram)
    return film


def make_users(prefix: str, n: int) -> list:
    from talkies.accounts.models import User

    User.objects.bulk_create([User(username=f"{prefix}{i}", password="!") for i in range(n)], batch_size=5000)
    return list(User.objects.filter(username__startswith=prefix).order_by("id"))


def time_writes(*, site, film, raters: list) -> list[float]:
    """Seconds per rating_set call, one new rating per rater, then a change of mind for every tenth."""
    from talkies.ratings.services import rating_set

    timings = []
    for index, user in enumerate(raters):
        start = time.perf_counter()
        rating_set(site=site, film=film, user=user, value=1 + index % 10)
        timings.append(time.perf_counter() - start)
    for index, user in enumerate(raters[::10]):
        start = time.perf_counter()
        rating_set(site=site, film=film, user=user, value=10 - index % 10)
        timings.append(time.perf_counter() - start)
    return timings


def summarise(label: str, timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {
        "film": label,
        "writes": len(timings),
        "writes_per_second": round(len(timings) / sum(timings), 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writes", type=int, default=2000, help="new ratings timed per film (default 2000)")
    parser.add_argument("--large", type=int, default=100_000, help="ratings the large film starts with")
    parser.add_argument("--small", type=int, default=100, help="ratings the small film starts with")
    parser.add_argument("--postgres", metavar="URL", help="run on a throwaway database on this PostgreSQL server")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="talkies-bench-rate-") as data_dir, scratch_database(args.postgres) as url:
        setup_django(url, data_dir)
        from django.db import connection

        from talkies.accounts.models import Site
        from talkies.ratings.consistency import find_drift

        site, _ = Site.objects.get_or_create(slug="bench-rate", defaults={"name": "Bench", "allow_early_rating": True})
        print(f"database: {connection.vendor}; seeding {args.small} and {args.large} existing ratings…", flush=True)
        seeders = make_users("seed", max(args.small, args.large))
        small = seed(args.small, site=site, slug="bench-small", users=seeders)
        large = seed(args.large, site=site, slug="bench-large", users=seeders)
        raters = make_users("rater", args.writes)

        results = []
        # Alternate the order so neither film benefits from a warmer cache.
        for label, film in ((f"{args.small:,} existing", small), (f"{args.large:,} existing", large)):
            time_writes(site=site, film=film, raters=raters[: min(100, len(raters))])  # warm-up, not counted
            timings = time_writes(site=site, film=film, raters=raters[min(100, len(raters)) :])
            results.append(summarise(label, timings))

        drift = find_drift()
        ratio = results[1]["p50_ms"] / results[0]["p50_ms"]
        print(f"\n{'film':<20} {'writes':>7} {'writes/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
        for r in results:
            print(f"{r['film']:<20} {r['writes']:>7} {r['writes_per_second']:>9} {r['p50_ms']:>8} {r['p99_ms']:>8}")
        print(f"\np50 cost ratio (large / small): {ratio:.2f}  (1.00 means a rating costs the same)")
        print(f"drift after the run: {len(drift)} film score(s)")
        report = {"database": connection.vendor, "results": results, "p50_ratio": round(ratio, 3), "drift": len(drift)}
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / f"rate-{connection.vendor}-{int(time.time())}.json").write_text(json.dumps(report, indent=2))
        if drift:
            sys.exit("scores drifted from the raw ratings")


if __name__ == "__main__":
    main()
