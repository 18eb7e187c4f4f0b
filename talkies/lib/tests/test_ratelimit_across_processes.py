"""Rate limits hold across worker processes in the default setup: SQLite, no Redis.

Starts the real server (`talkies serve --workers 2`) on a throwaway, migrated SQLite database with small
limits, set through their environment variables, on every public write: comments, votes, ratings, guest
tokens, registrations, verification emails and sign-in. Each is tried past its limit, every attempt over a
new connection so that both workers answer. Counted per process, as they once were, twice the limit would
get through; counted in the database, exactly the limit does. A last test races processes incrementing
one counter, which must add up exactly.
"""

import http.client
import json
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import zlib
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from talkies.live.tests.servers import REPO_ROOT, port_of, server_environment, serving, shell_json, talkies

# Hourly limits: a window's end falls at most once in a run, so wait_for_a_fresh_window seldom sleeps.
COMMENTS, LIMIT = 5, 3
PASSWORD = "x"  # the seeded accounts' password
NEW_PASSWORD = "a long passphrase for reel news"  # passes the validators, for registrations
CSRF = "a" * 32  # any 32-character token works as long as the cookie and the header agree
ADDRESS = "127.0.0.1"  # where every request comes from, so the per-address limits' key

SETUP = """
import datetime, json
from django.test import Client
from talkies.accounts.models import Site, User
from talkies.catalogue.models import Film, ReleaseDate
from talkies.comments.models import Thread
from talkies.comments.services import comment_create

site = Site.objects.create(slug="reelnews", name="Reel News", region="US", allow_guest_comments=True)
thread = Thread.objects.create(site=site, key="page:limits", title="Posting limits")
film = Film.objects.create(title="Ballerina", slug="ballerina")
ReleaseDate.objects.create(film=film, region="US", kind=ReleaseDate.Kind.THEATRICAL, date=datetime.date(2025, 6, 6))
reader = User.objects.create_user(username="reader", password="x", email="reader@example.com")
other = User.objects.create_user(username="other", password="x")
unverified = User.objects.create_user(username="unverified", password="x", email="unverified@example.com")
voted_on = comment_create(thread=thread, author=other, body="Vote on me")

def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value

print(json.dumps({
    "thread": thread.pk, "comment": voted_on.pk, "film": film.slug, "user": reader.pk,
    "unverified": unverified.pk, "session": session(reader), "unverified_session": session(unverified),
}))
"""


def emails_queued_to(data_dir: Path, address: str) -> int:
    """The emails talkies.tasks' queue holds for `address`, read from the database file (no Django to start)."""
    with closing(sqlite3.connect(f"file:{data_dir / 'talkies.sqlite3'}?mode=ro", uri=True)) as database:
        queued = database.execute("SELECT args FROM tasks_task").fetchall()
    return sum(address in json.loads(args).get("to", []) for (args,) in queued)


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


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A migrated SQLite database in a data directory, and the environment of a deployment on it."""
    data_dir = tmp_path_factory.mktemp("ratelimit-processes")
    env = server_environment(
        data_dir,
        # Every request comes from 127.0.0.1: where a limit is per account, the address's is off, so that
        # only the account's counts; guest tokens and registrations are limited per address only.
        RATE_LIMIT_COMMENTS_PER_ACCOUNT=f"{COMMENTS}/h",
        RATE_LIMIT_COMMENTS_PER_IP="",
        RATE_LIMIT_VOTES_PER_ACCOUNT=f"{LIMIT}/h",
        RATE_LIMIT_VOTES_PER_IP="",
        RATE_LIMIT_RATINGS_PER_ACCOUNT=f"{LIMIT}/h",
        RATE_LIMIT_RATINGS_PER_IP="",
        RATE_LIMIT_GUEST_TOKENS_PER_IP=f"{LIMIT}/h",
        RATE_LIMIT_REGISTRATIONS_PER_IP=f"{LIMIT}/h",
        RATE_LIMIT_VERIFICATION_EMAILS_PER_ACCOUNT=f"{LIMIT}/h",
        RATE_LIMIT_VERIFICATION_EMAILS_PER_IP="",
        RATE_LIMIT_LOGINS_PER_ACCOUNT=f"{LIMIT}/h",
        RATE_LIMIT_LOGINS_PER_IP="",
    )
    talkies("migrate", "--no-input", env=env)
    return data_dir, env


@pytest.fixture(scope="module")
def server(deployment):
    data_dir, env = deployment
    seeded = shell_json(SETUP, env=env)
    with serving(env, workers=2, log_path=data_dir / "server.log") as url:
        yield port_of(url), seeded


def request(
    port: int, method: str, path: str, *, session: str = "", body: dict | None = None, form: dict | None = None
) -> tuple[int, str] | None:
    """One request on a new connection, with a JSON `body` or a page's `form`: its status and Retry-After
    header ("" if none), or None while nothing listens. Writes carry a CSRF token, for the pages' forms and
    for the API's session writes alike."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Referer": f"http://127.0.0.1:{port}/", "X-CSRFToken": CSRF}
    cookies = [f"csrftoken={CSRF}"] + ([f"sessionid={session}"] if session else [])
    headers["Cookie"] = "; ".join(cookies)
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data: str | None = urllib.parse.urlencode(form)
    else:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body or {}) if method != "GET" else None
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.headers.get("Retry-After", "")
    except OSError:
        return None
    finally:
        connection.close()


