"""128 writers at once against the real server on SQLite: each write lands or is told to retry, never a 500.

Issue 13: past 32 concurrent writers SQLite's busy timeout ran out, writes failed with 500 "database is
locked", and the live events of writes were lost. Here `talkies serve --workers 2` runs as deployed (SQLite,
no Redis, rate limits off) with a short write queue (talkies.lib.writegate), 128 guests post at the same
moment, three comments each, and every answer must be a 201 or a 503 with Retry-After and a JSON error;
every 201 must be in the thread's count, and each must have its live event.
"""

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from talkies.live.tests.servers import port_of, server_environment, serving, shell_json, talkies

WRITERS, POSTS_EACH = 128, 3

SETUP = """
import json
from talkies.accounts.models import Site
from talkies.comments.models import Thread

site = Site.objects.create(slug="reelnews", name="Reel News", allow_guest_comments=True)
thread = Thread.objects.create(site=site, key="page:crowd", title="A crowd of writers")
print(json.dumps({"thread": thread.pk}))
"""
COUNT = """
from talkies.comments.models import Comment, Thread
from talkies.live.models import LiveEvent
thread = Thread.objects.get(pk={thread})
print(thread.comment_count, Comment.objects.filter(thread=thread).count(),
      LiveEvent.objects.filter(thread=thread, kind="comment.created").count())
"""


def post(port: int, path: str, body: dict | None = None, timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", path, body=json.dumps(body or {}), headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("write-queue")
    env = server_environment(
        data_dir,
        RATE_LIMIT_GUEST_TOKENS_PER_IP="",
        # A queue shorter than the crowd, so that some writes are refused and the refusal is what we check.
        WRITE_QUEUE_LENGTH="16",
        WRITE_WAIT_SECONDS="3",
    )
    talkies("migrate", "--no-input", env=env)
    seeded = shell_json(SETUP, env=env)
    log_path = data_dir / "server.log"
    with serving(env, workers=2, log_path=log_path) as url:
        yield port_of(url), seeded["thread"], env, log_path


def test_128_writers_at_once_get_a_201_or_a_503_with_retry_after_and_never_a_500(server):
    port, thread_id, env, log_path = server
    tokens = [json.loads(post(port, "/api/v1/guest-token")[2])["guest_token"] for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)

    def writer(index: int) -> list[tuple[int, dict[str, str], bytes]]:
        start.wait()
        body = {"guest_name": f"Writer {index}", "guest_token": tokens[index]}
        return [
            post(port, f"/api/v1/threads/{thread_id}/comments", {**body, "body": f"Post {n} by writer {index}"})
            for n in range(POSTS_EACH)
        ]

    with ThreadPoolExecutor(WRITERS) as pool:
        answers = [answer for answers in pool.map(writer, range(WRITERS)) for answer in answers]

    statuses = [status for status, _, _ in answers]
    assert set(statuses) <= {201, 503}, f"{sorted(set(statuses))}:\n{log_path.read_text()[-3000:]}"
    for status, headers, body in answers:
        if status == 503:
            assert int(headers["retry-after"]) >= 1
            assert "try again in" in json.loads(body)["error"]
    landed = statuses.count(201)
    assert landed > 0
    counted, rows, events = (
        int(n) for n in talkies("shell", "-c", COUNT.format(thread=thread_id), env=env).splitlines()[-1].split()
    )
    assert counted == rows == events == landed
    print(f"{landed} landed, {statuses.count(503)} refused with Retry-After, of {len(answers)}")
