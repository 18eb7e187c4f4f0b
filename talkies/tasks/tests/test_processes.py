"""Real processes on an SQLite file, as deployed: a web process killed with SIGKILL right after it
committed a reply owes the email and the worker sends it once; a worker killed mid-batch loses nothing;
racing workers run each task once; `talkies serve` runs a worker, and the worker does not outlive it.

Emails go to Django's file backend in a temporary directory, so this test process can count them.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from talkies.live.tests.servers import REPO_ROOT, free_port, server_environment, talkies

REPLY = """
import time
from talkies.accounts.models import Site, User
from talkies.comments.models import Thread
from talkies.comments.services import comment_create

site = Site.objects.create(slug="reelnews", name="Reel News")
thread = Thread.objects.create(site=site, key="page:crash", title="Crash test")
reader = User.objects.create_user(
    username="reader", email="reader@example.com", password="x", notify_replies=True, email_verified=True
)
second = User.objects.create_user(username="second", email="second@example.com", password="x")
parent = comment_create(thread=thread, author=reader, body="Loved it.")
reply = comment_create(thread=thread, author=second, body="Me too!", parent=parent)
print("committed", reply.pk, flush=True)
time.sleep(120)  # the test kills this process here: after the commit, before anything could be sent
"""

LINES = """
import sys
from django.db import transaction
from talkies.tasks.queue import enqueue
from talkies.tasks.tests.tasks_for_tests import append_line

with transaction.atomic():
    for n in range({count}):
        enqueue(append_line, path={path!r}, line=str(n), seconds={seconds})
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated database file, copied for each test (migrating takes seconds)."""
    data_dir = tmp_path_factory.mktemp("tasks-template")
    talkies("migrate", "--no-input", env=server_environment(data_dir))
    return data_dir / "talkies.sqlite3"


@pytest.fixture
def env(tmp_path, migrated) -> dict[str, str]:
    shutil.copy(migrated, tmp_path / "talkies.sqlite3")
    (tmp_path / "mail").mkdir()
    env = server_environment(tmp_path)
    env.update(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        TASKS_CLAIM_SECONDS="2",  # a dead worker's claim runs out quickly
        LOG_LEVEL="INFO",
    )
    return env


def sent_emails(env: dict[str, str]) -> list[str]:
    """Every message the file backend wrote (one file per connection, messages separated by a line of -)."""
    messages = []
    for path in sorted(Path(env["EMAIL_FILE_PATH"]).iterdir()):
        messages += [m for m in path.read_text().split("-" * 79) if "Message-ID:" in m]
    return messages


def task_statuses(env: dict[str, str]) -> Counter:
    with sqlite3.connect(Path(env["TALKIES_DATA_DIR"]) / "talkies.sqlite3") as db:
        rows = db.execute("SELECT name, status FROM tasks_task").fetchall()
    return Counter(f"{name.rsplit('.', 1)[1]}:{status}" for name, status in rows)


def start(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "a") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "talkies.cli", *args],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE if args[0] == "shell" else out,
            stderr=out,
            text=True,
        )


def kill_after_commit(env: dict[str, str], tmp_path: Path) -> None:
    """Run REPLY in a process of its own and SIGKILL it once it has committed the reply."""
    process = start("shell", "-c", REPLY, env=env, log=tmp_path / "web.log")
    assert process.stdout is not None
    for line in process.stdout:  # past what `shell` says on starting
        if line.startswith("committed"):
            break
    else:
        pytest.fail(f"the write did not commit:\n{(tmp_path / 'web.log').read_text()}")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL


def test_a_reply_committed_by_a_process_killed_before_sending_is_emailed_once(env, tmp_path):
    kill_after_commit(env, tmp_path)
    assert sent_emails(env) == []  # the web process sends nothing itself
    assert task_statuses(env) == {"send_reply_emails:pending": 1}  # the reply: the top-level parent tells nobody

    talkies("worker", "--until-idle", env=env)
    talkies("worker", "--until-idle", env=env)  # a second run finds nothing left to do

    [email] = sent_emails(env)
    assert "To: reader@example.com" in email and "Me too!" in email
    assert task_statuses(env) == {"send_reply_emails:done": 1, "send_email:done": 1}


def test_a_worker_killed_mid_batch_loses_nothing(env, tmp_path):
    lines = tmp_path / "lines.txt"
    talkies("shell", "-c", LINES.format(count=12, path=str(lines), seconds=0.3), env=env)
    worker = start("worker", env=env, log=tmp_path / "worker.log")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (not lines.exists() or len(lines.read_text().split()) < 3):
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)  # most likely in a task's sleep, holding its claim
    worker.wait(timeout=10)
    done_before = len(lines.read_text().split())
    assert 3 <= done_before < 12

    time.sleep(2.5)  # the dead worker's claim runs out
    talkies("worker", "--until-idle", env=env)

    counts = Counter(lines.read_text().split())
    assert set(counts) == {str(n) for n in range(12)}  # nothing lost
    # At most the task in flight at the kill can have run twice (if it had appended but not yet recorded
    # it); an email there would carry the same Message-ID both times.
    assert sum(counts.values()) - 12 <= 1
    assert task_statuses(env) == {"append_line:done": 12}


def test_sigterm_lets_the_worker_finish_its_task_then_stop(env, tmp_path):
    lines = tmp_path / "lines.txt"
    talkies("shell", "-c", LINES.format(count=2, path=str(lines), seconds=1.5), env=env)
    worker = start("worker", env=env, log=tmp_path / "worker.log")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and task_statuses(env)["append_line:pending"] == 2 and not _claimed(env):
        time.sleep(0.05)
    assert _claimed(env), (tmp_path / "worker.log").read_text()

    worker.send_signal(signal.SIGTERM)  # during the first task's sleep

    assert worker.wait(timeout=30) == 0
    assert lines.read_text().split() == ["0"]  # it finished the task it had, and took no other
    assert task_statuses(env) == {"append_line:done": 1, "append_line:pending": 1}
    assert "stopping after the current task" in (tmp_path / "worker.log").read_text()


def _claimed(env: dict[str, str]) -> bool:
    with sqlite3.connect(Path(env["TALKIES_DATA_DIR"]) / "talkies.sqlite3") as db:
        return bool(db.execute("SELECT count(*) FROM tasks_task WHERE claimed_until IS NOT NULL").fetchone()[0])


def test_racing_workers_run_each_task_once(env, tmp_path):
    lines = tmp_path / "lines.txt"
    talkies("shell", "-c", LINES.format(count=150, path=str(lines), seconds=0.01), env=env)

    workers = [start("worker", "--until-idle", env=env, log=tmp_path / f"worker{i}.log") for i in range(3)]
    for worker in workers:
        assert worker.wait(timeout=120) == 0

    counts = Counter(lines.read_text().split())
    assert set(counts.values()) == {1} and len(counts) == 150
    # A list, not a Counter: two workers may well have run the same number of tasks.
    ran_by = [
        int(line.split()[-2])
        for i in range(3)
        for line in (tmp_path / f"worker{i}.log").read_text().splitlines()
        if "stopped after" in line
    ]
    assert len(ran_by) == 3 and sum(ran_by) == 150  # the three workers' counts add up: each task ran once


def worker_of(server_pid: int) -> int | None:
    """The pid of the `talkies worker` that `talkies serve` (server_pid) started, if it is running."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"worker" in command and str(server_pid).encode() in command:
                return int(entry.name)
    return None


