"""The whole picture in one run: every read a page load makes, guest posts and memory, beside nginx and Isso.

    make bench                                   # or: .venv/bin/python bench/full.py
    .venv/bin/python bench/full.py --quick       # 2 s a point, threads of 10 and 200 comments
    .venv/bin/python bench/full.py --duration 3 --sizes 10,200 --isso no

1. Seeds one site, one film and one story thread per size (bench/seed_threads.py), each thread also the
   thread of a publisher's page on an origin the site lets embed it (https://publisher.example), and
   signs a reader in (a session cookie, as the story page's login would leave).
2. Starts `talkies serve --workers 2` as in production (bench/servers.py), every write rate limit off,
   and samples the summed RSS of its processes every half second until it stops; the reads come first,
   then (the server restarted once the site takes guest comments) the guest site's story page and posts.
3. For each thread, measures under `--connections` keep-alive connections (wrk when installed, else the
   generator in bench/loadgen.py), after checking one answer of each is the one meant (bench/page_load.py):
   the first-party fast path; nginx sending that page's bytes from a file (the ceiling on this machine);
   the same page cross-origin; the embed's reads of a page load (thread lookup, film scores, its comment
   page) as embed.js makes them; count.js's counts for three pages; the story page anonymously and for
   the signed-in reader; the thread's Atom feed. Then guest comments POSTed by `--writers` writers
   (bench/writes.py), after every read, since each write makes the stored pages stale.
4. Stops Talkies and measures Isso (bench/isso.py) on the same comments where it has an equivalent: its
   thread read, what its embed.js asks for, its Atom feed, its counts (POST /count) and new comments
   (POST /new, guard off), with its memory sampled the same way.
5. Prints the table, then the ratios with issue 12's targets, pass or fail, and writes
   bench/results/bench-<timestamp>.json (rows, memory, ratios, targets). Exits 1 if a request failed.
"""

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import isso  # noqa: E402 (needs ROOT on sys.path when run as a script)
from bench.page_load import (  # noqa: E402
    CROSS_ORIGIN,
    GUEST_SITE_READ,
    ISSO_POST,
    ISSO_READS,
    ORIGIN,
    POST_LABEL,
    READ_LABELS,
    READS,
    IssoRequest,
    Read,
    Run,
    check_lookup,
    check_shell,
    expect_comments,
    fast_path,
    lookup_path,
    shell_headers,
    shown_ids,
)
from bench.seed_threads import SeededThread  # noqa: E402
from bench.servers import (  # noqa: E402
    HOST,
    MemorySampler,
    ServerProcess,
    asgi_floor_server,
    exit_on_sigterm,
    free_port,
    git_revision,
    nginx_binary,
    nginx_static_server,
    prepare_talkies_database,
    talkies_environment,
    talkies_server,
    talkies_shell,
)
from bench.thread_read import run_generator, run_wrk  # noqa: E402

try:
    from bench import writes
except ImportError:  # the writers' benchmark is optional: without it the table says the row was not measured
    writes = None  # type: ignore[assignment]

RESULTS_DIR = ROOT / "bench" / "results"
READER = "reader0"  # a seeded reader who commented and rated the film, so the page has things to say to them
REQUEST_TIMEOUT_SECONDS = 30
MB = 1024 * 1024
SIGN_IN = (
    "from django.conf import settings; from django.test import Client; from talkies.accounts.models import User\n"
    f"client = Client(); client.force_login(User.objects.get(username={READER!r}))\n"
    "print(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)"
)


# --- Measuring one request -----------------------------------------------------------------------------


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def check_once(url: str, headers: dict[str, str], check: Callable, thread: SeededThread) -> bytes:
    """Fetch once and make sure it is the answer we mean to measure, not an error or another page."""
    status, answer_headers, body = fetch(url, headers)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}: {body[:300]!r}")
    problem = check(body, answer_headers, thread)
    if problem:
        raise RuntimeError(f"{url}: {problem}")
    return body


