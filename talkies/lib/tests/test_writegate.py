"""The write gate: writes queue in order, a bounded number at a time; past the queue they are told to retry."""

import asyncio
import json

import pytest
from django.db import OperationalError
from django.test import Client

from talkies.lib.writegate import READ_METHODS, DatabaseBusyMiddleware, RequestGate


class SlowApp:
    """An ASGI app that answers 200 once the test releases it, recording the order requests came in."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.started: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        self.started.append(scope["path"])
        if scope["method"] != "GET":
            await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def call(app, method: str, path: str) -> dict:
    answer: dict = {"headers": {}}

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = dict(message["headers"])
        else:
            answer["body"] = message["body"]

    await app({"type": "http", "method": method, "path": path}, receive, send)
    return answer


def gate(app, **limits) -> RequestGate:
    return RequestGate(app, **{"concurrency": 1, "queue_length": 2, "wait_seconds": 5, "retry_after": 2, **limits})


def test_writes_past_the_concurrency_wait_their_turn_in_the_order_they_came():
    async def scenario() -> None:
        app = SlowApp()
        gated = gate(app, queue_length=10)
        writes = [asyncio.create_task(call(gated, "POST", f"/api/v1/w{n}")) for n in range(4)]
        await asyncio.sleep(0.05)
        assert app.started == ["/api/v1/w0"]  # one at a time; the others wait
        assert len(gated.waiters) == 3
        app.release.set()
        answers = await asyncio.gather(*writes)
        assert [a["status"] for a in answers] == [200] * 4
        assert app.started == [f"/api/v1/w{n}" for n in range(4)]
        assert gated.running == 0 and not gated.waiters

    asyncio.run(scenario())


def test_reads_never_wait_behind_writes():
    async def scenario() -> None:
        app = SlowApp()
        gated = gate(app)
        write = asyncio.create_task(call(gated, "POST", "/api/v1/write"))
        await asyncio.sleep(0.01)
        read = await asyncio.wait_for(call(gated, "GET", "/api/v1/read"), 1)
        assert read["status"] == 200
        app.release.set()
        await write

    asyncio.run(scenario())


def test_a_write_that_finds_the_queue_full_is_answered_503_with_retry_after_and_a_json_error():
    async def scenario() -> None:
        app = SlowApp()
        gated = gate(app, queue_length=2)
        held = [asyncio.create_task(call(gated, "POST", "/api/v1/held")) for _ in range(3)]  # 1 running, 2 wait
        await asyncio.sleep(0.01)
        refused = await asyncio.wait_for(call(gated, "PATCH", "/api/v1/comments/1"), 1)
        assert refused["status"] == 503
        assert refused["headers"][b"retry-after"] == b"2"
        error = json.loads(refused["body"])
        assert error["field"] is None
        assert "2 writes are already waiting" in error["error"] and "try again in 2 seconds" in error["error"]
        assert "nothing was saved" in error["error"]
        app.release.set()
        assert [a["status"] for a in await asyncio.gather(*held)] == [200] * 3
        assert gated.refused == 1

    asyncio.run(scenario())


def test_a_write_that_waits_too_long_is_answered_503_and_leaves_the_queue():
    async def scenario() -> None:
        app = SlowApp()
        gated = gate(app, wait_seconds=0.05)
        first = asyncio.create_task(call(gated, "POST", "/comment"))
        await asyncio.sleep(0.01)
        late = await call(gated, "DELETE", "/comment")
        assert late["status"] == 503
        assert late["headers"][b"content-type"].startswith(b"text/plain")  # a form, not the API
        assert b"waited 0.05 seconds" in late["body"]
        assert not gated.waiters
        app.release.set()
        await first
        assert gated.running == 0

    asyncio.run(scenario())


def test_a_waiter_whose_client_goes_away_gives_its_place_back():
    async def scenario() -> None:
        app = SlowApp()
        gated = gate(app)
        first = asyncio.create_task(call(gated, "POST", "/api/a"))
        await asyncio.sleep(0.01)
        gone = asyncio.create_task(call(gated, "POST", "/api/gone"))
        await asyncio.sleep(0.01)
        gone.cancel()
        app.release.set()
        await first
        with pytest.raises(asyncio.CancelledError):
            await gone
        assert gated.running == 0 and not gated.waiters
        assert (await asyncio.wait_for(call(gated, "POST", "/api/b"), 1))["status"] == 200

    asyncio.run(scenario())


def test_a_database_busy_past_its_timeout_is_answered_503_not_500(thread, monkeypatch):
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("talkies.comments.api.comment_create", locked)
    thread.site.allow_guest_comments = True
    thread.site.save(update_fields=["allow_guest_comments"])
    client = Client(raise_request_exception=False)
    token = client.post("/api/v1/guest-token").json()["guest_token"]

    answer = client.post(
        f"/api/v1/threads/{thread.pk}/comments",
        {"body": "Hello", "guest_name": "Gus", "guest_token": token},
        content_type="application/json",
    )

    assert answer.status_code == 503
    assert answer["Retry-After"] == "2"
    assert "the database stayed locked past its timeout" in answer.json()["error"]


def test_other_database_errors_are_left_alone(rf):
    middleware = DatabaseBusyMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    assert middleware.process_exception(rf.post("/api/v1/x"), OperationalError("no such table: x")) is None


class HeldApp:
    """An ASGI app that holds every request before answering until the test releases it, and can be made to
    hold the body of its answer too (a slow client reading it)."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.body_sent = asyncio.Event()
        self.started: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        self.started.append(scope["path"])
        if scope["path"] != "/slow-client":
            await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        if scope["path"] == "/slow-client":
            await self.body_sent.wait()
        await send({"type": "http.response.body", "body": b"ok"})


