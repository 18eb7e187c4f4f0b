"""Thread reads under load: the first page of threads of 10, 200 and 2,000 comments, from the real server.

    make bench-thread               # or: .venv/bin/python bench/thread_read.py [--duration 10] [--connections 32]

1. Creates a throwaway data directory, migrates it and seeds one site, one film and one story thread per
   size (bench/seed_threads.py, in a subprocess, through the ORM).
2. Starts `talkies serve` as in production (TALKIES_ENV=production, DEBUG off, granian, --workers 2) in its
   own process group and waits until it answers.
3. For each thread: checks one response, warms up, then holds `--connections` keep-alive connections
   for `--duration` seconds against GET /api/v1/threads/{id}/comments?sort=old&limit=200 with the asyncio
   generator in bench/loadgen.py, and with wrk as well when it is installed.
4. Prints a table, writes bench/results/thread_read-<timestamp>.json, and always stops the server.

Alongside every result it reports how much CPU the server, the generator and the whole machine used,
and from that which of them set the pace: on a small machine the generator competes with the server
for the same cores, and a benchmark that does not say so measures itself.

Targets are data (`Target`), so another server (Isso, say) can be seeded and measured side by side in
the same run: give it a Target whose path_for maps a SeededThread to its own URL.
"""

import argparse
import asyncio
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import isso  # noqa: E402 (needs ROOT on sys.path when run as a script)
from bench.loadgen import LoadResult, run_load  # noqa: E402
from bench.seed_threads import SeededThread  # noqa: E402
from bench.servers import (  # noqa: E402
    HOST,
    ServerProcess,
    exit_on_sigterm,
    free_port,
    git_revision,
    machine_busy_seconds,
    prepare_talkies_database,
    talkies_command,  # noqa: F401 (bench/moderation.py and bench/writes.py import it from here)
    talkies_environment,
    talkies_server,
)

RESULTS_DIR = ROOT / "bench" / "results"
# The generator is single-threaded: past this share of one core it, not the server, sets the pace.
GENERATOR_SATURATED_CORES = 0.85
# A server using this share of the CPU the others left it is computing flat out.
SERVER_SATURATED_SHARE = 0.85
# wrk doing this much better than the generator means the generator was holding the server back.
WRK_MARGIN = 1.15
# Isso answers a 200-comment thread in seconds once 32 connections queue on its 4 workers: a shorter
# timeout would measure the queue's length as failures rather than as latency.
REQUEST_TIMEOUT_SECONDS = 30


# --- What is measured -------------------------------------------------------------------------------


def count_talkies_page(body: bytes) -> tuple[int, int]:
    """(top-level comments, all comments) in a Talkies page."""

    def count(nodes: list[dict]) -> int:
        return sum(1 + count(node["replies"]) for node in nodes)

    comments = json.loads(body)["comments"]
    return len(comments), count(comments)


@dataclass(frozen=True)
class Target:
    """A server under test: its name, where it listens, the URL path of each seeded thread's page, and
    how to count the comments in one of its responses."""

    name: str
    base_url: str
    path_for: Callable[[SeededThread], str]
    count_page: Callable[[bytes], tuple[int, int]] = count_talkies_page

    def url_for(self, thread: SeededThread) -> str:
        return self.base_url + self.path_for(thread)


def talkies_target(port: int) -> Target:
    return Target(
        name="talkies",
        base_url=f"http://{HOST}:{port}",
        path_for=lambda thread: f"/api/v1/threads/{thread.thread_id}/comments?sort=old&limit=200",
    )


# --- One measurement --------------------------------------------------------------------------------


def check_page(target: Target, thread: SeededThread) -> dict:
    """Fetch the page once and make sure it is the page we mean to measure, not an error or an empty list."""
    url = target.url_for(thread)
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
    top_level, comments = target.count_page(body)
    expected = min(thread.top_level, 200)
    if top_level != expected:
        raise RuntimeError(f"{url} returned {top_level} top-level comments, expected {expected}")
    return {"top_level": top_level, "comments": comments, "bytes": len(body)}


