"""A retry after `kill -9` finds its key exactly when the write landed: no comment is posted twice.

Starts the real server (`talkies serve --workers 2`) on a throwaway SQLite database and posts comments from
several clients at once, each with its own Idempotency-Key and each over a new connection. The test watches
the database, and the moment it holds a comment whose post has not been answered yet, kills the server's
processes with SIGKILL: that post was committed and its client will never hear so, the case that once left
27 comments to be posted twice. After a restart every unanswered post is sent again with its key: each must
be answered 201, the committed ones from their stored answer, and every key must have posted exactly one
comment.
"""

import contextlib
import http.client
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from talkies.lib.tests.test_ratelimit_across_processes import CSRF
from talkies.live.tests.servers import REPO_ROOT, free_port, server_environment, shell_json, talkies

CLIENTS = 6
# How many looks at the database the test takes, at most, for a comment committed but not yet answered.
LOOKS = 20000
# How many kills it tries, at most, before one lands between a commit and its answer.
ROUNDS = 5

SETUP = """
import json
from django.test import Client
from talkies.accounts.models import Site, User
from talkies.comments.models import Thread

site = Site.objects.create(slug="reelnews", name="Reel News")
thread = Thread.objects.create(site=site, key="page:kill", title="Killed mid-write")
reader = User.objects.create_user(username="reader", password="x")
client = Client()
client.force_login(reader)
print(json.dumps({"thread": thread.pk, "session": client.cookies["sessionid"].value}))
"""


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> tuple[Path, dict[str, str], dict]:
    data_dir = tmp_path_factory.mktemp("idempotency-kill")
    env = server_environment(
        data_dir,
        # The posts here are many and fast on purpose: no limit should refuse them.
        RATE_LIMIT_COMMENTS_PER_ACCOUNT="",
        RATE_LIMIT_COMMENTS_PER_IP="",
    )
    talkies("migrate", "--no-input", env=env)
    seeded = shell_json(SETUP, env=env)
    return data_dir, env, seeded


def start_server(data_dir: Path, env: dict[str, str], thread_id: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    with (data_dir / f"server-{port}.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "talkies.cli", "serve", "--port", str(port), "--workers", "2"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so that killing its group kills granian's workers with it
        )
    deadline = time.monotonic() + 60
    while not answers_at(port, f"/api/v1/threads/{thread_id}"):
        if time.monotonic() > deadline or process.poll() is not None:
            stop(process, 9)
            raise RuntimeError(f"talkies serve did not start:\n{(data_dir / f'server-{port}.log').read_text()}")
        time.sleep(0.2)
    return process, port


def stop(process: subprocess.Popen, signal: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it has already gone
        os.killpg(process.pid, signal)
    process.wait(timeout=30)


def answers_at(port: int, path: str) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def post(port: int, seeded: dict, key: str) -> tuple[int, bool] | None:
    """POST the comment of `key` over a new connection: (status, replayed), or None if no answer came."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {
        "Content-Type": "application/json",
        "Referer": f"http://127.0.0.1:{port}/",
        "Cookie": f"sessionid={seeded['session']}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
        "Idempotency-Key": key,
    }
    try:
        connection.request(
            "POST", f"/api/v1/threads/{seeded['thread']}/comments", body=json.dumps({"body": key}), headers=headers
        )
        response = connection.getresponse()
        response.read()
        return response.status, response.headers.get("Idempotent-Replayed") == "true"
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def committed_unanswered(database: sqlite3.Connection, in_flight: set[str], lock: threading.Lock) -> bool:
    """Whether a comment in the database is one whose post has not been answered."""
    bodies = {body for (body,) in database.execute("SELECT body_source FROM comments_comment")}
    with lock:
        return bool(bodies & in_flight)


def kill_mid_posting(data_dir: Path, env: dict[str, str], seeded: dict) -> tuple[dict[str, int], list[str]]:
    """Post from CLIENTS clients, kill -9 the server once a committed post is still unanswered (or after
    LOOKS looks): the answers that came back, by key, and the keys that got none."""
    process, port = start_server(data_dir, env, seeded["thread"])
    answered: dict[str, int] = {}
    in_flight: set[str] = set()
    unanswered: list[str] = []
    lock, killed = threading.Lock(), threading.Event()

    def client() -> None:
        while not killed.is_set():
            key = str(uuid.uuid4())
            with lock:
                in_flight.add(key)
            answer = post(port, seeded, key)
            with lock:
                in_flight.discard(key)
                if answer is None:
                    unanswered.append(key)
                    return
                answered[key] = answer[0]

    database = sqlite3.connect(f"file:{data_dir / 'talkies.sqlite3'}?mode=ro", uri=True, timeout=30)
    clients = [threading.Thread(target=client) for _ in range(CLIENTS)]
    try:
        for thread in clients:
            thread.start()
        for _ in range(LOOKS):
            if committed_unanswered(database, in_flight, lock):
                break
            time.sleep(0.001)
    finally:
        stop(process, 9)
        killed.set()
        database.close()
        for thread in clients:
            thread.join(60)
    return answered, unanswered


def test_posts_cut_off_by_kill_9_are_retried_without_double_posting(deployment):
    data_dir, env, seeded = deployment
    answered: dict[str, int] = {}
    unanswered: list[str] = []
    retried: dict[str, tuple[int, bool] | None] = {}
    # Whether the kill lands between a commit and its answer is a race: on a busy machine a round can miss,
    # so rounds go on (each with every check) until one has cut off a committed post.
    for _ in range(ROUNDS):
        round_answered, round_unanswered = kill_mid_posting(data_dir, env, seeded)
        process, port = start_server(data_dir, env, seeded["thread"])
        try:
            round_retried = {key: post(port, seeded, key) for key in round_unanswered}
        finally:
            stop(process, 15)
        answered.update(round_answered)
        unanswered += round_unanswered
        retried.update(round_retried)
        if any(answer is not None and answer[1] for answer in round_retried.values()):
            break
    database = sqlite3.connect(f"file:{data_dir / 'talkies.sqlite3'}?mode=ro", uri=True, timeout=30)
    try:
        bodies = [body for (body,) in database.execute("SELECT body_source FROM comments_comment")]
    finally:
        database.close()

    assert set(answered.values()) <= {201}
    assert [answer[0] if answer else None for answer in retried.values()] == [201] * len(unanswered)
    assert sorted(bodies) == sorted([*answered, *unanswered]), "a key posted no comment, or more than one"
    landed = sum(replayed for _, replayed in filter(None, retried.values()))
    assert landed >= 1, f"in {ROUNDS} rounds the kill cut off no committed post: nothing was tested"
    print(
        f"{len(answered)} answered before the kills, {len(unanswered)} cut off: {landed} of those had been "
        f"committed and were answered from their key, {len(unanswered) - landed} were posted by the retry"
    )