def wait_for_a_fresh_window(key: str, period: int = 3600, needed: float = 20) -> None:
    """Sleep past the end of the key's window if fewer than `needed` seconds of it are left.

    django-ratelimit's windows are fixed, with an end that depends on the key; attempts that straddled one
    end would be counted in two windows and rightly let more than the limit through. This is its window
    arithmetic (django_ratelimit.core._get_window) for the key enforce_rate_limit counts under: "user:12"
    for an account, "login:<name>" for sign-in attempts, the address for the per-address limits.
    """
    now = time.time()
    end = int(now) - int(now) % period + zlib.crc32(key.encode()) % period
    if end < now:
        end += period
    if end - now < needed:
        time.sleep(end - now + 1)


@dataclass(frozen=True)
class Limit:
    """One limit: what an attempt is, what it answers when let through, and the key it is counted under."""

    limit: int
    accepted: int
    key: Callable[[dict], str]
    attempt: Callable[[int, dict, int], tuple[int, str] | None]  # (port, seeded, n) -> request()'s answer
    # The registration page's 429 says when to try again in its text only, not in a Retry-After header.
    says_retry_after: bool = True


LIMITS = {
    "comments": Limit(
        COMMENTS,
        201,
        lambda seeded: f"user:{seeded['user']}",
        lambda port, seeded, n: request(
            port,
            "POST",
            f"/api/v1/threads/{seeded['thread']}/comments",
            session=seeded["session"],
            body={"body": f"Comment {n}"},
        ),
    ),
    "votes": Limit(
        LIMIT,
        200,
        lambda seeded: f"user:{seeded['user']}",
        lambda port, seeded, n: request(
            port,
            "POST",
            f"/api/v1/comments/{seeded['comment']}/vote",
            session=seeded["session"],
            body={"value": 1 - 2 * (n % 2)},
        ),
    ),
    "ratings": Limit(
        LIMIT,
        200,
        lambda seeded: f"user:{seeded['user']}",
        lambda port, seeded, n: request(
            port, "PUT", f"/api/v1/films/{seeded['film']}/rating", session=seeded["session"], body={"value": 1 + n}
        ),
    ),
    "guest tokens": Limit(
        LIMIT, 201, lambda seeded: ADDRESS, lambda port, seeded, n: request(port, "POST", "/api/v1/guest-token")
    ),
    "registrations": Limit(
        LIMIT,
        302,
        lambda seeded: ADDRESS,
        says_retry_after=False,
        attempt=lambda port, seeded, n: request(
            port,
            "POST",
            "/accounts/register/",
            form={
                "username": f"new{n}",
                "email": f"new{n}@example.com",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        ),
    ),
    "sign-in": Limit(
        LIMIT,
        302,
        lambda seeded: "login:reader",
        lambda port, seeded, n: request(
            port, "POST", "/accounts/login/", form={"username": "reader", "password": PASSWORD}
        ),
    ),
}


@pytest.mark.parametrize("name", LIMITS)
def test_each_limit_holds_exactly_across_two_worker_processes(server, name):
    port, seeded = server
    limit = LIMITS[name]
    wait_for_a_fresh_window(limit.key(seeded))
    attempts = limit.limit + 3

    answers = [limit.attempt(port, seeded, n) for n in range(attempts)]

    assert None not in answers
    statuses = [status for status, _ in answers]  # type: ignore[misc]
    assert statuses == [limit.accepted] * limit.limit + [429] * (attempts - limit.limit)
    if limit.says_retry_after:
        assert all(1 <= int(retry_after) <= 3600 for _, retry_after in answers[limit.limit :])  # type: ignore[misc]


def test_the_verification_email_limit_holds_exactly_across_two_worker_processes(server, deployment):
    """A refused resend is answered like a sent one (back to the settings page, with a message), so what
    counts is the number of emails queued."""
    port, seeded = server
    data_dir, _ = deployment
    wait_for_a_fresh_window(f"user:{seeded['unverified']}")

    answers = [
        request(port, "POST", "/accounts/verify/resend/", session=seeded["unverified_session"], form={})
        for _ in range(LIMIT + 3)
    ]

    assert [answer[0] if answer else None for answer in answers] == [302] * (LIMIT + 3)
    assert emails_queued_to(data_dir, "unverified@example.com") == LIMIT


def test_increments_from_racing_processes_add_up_exactly(deployment):
    _, env = deployment
    processes, each = 4, 50
    start = time.time() + 3  # time for every process to start Django before the race begins
    racers = [
        subprocess.Popen(
            [sys.executable, "-m", "talkies.cli", "shell", "-c", increment(start=start, times=each)],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(processes)
    ]
    outputs = [racer.communicate(timeout=120)[0] for racer in racers]
    assert [racer.returncode for racer in racers] == [0] * processes, outputs

    read_total = 'from django.core.cache import caches; print(caches["ratelimit"].get("raced"))'
    total = talkies("shell", "-c", read_total, env=env)
    assert int(total.strip().splitlines()[-1]) == processes * each
