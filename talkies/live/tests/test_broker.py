"""The per-process broker: fan-out by thread, reading the log in order, and never outliving its streams.

These run the broker against an in-memory stand-in for the event log, so they test the asyncio logic
alone; test_stream_view.py runs it against the database.
"""

import asyncio

from talkies.live import broker as broker_module
from talkies.live.broker import Broker, LogCursor, Subscription, active_subscriptions, subscribe, wake_local_brokers
from talkies.live.log import StreamEvent
from talkies.live.tests.loop import run_on_own_loop


def event(event_id: int, thread_id: int = 1) -> StreamEvent:
    return StreamEvent(id=event_id, thread_id=thread_id, kind="comment.voted", data="{}")


class FakeLog:
    """The event log as the broker reads it: the latest id, and the events after an id."""

    def __init__(self) -> None:
        self.events: list[StreamEvent] = []
        self.fail_with: Exception | None = None

    def latest_id(self) -> int:
        return max((e.id for e in self.events), default=0)

    def events_after(self, last_id: int, also: frozenset[int]) -> list[StreamEvent]:
        if self.fail_with:
            raise self.fail_with
        return [e for e in self.events if e.id > last_id or e.id in also]


async def next_or_none(subscription: Subscription, timeout: float = 1.0) -> StreamEvent | None:
    async with asyncio.timeout(timeout):
        return await subscription.next()


async def nothing_within(subscription: Subscription, seconds: float = 0.3) -> bool:
    try:
        async with asyncio.timeout(seconds):
            await subscription.next()
    except TimeoutError:
        return True
    return False


def test_an_event_reaches_every_stream_of_its_thread_and_no_other():
    async def scenario():
        log = FakeLog()
        broker = Broker(latest_id=log.latest_id, events_after=log.events_after)
        first, second, other_thread = broker.add(1), broker.add(1), broker.add(2)
        await broker.ready()

        log.events.append(event(1, thread_id=1))
        broker.wake()

        assert await next_or_none(first) == event(1)
        assert await next_or_none(second) == event(1)
        assert await nothing_within(other_thread)
        for subscription in (first, second, other_thread):
            broker.remove(subscription)

    run_on_own_loop(scenario())


def test_events_logged_before_the_broker_started_are_left_to_replay():
    async def scenario():
        log = FakeLog()
        log.events.append(event(7))
        broker = Broker(latest_id=log.latest_id, events_after=log.events_after)
        subscription = broker.add(1)
        await broker.ready()
        log.events.append(event(8))
        broker.wake()

        assert await next_or_none(subscription) == event(8)
        broker.remove(subscription)

    run_on_own_loop(scenario())


def test_without_a_wake_up_the_broker_still_polls_the_log():
    async def scenario():
        log = FakeLog()
        broker = Broker(latest_id=log.latest_id, events_after=log.events_after)
        subscription = broker.add(1)
        await broker.ready()
        log.events.append(event(1))  # written by another process: nobody wakes this broker

        assert await next_or_none(subscription, timeout=broker_module.POLL_SECONDS * 4) == event(1)
        broker.remove(subscription)

    run_on_own_loop(scenario())


def test_the_last_stream_closing_stops_the_broker_and_removes_it(monkeypatch):
    log = FakeLog()
    monkeypatch.setattr("talkies.live.log.latest_event_id", log.latest_id)
    monkeypatch.setattr("talkies.live.log.events_after", log.events_after)

    async def scenario():
        async with subscribe(1):
            async with subscribe(2):
                assert active_subscriptions() == 2
                (running,) = broker_module._brokers.values()
                task = running._task
            assert active_subscriptions() == 1 and task is not None and not task.done()
        assert active_subscriptions() == 0
        assert broker_module._brokers == {}
        await asyncio.sleep(0)  # let the cancellation land
        assert task.cancelled()

    run_on_own_loop(scenario())


def test_a_write_in_this_process_wakes_its_brokers_at_once_from_any_thread(monkeypatch):
    log = FakeLog()
    monkeypatch.setattr("talkies.live.log.latest_event_id", log.latest_id)
    monkeypatch.setattr("talkies.live.log.events_after", log.events_after)
    monkeypatch.setattr(broker_module, "POLL_SECONDS", 60.0)  # so only a wake-up can deliver in time

    async def scenario():
        async with subscribe(1) as subscription:
            log.events.append(event(1))
            # The publisher runs in the thread of the request that saved the comment.
            await asyncio.to_thread(wake_local_brokers)
            assert await next_or_none(subscription, timeout=0.5) == event(1)

    run_on_own_loop(scenario())


def test_a_failing_broker_ends_its_streams_so_browsers_reconnect(caplog):
    async def scenario():
        log = FakeLog()
        broker = Broker(latest_id=log.latest_id, events_after=log.events_after)
        subscription = broker.add(1)
        await broker.ready()
        log.fail_with = RuntimeError("bug")
        broker.wake()

        assert await next_or_none(subscription) is None
        # A new stream starts a new run rather than joining the dead one.
        again = broker.add(1)
        log.fail_with = None
        await broker.ready()
        log.events.append(event(1))
        broker.wake()
        assert await next_or_none(again) == event(1)
        broker.remove(subscription)
        broker.remove(again)

    run_on_own_loop(scenario())
    assert "the broker stopped" in caplog.text


def test_a_stream_that_falls_behind_is_closed_rather_than_buffered_without_bound(monkeypatch):
    monkeypatch.setattr(broker_module, "QUEUE_LIMIT", 3)

    async def scenario():
        subscription = Subscription(thread_id=1)
        for n in range(1, 6):
            subscription.offer(event(n))
        received = [await next_or_none(subscription) for _ in range(4)]
        assert received == [event(1), event(2), event(3), None]

    run_on_own_loop(scenario())


def test_ids_committed_out_of_order_are_delivered_once_each():
    cursor = LogCursor(last_id=10)

    assert cursor.advance([event(11), event(13)], now=0.0) == [event(11), event(13)]
    assert cursor.gaps(now=1.0) == {12}  # 12 was handed out but not yet committed when 13 was read
    assert cursor.advance([event(12), event(13)], now=1.0) == [event(12)]
    assert cursor.gaps(now=1.0) == set()
    assert cursor.advance([event(11)], now=1.0) == []


def test_an_id_that_never_commits_is_given_up_after_a_grace_period():
    cursor = LogCursor(last_id=0)
    cursor.advance([event(2)], now=0.0)

    assert cursor.gaps(now=broker_module.GAP_GRACE_SECONDS - 1) == {1}
    assert cursor.gaps(now=broker_module.GAP_GRACE_SECONDS + 1) == set()
