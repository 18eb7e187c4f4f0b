"""Moderation under load: time to first byte of the moderation queue, and what screening adds to a post.

    .venv/bin/python bench/moderation.py                 # 10,000 pending items, 30 timed requests each
    .venv/bin/python bench/moderation.py --items 50000 --requests 50

Part 1, the queue. Seeds one site with N pending comments (each with its queue entry, a third of them
reported with reasons, authors with histories) plus a site with one page of them (25), starts
`talkies serve --workers 2` in production mode on SQLite (as bench/thread_read.py does), signs a
moderator in with a real session cookie, and times the first byte of:
- /moderate/?queue=pending (the first page, what a moderator opens), on the big site and the small one;
- the same queue 200 pages deep (following next_cursor: keyset, so it should cost what page one does);
- /moderate/?queue=reported&order=reported (the most-reported order);
- GET /api/v1/moderation/queues/pending (the JSON a newsroom's tool reads).
The first request of each is reported apart (cold), then the median and p95 of the rest. The figure
that matters is the ratio big/small: a queue that scales reads a page of 10,000 items as fast as a page of 25.

Part 2, screening. In-process on a fresh SQLite database: p50 and p95 milliseconds of comment_create
with moderation's screener registered (word lists, rules, the three text signals) and without it, over
the same 300 comments, and the difference: the cost screening adds to posting a comment.

Results are printed and written to bench/results/moderation-<time>.json.
"""

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.thread_read import (  # noqa: E402
    HOST,
    free_port,
    git_revision,
    talkies_command,
    talkies_environment,
    talkies_server,
)

# The small site holds exactly one page, so both sites render the same number of items.
SMALL = 25

SEED_SCRIPT = r"""
import datetime, json, random, sys
import django
django.setup()
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone
from talkies.accounts.models import Site, SiteMembership, User
from talkies.comments.models import Comment, Thread
from talkies.moderation.models import QueueEntry, Report

sizes = json.loads(sys.argv[1])
rng = random.Random(7)
REASONS = ["spam", "abuse", "spoiler", "off_topic"]
out = {}
with transaction.atomic():
    moderator = User.objects.create(username="bench_moderator", password="!")
    authors = User.objects.bulk_create([User(username=f"author{i}", password="!") for i in range(500)])
    reporters = User.objects.bulk_create([User(username=f"reporter{i}", password="!") for i in range(50)])
    for index, size in enumerate(sizes):
        host = "127.0.0.1" if index == 0 else f"small{index}.example"
        site = Site.objects.create(slug=f"bench{index}", name=f"Bench {index}", domain=host, region="US")
        SiteMembership.objects.create(site=site, user=moderator, role="moderator")
        threads = [
            Thread.objects.create(site=site, key=f"https://bench.example/{index}/{t}", title=f"Story {t}")
            for t in range(20)
        ]
        start = timezone.now() - datetime.timedelta(days=3)
        comments = Comment.objects.bulk_create([
            Comment(
                thread=threads[i % len(threads)],
                author=authors[rng.randrange(len(authors))],
                body_source=f"Held comment {i}: the flamethrower scene was something else.",
                body_html=f"<p>Held comment {i}: the flamethrower scene was something else.</p>",
                status="pending",
                moderation_notice="Your comment is waiting for a moderator.",
                created_at=start + datetime.timedelta(seconds=20 * i),
            )
            for i in range(size)
        ], batch_size=2000)
        entries, reports = [], []
        for i, comment in enumerate(comments):
            reported = i % 3 == 0
            count = rng.randrange(1, 6) if reported else 0
            entries.append(QueueEntry(
                comment=comment, site=site, status="pending", created_at=comment.created_at,
                author_id=comment.author_id,
                is_reported=reported, report_count=count,
                flags=[{"source": "rule", "name": "site", "detail": "Every comment on the site"}],
                signals={"toxicity": 0.1, "spam": 0.2, "spoiler": 0.0},
            ))
            for r in rng.sample(reporters, count):
                reports.append(Report(comment=comment, reporter=r, reason=rng.choice(REASONS), text="see this"))
        QueueEntry.objects.bulk_create(entries, batch_size=2000)
        Report.objects.bulk_create(reports, batch_size=2000)
        out[host] = size
session = SessionStore()
session["_auth_user_id"] = str(moderator.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = moderator.get_session_auth_hash()
session.create()
print(json.dumps({"session": session.session_key, "sites": out}))
"""


