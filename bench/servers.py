"""The servers a benchmark runs, and what they cost the machine: processes, CPU, memory, and set-up.

    env = talkies_environment(data_dir)              # production settings on a throwaway SQLite database
    threads = prepare_talkies_database(env, [10, 200, 2000])
    with talkies_server(env, port=port, workers=2, log_path=log) as server, MemorySampler(server) as memory:
        server.wait_until_ready(url)
        ...
    max(sample.rss_bytes for _, sample in memory.samples)

Every server runs in its own process group (`ServerProcess`), so stopping it stops every worker it forked,
and its CPU (`cpu_seconds`) and memory (`process_group_memory`) are the sums over that group.
"""

import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.seed_threads import SeededThread

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = resource.getpagesize()
# A clean granian shutdown takes well under a second; one that receives SIGTERM while requests whose
# clients have gone are still in flight (an interrupted run) can hang in its workers, hence the SIGKILL.
GRACEFUL_STOP_SECONDS = 5


# --- Processes ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _group_stats(pgid: int) -> list[tuple[int, list[str]]]:
    """(pid, the /proc/<pid>/stat fields after the command name) of every live process in a group, and of
    every descendant of its members that started a session of its own (a task worker, say): the node's
    processes, however they were started."""
    every: dict[int, list[str]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name (field 2) may hold spaces; every field we need comes after its ')'.
            every[int(stat.parent.name)] = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
    members = {pid for pid, fields in every.items() if int(fields[2]) == pgid}  # fields[2] is field 5, pgrp
    while True:
        children = {pid for pid, fields in every.items() if int(fields[1]) in members} - members  # field 4, ppid
        if not children:
            return [(pid, every[pid]) for pid in sorted(members)]
        members |= children


def process_group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every live process in a process group (a server and the workers it forked),
    and of their descendants in other groups."""
    ticks = sum(int(fields[11]) + int(fields[12]) for _, fields in _group_stats(pgid))  # utime, stime
    return ticks / CLOCK_TICKS


@dataclass(frozen=True)
class GroupMemory:
    processes: int
    rss_bytes: int  # resident set, summed: pages the workers share with their parent count once per process
    pss_bytes: int | None  # proportional set, summed: shared pages divided among their sharers (None: unreadable)


def process_group_memory(pgid: int) -> GroupMemory:
    """Resident memory of every live process in a process group, summed (RSS, and PSS where readable)."""
    rss = pss = processes = 0
    pss_readable = True
    for pid, fields in _group_stats(pgid):
        processes += 1
        rss += int(fields[21]) * PAGE_BYTES  # field 24, rss, in pages
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            pss += next(int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            pss_readable = False
    return GroupMemory(processes=processes, rss_bytes=rss, pss_bytes=pss if pss_readable else None)


def machine_busy_seconds() -> float:
    """CPU seconds spent not idle, summed over all cores, since boot (from /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS  # guest time is already inside user and nice


class ServerProcess:
    """A server run in its own process group, so that stopping it stops every worker it forked too."""

    def __init__(self, name: str, command: list[str], *, env: dict[str, str], log_path: Path) -> None:
        self.name, self.command, self.env, self.log_path = name, command, env, log_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "ServerProcess":
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def pgid(self) -> int:
        assert self.process is not None, "the server has not been started"
        return self.process.pid  # start_new_session makes the server its group's leader

    def wait_until_ready(self, url: str, *, timeout: float = 90.0) -> None:
        """Poll `url` until it answers 200; fail early, with the server's log, if the server dies."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with status {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
            time.sleep(0.25)
        raise RuntimeError(f"{self.name} did not answer {url} within {timeout:.0f} s:\n{self.log_tail()}")

    def cpu_seconds(self) -> float:
        return process_group_cpu_seconds(self.pgid)

    def memory(self) -> GroupMemory:
        return process_group_memory(self.pgid)

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is None:
            return
        # Descendants that left the group (a task worker in its own session) are stopped with it.
        strays = [pid for pid, fields in _group_stats(self.pgid) if int(fields[2]) != self.pgid]
        for pid in strays:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGTERM)
        self._signal_group(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=GRACEFUL_STOP_SECONDS)
        # Workers that outlived their parent, or a parent that ignored SIGTERM, go now.
        self._signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)

    def _signal_group(self, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pgid, sig)


class MemorySampler:
    """A server's summed RSS (and PSS) every `interval` seconds, on a thread, for as long as the block runs:
    `samples` holds (time.monotonic(), GroupMemory) pairs."""

    def __init__(self, server: ServerProcess, *, interval: float = 0.5) -> None:
        self.server, self.interval = server, interval
        self.samples: list[tuple[float, GroupMemory]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"memory of {server.name}", daemon=True)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> GroupMemory:
        memory = self.server.memory()
        if memory.processes:
            self.samples.append((time.monotonic(), memory))
        return memory


# --- Talkies: environment, database, server -----------------------------------------------------------


def talkies_environment(data_dir: Path) -> dict[str, str]:
    """Production settings on a throwaway SQLite database: DEBUG off, a real key, explicit hosts."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "TALKIES_TESTING"}}
    env.update(
        TALKIES_ENV="production",
        TALKIES_DATA_DIR=str(data_dir),
        SECRET_KEY="bench-only-secret",
        ALLOWED_HOSTS=HOST,
        STATIC_ROOT=str(data_dir / "static"),  # collectstatic runs at start-up; keep it out of the checkout
        LOG_LEVEL="WARNING",
        # The checkout first on the path, so the run does not depend on how the package was installed.
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def talkies_command() -> list[str]:
    script = Path(sys.executable).parent / "talkies"
    return [str(script)] if script.exists() else [sys.executable, "-m", "talkies.cli"]


def talkies_shell(env: dict[str, str], code: str) -> str:
    """Run `code` in `talkies shell` on the benchmark's database; its stdout, stripped."""
    done = subprocess.run(
        [*talkies_command(), "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def prepare_talkies_database(
    env: dict[str, str], sizes: list[int], *, embed_origin: str | None = None
) -> list[SeededThread]:
    """Migrate and seed (bench/seed_threads.py); `embed_origin` also lets that origin embed the site."""
    subprocess.run([*talkies_command(), "migrate", "--no-input"], env=env, check=True, stdout=subprocess.DEVNULL)
    command = [sys.executable, str(ROOT / "bench" / "seed_threads.py"), "--sizes", ",".join(map(str, sizes))]
    command += ["--host", HOST, *(["--embed-origin", embed_origin] if embed_origin else [])]
    seeded = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return [SeededThread(**fields) for fields in json.loads(seeded.stdout.strip().splitlines()[-1])]


def talkies_server(env: dict[str, str], *, port: int, workers: int, log_path: Path) -> ServerProcess:
    command = [*talkies_command(), "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]
    return ServerProcess("talkies", command, env=env, log_path=log_path)


# --- nginx: the ceiling --------------------------------------------------------------------------------

NGINX_CONFIG = """\
daemon off;
{user}worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    keepalive_requests 10000000;
    types {{ application/json json; }}
    server {{
        listen {host}:{port};
        root {dir}/www;
    }}
}}
"""


def nginx_binary() -> str:
    """Debian's nginx (root's PATH has /usr/sbin, other users' often not), or a clear exit saying so."""
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if found is None:
        raise SystemExit("bench: nginx not found (the ceiling every figure is compared with): apt-get install nginx")
    return found


def nginx_static_server(directory: Path, *, port: int, files: dict[str, bytes], workers: int) -> ServerProcess:
    """nginx (`nginx -p <directory>`, in the foreground) serving each of `files` (name: bytes) at /<name>.

    Its pid, logs and temporary files all stay in `directory`; access logging is off, as it is in the
    Talkies server, and keep-alive connections are never closed by count. Start it with `with`.
    """
    (directory / "www").mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (directory / "www" / name).write_bytes(body)
    # As root, nginx's workers would switch to `nobody`, who cannot read a private temporary directory.
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = directory / "nginx.conf"
    config.write_text(NGINX_CONFIG.format(user=user, workers=workers, dir=directory, host=HOST, port=port))
    command = [nginx_binary(), "-p", str(directory), "-c", str(config), "-e", str(directory / "error.log")]
    return ServerProcess("nginx", command, env=dict(os.environ), log_path=directory / "nginx.out")


def asgi_floor_server(directory: Path, *, port: int, files: dict[str, bytes], workers: int) -> ServerProcess:
    """granian with as many workers as Talkies, serving each of `files` at /<name> from memory
    (bench/asgi_floor.py): the ceiling of any request answered in Python on this machine."""
    (directory / "www").mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (directory / "www" / name).write_bytes(body)
    granian = Path(sys.executable).parent / "granian"
    command = [str(granian), "--interface", "asginl", "--workers", str(workers), "--host", HOST, "--port", str(port)]
    env = {**os.environ, "BENCH_FLOOR_DIR": str(directory / "www"), "PYTHONPATH": str(ROOT)}
    return ServerProcess("granian", [*command, "bench.asgi_floor:app"], env=env, log_path=directory / "granian.out")


# --- A run ---------------------------------------------------------------------------------------------


def git_revision() -> str | None:
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()
    return None


def exit_on_sigterm() -> None:
    """Turn SIGTERM (a CI timeout, `kill`) into SystemExit, so the server is stopped on the way out.

    The server runs in its own session and never sees signals sent to us; by default SIGTERM would end
    this process without running a single `finally`, leaving the server and its workers behind.
    """
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
