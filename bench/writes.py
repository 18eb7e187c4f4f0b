"""Comment writes under load: guest comments POSTed by 8, 32 and 128 concurrent writers to the real server.

    .venv/bin/python bench/writes.py                         # SQLite (WAL), in a temporary data directory
    .venv/bin/python bench/writes.py --database postgres     # a fresh database on postgres://postgres@127.0.0.1
    .venv/bin/python bench/writes.py --writers 8,32,128 --seconds 10 --warmup 2 --workers 2

1. Makes a temporary data directory (and, with --database postgres, a new PostgreSQL database, dropped
   afterwards), migrates it and seeds the benchmark site and one 10-comment thread (bench/seed_threads.py),
   then lets the site take guest comments.
2. Starts `talkies serve --workers 2` as in production (bench/thread_read.py's talkies_environment), with
   every rate limit off: each writer posts as fast as it is answered, which no limit would allow.
3. For each number of writers: every writer asks for its own guest token, then POSTs one comment after
   another to /api/v1/threads/{id}/comments on its own keep-alive connection (a closed loop), each body
   different (the spam signal holds repeated text). A 503 with Retry-After makes that writer wait as long
   as it says before the next post, as a well-behaved client would.
4. Prints comments landed (201) per second, p50/p99 latency of the landed posts, and every answer by
   status; checks that the thread's comment count and its live-event log hold every landed comment; and
   writes bench/results/writes-<timestamp>.json.

`run_writers(base_url, writers=…, seconds=…, thread_id=…)` measures one point against a server that is
already running (for bench/full.py's table).
"""

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.loadgen import FAILED_EXCHANGE, MalformedResponse, _loopback_target, percentile  # noqa: E402
from bench.seed_threads import body as comment_body  # noqa: E402
from bench.thread_read import (  # noqa: E402
    HOST,
    CpuWindow,
    exit_on_sigterm,
    free_port,
    git_revision,
    prepare_talkies_database,
    talkies_command,
    talkies_environment,
    talkies_server,
)

RESULTS_DIR = ROOT / "bench" / "results"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
# Every write limit off (an empty value turns a limit off; settings.RATE_LIMITS): writers post flat out.
RATE_LIMITS_OFF = {
    "RATE_LIMIT_COMMENTS_PER_ACCOUNT": "",
    "RATE_LIMIT_COMMENTS_PER_IP": "",
    "RATE_LIMIT_GUEST_TOKENS_PER_IP": "",
}
ALLOW_GUESTS = (
    "from talkies.accounts.models import Site; Site.objects.filter(slug='bench').update(allow_guest_comments=True)"
)
# What the log holds for the thread: comments, and the comment.created events recorded for them.
COUNT_EVENTS = (
    "from talkies.comments.models import Comment; from talkies.live.models import LiveEvent; "
    "print(Comment.objects.filter(thread_id={thread}).count(), "
    "LiveEvent.objects.filter(thread_id={thread}, kind='comment.created').count())"
)
REQUEST_TIMEOUT_SECONDS = 30
SEEDED_COMMENTS = 10  # the thread seed_threads makes, which the writers post to (it has no live events)


