"""The caps on open live streams: per client address (429) and per process (503), counted exactly.

Through the gate talkies/asgi.py puts in front of Django, in-process, with raw ASGI messages: a refusal is
answered before Django sees the request, and every way a stream can end gives its place back.
"""

import asyncio
import json

import pytest

from talkies.comments.models import Thread
from talkies.live import stream
from talkies.live.limits import StreamCounts
from talkies.live.tests.asgi_client import RawStream, stream_gate
from talkies.live.tests.loop import run_on_own_loop

pytestmark = pytest.mark.django_db(transaction=True)


def counts(*, per_address: int = 10, per_process: int = 100) -> StreamCounts:
    return StreamCounts(per_address=per_address, per_process=per_process, retry_after=30)


def path(thread: Thread) -> str:
    return f"/live/threads/{thread.pk}/"


def test_past_the_per_address_cap_a_stream_is_refused_429_with_retry_after(thread):
    held = counts(per_address=2)

    async def scenario():
        gate = stream_gate(held)
        open_ = [RawStream(gate, path(thread)) for _ in range(2)]
        for raw in open_:
            assert await raw.start() == 200
            await raw.read_until(b"retry:")
        refused = RawStream(gate, path(thread))
        assert await refused.start() == 429
        body = json.loads(await refused.read_to_end())
        elsewhere = RawStream(gate, path(thread), address="198.51.100.9")
        assert await elsewhere.start() == 200
        await elsewhere.read_until(b"retry:")
        total_while_open = held.total
        for raw in [*open_, elsewhere]:
            await raw.disconnect()
        return refused.headers, body, total_while_open

    headers, body, total_while_open = run_on_own_loop(scenario())
    assert headers["retry-after"] == "30"
    assert body["field"] == "client address"
    assert "203.0.113.7 already holds 2 live streams" in body["error"]
    assert total_while_open == 3
    assert held.total == 0


def test_past_the_per_process_cap_a_stream_is_refused_503_with_retry_after(thread):
    held = counts(per_process=2)

    async def scenario():
        gate = stream_gate(held)
        open_ = [RawStream(gate, path(thread), address=f"203.0.113.{n}") for n in (1, 2)]
        for raw in open_:
            assert await raw.start() == 200
        refused = RawStream(gate, path(thread), address="203.0.113.3")
        status = await refused.start()
        body = json.loads(await refused.read_to_end())
        for raw in open_:
            await raw.disconnect()
        return status, refused.headers, body

    status, headers, body = run_on_own_loop(scenario())
    assert status == 503 and headers["retry-after"] == "30"
    assert body["field"] == "live streams" and "holds 2 live streams" in body["error"]
    assert held.total == 0


def test_behind_a_trusted_proxy_streams_count_against_the_forwarded_address(thread, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    held = counts(per_address=1)

    async def scenario():
        gate = stream_gate(held)
        first = RawStream(gate, path(thread), address="10.0.0.2", forwarded_for="203.0.113.7")
        second = RawStream(gate, path(thread), address="10.0.0.2", forwarded_for="198.51.100.9")
        again = RawStream(gate, path(thread), address="10.0.0.2", forwarded_for="203.0.113.7")
        statuses = [await first.start(), await second.start(), await again.start()]
        await again.read_to_end()
        await first.disconnect()
        await second.disconnect()
        return statuses

    assert run_on_own_loop(scenario()) == [200, 200, 429]
    assert held.total == 0


def test_a_stream_whose_reader_left_gives_its_place_back(thread):
    held = counts()

    async def scenario():
        raw = RawStream(stream_gate(held), path(thread))
        await raw.start()
        await raw.read_until(b"retry:")
        assert held.held_by("203.0.113.7") == 1
        await raw.disconnect()

    run_on_own_loop(scenario())
    assert held.total == 0 and held.held_by("203.0.113.7") == 0


def test_a_stream_that_went_idle_gives_its_place_back(thread, settings):
    settings.LIVE_STREAM_IDLE_SECONDS = 0.2
    held = counts()

    async def scenario():
        raw = RawStream(stream_gate(held), path(thread))
        await raw.start()
        return await raw.read_to_end()

    assert run_on_own_loop(scenario()).endswith(b"retry: 2000\n\n")
    assert held.total == 0


def test_a_stream_that_failed_gives_its_place_back(thread, monkeypatch):
    def broken(**_):
        raise RuntimeError("the event log is unreadable")

    monkeypatch.setattr(stream, "_missed_events", broken)
    held = counts()

    async def scenario():
        raw = RawStream(stream_gate(held), path(thread))
        # The error reaches the server (granian logs it and drops the connection), past the gate.
        with pytest.raises(RuntimeError, match="unreadable"):
            await asyncio.wait_for(raw.task, 5)

    run_on_own_loop(scenario())
    assert held.total == 0


def test_a_thread_that_is_not_there_gives_its_place_back(db):
    held = counts()

    async def scenario():
        raw = RawStream(stream_gate(held), "/live/threads/999999/")
        status = await raw.start()
        await raw.read_to_end()
        return status

    assert run_on_own_loop(scenario()) == 404
    assert held.total == 0


def test_refusals_are_not_counted(thread):
    held = counts(per_address=1)

    async def scenario():
        gate = stream_gate(held)
        first = RawStream(gate, path(thread))
        await first.start()
        for _ in range(5):
            refused = RawStream(gate, path(thread))
            assert await refused.start() == 429
            await refused.read_to_end()
        counted = held.total
        await first.disconnect()
        return counted

    assert run_on_own_loop(scenario()) == 1
    assert held.total == 0


def test_other_requests_pass_the_gate_uncounted(db):
    held = counts(per_address=1, per_process=1)

    async def scenario():
        raw = RawStream(stream_gate(held), "/api/v1/session")
        return await raw.start(), held.total

    # The API answers through the same gate; nothing is counted for it.
    status, counted = run_on_own_loop(scenario())
    assert status == 200 and counted == 0
