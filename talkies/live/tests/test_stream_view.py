"""GET /live/threads/<id>/: site scoping, the SSE response, replay on reconnect, and live delivery.

Streams are read through Django's AsyncClient (an ASGI request, as under granian). The broker reads the
log from its own thread, so these tests commit for real (transactional_db) instead of rolling back.
"""

import asyncio
import contextlib
import datetime
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.http import StreamingHttpResponse
from django.test import AsyncClient, Client
from django.utils import timezone

from talkies.comments.models import Thread
from talkies.comments.services import comment_create
from talkies.live.broker import active_subscriptions
from talkies.live.models import LiveEvent
from talkies.live.tests.loop import run_on_own_loop
from talkies.stories.services import story_create

pytestmark = pytest.mark.django_db(transaction=True)


def url(thread: Thread) -> str:
    return f"/live/threads/{thread.pk}/"


def stream_of(response: Any) -> AsyncIterator[bytes]:
    assert isinstance(response, StreamingHttpResponse)
    return aiter(response.streaming_content)  # type: ignore[arg-type]


async def read_until(chunks: AsyncIterator[bytes], marker: bytes, timeout: float = 3.0) -> bytes:
    """Everything the stream sends up to and including the chunk holding `marker`."""
    received = b""
    async with asyncio.timeout(timeout):
        while marker not in received:
            received += await anext(chunks)
    return received


async def disconnect(chunks: AsyncIterator[bytes]) -> None:
    """Go away as a browser does: Django, told by granian, cancels the task waiting on the stream."""
    waiting = asyncio.ensure_future(anext(chunks))
    await asyncio.sleep(0.05)
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
        await waiting


def test_another_sites_thread_is_not_found(site, other_site):
    elsewhere = Thread.objects.create(site=other_site, key="page:1", title="Elsewhere")
    assert Client().get(url(elsewhere)).status_code == 404


def test_a_drafts_thread_is_not_found(site, editor):
    draft = story_create(site=site, kind="news", title="Not yet", body="Soon.", author=editor)
    thread = Thread.objects.create(site=site, key="story:draft", story=draft)
    assert Client().get(url(thread)).status_code == 404


def test_under_wsgi_the_stream_is_declined_so_eventsource_stops_asking(thread):
    response = Client().get(url(thread))
    assert response.status_code == 204
    assert "talkies serve" in response["X-Talkies-Live"]


def test_the_stream_is_event_stream_uncached_unbuffered_and_delivers_a_new_comment(thread, reader):
    async def scenario():
        response = await AsyncClient().get(url(thread))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/event-stream")
        assert response["Cache-Control"] == "no-cache"
        assert response["X-Accel-Buffering"] == "no"
        chunks = stream_of(response)
        try:
            assert (await read_until(chunks, b"retry:")).startswith(b"retry: ")
            assert active_subscriptions() == 1

            comment = await sync_to_async(comment_create)(thread=thread, author=reader, body="Hello, live")
            received = await read_until(chunks, b"\n\n", timeout=1.0)
        finally:
            await disconnect(chunks)

        logged = await LiveEvent.objects.aget(comment_id=comment.pk)
        assert received.startswith(f"id: {logged.pk}\nevent: comment.created\ndata: {{".encode())
        assert b"Hello, live" in received
        assert active_subscriptions() == 0

    run_on_own_loop(scenario())


def test_a_reconnecting_page_gets_what_it_missed_after_its_last_event_id(thread, reader):
    first = comment_create(thread=thread, author=reader, body="Before the drop")
    missed = comment_create(thread=thread, author=reader, body="While disconnected")
    last_seen = LiveEvent.objects.get(comment_id=first.pk).pk

    async def scenario(**request):
        response = await AsyncClient().get(url(thread), **request)
        chunks = stream_of(response)
        try:
            return await read_until(chunks, b"While disconnected")
        finally:
            await disconnect(chunks)

    for request in ({"headers": {"Last-Event-ID": str(last_seen)}}, {"QUERY_STRING": f"since={last_seen}"}):
        received = run_on_own_loop(scenario(**request))
        assert b"Before the drop" not in received
        assert f"id: {LiveEvent.objects.get(comment_id=missed.pk).pk}\n".encode() in received


def test_a_page_opening_its_stream_gets_what_happened_since_it_was_rendered(thread, reader):
    comment_create(thread=thread, author=reader, body="Rendered in the page")
    rendered_at = Thread.objects.get(pk=thread.pk).version
    comment_create(thread=thread, author=reader, body="Posted while the page loaded")

    async def scenario():
        response = await AsyncClient().get(url(thread), QUERY_STRING=f"version={rendered_at}")
        chunks = stream_of(response)
        try:
            return await read_until(chunks, b"Posted while the page loaded")
        finally:
            await disconnect(chunks)

    assert b"Rendered in the page" not in run_on_own_loop(scenario())


def test_a_page_behind_what_the_log_still_holds_is_told_to_reload(thread, reader):
    comment_create(thread=thread, author=reader, body="Old")
    comment_create(thread=thread, author=reader, body="Newer")
    oldest = LiveEvent.objects.order_by("id").first()
    assert oldest is not None
    LiveEvent.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    from talkies.live.log import prune_events

    prune_events()

    async def scenario():
        response = await AsyncClient().get(url(thread), headers={"Last-Event-ID": str(oldest.pk - 1)})
        chunks = stream_of(response)
        try:
            return await read_until(chunks, b"event: reload")
        finally:
            await disconnect(chunks)

    assert b"reload to see it" in run_on_own_loop(scenario())


@pytest.mark.parametrize("value", ["abc", "-1", "²", "9" * 30])
def test_a_malformed_resume_point_is_ignored_not_an_error(thread, value):
    async def scenario():
        response = await AsyncClient().get(url(thread), headers={"Last-Event-ID": value})
        chunks = stream_of(response)
        try:
            return response.status_code, await read_until(chunks, b"retry:")
        finally:
            await disconnect(chunks)

    status, received = run_on_own_loop(scenario())
    assert status == 200 and received.startswith(b"retry:")
