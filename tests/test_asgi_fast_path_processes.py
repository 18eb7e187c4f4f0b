"""Two granian workers, each with its own page store: a write through one shows on reads from both.

Starts the real server (`talkies serve --workers 2`) on a throwaway SQLite database. Each read opens a new
connection, so reads land on both workers; every read after a write must show it.
"""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
READS = 12  # new connections per check: enough that both workers answer some

SETUP = """
import datetime, json
from django.test import Client
from django.utils import timezone
from talkies.accounts.models import Site, User
from talkies.comments.models import Thread
from talkies.comments.services import comment_create

site = Site.objects.create(slug="reelnews", name="Reel News")
thread = Thread.objects.create(site=site, key="page:processes", title="Two workers")
reader = User.objects.create_user(username="reader", password="x")
voter = User.objects.create_user(username="voter", password="x")
comment = comment_create(thread=thread, author=reader, body="First")
sessions = {}
for user in (reader, voter):
    client = Client()
    client.force_login(user)
    sessions[user.username] = client.cookies["sessionid"].value
print(json.dumps({"thread": thread.pk, "comment": comment.pk, "sessions": sessions}))
"""

CSRF = "a" * 32  # any 32-character token works as long as the cookie and the header agree


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("two-workers")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "TALKIES_TESTING"}}
    env.update(TALKIES_DATA_DIR=str(data_dir), LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
    talkies = [sys.executable, "-m", "talkies.cli"]
    subprocess.run([*talkies, "migrate", "--no-input"], env=env, check=True, stdout=subprocess.DEVNULL)
    setup = subprocess.run([*talkies, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    seeded = json.loads(setup.stdout.strip().splitlines()[-1])
    port = free_port()
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [*talkies, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/v1/threads/{seeded['thread']}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError((data_dir / "server.log").read_text()) from None
                time.sleep(0.2)
        yield base, {**seeded, "env": env}
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=10)
        log.close()


def read_page(base: str, thread_id: int) -> dict:
    url = f"{base}/api/v1/threads/{thread_id}/comments?sort=old&limit=200"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def write(base: str, method: str, path: str, session: str, data: dict | None = None) -> int:
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(data or {}).encode(),
        headers={
            "Content-Type": "application/json",
            "Cookie": f"sessionid={session}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "Referer": base + "/",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def every_read(base: str, thread_id: int) -> list[dict]:
    return [read_page(base, thread_id) for _ in range(READS)]


def test_every_write_shows_on_every_workers_next_read(server):
    base, seeded = server
    thread_id, comment_id, sessions = seeded["thread"], seeded["comment"], seeded["sessions"]
    assert {len(page["comments"]) for page in every_read(base, thread_id)} == {1}  # both workers store it

    assert write(base, "POST", f"/api/v1/threads/{thread_id}/comments", sessions["reader"], {"body": "Second"}) == 201
    assert {len(page["comments"]) for page in every_read(base, thread_id)} == {2}

    assert write(base, "PATCH", f"/api/v1/comments/{comment_id}", sessions["reader"], {"body": "Edited"}) == 200
    assert {page["comments"][0]["body_html"].strip() for page in every_read(base, thread_id)} == {"<p>Edited</p>"}

    assert write(base, "POST", f"/api/v1/comments/{comment_id}/vote", sessions["voter"], {"value": 1}) == 200
    assert {page["comments"][0]["upvotes"] for page in every_read(base, thread_id)} == {1}

    assert write(base, "DELETE", f"/api/v1/comments/{comment_id}", sessions["reader"]) == 200
    assert {len(page["comments"]) for page in every_read(base, thread_id)} == {1}  # no replies: it leaves the page


def test_a_commit_by_another_connection_shows_on_the_next_read(server):
    """The workers remember their page lookups between commits (talkies.pagecache.lookup_memo). A commit
    made outside them (here plain SQL from this process, milliseconds after the last read, well inside the
    memo's time to live) must change the page at once all the same."""
    base, seeded = server
    thread_id = seeded["thread"]
    assert (
        write(base, "POST", f"/api/v1/threads/{thread_id}/comments", seeded["sessions"]["reader"], {"body": "Mine"})
        == 201
    )
    comment_id = read_page(base, thread_id)["comments"][-1]["id"]
    every_read(base, thread_id)  # both workers have the page and remember its lookup
    with sqlite3.connect(Path(seeded["env"]["TALKIES_DATA_DIR"]) / "talkies.sqlite3") as db:
        db.execute("UPDATE comments_comment SET body_html = '<p>Changed elsewhere</p>' WHERE id = ?", [comment_id])
        db.execute("UPDATE comments_thread SET version = version + 1 WHERE id = ?", [thread_id])
    bodies = {
        next(c["body_html"].strip() for c in page["comments"] if c["id"] == comment_id)
        for page in every_read(base, thread_id)
    }
    assert bodies == {"<p>Changed elsewhere</p>"}
