"""Redis pub/sub as a doorbell between processes and nodes: "the event log has something new".

Only the bell travels through Redis; the events themselves are read from the log. Pub/sub delivers at
most once and forgets whatever a subscriber missed while disconnected, so carrying the events here would
mean a second, lossy copy to reconcile with the log. A missed ring costs nothing but latency: brokers
still read the log on a slow timer.
"""

import asyncio
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings

# redis is imported only where a URL is set: a node on SQLite alone never uses it, and the client costs each
# process about 10 MB (measured with /proc/self/status).
if TYPE_CHECKING:
    import redis

logger = logging.getLogger(__name__)

CHANNEL = "talkies:live"
# A request that has just saved a comment must not hang on a sick Redis to announce it.
PUBLISH_TIMEOUT_SECONDS = 0.5
RECONNECT_DELAYS_SECONDS = (0.5, 1, 2, 5)


def redis_url() -> str:
    return getattr(settings, "REDIS_URL", "")


@lru_cache(maxsize=1)
def _publisher(url: str) -> "redis.Redis":
    import redis

    return redis.Redis.from_url(url, socket_timeout=PUBLISH_TIMEOUT_SECONDS, socket_connect_timeout=1)


def ring(event_id: int) -> None:
    """Tell every subscribed broker, on every node, that event `event_id` is in the log. Never raises."""
    url = redis_url()
    if not url:
        return
    import redis

    try:
        _publisher(url).publish(CHANNEL, str(event_id))
    except redis.RedisError as error:
        logger.warning("live updates: could not ring Redis (%s); other processes will poll the log", error)


async def listen(url: str, on_ring: Callable[[], None]) -> None:
    """Call `on_ring` for every ring, reconnecting forever (with back-off) until cancelled.

    Also calls it after every (re)connection, since rings sent while disconnected are lost.
    """
    import redis
    import redis.asyncio as aioredis

    attempt = 0
    while True:
        client = aioredis.Redis.from_url(url)
        try:
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(CHANNEL)
                attempt = 0
                on_ring()
                async for message in pubsub.listen():
                    if message["type"] == "message":
                        on_ring()
        except (redis.RedisError, OSError) as error:
            delay = RECONNECT_DELAYS_SECONDS[min(attempt, len(RECONNECT_DELAYS_SECONDS) - 1)]
            attempt += 1
            logger.warning("live updates: Redis subscription lost (%s); retrying in %s s", error, delay)
            await asyncio.sleep(delay)
        finally:
            await client.aclose()
