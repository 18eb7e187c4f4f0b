"""First pages warmed after a write (pagecache.warming): what is remembered, and how warm-ups are bounded."""

import asyncio
import threading

from talkies.comments.events import ThreadEvent, ThreadEventKind
from talkies.pagecache import warming
from talkies.pagecache.warming import FirstPageWarmer


def scope(query: bytes, **headers: bytes) -> dict:
    return {
        "type": "http",
        "method": "GET",
        "path": "/api/v1/threads/7/comments",
        "query_string": query,
        "headers": [(b"host", b"testserver"), *((name.encode(), value) for name, value in headers.items())],
    }


def written(thread_id: int = 7) -> ThreadEvent:
    return ThreadEvent(kind=ThreadEventKind.COMMENT_CREATED, site_id=1, thread_id=thread_id, version=2, comment_id=1)


def from_another_thread(function, *args) -> None:
    worker = threading.Thread(target=function, args=args)  # as Django's request thread calls the receiver
    worker.start()
    worker.join()


def test_a_write_renders_again_the_first_pages_readers_asked_for_and_nothing_personal(monkeypatch):
    monkeypatch.setattr(warming, "MIN_INTERVAL_SECONDS", 0)
    warmed: list[dict] = []

    async def warm_one(scope: dict) -> None:
        warmed.append(scope)

    async def scenario() -> None:
        warmer = FirstPageWarmer(warm_one)
        warmer.remember(7, scope(b"sort=best&limit=20&site=reelnews", origin=b"https://a.example", cookie=b"x=1"))
        warmer.remember(7, scope(b"sort=old&limit=200"))
        warmer.remember(7, scope(b"sort=old&limit=200"))  # the same page twice is remembered once
        from_another_thread(warmer.thread_written, written(7))
        from_another_thread(warmer.thread_written, written(8))  # nobody read thread 8: nothing to warm
        await asyncio.sleep(0.05)

    asyncio.run(scenario())
    assert [s["query_string"] for s in warmed] == [b"sort=best&limit=20&site=reelnews", b"sort=old&limit=200"]
    assert all({name for name, _ in s["headers"]} <= {b"host", b"accept-encoding"} for s in warmed)


def test_writes_during_a_warm_up_cost_one_more_not_one_each(monkeypatch):
    monkeypatch.setattr(warming, "MIN_INTERVAL_SECONDS", 0)
    runs = 0
    release = asyncio.Event()

    async def warm_one(scope: dict) -> None:
        nonlocal runs
        runs += 1
        await release.wait()

    async def scenario() -> None:
        warmer = FirstPageWarmer(warm_one)
        warmer.remember(7, scope(b"sort=old"))
        from_another_thread(warmer.thread_written, written())
        await asyncio.sleep(0.01)
        for _ in range(20):  # a burst of writes while the first warm-up renders
            from_another_thread(warmer.thread_written, written())
        await asyncio.sleep(0.01)
        release.set()
        await asyncio.sleep(0.05)

    asyncio.run(scenario())
    assert runs == 2


def test_a_thread_is_warmed_at_most_once_per_interval(monkeypatch):
    monkeypatch.setattr(warming, "MIN_INTERVAL_SECONDS", 0.2)
    times: list[float] = []

    async def warm_one(scope: dict) -> None:
        times.append(asyncio.get_running_loop().time())

    async def scenario() -> None:
        warmer = FirstPageWarmer(warm_one)
        warmer.remember(7, scope(b"sort=old"))
        from_another_thread(warmer.thread_written, written())
        await asyncio.sleep(0.02)
        from_another_thread(warmer.thread_written, written())
        await asyncio.sleep(0.4)

    asyncio.run(scenario())
    assert len(times) == 2 and times[1] - times[0] >= 0.19