def load(url: str, server: ServerProcess, args: argparse.Namespace, *, client: str, **request: Any) -> dict:
    """One point: wrk or the generator, `--connections` connections, `--warmup` then `--duration` seconds."""
    window = {"connections": args.connections, "duration": args.duration, "warmup": args.warmup}
    if client == "wrk":
        figures = run_wrk(url, server, headers=request.get("headers"), **window)
        # wrk counts only the answers that arrive inside its window: when answers take longer than a few
        # windows' worth of a connection's time, it has too few to say anything, and the generator (which
        # lets the requests it started finish) measures the point instead.
        if (answers := figures["requests"]) < WRK_MINIMUM_SAMPLE_PER_CONNECTION * args.connections:
            figures = run_generator(url, server, **window, **request)
            client = f"{FALLBACK} (wrk had {answers} answers)"
    else:
        figures = run_generator(url, server, **window, **request)
    return {"client": client, **{k: figures.get(k) for k in FIGURES}, "error_kinds": figures.get("error_kinds", {})}


WRK_MINIMUM_SAMPLE_PER_CONNECTION = 3
FALLBACK = "loadgen, as wrk had too few answers"


FIGURES = (
    "requests",
    "errors",
    "requests_per_second",
    "p50_ms",
    "p90_ms",
    "p99_ms",
    "server_cpu_cores",
    "client_cpu_cores",
    "other_cpu_cores",
)


def memory_summary(samplers: list[MemorySampler], *, idle_at: float, phases: dict[str, tuple[float, float]]) -> dict:
    """Idle (the last sample by `idle_at`) and peak memory over every sampler's samples, and each phase's peak."""
    samples = sorted((sample for sampler in samplers for sample in sampler.samples), key=lambda sample: sample[0])

    def peak(start: float = 0.0, end: float = float("inf")) -> dict | None:
        window = [memory for at, memory in samples if start <= at <= end]
        return mb(max(window, key=lambda memory: memory.rss_bytes, default=None))

    def mb(sample) -> dict | None:
        if sample is None:
            return None
        pss = None if sample.pss_bytes is None else round(sample.pss_bytes / MB, 1)
        return {"rss_mb": round(sample.rss_bytes / MB, 1), "pss_mb": pss, "processes": sample.processes}

    idle = [memory for at, memory in samples if at <= idle_at]
    first = samples[0][0] if samples else 0.0
    highest = max(samples, key=lambda sample: sample[1].rss_bytes, default=None)
    return {
        "interval_s": samplers[0].interval,
        "samples": len(samples),
        "idle": mb(idle[-1] if idle else None),
        "peak": peak(),
        # When the peak was, and when each phase ran, in seconds from the first sample.
        "peak_at_s": round(highest[0] - first, 1) if highest else None,
        "phases_s": {name: [round(start - first, 1), round(end - first, 1)] for name, (start, end) in phases.items()},
        "peak_by_phase": {name: peak(*span) for name, span in phases.items()},
    }


# --- Talkies -------------------------------------------------------------------------------------------


def sign_in(env: dict[str, str]) -> str:
    """A session cookie for a seeded reader, made by Django's own login (the test client's force_login)."""
    name, value = talkies_shell(env, SIGN_IN).split()[-2:]
    return f"{name}={value}"


