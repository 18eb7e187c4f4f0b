"""Real `talkies serve` processes, and a streaming SSE client, for tests of live updates end to end.

pytest-django's live_server is a WSGI server, under which the SSE view deliberately refuses to stream
(see views.py), and one process cannot show that an event crosses processes. These helpers run the
production server on a throwaway SQLite database instead, with nothing but the standard library.
"""

import http.client
import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
DEMO_PASSWORD = "talkies-demo"


def server_environment(data_dir: Path, *, redis_url: str = "", **settings: str) -> dict[str, str]:
    """The environment of a server (and of the commands preparing its database) on `data_dir`; `settings`
    are environment settings of the test's own (talkies/settings.py reads them), set last."""
    # TALKIES_TESTING is this suite's (talkies/testing.py): a server runs with the settings a deployment has.
    left_out = {"DATABASE_URL", "REDIS_URL", "TALKIES_TESTING"}
    env = {key: value for key, value in os.environ.items() if key not in left_out}
    env.update(
        TALKIES_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="talkies.settings",
        # This checkout's code, whatever the installed package points at.
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH", "")])),
        LOG_LEVEL="WARNING",
        # Tests post from one address more often than a reader would.
        RATE_LIMIT_COMMENTS_PER_ACCOUNT="",
        RATE_LIMIT_COMMENTS_PER_IP="",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(settings)
    return env


def talkies(*args: str, env: dict[str, str]) -> str:
    """Run a `talkies` command to completion; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "talkies.cli", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"talkies {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def shell_json(script: str, *, env: dict[str, str]) -> dict:
    """Run a `talkies shell -c` script whose last printed line is JSON (what it seeded); that JSON."""
    return json.loads(talkies("shell", "-c", script, env=env).strip().splitlines()[-1])


def port_of(base_url: str) -> int:
    port = urllib.parse.urlsplit(base_url).port
    assert port is not None, base_url
    return port


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(
    env: dict[str, str], *, workers: int = 1, log_path: Path, serve_args: tuple[str, ...] = ()
) -> Iterator[str]:
    """Run `talkies serve` (with `serve_args`, e.g. `--no-worker`) until the block ends; yields its base URL
    once it accepts connections."""
    port = free_port()
    with open(log_path, "w") as log:
        # A session of its own, so stopping it stops granian's worker processes with it.
        server = subprocess.Popen(
            [sys.executable, "-m", "talkies.cli", "serve", "--port", str(port), "--workers", str(workers), *serve_args],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_listening(port, server, log_path)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@contextmanager
def serving_demo(data_dir: Path, *, setup: str = "", workers: int = 2) -> Iterator[str]:
    """The real server on a freshly migrated database holding the demo (and whatever `setup`, a
    `talkies shell -c` script, adds), for tests that need the demo's site, films and readers."""
    env = server_environment(data_dir)
    talkies("migrate", "--no-input", env=env)
    talkies("demo", env=env)
    if setup:
        talkies("shell", "-c", setup, env=env)
    with serving(env, workers=workers, log_path=data_dir / "server.log") as url:
        yield url


def _wait_until_listening(port: int, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"talkies serve exited early:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/live/threads/0/", timeout=1):
                pass
        except urllib.error.HTTPError:
            return  # the 404 of a thread that does not exist: Django is answering
        except OSError:
            time.sleep(0.1)
        else:
            return
    raise RuntimeError(f"talkies serve did not start on port {port}:\n{log_path.read_text()}")


class Reader:
    """A logged-in reader talking to the JSON API like a browser: session cookie plus CSRF token."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.csrf_token = ""

    def log_in(self, username: str, password: str) -> None:
        self._refresh_csrf_token()
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf_token}
        ).encode()
        self.opener.open(f"{self.base_url}/accounts/login/", data=form, timeout=10).read()
        self._refresh_csrf_token()  # logging in rotates the token

    def post_json(self, path: str, body: dict) -> dict:
        request = urllib.request.Request(
            f"{self.base_url}/api/v1{path}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf_token},
            method="POST",
        )
        with self.opener.open(request, timeout=10) as response:
            return json.load(response)

    def _refresh_csrf_token(self) -> None:
        with self.opener.open(f"{self.base_url}/api/v1/session", timeout=10) as response:
            self.csrf_token = json.load(response)["csrf_token"]


@dataclass
class SseEvent:
    id: str
    event: str
    data: str

    def json(self) -> dict:
        return json.loads(self.data)


class EventStream:
    """A raw SSE connection read line by line (http.client decodes the chunked transfer)."""

    def __init__(
        self, base_url: str, path: str, headers: dict[str, str] | None = None, *, source_address: str = ""
    ) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        # `source_address` (any 127.x on Linux) makes the stream come from another client address.
        self.connection = http.client.HTTPConnection(
            parsed.hostname or "127.0.0.1",
            parsed.port,
            timeout=10,
            source_address=(source_address, 0) if source_address else None,
        )
        self.connection.request("GET", path, headers={"Accept": "text/event-stream", **(headers or {})})
        self.response = self.connection.getresponse()

    def wait_until_live(self, timeout: float = 10) -> None:
        """Wait for the `retry:` line the server sends once the stream is subscribed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._readline(deadline).startswith("retry:"):
                return
        raise TimeoutError("the stream did not start")

    def next_event(self, timeout: float) -> SseEvent:
        """The next event (comments and keep-alives skipped); TimeoutError if none comes in time."""
        deadline = time.monotonic() + timeout
        fields: dict[str, str] = {}
        while True:
            line = self._readline(deadline)
            if line == "" and fields:
                return SseEvent(fields.get("id", ""), fields.get("event", "message"), fields.get("data", ""))
            if line and not line.startswith(":"):
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")

    def _readline(self, deadline: float) -> str:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no event in time")
        self.connection.sock.settimeout(left)  # type: ignore[union-attr]
        try:
            raw = self.response.readline()
        except TimeoutError:
            raise
        except OSError as error:
            raise TimeoutError(f"no event in time ({error})") from error
        if not raw:
            raise EOFError("the server ended the stream")
        return raw.decode().rstrip("\r\n")

    def close(self) -> None:
        self.connection.close()
