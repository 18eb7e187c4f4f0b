"""The `talkies` command: `talkies serve` runs the production server; anything else is a manage.py command.

talkies serve [--host 127.0.0.1] [--port 8000] [--workers N] [--no-worker]
talkies worker                     (the background worker, which serve starts unless --no-worker)
talkies demo [--reset]
talkies migrate | createsuperuser | <any Django management command>
"""

import argparse
import os
import resource
import subprocess
import sys
import threading
import time


def serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="talkies serve", description="Serve Talkies with granian (ASGI).")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_WORKERS", "0")) or (os.cpu_count() or 1),
        help="worker processes (default: one per CPU core, or WEB_WORKERS)",
    )
    parser.add_argument("--access-log", action="store_true", help="log every request")
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="do not start the background worker (emails, webhooks) beside the web processes: run "
        "`talkies worker` elsewhere, once for all nodes or once per node",
    )
    args = parser.parse_args(argv)

    if "MALLOC_ARENA_MAX" not in os.environ:
        # glibc gives each thread that allocates its own arena, and Django under ASGI runs every request's
        # sync code on a thread of its own: with two arenas per process instead, a worker's peak RSS under
        # load is ~10% lower (bench/full.py). glibc reads it when a process starts, hence the exec.
        os.environ["MALLOC_ARENA_MAX"] = "2"
        os.execv(sys.executable, [sys.executable, "-m", "talkies.cli", "serve", *argv])

    # Django is set up in a child process, not in this one: this process only supervises granian's
    # workers (and the background worker), and loading Django here would cost every node ~50 MB for nothing.
    prepared = subprocess.run([sys.executable, "-m", "talkies.cli", PREPARE_SERVE], check=False)
    if prepared.returncode != 0:
        sys.exit(prepared.returncode)

    # Each web worker sizes its share of the node's database connections by it (settings.DATABASE_POOL).
    os.environ["TALKIES_WEB_WORKERS"] = str(args.workers)

    from granian import Granian
    from granian.constants import Interfaces

    streams_per_process = _live_streams_per_process()
    open_files = raise_open_files_limit()
    if open_files < streams_per_process + REQUEST_HEADROOM + FILES_BESIDES_CONNECTIONS:
        print(
            f"talkies: warning: each web worker may open only {open_files} files, fewer than the "
            f"{streams_per_process} live streams (LIVE_STREAMS_PER_PROCESS) and {REQUEST_HEADROOM} requests it "
            "takes need: raise the hard limit (`ulimit -Hn`, systemd's LimitNOFILE) or lower "
            "LIVE_STREAMS_PER_PROCESS.",
            file=sys.stderr,
        )

    background = None if args.no_worker else BackgroundWorker()
    print(
        f"Talkies is serving on http://{args.host}:{args.port}/ with {args.workers} web worker(s)"
        f"{'' if background else ' and no background worker'}. Ctrl-C stops it."
    )
    try:
        Granian(
            "talkies.asgi:application",
            address=args.host,
            port=args.port,
            # Django has no lifespan handler; the no-lifespan interface skips a start-up probe and its warning.
            interface=Interfaces.ASGINL,
            workers=args.workers,
            # Connections the kernel holds for a worker to accept: a restart sends every open page's browser
            # back within a few seconds (EventSource's retry), 10,000 of them on a full node. 4,096 is
            # Linux's default ceiling (net.core.somaxconn); beyond it the kernel silently uses that.
            backlog=LISTEN_BACKLOG,
            # Requests a worker handles at once; beyond it granian stops reading new requests. A live stream
            # is a request for as long as its page is open, so granian's default (backlog / workers, 512
            # here) let ~1,000 idle streams stop a node answering anything (issue 13). Room for every stream
            # the caps let in (talkies.live.limits refuses the rest itself, at once), plus room for
            # ordinary requests, which queue in front of Django in talkies.lib.writegate, not here.
            backpressure=streams_per_process + REQUEST_HEADROOM,
            log_access=args.access_log,
            respawn_failed_workers=True,
        ).serve()
    finally:
        if background is not None:
            background.stop()


LISTEN_BACKLOG = 4096
# Ordinary requests (not live streams) a worker takes at once, on top of its streams.
REQUEST_HEADROOM = 1024
# A worker's files that are not client connections: its database files, logs, pipes, modules.
FILES_BESIDES_CONNECTIONS = 256


def _live_streams_per_process() -> int:
    """LIVE_STREAMS_PER_PROCESS as settings reads it, without loading Django in this process."""
    from talkies.live import defaults

    value = os.environ.get("LIVE_STREAMS_PER_PROCESS", "").strip()
    if not value:
        return defaults.STREAMS_PER_PROCESS
    if not value.isdigit() or int(value) < 1:
        sys.exit(f"talkies serve: LIVE_STREAMS_PER_PROCESS must be a whole number of 1 or more, got {value!r}")
    return int(value)


def raise_open_files_limit() -> int:
    """Raise this process's open-files limit to its hard limit (granian's workers inherit it); the new limit.

    Every connection is a file descriptor, and a live stream holds its connection for as long as its page is
    open: the soft limit many systems start with (1,024) would cap a worker near 1,000 streams, failing
    accept() for every other client too. The hard limit is the one the administrator set; only root can
    raise it, and nothing here tries.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            return soft
        return target
    return soft


# A hidden command for serve's child: what must happen once, with Django, before the web workers start.
PREPARE_SERVE = "--prepare-serve"


def prepare_serve() -> None:
    from django.conf import settings
    from django.core.management import call_command

    if not (settings.DEBUG or settings.TESTING):
        # Production serves hashed, compressed files from STATIC_ROOT through WhiteNoise.
        call_command("collectstatic", interactive=False, verbosity=0)
    # Once, here, rather than in every web worker at once (talkies.moderation.signals.profanity).
    from talkies.moderation.signals.profanity import prepare_table

    prepare_table()


class BackgroundWorker:
    """`talkies worker` in a process of its own beside the web processes, started again if it dies.

    A process rather than a thread: the web processes stay free of it, it can be stopped and started on
    its own, and it is the same program as a worker run on a node of its own.
    """

    def __init__(self) -> None:
        self._stopping = False
        self._process = self._start()
        threading.Thread(target=self._watch, name="talkies-worker-watch", daemon=True).start()

    def _start(self) -> subprocess.Popen:
        command = [sys.executable, "-m", "talkies.cli", "worker", "--parent-pid", str(os.getpid())]
        # A session of its own, so a Ctrl-C at the terminal reaches the server, which then stops the worker
        # (rather than the watcher seeing it die first and starting it again). Should the server be killed
        # outright, the worker notices its parent is gone (--parent-pid) and stops within a second.
        return subprocess.Popen(command, start_new_session=True)

    def _watch(self) -> None:
        while not self._stopping:
            code = self._process.wait()
            if self._stopping:
                return
            print(f"talkies: the background worker exited ({code}); starting it again", file=sys.stderr)
            time.sleep(1)  # a worker that dies at once must not be restarted in a tight loop
            if not self._stopping:
                self._process = self._start()

    def stop(self) -> None:
        """SIGTERM, so the worker finishes its current task; killed if it takes more than 30 seconds."""
        self._stopping = True
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkies.settings")
    if argv and argv[0] == "serve":
        serve(argv[1:])  # without Django in this process: granian's workers load it
        return
    import django

    django.setup()
    if argv == [PREPARE_SERVE]:
        prepare_serve()
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["talkies", *argv])


if __name__ == "__main__":
    main()