class CpuWindow:
    """CPU seconds used by the server, and by the machine as a whole, while the block runs."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.server_cpu_s = self.machine_busy_s = 0.0

    def __enter__(self) -> "CpuWindow":
        self._server_start, self._machine_start = self.server.cpu_seconds(), machine_busy_seconds()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server_cpu_s = self.server.cpu_seconds() - self._server_start
        self.machine_busy_s = machine_busy_seconds() - self._machine_start

    def cores(self, elapsed: float, *, client_cpu_s: float) -> dict[str, float]:
        """Cores used by the server, the client, the machine, and whatever else ran (other tenants, say)."""
        other = max(0.0, self.machine_busy_s - self.server_cpu_s - client_cpu_s)
        return {
            "server_cpu_cores": round(self.server_cpu_s / elapsed, 2),
            "machine_busy_cores": round(self.machine_busy_s / elapsed, 2),
            "other_cpu_cores": round(other / elapsed, 2),
        }


def run_generator(
    url: str,
    server: ServerProcess,
    *,
    connections: int,
    duration: float,
    warmup: float,
    **request: Any,
) -> dict:
    """The built-in generator's figures for `url`; `request` goes to run_load (headers, method, body,
    expected_status)."""
    load = {"connections": connections, "timeout": REQUEST_TIMEOUT_SECONDS, **request}
    if warmup > 0:  # warm the server's caches and connections; not recorded
        asyncio.run(run_load(url, duration=warmup, **load))
    with CpuWindow(server) as cpu:
        result: LoadResult = asyncio.run(run_load(url, duration=duration, **load))
    return {**result.summary(), **cpu.cores(result.duration_s, client_cpu_s=result.client_cpu_s)}


_WRK_LATENCY = re.compile(r"^\s*(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(
    url: str,
    server: ServerProcess,
    *,
    connections: int,
    duration: float,
    warmup: float,
    headers: dict[str, str] | None = None,
) -> dict:
    """The same load from wrk (C, one thread), as a check on whether the Python generator kept up; with
    extra request `headers` (an Origin, a Cookie) when given."""

    def wrk(seconds: float) -> str:
        command = [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "--latency",
            url,
        ]
        for name, value in {"Accept": "application/json", **(headers or {})}.items():
            command += ["-H", f"{name}: {value}"]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    if warmup > 0:
        wrk(warmup)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with CpuWindow(server) as cpu:
        started = time.perf_counter()
        output = wrk(duration)
        elapsed = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk has exited, so its CPU is counted here
    wrk_cpu = (children.ru_utime - children_before.ru_utime) + (children.ru_stime - children_before.ru_stime)
    return {
        **parse_wrk_output(output),
        "client_cpu_cores": round(wrk_cpu / elapsed, 2),
        **cpu.cores(elapsed, client_cpu_s=wrk_cpu),
    }


def parse_wrk_output(output: str) -> dict:
    """Requests, errors, throughput and p50/p90/p99 from `wrk --latency`'s report."""

    def numbers(pattern: str, *, required: bool = True) -> list[float]:
        match = re.search(pattern, output)
        if match is None:
            if required:
                raise RuntimeError(f"wrk's report has no line matching {pattern!r}:\n{output}")
            return []
        return [float(group) for group in match.groups()]

    socket_errors = numbers(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", required=False)
    non_2xx = numbers(r"Non-2xx or 3xx responses: (\d+)", required=False)
    return {
        "requests": int(numbers(r"(\d+) requests in")[0]),
        "errors": int(sum(socket_errors) + sum(non_2xx)),
        "requests_per_second": numbers(r"Requests/sec:\s+([\d.]+)")[0],
        **{f"p{p}_ms": round(float(v) * _WRK_UNITS[unit], 2) for p, v, unit in _WRK_LATENCY.findall(output)},
    }


def pace_setter(generator: dict, wrk: dict | None) -> str:
    """Which side limited the throughput, in words, from the CPU each side used (and wrk's figures)."""
    client, server, other = (generator[k] for k in ("client_cpu_cores", "server_cpu_cores", "other_cpu_cores"))
    left_to_server = (os.cpu_count() or 1) - client - other
    if client >= GENERATOR_SATURATED_CORES:
        verdict = f"the generator, CPU-bound at {client:.2f} of its one core"
    elif server >= SERVER_SATURATED_SHARE * left_to_server:
        verdict = f"the server, CPU-bound on {server:.2f} of the {left_to_server:.2f} cores left to it"
    else:
        verdict = f"the server, below full CPU ({server:.2f} of {left_to_server:.2f} cores): waiting, not computing"
    if other >= 0.1:
        verdict += f"; other processes took {other:.2f} cores, so these figures understate the server"
    if wrk is not None:
        verdict += "; " + wrk_comparison(generator, wrk)
    return verdict


def wrk_comparison(generator: dict, wrk: dict) -> str:
    """Compare requests per server core rather than raw requests: on a shared machine the two runs may
    not get the same CPU, and more CPU for the server is not evidence against the generator."""

    def per_server_core(result: dict) -> float:
        return result["requests_per_second"] / max(result["server_cpu_cores"], 0.01)

    ratio = per_server_core(wrk) / per_server_core(generator)
    figures = f"wrk {wrk['requests_per_second']:.0f} req/s on {wrk['server_cpu_cores']:.2f} server cores"
    if ratio > WRK_MARGIN:
        return f"{figures}: {ratio:.2f}x the generator's requests per server core, so the generator held it back"
    return f"{figures}: the same requests per server core ({ratio:.2f}x), so the generator kept up"


# --- Reporting --------------------------------------------------------------------------------------


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'target':<8} {'thread':>15} {'page':>13} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'server':>6} {'client':>6} {'other':>6}  client"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for row in rows:
        page = f"{row['page']['comments']} / {row['page']['bytes'] // 1024} KB"
        for client in ("loadgen", "wrk"):
            r = row.get(client)
            if r is None:
                continue
            print(
                f"{row['target']:<8} {row['thread']['label']:>15} {page:>13} {r['requests_per_second']:>8.1f} "
                f"{r.get('p50_ms') or 0:>8.2f} {r.get('p90_ms') or 0:>8.2f} {r.get('p99_ms') or 0:>8.2f} "
                f"{r['errors']:>6} {r['server_cpu_cores']:>6.2f} {r['client_cpu_cores']:>6.2f} "
                f"{r['other_cpu_cores']:>6.2f}  {client}"
            )
    print(
        "\npage: comments in the response (top-level + replies) / its size. server, client, other: CPU cores used"
        "\nby the server's processes, the load generator, and everything else on the machine (1.00 = one core)."
    )
    for row in rows:
        print(f"pace set by, {row['thread']['label']}: {row['pace_set_by']}")


