"""Rate limits hold across worker processes in the default setup: SQLite, no Redis.

Starts the real server (`talkies serve --workers 2`) on a throwaway, migrated SQLite database with a limit of
5 comments a minute per account, and posts 12 comments as one account, each over a new connection so that
both workers answer. Counted per process, as they once were, 10 would get through; counted in the database,
exactly 5 do. A second test races processes incrementing one counter, which must add up exactly.
"""

import http.client
import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LIMIT, ATTEMPTS = 5, 12
CSRF = "a" * 32  # any 32-character token works as long as the cookie and the header agree

SETUP = """
import json
from django.test import Client
from talkies.accounts.models import Site, User
from talkies.comments.models import Thread

site = Site.objects.create(slug="reelnews", name="Reel News")
thread = Thread.objects.create(site=site, key="page:limits", title="Posting limits")
reader = User.objects.create_user(username="reader", password="x")
client = Client()
client.force_login(reader)
print(json.dumps({"thread": thread.pk, "user": reader.pk, "session": client.cookies["sessionid"].value}))
"""


def increment(*, start: float, times: int) -> str:
    """A script that waits for `start`, then counts `times` attempts on one counter as django-ratelimit does."""
    return f"""
import time
from django.core.cache import caches
counters = caches["ratelimit"]
time.sleep(max(0, {start!r} - time.time()))
for _ in range({times!r}):
    if not counters.add("raced", 1, 600):
        counters.incr("raced")
"""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A migrated SQLite database in a data directory, and the environment of a deployment on it."""
    data_dir = tmp_path_factory.mktemp("ratelimit-processes")
    # TALKIES_TESTING is this suite's (talkies/testing.py): these processes run as a deployment does.
    left_out = {"DATABASE_URL", "REDIS_URL", "TALKIES_TESTING"}
    env = {key: value for key, value in os.environ.items() if key not in left_out}
    env.update(
        TALKIES_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="talkies.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
        LOG_LEVEL="WARNING",
        RATE_LIMIT_COMMENTS_PER_ACCOUNT=f"{LIMIT}/m",
        RATE_LIMIT_COMMENTS_PER_IP="",  # every request comes from 127.0.0.1: only the account's limit counts
    )
    talkies(env, "migrate", "--no-input")
    return data_dir, env


def talkies(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "talkies.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"talkies {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def server(deployment):
    data_dir, env = deployment
    seeded = json.loads(talkies(env, "shell", "-c", SETUP).strip().splitlines()[-1])
    port = free_port()
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        # A session of its own, so stopping it stops granian's worker processes with it.
        process = subprocess.Popen(
            [sys.executable, "-m", "talkies.cli", "serve", "--port", str(port), "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while request(port, "GET", f"/api/v1/threads/{seeded['thread']}") is None:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"talkies serve did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield port, seeded
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def request(
    port: int, method: str, path: str, *, session: str = "", body: dict | None = None
) -> tuple[int, str] | None:
    """One request on a new connection: its status and Retry-After header ("" if none), or None while nothing
    listens."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json", "Referer": f"http://127.0.0.1:{port}/"}
    if session:
        headers.update(Cookie=f"sessionid={session}; csrftoken={CSRF}", **{"X-CSRFToken": CSRF})
    try:
        connection.request(method, path, body=json.dumps(body or {}) if method != "GET" else None, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.headers.get("Retry-After", "")
    except OSError:
        return None
    finally:
        connection.close()


def wait_for_a_fresh_window(user_id: int, period: int = 60, needed: float = 20) -> None:
    """Sleep past the end of the account's window if fewer than `needed` seconds of it are left.

    django-ratelimit's windows are fixed, with an end that depends on the key; 12 posts that straddled one
    end would be counted in two windows and rightly let more than 5 through. This is its window arithmetic
    (django_ratelimit.core._get_window) for the key enforce_rate_limit gives the account.
    """
    now = time.time()
    end = int(now) - int(now) % period + zlib.crc32(f"user:{user_id}".encode()) % period
    if end < now:
        end += period
    if end - now < needed:
        time.sleep(end - now + 1)


def test_the_documented_limit_holds_across_two_worker_processes(server):
    port, seeded = server
    wait_for_a_fresh_window(seeded["user"])
    path = f"/api/v1/threads/{seeded['thread']}/comments"

    answers = [
        request(port, "POST", path, session=seeded["session"], body={"body": f"Comment {n}"}) for n in range(ATTEMPTS)
    ]

    assert None not in answers
    statuses = [status for status, _ in answers]  # type: ignore[misc]
    assert statuses == [201] * LIMIT + [429] * (ATTEMPTS - LIMIT)
    assert all(1 <= int(retry_after) <= 60 for _, retry_after in answers[LIMIT:])  # type: ignore[misc]
    print(f"{statuses.count(201)} accepted, {statuses.count(429)} refused with Retry-After")


def test_increments_from_racing_processes_add_up_exactly(deployment):
    _, env = deployment
    processes, each = 4, 50
    start = time.time() + 3  # time for every process to start Django before the race begins
    racers = [
        subprocess.Popen(
            [sys.executable, "-m", "talkies.cli", "shell", "-c", increment(start=start, times=each)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(processes)
    ]
    outputs = [racer.communicate(timeout=120)[0] for racer in racers]
    assert [racer.returncode for racer in racers] == [0] * processes, outputs

    total = talkies(env, "shell", "-c", 'from django.core.cache import caches; print(caches["ratelimit"].get("raced"))')
    assert int(total.strip().splitlines()[-1]) == processes * each
