"""Every write the server acknowledged survives `kill -9` of the whole server, on SQLite.

Issue 13 ("done means"): `talkies serve --workers 2` runs as deployed on a fresh, migrated SQLite file with
rate limits off. Sixteen readers post comments, vote and rate films as fast as the server answers, and the
server's whole process group is killed with SIGKILL a few times mid-load, started again each time. A write
answered 200/201 was committed before the answer was sent, so afterwards every one must be in the database;
the file must pass `PRAGMA integrity_check`, and `talkies scores check` must find every film score equal
to its ratings (scores change in the rating's own transaction, so a kill cannot leave them half-applied).

A write whose answer never came (the kill cut it off) may or may not have landed; the checks allow both,
but nothing else.
"""

import contextlib
import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from talkies.live.tests.servers import REPO_ROOT, free_port, server_environment, shell_json, talkies

WRITERS = 16
FILMS = 3
KILLS = 3
# Acknowledged writes to wait for between kills: counted, not timed, so a slow machine kills later
# rather than killing an idle server.
WRITES_BETWEEN_KILLS = 40
CSRF = "a" * 32  # any 32-character token works as long as the cookie and the header agree

SETUP = """
import datetime
import json
from django.test import Client
from talkies.accounts.models import Site, User
from talkies.catalogue.models import Film, ReleaseDate
from talkies.comments.models import Comment, Thread

site = Site.objects.create(slug="reelnews", name="Reel News", region="US")
thread = Thread.objects.create(site=site, key="page:durability", title="Kill it and count")
target = Comment.objects.create(thread=thread, body_source="Vote on me", body_html="<p>Vote on me</p>")
films = [Film.objects.create(title=f"Film {{n}}", slug=f"film-{{n}}") for n in range({films})]
for film in films:  # released, so readers may rate it (a film with no date is not yet out)
    ReleaseDate.objects.create(film=film, region="US", kind=ReleaseDate.Kind.THEATRICAL, date=datetime.date(2025, 6, 6))
sessions = []
for n in range({writers}):
    reader = User.objects.create_user(username=f"reader{{n}}", password="x")
    client = Client()
    client.force_login(reader)
    sessions.append({{"user": reader.pk, "session": client.cookies["sessionid"].value}})
print(json.dumps({{"thread": thread.pk, "target": target.pk, "films": [f.slug for f in films], "readers": sessions}}))
"""

# What landed, read back after the last kill: comment ids, each reader's vote on the target, each rating.
STATE = """
import json
from talkies.catalogue.models import Film
from talkies.comments.models import Comment, Vote
from talkies.ratings.models import Rating

print(json.dumps({
    "comments": {str(pk): body for pk, body in Comment.objects.values_list("pk", "body_source")},
    "votes": {str(user): value for user, value in Vote.objects.filter(comment_id=%d).values_list("user_id", "value")},
    "ratings": {
        f"{user}:{slug}": value for user, slug, value in Rating.objects.values_list("user_id", "film__slug", "value")
    },
}))
"""