# --- One writer ----------------------------------------------------------------------------------------


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, dict[str, str], bytes]:
    """Write one request and read its response: (status, headers, body). Django's answers carry a length."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise MalformedResponse(f"bad status line {status_line[:40]!r}")
    headers = {
        name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines) if name
    }
    if "content-length" not in headers:
        raise MalformedResponse("response without Content-Length")
    return int(parts[1]), headers, await reader.readexactly(int(headers["content-length"]))


class _Writer:
    """One guest posting comments over one keep-alive connection, reopened whenever its state is in doubt."""

    def __init__(self, index: int, *, host: str, port: int, path: str, timeout: float) -> None:
        self.index, self.host, self.port, self.path, self.timeout = index, host, port, path, timeout
        self.rng = random.Random(index)
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    def request(self, method: str, path: str, payload: dict | None = None) -> bytes:
        data = b"" if payload is None else json.dumps(payload).encode()
        return (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: application/json\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
            f"User-Agent: talkies-bench-writes\r\nConnection: keep-alive\r\n\r\n"
        ).encode("ascii") + data

    async def send(self, request: bytes) -> tuple[int, dict[str, str], bytes]:
        async with asyncio.timeout(self.timeout):
            if self.streams is None:
                self.streams = await asyncio.open_connection(self.host, self.port)
            return await _exchange(*self.streams, request)

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
        self.streams = None

    async def guest_token(self) -> str:
        status, _, answer = await self.send(self.request("POST", "/api/v1/guest-token"))
        if status != 201:
            raise RuntimeError(f"POST /api/v1/guest-token answered {status}: {answer[:200]!r}")
        return json.loads(answer)["guest_token"]

    def comment(self, token: str, number: int) -> bytes:
        text = f"{comment_body(self.rng)}\n\n(writer {self.index}, post {number})"
        return self.request(
            "POST", self.path, {"body": text, "guest_name": f"Writer {self.index}", "guest_token": token}
        )


async def _write(writer: _Writer, token: str, tally: "_WriteTally") -> None:
    number = 0
    try:
        while (started := time.perf_counter()) < tally.stop_at:
            number += 1
            pause = 0.0
            try:
                status, headers, answer = await writer.send(writer.comment(token, number))
                kind = str(status)
                if status == 201:
                    tally.published[json.loads(answer).get("status", "?")] += 1
                elif status == 503 and headers.get("retry-after", "").isdigit():
                    pause = float(headers["retry-after"])
                elif status == 503:
                    kind = "503 without Retry-After"
                elif status >= 500 and len(tally.samples) < 5:
                    tally.samples.append(answer[:300].decode(errors="replace"))
            except TimeoutError:
                writer.close()  # a late answer would be read as the next one's
                kind = "timeout"
            except FAILED_EXCHANGE as e:
                writer.close()
                kind = type(e).__name__
            tally.record(started, time.perf_counter() - started, kind)
            if pause:
                await asyncio.sleep(min(pause, max(0.0, tally.stop_at - time.perf_counter())))
    finally:
        writer.close()


class _WriteTally:
    """Answers by status over the measured window; latencies of the landed (201) posts."""

    def __init__(self, *, record_from: float, stop_at: float) -> None:
        self.record_from, self.stop_at = record_from, stop_at
        self.statuses: Counter[str] = Counter()
        self.published: Counter[str] = Counter()  # every 201 (warm-up too), by the comment's status
        self.landed: list[float] = []
        self.samples: list[str] = []

    def record(self, started: float, latency: float, kind: str) -> None:
        if started < self.record_from:
            return
        self.statuses[kind] += 1
        if kind == "201":
            self.landed.append(latency)


async def _run(base_url: str, *, writers: int, seconds: float, thread_id: int, warmup: float, timeout: float) -> dict:
    host, port, _ = _loopback_target(base_url)
    path = f"/api/v1/threads/{thread_id}/comments"
    clients = [_Writer(i, host=host, port=port, path=path, timeout=timeout) for i in range(writers)]
    tokens = []
    for client in clients:  # one after another: the tokens are not what is measured
        tokens.append(await client.guest_token())
    start = time.perf_counter()
    tally = _WriteTally(record_from=start + warmup, stop_at=start + warmup + seconds)
    tasks = [asyncio.create_task(_write(client, token, tally)) for client, token in zip(clients, tokens, strict=True)]
    await asyncio.sleep(max(0.0, tally.record_from - time.perf_counter()))
    cpu_start, window_start = time.process_time(), time.perf_counter()
    await asyncio.gather(*tasks)
    window, cpu = time.perf_counter() - window_start, time.process_time() - cpu_start

    def ms(percent: float) -> float | None:
        return round(percentile(tally.landed, percent) * 1000, 1) if tally.landed else None

    return {
        "writers": writers,
        "seconds": round(window, 2),
        "landed": len(tally.landed),
        "landed_per_s": round(len(tally.landed) / window, 1),
        "p50_ms": ms(50),
        "p90_ms": ms(90),
        "p99_ms": ms(99),
        "max_ms": round(max(tally.landed) * 1000, 1) if tally.landed else None,
        "statuses": dict(sorted(tally.statuses.items())),
        "published_by_status": dict(tally.published),
        "server_error_samples": tally.samples,
        "client_cpu_cores": round(cpu / window, 2),
    }


def run_writers(
    base_url: str,
    *,
    writers: int,
    seconds: float,
    thread_id: int,
    warmup: float = 1.0,
    timeout: float = REQUEST_TIMEOUT_SECONDS,
    **_: Any,
) -> dict:
    """`writers` guests posting comments to thread `thread_id` as fast as they are answered, for `warmup`
    unrecorded then `seconds` recorded seconds, against a server already running at `base_url` (loopback,
    rate limits off, guests allowed on the thread's site).

    Returns landed_per_s (201s a second), p50_ms and p99_ms of the landed posts, statuses (answers in the
    window by status: "201", "503", "timeout"…), and a few more figures (see _run).
    """
    return asyncio.run(
        _run(base_url, writers=writers, seconds=seconds, thread_id=thread_id, warmup=warmup, timeout=timeout)
    )


# --- A whole run -------------------------------------------------------------------------------------


@contextlib.contextmanager
def scratch_postgres(server_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on `server_url` for the length of the run, dropped afterwards."""
    import psycopg

    name = f"talkies_bench_writes_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def shell(env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [*talkies_command(), "shell", "--no-imports", "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def thread_comment_count(base_url: str, thread_id: int) -> int:
    with urllib.request.urlopen(f"{base_url}/api/v1/threads/{thread_id}", timeout=30) as response:
        return json.loads(response.read())["comment_count"]


def measure(args: argparse.Namespace, data_dir: Path, database_url: str | None) -> dict:
    env = {**talkies_environment(data_dir), **RATE_LIMITS_OFF}
    if database_url:
        env["DATABASE_URL"] = database_url
    print(f"seeding a thread in {database_url or data_dir}…", flush=True)
    (thread,) = prepare_talkies_database(env, [SEEDED_COMMENTS])
    shell(env, ALLOW_GUESTS)
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    rows = []
    with talkies_server(env, port=port, workers=args.workers, log_path=data_dir / "server.log") as server:
        server.wait_until_ready(f"{base_url}/api/v1/threads/{thread.thread_id}")
        print(f"talkies is up on {base_url} with {args.workers} workers", flush=True)
        for writers in args.writers:
            before = thread_comment_count(base_url, thread.thread_id)
            started = time.perf_counter()
            with CpuWindow(server) as cpu:
                row = run_writers(
                    base_url, writers=writers, seconds=args.seconds, thread_id=thread.thread_id, warmup=args.warmup
                )
            # Over the whole point (tokens and warm-up too): what the server and the machine were busy with.
            row.update(cpu.cores(time.perf_counter() - started, client_cpu_s=row["client_cpu_cores"] * row["seconds"]))
            row["comment_count_added"] = thread_comment_count(base_url, thread.thread_id) - before
            rows.append(row)
            print(
                f"  {writers:>4} writers: {row['landed_per_s']:>7.1f} landed/s  p50 {row['p50_ms']} ms  "
                f"p99 {row['p99_ms']} ms  {row['statuses']}",
                flush=True,
            )
        log_tail = server.log_tail(15)
    comments, events = (int(n) for n in shell(env, COUNT_EVENTS.format(thread=thread.thread_id)).split())
    return {
        "database": "postgresql" if database_url else "sqlite (WAL)",
        "thread_id": thread.thread_id,
        "results": rows,
        # Every comment posted in the run (approved ones, on this site) should have its comment.created event.
        "comments_in_thread": comments,
        "comment_created_events": events,
        "server_log_tail": log_tail,
    }


def print_table(report: dict) -> None:
    print(f"\n{report['database']}, {report['settings']['workers']} workers, rate limits off")
    header = (
        f"{'writers':>7} {'landed/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'server':>6} {'other':>6}  answers"
    )
    print(header + "\n" + "-" * (len(header) + 20))
    for r in report["results"]:
        print(
            f"{r['writers']:>7} {r['landed_per_s']:>9.1f} {r['p50_ms'] or 0:>8.1f} {r['p99_ms'] or 0:>8.1f} "
            f"{r['max_ms'] or 0:>8.1f} {r['server_cpu_cores']:>6.2f} {r['other_cpu_cores']:>6.2f}  {r['statuses']}"
        )
    posted = report["comments_in_thread"] - SEEDED_COMMENTS
    print(f"comments posted in the run: {posted}; comment.created events recorded: {report['comment_created_events']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--postgres-server", default=POSTGRES_SERVER, help=f"with --database postgres ({POSTGRES_SERVER})"
    )
    parser.add_argument("--writers", default="8,32,128", help="concurrent writers, comma-separated (8,32,128)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per point (10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first (2)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (2)")
    args = parser.parse_args(argv)
    args.writers = [int(n) for n in args.writers.split(",")]
    exit_on_sigterm()
    started_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    with tempfile.TemporaryDirectory(prefix="talkies-bench-writes-") as tmp:
        if args.database == "postgres":
            with scratch_postgres(args.postgres_server) as url:
                report = measure(args, Path(tmp), url)
        else:
            report = measure(args, Path(tmp), None)
    report = {
        "benchmark": "writes",
        "started_at": started_at,
        "revision": git_revision(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "settings": {**vars(args), "server": "granian (ASGI)", "rate_limits": "off"},
        **report,
    }
    print_table(report)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"writes-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)}")
    server_errors = sum(n for r in report["results"] for kind, n in r["statuses"].items() if kind.startswith("5"))
    refused = sum(r["statuses"].get("503", 0) for r in report["results"])
    if server_errors - refused:
        print(f"{server_errors - refused} answer(s) were server errors other than 503: see the JSON", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
