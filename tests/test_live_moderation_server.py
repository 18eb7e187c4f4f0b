"""The moderation screen's live stream on the real server: a moderator's /live/moderation/ opens, and a
comment the links rule holds arrives on it as `moderation.pending`.

Served by `talkies serve` (two workers, ASGI) as in production: the stream reads the session in Django's
sync thread and must hand that connection back before it streams (it once closed another thread's
connection instead, a 500 that only a real server showed).
"""

import json
import urllib.request
from collections.abc import Iterator

import pytest

from talkies.live.tests.servers import DEMO_PASSWORD, EventStream, Reader, serving_demo

PASSWORD = "correct horse battery staple"
ACCOUNTS = f"""
from talkies.accounts.models import User
User.objects.create_user(username="linker", password={PASSWORD!r})
"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[str]:
    with serving_demo(tmp_path_factory.mktemp("moderation-stream"), setup=ACCOUNTS) as url:
        yield url


def cookie_header(reader: Reader) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in reader.cookies)


def ballerina_thread_id(base_url: str) -> int:
    with urllib.request.urlopen(f"{base_url}/api/v1/stories/what-did-you-think-of-ballerina", timeout=10) as r:
        return json.load(r)["thread"]["id"]


def test_a_held_comment_reaches_the_moderators_stream(demo_server):
    moderator = Reader(demo_server)
    moderator.log_in("reelnews_moderator", DEMO_PASSWORD)
    linker = Reader(demo_server)
    linker.log_in("linker", PASSWORD)

    stream = EventStream(demo_server, "/live/moderation/", headers={"Cookie": cookie_header(moderator)})
    try:
        assert stream.response.status == 200
        stream.wait_until_live()
        posted = linker.post_json(
            f"/threads/{ballerina_thread_id(demo_server)}/comments",
            {"body": "The stunt team's interview: https://example.com/ballerina-stunts"},
        )
        event = stream.next_event(timeout=10)
    finally:
        stream.close()
    assert posted["status"] == "pending"
    assert event.event == "moderation.pending"
    assert str(posted["id"]) in event.data


def test_a_reader_who_may_not_moderate_is_refused(demo_server):
    reader = Reader(demo_server)
    reader.log_in("linker", PASSWORD)
    stream = EventStream(demo_server, "/live/moderation/", headers={"Cookie": cookie_header(reader)})
    try:
        assert stream.response.status == 403
    finally:
        stream.close()