def request(port: int, method: str, path: str, body: dict, session: str) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {
        "Content-Type": "application/json",
        "Cookie": f"sessionid={session}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
    }
    try:
        connection.request(method, path, body=json.dumps(body), headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


class Server:
    """`talkies serve --workers 2` in a process group of its own, so one SIGKILL takes every process."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env, self.log_path, self.port = env, log_path, free_port()
        self.process: subprocess.Popen | None = None
        # Emails and webhooks play no part in what is checked here, so no background worker.
        self.command = [sys.executable, "-m", "talkies.cli", "serve", f"--port={self.port}", "--workers=2"]
        self.command.append("--no-worker")

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while not self.answers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"talkies serve did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.1)

    def answers(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/api/v1/session")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def kill(self, sig: int = signal.SIGKILL) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):  # it died already
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)


@dataclass
class Ledger:
    """What one reader sent and what the server acknowledged, in order."""

    comments: dict[int, str] = field(default_factory=dict)  # acknowledged: id -> body
    # For votes and ratings only the last acknowledged value counts, and anything sent after it may have
    # landed too (its answer lost to a kill): the stored value must be one of those.
    vote: list[int | None] = field(default_factory=lambda: [None])
    ratings: dict[str, list[int | None]] = field(default_factory=dict)
    refused: list[tuple[int, dict]] = field(default_factory=list)
    acknowledged: int = 0

    def sent(self, history: list[int | None], value: int) -> None:
        history.append(value)

    def acked(self, history: list[int | None]) -> None:
        del history[:-1]


@pytest.fixture
def deployment(tmp_path):
    env = server_environment(
        tmp_path,
        **{
            f"RATE_LIMIT_{name}_PER_{who}": "" for name in ("COMMENTS", "VOTES", "RATINGS") for who in ("ACCOUNT", "IP")
        },
    )
    talkies("migrate", "--no-input", env=env)
    seeded = shell_json(SETUP.format(writers=WRITERS, films=FILMS), env=env)
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        yield server, seeded, env, tmp_path / "talkies.sqlite3"
    finally:
        server.kill(signal.SIGTERM)


def test_every_acknowledged_write_survives_kill_9_of_the_whole_server(deployment):
    server, seeded, env, database = deployment
    ledgers = [Ledger() for _ in range(WRITERS)]
    stop = threading.Event()
    acknowledged = threading.Semaphore(0)

    def write(index: int) -> None:
        ledger, session = ledgers[index], seeded["readers"][index]["session"]
        n = 0
        while not stop.is_set():
            n += 1
            film = seeded["films"][n % FILMS]
            rating = ledger.ratings.setdefault(film, [None])
            vote_value = 1 if n % 2 else -1
            rating_value = 1 + (index + n) % 10
            steps: list[tuple[str, str, dict[str, Any], list[int | None] | None]] = [
                ("POST", f"/api/v1/threads/{seeded['thread']}/comments", {"body": f"Reader {index}, post {n}"}, None),
                ("POST", f"/api/v1/comments/{seeded['target']}/vote", {"value": vote_value}, ledger.vote),
                ("PUT", f"/api/v1/films/{film}/rating", {"value": rating_value, "scale": 10}, rating),
            ]
            for method, path, body, history in steps:
                if history is not None:
                    ledger.sent(history, body["value"])
                try:
                    status, answer = request(server.port, method, path, body, session)
                except (OSError, http.client.HTTPException, json.JSONDecodeError):
                    time.sleep(0.05)  # the server is down or was killed mid-answer: its fate is unknown
                    continue
                if status not in (200, 201):
                    ledger.refused.append((status, answer))
                    continue
                if history is None:
                    ledger.comments[answer["id"]] = body["body"]
                else:
                    ledger.acked(history)
                ledger.acknowledged += 1
                acknowledged.release()

    threads = [threading.Thread(target=write, args=(i,), daemon=True) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(KILLS):
            for _ in range(WRITES_BETWEEN_KILLS):
                assert acknowledged.acquire(timeout=60), "the writers stopped being answered"
            server.kill()
            server.start()
        for _ in range(WRITES_BETWEEN_KILLS):
            assert acknowledged.acquire(timeout=60), "the writers were not answered after the last restart"
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    refused = [answer for ledger in ledgers for answer in ledger.refused]
    assert not refused, f"writes refused: {refused[:5]}\n{server.log_path.read_text()[-3000:]}"
    server.kill(signal.SIGTERM)

    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    state = shell_json(STATE % seeded["target"], env=env)
    for index, ledger in enumerate(ledgers):
        user = seeded["readers"][index]["user"]
        for pk, body in ledger.comments.items():
            assert state["comments"].get(str(pk)) == body, f"acknowledged comment {pk} is gone"
        assert state["votes"].get(str(user)) in ledger.vote, f"reader {index}'s vote is not one they sent"
        for film, history in ledger.ratings.items():
            stored = state["ratings"].get(f"{user}:{film}")
            assert stored in history, f"reader {index}'s rating of {film} is {stored}, not one of {history}"
    assert "no drift" in talkies("scores", "check", env=env)
    print(f"{sum(ledger.acknowledged for ledger in ledgers)} acknowledged writes survived {KILLS} kills")
