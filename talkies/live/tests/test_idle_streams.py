"""A stream that carries no event for LIVE_STREAM_IDLE_SECONDS ends, and its page resumes without a gap."""

import pytest
from asgiref.sync import sync_to_async

from talkies.comments.services import comment_create
from talkies.live.models import LiveEvent
from talkies.live.tests.asgi_client import RawStream, stream_gate
from talkies.live.tests.loop import run_on_own_loop
from talkies.live.tests.test_stream_caps import counts

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_idle_stream_ends_with_a_retry_hint_and_resumes_from_its_last_event_id(thread, reader, settings):
    settings.LIVE_STREAM_IDLE_SECONDS = 0.5
    gate = stream_gate(counts())
    path = f"/live/threads/{thread.pk}/"

    async def first_visit() -> tuple[int, bytes]:
        raw = RawStream(gate, path)
        await raw.start()
        await raw.read_until(b"retry:")
        comment = await sync_to_async(comment_create)(thread=thread, author=reader, body="Seen before it went idle")
        await raw.read_until(b"Seen before")
        return comment.pk, await raw.read_to_end()

    comment_id, received = run_on_own_loop(first_visit())
    seen = LiveEvent.objects.get(comment_id=comment_id)
    assert f"id: {seen.pk}\n".encode() in received
    # Ended by going idle: the last thing sent is the reconnect delay, after the event.
    assert received.rstrip().endswith(b"retry: 2000")

    # Posted while the page was between streams.
    missed = comment_create(thread=thread, author=reader, body="Posted while the page was away")

    async def resume() -> bytes:
        raw = RawStream(gate, f"{path}?since={seen.pk}")
        await raw.start()
        received = await raw.read_until(b"Posted while the page was away")
        await raw.disconnect()
        return received

    resumed = run_on_own_loop(resume())
    assert b"Seen before" not in resumed
    assert f"id: {LiveEvent.objects.get(comment_id=missed.pk).pk}\n".encode() in resumed