def seed(env: dict[str, str], sizes: list[int]) -> dict:
    subprocess.run([*talkies_command(), "migrate", "--no-input"], env=env, check=True, stdout=subprocess.DEVNULL)
    done = subprocess.run(
        [sys.executable, "-c", SEED_SCRIPT, json.dumps(sizes)],
        env={**env, "DJANGO_SETTINGS_MODULE": "talkies.settings"},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def first_byte(port: int, path: str, *, host: str, session: str) -> tuple[float, int, bytes]:
    """Seconds from sending the request to the first byte of the answer (a new connection each time,
    as a moderator's browser opening the page), the status, and the whole body."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.connect()
    started = time.perf_counter()
    connection.request("GET", path, headers={"Host": host, "Cookie": f"sessionid={session}"})
    response = connection.getresponse()  # returns once the status line and headers have arrived
    elapsed = time.perf_counter() - started
    body = response.read()
    connection.close()
    return elapsed, response.status, body


def measure(port: int, path: str, *, host: str, session: str, requests: int) -> dict:
    cold, status, body = first_byte(port, path, host=host, session=session)
    if status != 200:
        raise RuntimeError(f"{path} on {host} answered {status}: {body[:300]!r}")
    warm = [first_byte(port, path, host=host, session=session)[0] for _ in range(requests)]
    warm.sort()
    return {
        "path": path,
        "host": host,
        "cold_ms": round(cold * 1000, 1),
        "p50_ms": round(statistics.median(warm) * 1000, 1),
        "p95_ms": round(warm[int(len(warm) * 0.95) - 1] * 1000, 1),
        "bytes": len(body),
    }


def deep_path(port: int, *, host: str, session: str, pages: int) -> str:
    """The pending queue `pages` pages deep, by following the API's next_cursor."""
    cursor = None
    for _ in range(pages):
        path = "/api/v1/moderation/queues/pending?limit=25" + (f"&cursor={cursor}" if cursor else "")
        _, status, body = first_byte(port, path, host=host, session=session)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {body[:200]!r}")
        cursor = json.loads(body)["next_cursor"]
        if cursor is None:
            break
    return f"/moderate/?queue=pending&cursor={cursor}" if cursor else "/moderate/?queue=pending"


def queue_part(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="talkies-bench-moderation-") as tmp:
        data_dir = Path(tmp)
        env = talkies_environment(data_dir)
        env["ALLOWED_HOSTS"] = f"{HOST},small1.example"
        seeded = seed(env, [args.items, SMALL])
        session = seeded["session"]
        port = free_port()
        with talkies_server(env, port=port, workers=2, log_path=data_dir / "server.log") as server:
            server.wait_until_ready(f"http://{HOST}:{port}/api/v1/session")
            rows = []
            for host in (HOST, "small1.example"):
                for path in (
                    "/moderate/?queue=pending",
                    "/moderate/?queue=reported&order=reported",
                    "/api/v1/moderation/queues/pending",
                ):
                    rows.append({**measure(port, path, host=host, session=session, requests=args.requests)})
            deep = deep_path(port, host=HOST, session=session, pages=args.deep_pages)
            row = measure(port, deep, host=HOST, session=session, requests=args.requests)
            row["path"] = f"/moderate/?queue=pending ({args.deep_pages} pages deep)"
            rows.append(row)
        return {"items": seeded["sites"], "rows": rows}


SCREENING_SCRIPT = r"""
import json, statistics, sys, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from talkies.accounts.models import Site, User
from talkies.catalogue.models import Film
from talkies.comments.models import Thread
from talkies.comments import screening
from talkies.comments.services import comment_create
from talkies.moderation.models import ListedWord, PremoderationRule
from talkies.moderation.screener import screen_new_comment

n = int(sys.argv[1])
site = Site.objects.create(slug="s", name="S", region="US")
film = Film.objects.create(title="Ballerina", slug="ballerina", synopsis="Eve Macarro seeks revenge on the cult.")
ListedWord.objects.bulk_create([ListedWord(site=site, word=w, kind="banned") for w in ("cunt", "fuck", "shit")])
PremoderationRule.objects.create(site=site, scope="links")
thread = Thread.objects.create(site=site, key="t", film=film, title="What did you think of Ballerina?")
authors = User.objects.bulk_create([User(username=f"a{i}", password="!") for i in range(n)])
bodies = [
    "The flamethrower fight is the best action scene of the year, and Ana de Armas sells every hit.",
    "This movie is garbage and the script is lazy, but the choreography almost saves it.",
    "Does anyone know if there is a post-credits scene? I left early.",
    "Honestly the second act drags; Winston and the Director deserved more screen time.",
]

def run(label):
    times = []
    for i, author in enumerate(authors):
        started = time.perf_counter()
        comment_create(thread=thread, author=author, body=bodies[i % len(bodies)] + f" ({label} {i})")
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(len(times) * 0.95) - 1], 2)}

screening.unregister_screener("talkies.moderation")
without = run("without")
screening.register_screener("talkies.moderation", screen_new_comment)
with_screening = run("with")
print(json.dumps({"comments": n, "without_screening": without, "with_screening": with_screening,
                  "added_p50_ms": round(with_screening["p50_ms"] - without["p50_ms"], 2)}))
"""


def screening_part(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="talkies-bench-screening-") as tmp:
        env = talkies_environment(Path(tmp))
        env["DJANGO_SETTINGS_MODULE"] = "talkies.settings"
        done = subprocess.run(
            [sys.executable, "-c", SCREENING_SCRIPT, str(args.comments)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000, help="pending items on the big site")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page, after a cold one")
    parser.add_argument("--deep-pages", type=int, default=200, help="how deep the deep page is")
    parser.add_argument("--comments", type=int, default=300, help="comments posted in the screening part")
    parser.add_argument("--part", choices=["all", "queue", "screening"], default="all")
    args = parser.parse_args(argv)
    report: dict = {"revision": git_revision(), "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    if args.part in ("all", "queue"):
        queue = queue_part(args)
        report["queue"] = queue
        print(f"Time to first byte, SQLite, talkies serve --workers 2 ({queue['items']}):")
        print(f"{'page':58} {'items':>7} {'cold ms':>8} {'p50 ms':>7} {'p95 ms':>7} {'KiB':>6}")
        for row in queue["rows"]:
            items = queue["items"][row["host"]]
            print(
                f"{row['path']:58} {items:>7} {row['cold_ms']:>8} {row['p50_ms']:>7} {row['p95_ms']:>7}"
                f" {row['bytes'] / 1024:>6.1f}"
            )
        big = {r["path"]: r for r in queue["rows"] if r["host"] == HOST}
        small = {r["path"]: r for r in queue["rows"] if r["host"] != HOST}
        for path in small:
            print(f"ratio {path}: {args.items} items / {SMALL} = {big[path]['p50_ms'] / small[path]['p50_ms']:.2f}")
    if args.part in ("all", "screening"):
        screening = screening_part(args)
        report["screening"] = screening
        print(
            f"comment_create over {screening['comments']} comments, SQLite, p50/p95 ms: "
            f"without screening {screening['without_screening']['p50_ms']}/{screening['without_screening']['p95_ms']}, "
            f"with {screening['with_screening']['p50_ms']}/{screening['with_screening']['p95_ms']}; "
            f"screening adds {screening['added_p50_ms']} ms at p50"
        )
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    path = results / f"moderation-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"results: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
