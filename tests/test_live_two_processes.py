"""Live updates across processes: a comment posted through one server reaches a stream held by another.

Two real `talkies serve` processes share one SQLite database, as two workers (or two nodes) would.
The stream is opened on server B, the comment posted through server A's API as a logged-in reader, and
the event must arrive on B within a second: once with the event log as the only link between them,
once with Redis ringing the doorbell.
"""

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from talkies.live.tests.servers import EventStream, Reader, server_environment, serving, talkies

DELIVERY_LIMIT_SECONDS = 1.0

SEED = """
import datetime, json
from django.utils import timezone
from talkies.accounts.models import Site, User
from talkies.comments.services import thread_for_story
from talkies.stories.services import story_create

site = Site.objects.create(slug="reelnews", name="Reel News", region="US")
User.objects.create_user(username="rita", password="correct horse battery staple")
editor = User.objects.create_user(username="editor", password="correct horse battery staple")
story = story_create(site=site, kind="reaction", title="What did you think of Ballerina?", body="Tell us.",
                     author=editor, published_at=timezone.now() - datetime.timedelta(hours=1))
print(json.dumps({"thread_id": thread_for_story(story=story).pk}))
"""


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Iterator[tuple[Path, int]]:
    """A migrated SQLite database with one site, one reader and one story's thread."""
    data_dir = tmp_path_factory.mktemp("live-two-processes")
    env = server_environment(data_dir)
    talkies("migrate", "--no-input", env=env)
    seeded = json.loads(talkies("shell", "-c", SEED, env=env).strip().splitlines()[-1])
    yield data_dir, seeded["thread_id"]


def redis_url_or_skip() -> str:
    url = os.environ.get("TALKIES_TEST_REDIS_URL", "")
    if not url:
        pytest.skip("Redis not available: set TALKIES_TEST_REDIS_URL (.ci/run does when 127.0.0.1:6379 answers)")
    return url


@pytest.mark.parametrize("link", ["event log polling", "redis pub/sub"])
def test_a_comment_posted_on_one_server_reaches_a_stream_on_another_within_a_second(database, link, tmp_path):
    data_dir, thread_id = database
    env = server_environment(data_dir, redis_url=redis_url_or_skip() if link == "redis pub/sub" else "")
    with (
        serving(env, log_path=tmp_path / "a.log") as server_a,
        serving(env, log_path=tmp_path / "b.log") as server_b,
    ):
        reader = Reader(server_a)
        reader.log_in("rita", "correct horse battery staple")
        stream = EventStream(server_b, f"/live/threads/{thread_id}/")
        try:
            assert stream.response.status == 200
            assert stream.response.getheader("Content-Type").startswith("text/event-stream")
            stream.wait_until_live()

            posted_at = time.monotonic()
            posted = reader.post_json(f"/threads/{thread_id}/comments", {"body": f"Seen live via {link}"})
            event = stream.next_event(timeout=5)
            latency = time.monotonic() - posted_at
        finally:
            stream.close()

    print(f"\n{link}: comment {posted['id']} posted on A arrived on B after {latency * 1000:.0f} ms")
    assert event.event == "comment.created"
    assert event.json()["comment"]["id"] == posted["id"]
    assert event.json()["comment"]["body_html"] == f"<p>Seen live via {link}</p>\n"
    assert int(event.id) > 0
    assert latency < DELIVERY_LIMIT_SECONDS