def measure_talkies(args: argparse.Namespace, data_dir: Path, env: dict[str, str], run: Run) -> dict:
    """Every read on the site as seeded, then (on a second server, since each worker keeps the site's
    settings for a minute) the site taking guest comments: its story page, and the guests' posts."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    rows: list[dict] = []
    phases: dict[str, tuple[float, float]] = {}
    samplers: list[MemorySampler] = []
    server = talkies_server(env, port=port, workers=args.workers, log_path=data_dir / "server.log")
    with server, MemorySampler(server) as memory:
        samplers.append(memory)
        server.wait_until_ready(f"{base}/api/v1/session")
        time.sleep(1.0)  # settle: the idle figure is the server as it waits for its first reader
        memory.sample()
        idle_at = time.monotonic()
        print(f"talkies is up on {base} with {args.workers} workers", flush=True)
        lookup = json.loads(
            check_once(base + lookup_path(run.threads[0], run), CROSS_ORIGIN, check_lookup, run.threads[0])
        )
        run.embed_sort = lookup["default_sort"]  # embed.js reads the thread in the site's default sort
        for thread in run.threads:  # the comment ids site.js sends to reader-state, from the shell itself
            shell = check_once(base + f"/stories/{thread.story_slug}/", shell_headers(run), check_shell, thread)
            run.shown[thread.thread_id] = shown_ids(shell)
        nginx_dir = data_dir / "nginx"
        nginx_port = free_port()
        bodies = {t.thread_id: check_once(base + fast_path(t, run), {}, expect_comments(200), t) for t in run.threads}
        static = {f"page-{thread_id}.json": body for thread_id, body in bodies.items()}
        floor_port = free_port()
        floor_server = asgi_floor_server(data_dir / "floor", port=floor_port, files=static, workers=args.workers)
        with nginx_static_server(nginx_dir, port=nginx_port, files=static, workers=args.workers) as nginx, floor_server:
            nginx.wait_until_ready(f"http://{HOST}:{nginx_port}/page-{run.threads[0].thread_id}.json")
            floor_server.wait_until_ready(f"http://{HOST}:{floor_port}/page-{run.threads[0].thread_id}.json")
            started = time.monotonic()
            for thread in run.threads:
                for read in READS:
                    statics = {"nginx": (nginx, nginx_port), "floor": (floor_server, floor_port)}
                    rows.append(measure_read(read, thread, run, args, talkies=(server, base), **statics))
            phases["reads"] = (started, time.monotonic())
        log_tail = server.log_tail(15)
    if writes is None:
        rows += [measure_posts(base, thread, args) for thread in run.threads]  # says why they were not measured
    else:
        talkies_shell(env, writes.ALLOW_GUESTS)
        server = talkies_server(env, port=port, workers=args.workers, log_path=data_dir / "server-guests.log")
        with server, MemorySampler(server) as memory:
            samplers.append(memory)
            server.wait_until_ready(f"{base}/api/v1/session")
            print("talkies is up again, the site taking guest comments", flush=True)
            for thread in run.threads:
                rows.append(measure_read(GUEST_SITE_READ, thread, run, args, talkies=(server, base), nginx=None))
            started = time.monotonic()
            for thread in run.threads:
                rows.append(measure_posts(base, thread, args))
            phases["posts"] = (started, time.monotonic())
            log_tail += "\n--- the second server, guests welcome ---\n" + server.log_tail(15)
    return {"rows": rows, "memory": memory_summary(samplers, idle_at=idle_at, phases=phases), "log_tail": log_tail}


def measure_read(
    read: Read,
    thread: SeededThread,
    run: Run,
    args: argparse.Namespace,
    *,
    talkies: tuple[ServerProcess, str],
    nginx: tuple[ServerProcess, int] | None,
    floor: tuple[ServerProcess, int] | None = None,
) -> dict:
    headers = read.headers(run)
    if read.server in ("nginx", "floor"):
        static = nginx if read.server == "nginx" else floor
        assert static is not None, f"the {read.server} row needs its server running"
        server, url = static[0], f"http://{HOST}:{static[1]}/page-{thread.thread_id}.json"
    else:
        server, url = talkies[0], talkies[1] + read.path(thread, run)
    body = check_once(url, headers, read.check, thread)
    print(f"  {thread.label:>15}  {read.label}…", flush=True)
    row = {"request": read.key, "label": read.label, "server": read.server, "size": thread.comments, "url": url}
    row["headers"] = {k: ("<session>" if k == "Cookie" else v) for k, v in headers.items()}
    row["response_bytes"] = len(body)
    return {**row, **load(url, server, args, client=args.client, headers=headers)}


def measure_posts(base: str, thread: SeededThread, args: argparse.Namespace) -> dict:
    row: dict[str, Any] = {"request": "guest_post", "label": POST_LABEL, "server": "talkies", "size": thread.comments}
    if writes is None:
        return {**row, "not_measured": "bench/writes.py is missing"}
    print(f"  {thread.label:>15}  {POST_LABEL}, {args.writers} writers…", flush=True)
    result = writes.run_writers(
        base, writers=args.writers, seconds=args.duration, thread_id=thread.thread_id, warmup=args.warmup
    )
    # A 503 with Retry-After is the server shedding load, as it should, not a failed request.
    errors = sum(n for status, n in result["statuses"].items() if status not in {"201", "503"})
    return {
        **row,
        "client": f"bench/writes.py, {args.writers} writers",
        "requests_per_second": result["landed_per_s"],
        "errors": errors,
        "refused_503": result["statuses"].get("503", 0),
        **{k: result.get(k) for k in ("p50_ms", "p90_ms", "p99_ms", "statuses", "client_cpu_cores")},
    }


# --- Isso ----------------------------------------------------------------------------------------------


def measure_isso(args: argparse.Namespace, data_dir: Path, threads: list[SeededThread], comments: dict) -> dict:
    venv = isso.ensure_isso_venv()
    isso_dir = data_dir / "isso"
    isso_dir.mkdir()
    port = free_port()
    base = f"http://{HOST}:{port}"
    rows: list[dict] = []
    phases: dict[str, tuple[float, float]] = {}
    server = isso.isso_server(venv, isso_dir, port)
    with server, MemorySampler(server) as memory:
        samplers = [memory]
        server.wait_until_ready(f"{base}/config")
        time.sleep(1.0)
        memory.sample()
        idle_at = time.monotonic()
        print(f"isso {isso.ISSO_VERSION} is up on {base} with {isso.ISSO_WORKERS} gunicorn workers", flush=True)
        for thread in threads:
            started = time.perf_counter()
            isso.seed_isso(base, thread, comments[thread.thread_id])
            print(f"  seeded isso with {thread.label} in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.monotonic()
        for thread in threads:
            for key, request in ISSO_READS.items():
                rows.append(measure_isso_request(key, request, thread, threads, server, base, args))
        phases["reads"] = (started, time.monotonic())
        started = time.monotonic()
        posting = argparse.Namespace(**{**vars(args), "connections": args.writers})
        for thread in threads:
            rows.append(measure_isso_request("post", ISSO_POST, thread, threads, server, base, posting))
        phases["posts"] = (started, time.monotonic())
    return {"rows": rows, "memory": memory_summary(samplers, idle_at=idle_at, phases=phases)}


def measure_isso_request(
    key: str,
    request: IssoRequest,
    thread: SeededThread,
    threads: list[SeededThread],
    server: ServerProcess,
    base: str,
    args: argparse.Namespace,
) -> dict:
    """Isso with the generator only: with its multi-second answers queued on four workers, wrk's cold
    connections leave it no sample (bench/README.md, "Talkies beside Isso")."""
    url = base + request.path(thread)
    body = request.body(thread, threads) if request.body else None
    print(f"  {thread.label:>15}  isso {request.label}…", flush=True)
    figures = load(
        url, server, args, client="loadgen", method=request.method, body=body, expected_status=request.expected_status
    )
    return {"request": key, "label": request.label, "server": "isso", "size": thread.comments, "url": url, **figures}


# --- Ratios and targets --------------------------------------------------------------------------------


@dataclass
class Ratio:
    name: str
    size: int | None
    numerator: str
    denominator: str
    value: float | None
    target: float | None  # None: shown, not judged
    at_most: bool = False  # the value must be at most the target, not at least
    passed: bool | None = field(init=False)

    def __post_init__(self) -> None:
        if self.target is None or self.value is None:
            self.passed = None
        else:
            self.passed = self.value <= self.target if self.at_most else self.value >= self.target


def ratios(report: dict, args: argparse.Namespace) -> list[Ratio]:
    talkies_rows, isso_rows = report["talkies"]["rows"], (report.get("isso") or {}).get("rows", [])

    def rate(rows: list[dict], request: str, size: int) -> float | None:
        found = [r for r in rows if r["request"] == request and r["size"] == size and "requests_per_second" in r]
        return found[0]["requests_per_second"] if found else None

    def ratio(name, size, top, bottom, target, *, top_rows=talkies_rows, bottom_rows=talkies_rows) -> Ratio:
        a, b = rate(top_rows, top, size), rate(bottom_rows, bottom, size)
        value = round(a / b, 4) if a is not None and b else None
        return Ratio(name, size, top, bottom, value, target)

    found: list[Ratio] = []
    for size in (t["comments"] for t in report["threads"]):
        found.append(ratio("embed read ÷ fast path", size, "embed_read", "fast_path", 0.8))
        for other in ("thread_lookup", "film_scores", "counts"):
            found.append(ratio(f"{READ_LABELS[other]} ÷ fast path", size, other, "fast_path", 0.5))
        found.append(ratio("fast path cross-origin ÷ fast path", size, "fast_path_cross_origin", "fast_path", None))
        found.append(ratio("story page (anonymous) ÷ fast path", size, "story_page", "fast_path", 0.5))
        found.append(ratio("story page (site takes guests) ÷ fast path", size, GUEST_SITE_READ.key, "fast_path", None))
        found.append(ratio("Atom feed ÷ fast path", size, "atom_feed", "fast_path", 0.5))
        found.append(ratio("story page (signed in) ÷ fast path", size, "story_page_signed_in", "fast_path", 0.2))
        # What the shell leaves to the reader's own request, and the page rendered for a reader without
        # JavaScript: shown beside it, not judged (the target is for the page).
        found.append(ratio("reader-state ÷ fast path", size, "reader_state", "fast_path", None))
        found.append(
            ratio(
                "story page (signed in, rendered) ÷ fast path", size, "story_page_signed_in_rendered", "fast_path", None
            )
        )
        found.append(ratio("fast path ÷ nginx", size, "fast_path", "nginx", 0.5))
        found.append(ratio("fast path ÷ bare granian (any ASGI app's ceiling)", size, "fast_path", "asgi_floor", None))
        found.append(ratio("bare granian ÷ nginx", size, "asgi_floor", "nginx", None))
        if isso_rows:
            against = 50.0 if size >= 200 else 20.0
            for read in READS:
                if read.isso:
                    found.append(
                        ratio(f"{read.label} ÷ Isso", size, read.key, read.isso, against, bottom_rows=isso_rows)
                    )
            found.append(ratio("guest posts ÷ Isso posts", size, "guest_post", "post", 1.5, bottom_rows=isso_rows))
    peak = (report["talkies"]["memory"]["peak"] or {}).get("rss_mb")
    # The target is for a two-worker node; with another count the figure is shown, not judged.
    target = 300.0 if args.workers == 2 else None
    found.append(Ratio(f"peak RSS, {args.workers}-worker node, MB (at most)", None, "rss", "", peak, target, True))
    return found


TARGETS = {
    "embed_read": "the embed read ≥ 0.8× the fast path on the same thread",
    "embed_load": "every other read of an embed page load (thread lookup, film scores, counts) ≥ 0.5× the fast path",
    "pages": "the anonymous story page and the Atom feed ≥ 0.5× the fast path",
    "signed_in": "a signed-in reader's story page ≥ 0.2× the fast path",
    "nginx": "the fast path ≥ 0.5× nginx sending the same bytes",
    "isso_reads": "every read ≥ 50× Isso's equivalent on threads of 200 and 2,000 comments, ≥ 20× on 10",
    "isso_posts": "guest posts ≥ 1.5× Isso's POST /new (guard off)",
    "memory": "peak RSS of a two-worker node ≤ 300 MB",
}


# --- Reporting -----------------------------------------------------------------------------------------


def cell(row: dict | None) -> str:
    if row is None:
        return ""
    if "not_measured" in row:
        return "not measured"
    rate, p99 = row.get("requests_per_second"), row.get("p99_ms")
    text = f"{rate:,.0f}/s" if rate is not None else "?"
    text += f" p99 {p99:,.0f}ms" if p99 is not None else ""
    text += f" {row['errors']}err" if row.get("errors") else ""
    return text + ("*" if row.get("client", "").startswith(FALLBACK) else "")


def print_tables(report: dict) -> None:
    sizes = [t["comments"] for t in report["threads"]]
    width = 24
    talkies_rows = report["talkies"]["rows"]
    isso_rows = (report.get("isso") or {}).get("rows", [])

    def find(rows: list[dict], request: str, size: int) -> dict | None:
        return next((r for r in rows if r["request"] == request and r["size"] == size), None)

    header = f"{'request':<42}" + "".join(f"{f'{n:,} comments':>{width}}" for n in sizes)
    clients = sorted({r["client"] for r in talkies_rows if "client" in r and not r["client"].startswith(FALLBACK)})
    print(f"\nTalkies, {report['settings']['workers']} workers, req/s and p99 ({', '.join(clients)}):")
    print(header + "\n" + "-" * len(header))
    for key, label in [*READ_LABELS.items(), ("guest_post", POST_LABEL)]:
        print(f"{label:<42}" + "".join(f"{cell(find(talkies_rows, key, n)):>{width}}" for n in sizes))
    if any(r.get("client", "").startswith(FALLBACK) for r in talkies_rows):
        print("* measured by bench/loadgen.py: its answers were too slow for wrk's window to sample")
    if isso_rows:
        print(f"\nIsso {isso.ISSO_VERSION}, same threads (gunicorn -w {isso.ISSO_WORKERS}, the generator):")
        print(header + "\n" + "-" * len(header))
        for key, request in [*ISSO_READS.items(), ("post", ISSO_POST)]:
            print(f"{request.label[:41]:<42}" + "".join(f"{cell(find(isso_rows, key, n)):>{width}}" for n in sizes))
    print("\nmemory, summed over the server's processes (RSS; PSS counts shared pages once):")
    for name in ("talkies", "isso"):
        memory = (report.get(name) or {}).get("memory")
        if memory:
            idle, peak = memory["idle"] or {}, memory["peak"] or {}
            print(
                f"  {name:<8} idle {idle.get('rss_mb')} MB (PSS {idle.get('pss_mb')}), "
                f"peak {peak.get('rss_mb')} MB (PSS {peak.get('pss_mb')}) over {peak.get('processes')} processes, "
                f"{memory['samples']} samples"
            )


def print_ratios(found: list[dict]) -> None:
    header = f"{'ratio':<58} {'thread':>8} {'value':>9} {'target':>8}  verdict"
    print("\n" + header + "\n" + "-" * len(header))
    for r in found:
        size = "" if r["size"] is None else f"{r['size']:,}"
        value = "—" if r["value"] is None else f"{r['value']:,.1f}" if r["value"] >= 10 else f"{r['value']:.3g}"
        target = "" if r["target"] is None else f"{r['target']:g}"
        verdict = {True: "pass", False: "FAIL", None: "" if r["target"] is None else "not measured"}[r["passed"]]
        print(f"{r['name'][:58]:<58} {size:>8} {value:>9} {target:>8}  {verdict}")
    judged = [r for r in found if r["passed"] is not None]
    print(f"\n{sum(r['passed'] for r in judged)} of {len(judged)} targets met.")


# --- Main ----------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, help="seconds of measured load per point (6; --quick 2)")
    parser.add_argument("--warmup", type=float, help="seconds of unmeasured load first (1; --quick 0.5)")
    parser.add_argument("--sizes", help="comments per thread, comma-separated (10,200,2000; --quick 10,200)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent keep-alive connections (32)")
    parser.add_argument("--writers", type=int, default=8, help="concurrent guest writers, and Isso posters (8)")
    parser.add_argument("--workers", type=int, default=2, help="Talkies worker processes, and nginx's (2)")
    parser.add_argument("--isso", choices=("yes", "no"), default="yes", help="measure Isso too (yes)")
    parser.add_argument(
        "--client", choices=("auto", "wrk", "loadgen"), default="auto", help="wrk when installed (auto), or one"
    )
    parser.add_argument("--quick", action="store_true", help="a short run to try the harness: 2 s points, 2 sizes")
    args = parser.parse_args(argv)
    quick = args.quick
    args.duration = args.duration if args.duration is not None else (2.0 if quick else 6.0)
    args.warmup = args.warmup if args.warmup is not None else (0.5 if quick else 1.0)
    args.sizes = [int(n) for n in (args.sizes or ("10,200" if quick else "10,200,2000")).split(",")]
    if args.duration <= 0 or args.warmup < 0 or min(args.connections, args.writers, args.workers, *args.sizes) < 1:
        parser.error("duration must be above 0, warmup 0 or more, and the counts and sizes at least 1")
    if args.client == "auto":
        args.client = "wrk" if shutil.which("wrk") else "loadgen"
    elif args.client == "wrk" and not shutil.which("wrk"):
        parser.error("--client wrk, but wrk is not installed (apt-get install wrk)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    exit_on_sigterm()
    nginx_binary()  # before minutes of seeding, not after
    started_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    clock = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="talkies-bench-") as tmp:
        data_dir = Path(tmp)
        env = talkies_environment(data_dir)
        if writes is not None:
            env.update(writes.RATE_LIMITS_OFF)
        print(f"seeding threads of {', '.join(f'{n:,}' for n in args.sizes)} comments in {data_dir}…", flush=True)
        run = Run(threads=prepare_talkies_database(env, args.sizes, embed_origin=ORIGIN))
        run.cookie = sign_in(env)
        # Isso gets the comments as they were seeded, before the guest posts add to them.
        comments = {t.thread_id: isso.export_comments(data_dir / "talkies.sqlite3", t) for t in run.threads}
        report: dict[str, Any] = {
            "benchmark": "bench",
            "started_at": started_at,
            "revision": git_revision(),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
            "settings": {**vars(args), "database": "sqlite (WAL)", "server": "granian (ASGI)", "origin": ORIGIN},
            "threads": [asdict(t) for t in run.threads],
            "talkies": measure_talkies(args, data_dir, env, run),
        }
        if args.isso == "yes":
            report["isso"] = {
                "version": isso.ISSO_VERSION,
                "server": f"gunicorn {isso.GUNICORN_VERSION}, {isso.ISSO_WORKERS} workers",
                **measure_isso(args, data_dir, run.threads, comments),
            }
    report["ratios"] = [asdict(r) for r in ratios(report, args)]
    report["targets"] = TARGETS
    report["elapsed_s"] = round(time.monotonic() - clock, 1)
    print_tables(report)
    print_ratios(report["ratios"])
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)} after {report['elapsed_s']:.0f} s")
    rows = report["talkies"]["rows"] + (report.get("isso") or {}).get("rows", [])
    errors = sum(row.get("errors") or 0 for row in rows)
    if errors:
        print(f"{errors} request(s) failed: see error_kinds and statuses in the JSON", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