def write_results(report: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"thread_read-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    return path


# --- Main ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=8.0, help="seconds of measured load per thread (8)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of unmeasured load first (1)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent keep-alive connections (32)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (2)")
    parser.add_argument("--sizes", default="10,200,2000", help="comments per thread, comma-separated")
    parser.add_argument(
        "--wrk",
        choices=("auto", "never", "always"),
        default="auto",
        help="also measure with wrk: when installed (auto, the default), never, or always (fail without it)",
    )
    parser.add_argument(
        "--isso",
        choices=("yes", "no"),
        default="yes",
        help=f"also measure Isso {isso.ISSO_VERSION} on the same threads (yes, the default; bench/.isso-venv)",
    )
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.warmup < 0 or args.connections < 1 or args.workers < 1:
        parser.error("duration must be above 0, warmup 0 or more, connections and workers at least 1")
    if args.wrk == "always" and not shutil.which("wrk"):
        parser.error("--wrk always, but wrk is not installed (apt-get install wrk)")
    return args


def measure_thread(target: Target, thread: SeededThread, server: ServerProcess, args: argparse.Namespace) -> dict:
    url = target.url_for(thread)
    print(f"  {thread.label}: {args.warmup:g} s warm-up, {args.duration:g} s measured…", flush=True)
    row: dict[str, Any] = {"target": target.name, "thread": asdict(thread), "url": url}
    row["page"] = check_page(target, thread)
    load = {"connections": args.connections, "duration": args.duration, "warmup": args.warmup}
    row["loadgen"] = run_generator(url, server, **load)
    row["wrk"] = run_wrk(url, server, **load) if args.use_wrk else None
    row["pace_set_by"] = pace_setter(row["loadgen"], row["wrk"])
    return row


def measure_talkies(args: argparse.Namespace, data_dir: Path, threads: list[SeededThread]) -> list[dict]:
    """Serve the seeded database, measure every thread, and stop the server whatever happens."""
    env = talkies_environment(data_dir)
    port = free_port()
    target = talkies_target(port)
    with talkies_server(env, port=port, workers=args.workers, log_path=data_dir / "server.log") as server:
        server.wait_until_ready(target.url_for(threads[0]))
        print(f"{target.name} is up on {target.base_url} with {args.workers} workers", flush=True)
        return [measure_thread(target, thread, server, args) for thread in threads]


def measure_isso(args: argparse.Namespace, data_dir: Path, threads: list[SeededThread]) -> list[dict]:
    """Serve Isso on its own database, seed it with the same comments over its API, and measure it."""
    venv = isso.ensure_isso_venv()
    isso_dir = data_dir / "isso"
    isso_dir.mkdir()
    port = free_port()
    target = Target(
        name="isso", base_url=f"http://{HOST}:{port}", path_for=isso.thread_path, count_page=isso.count_page
    )
    with isso.isso_server(venv, isso_dir, port) as server:
        server.wait_until_ready(f"{target.base_url}/config")
        print(
            f"isso {isso.ISSO_VERSION} is up on {target.base_url} with {isso.ISSO_WORKERS} gunicorn workers", flush=True
        )
        for thread in threads:
            started = time.perf_counter()
            isso.seed_isso(target.base_url, thread, isso.export_comments(data_dir / "talkies.sqlite3", thread))
            print(f"  seeded isso with {thread.label} in {time.perf_counter() - started:.1f} s", flush=True)
        # The generator only: each wrk run starts with cold connections, and with Isso's multi-second
        # answers queued 32 deep its first responses arrive near the end of the window, leaving no sample.
        generator_only = argparse.Namespace(**{**vars(args), "use_wrk": False})
        return [measure_thread(target, thread, server, generator_only) for thread in threads]


def comparisons(rows: list[dict]) -> list[dict]:
    """Talkies (each client) against Isso (the generator): the ratio of requests per second, and both p99s.

    At Isso's rates the generator uses a few hundredths of a core, so which client measured Isso does not
    move its figures; see measure_isso for why wrk cannot.
    """
    by_target = {(row["target"], row["thread"]["label"]): row for row in rows}
    compared = []
    for row in rows:
        other = by_target.get(("isso", row["thread"]["label"]))
        if row["target"] != "talkies" or other is None:
            continue
        for client in ("loadgen", "wrk"):
            ours, theirs = row.get(client), other.get("loadgen")
            if not ours or not theirs:
                continue
            compared.append(
                {
                    "thread": row["thread"]["label"],
                    "client": client,
                    "talkies_rps": ours["requests_per_second"],
                    "isso_rps": theirs["requests_per_second"],
                    "ratio": round(ours["requests_per_second"] / max(theirs["requests_per_second"], 0.1), 1),
                    "talkies_p99_ms": ours.get("p99_ms"),
                    "isso_p99_ms": theirs.get("p99_ms"),
                }
            )
    return compared


def print_comparisons(compared: list[dict]) -> None:
    if not compared:
        return
    header = (
        f"{'thread':>15} {'client':>8} {'talkies req/s':>14} {'isso req/s':>11} {'ratio':>8} "
        f"{'talkies p99':>12} {'isso p99':>9}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for c in compared:
        print(
            f"{c['thread']:>15} {c['client']:>8} {c['talkies_rps']:>14.1f} {c['isso_rps']:>11.1f} {c['ratio']:>7.1f}x "
            f"{c['talkies_p99_ms'] or 0:>9.2f} ms {c['isso_p99_ms'] or 0:>6.0f} ms"
        )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    exit_on_sigterm()
    args.use_wrk = args.wrk != "never" and shutil.which("wrk") is not None
    started_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="talkies-bench-thread-read-") as tmp:
        data_dir = Path(tmp)
        print(f"seeding threads of {', '.join(f'{n:,}' for n in sizes)} comments in {data_dir}…", flush=True)
        threads = prepare_talkies_database(talkies_environment(data_dir), sizes)
        rows = measure_talkies(args, data_dir, threads)
        if args.isso == "yes":
            rows += measure_isso(args, data_dir, threads)
    compared = comparisons(rows)
    report = {
        "benchmark": "thread_read",
        "started_at": started_at,
        "revision": git_revision(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "settings": {**vars(args), "database": "sqlite (WAL)", "server": "granian (ASGI)"},
        "isso": {
            "version": isso.ISSO_VERSION,
            "server": f"gunicorn {isso.GUNICORN_VERSION}, {isso.ISSO_WORKERS} workers",
        },
        "results": rows,
        "talkies_vs_isso": compared,
    }
    print_table(rows)
    print_comparisons(compared)
    print(f"\nwritten to {write_results(report).relative_to(ROOT)}")
    errors = sum(row["loadgen"]["errors"] + (row["wrk"]["errors"] if row["wrk"] else 0) for row in rows)
    if errors:
        print(f"{errors} request(s) failed: see error_kinds in the JSON", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
