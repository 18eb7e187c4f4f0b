"""One client holding many live streams cannot stop a real server answering everyone else (issue 13).

Before the caps, ~1,024 `curl` streams from one address left `talkies serve` answering nobody: every
stream was a request granian counted against its backpressure until the page closed. Here the real server
runs with small caps (20 streams an address, 40 a process, one worker so the counts are the node's) and
is flooded with held streams: past the per-address cap they are refused 429, past the per-process cap
503, both with Retry-After, and while every one of them is held, ordinary requests are answered quickly.
Against the code before the caps the settings meant nothing and every stream was let in (200), so the
refusals asserted here did not happen.
"""

import json
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from talkies.live.tests.servers import EventStream, server_environment, serving, talkies

PER_ADDRESS = 20
PER_PROCESS = 40
RETRY_AFTER = 7
# What a reader waits for at most while the streams are held, and how many of their requests are tried.
ANSWER_SECONDS = 2.0
ORDINARY_REQUESTS = 20
STORY = "what-did-you-think-of-ballerina"
CAPS = {
    "LIVE_STREAMS_PER_ADDRESS": str(PER_ADDRESS),
    "LIVE_STREAMS_PER_PROCESS": str(PER_PROCESS),
    "LIVE_STREAM_RETRY_AFTER_SECONDS": str(RETRY_AFTER),
}


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("live-exhaustion")
    env = server_environment(data_dir)
    talkies("migrate", "--no-input", env=env)
    talkies("demo", env=env)
    return data_dir


@pytest.fixture
def server(demo_database, tmp_path) -> Iterator[str]:
    """A server of its own for each test, so no test inherits another's held streams."""
    env = server_environment(demo_database, **CAPS)
    with serving(env, workers=1, log_path=tmp_path / "server.log") as url:
        yield url


def thread_path(base_url: str) -> str:
    with urllib.request.urlopen(f"{base_url}/api/v1/stories/{STORY}", timeout=10) as response:
        return f"/live/threads/{json.load(response)['thread']['id']}/"


def open_streams(streams: ExitStack, base_url: str, path: str, count: int, source: str) -> list[EventStream]:
    """`count` streams from client address `source`, each held open until `streams` closes."""
    opened = []
    for _ in range(count):
        stream = EventStream(base_url, path, source_address=source)
        streams.callback(stream.close)
        opened.append(stream)
    return opened


def statuses(streams: list[EventStream]) -> list[int]:
    return [stream.response.status for stream in streams]


def assert_ordinary_requests_answered(base_url: str) -> None:
    """ORDINARY_REQUESTS reads, half of the API and half story pages, each a 200 within ANSWER_SECONDS."""
    slow_or_failed = []
    for n in range(ORDINARY_REQUESTS):
        url = f"{base_url}/api/v1/stories/{STORY}" if n % 2 else f"{base_url}/stories/{STORY}/"
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=ANSWER_SECONDS) as response:
                response.read()
                status = response.status
        except OSError as error:
            status = repr(error)
        elapsed = time.monotonic() - started
        if status != 200 or elapsed > ANSWER_SECONDS:
            slow_or_failed.append((url, status, round(elapsed, 2)))
    assert slow_or_failed == [], f"{len(slow_or_failed)} of {ORDINARY_REQUESTS} ordinary requests failed"


def test_past_the_per_address_cap_streams_are_refused_429_and_others_are_still_answered(server):
    path = thread_path(server)
    with ExitStack() as held:
        flood = open_streams(held, server, path, 3 * PER_ADDRESS, "127.0.0.1")
        for stream in flood[:PER_ADDRESS]:
            stream.wait_until_live()  # the streams let in really are streaming, not just answered
        assert statuses(flood) == [200] * PER_ADDRESS + [429] * (2 * PER_ADDRESS)
        refused = flood[-1].response
        assert refused.getheader("Retry-After") == str(RETRY_AFTER)
        assert json.loads(refused.read())["field"] == "client address"

        assert_ordinary_requests_answered(server)


def test_past_the_per_process_cap_streams_are_refused_503_and_others_are_still_answered(server):
    path = thread_path(server)
    with ExitStack() as held:
        # Two addresses fill the process (20 + 20), within their own caps; the next two find it full.
        filling = [*open_streams(held, server, path, PER_ADDRESS, "127.0.0.2")]
        filling += open_streams(held, server, path, PER_ADDRESS, "127.0.0.3")
        past = open_streams(held, server, path, PER_ADDRESS, "127.0.0.4")
        past += open_streams(held, server, path, PER_ADDRESS, "127.0.0.5")
        for stream in filling:
            stream.wait_until_live()
        assert statuses(filling) == [200] * PER_PROCESS
        assert statuses(past) == [503] * len(past)
        refused = past[-1].response
        assert refused.getheader("Retry-After") == str(RETRY_AFTER)
        assert json.loads(refused.read())["field"] == "live streams"

        assert_ordinary_requests_answered(server)