def wait_until_answering(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/live/threads/0/", timeout=1)
        except urllib.error.HTTPError:
            return  # Django is answering (a 404 for a thread that does not exist)
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nothing answered on port {port}")


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0])


def test_serve_runs_a_worker_that_sends_and_does_not_outlive_the_server(env, tmp_path, capsys):
    port = free_port()
    with open(tmp_path / "server.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "talkies.cli", "serve", "--port", str(port), "--workers", "1"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_answering(port)
        kill_after_commit(env, tmp_path)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not sent_emails(env):
            time.sleep(0.1)
        assert len(sent_emails(env)) == 1, (tmp_path / "server.log").read_text()
        worker = worker_of(server.pid)
        assert worker is not None
        with capsys.disabled():
            print(f"\n  worker RSS after sending: {rss_kib(worker) // 1024} MiB")
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # no chance to stop its worker: the worker must notice
        server.wait()

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and worker_of(server.pid) is not None:
        time.sleep(0.1)
    assert worker_of(server.pid) is None
    assert len(sent_emails(env)) == 1


def test_serve_with_no_worker_starts_none(env, tmp_path):
    port = free_port()
    with open(tmp_path / "server.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "talkies.cli", "serve", "--port", str(port), "--workers", "1", "--no-worker"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_answering(port)  # (granian stopped while it starts its workers can hang)
        assert "no background worker" in (tmp_path / "server.log").read_text()
        assert worker_of(server.pid) is None
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