def read_gate_for(app, **limits) -> RequestGate:
    settings = {"concurrency": 1, "queue_length": 2, "wait_seconds": 5, "retry_after": 2, **limits}
    return RequestGate(
        app, methods=READ_METHODS, busy_with="answering other requests", noun="read", bypass_prefix="/live/", **settings
    )


def test_renders_queue_in_their_own_gate_and_live_streams_pass_it():
    async def scenario() -> None:
        app = HeldApp()
        gated = read_gate_for(app, queue_length=10)
        reads = [asyncio.create_task(call(gated, "GET", f"/stories/s{n}/")) for n in range(3)]
        stream = asyncio.create_task(call(gated, "GET", "/live/threads/1/"))
        await asyncio.sleep(0.05)
        assert app.started == ["/stories/s0/", "/live/threads/1/"]  # one render at a time; the stream is let by
        assert len(gated.waiters) == 2
        app.release.set()
        assert [a["status"] for a in await asyncio.gather(*reads, stream)] == [200] * 4

    asyncio.run(scenario())


def test_a_request_leaves_the_gate_when_its_answer_starts_not_when_a_slow_client_has_read_it():
    async def scenario() -> None:
        app = HeldApp()
        app.release.set()
        gated = read_gate_for(app)
        slow = asyncio.create_task(call(gated, "GET", "/slow-client"))
        await asyncio.sleep(0.01)
        assert (await asyncio.wait_for(call(gated, "GET", "/next"), 1))["status"] == 200
        app.body_sent.set()
        assert (await slow)["status"] == 200
        assert gated.running == 0

    asyncio.run(scenario())


def test_a_read_past_the_queue_is_answered_503_saying_the_server_is_busy():
    async def scenario() -> None:
        app = HeldApp()
        gated = read_gate_for(app, queue_length=1)
        held = [asyncio.create_task(call(gated, "GET", "/held")) for _ in range(2)]
        await asyncio.sleep(0.01)
        refused = await asyncio.wait_for(call(gated, "GET", "/api/v1/threads/1"), 1)
        app.release.set()
        await asyncio.gather(*held)
        assert refused["status"] == 503 and refused["headers"][b"retry-after"] == b"2"
        error = json.loads(refused["body"])["error"]
        assert "busy answering other requests (1 reads are already waiting" in error
        assert "nothing was saved" not in error

    asyncio.run(scenario())
