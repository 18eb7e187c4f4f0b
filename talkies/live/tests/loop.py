"""Run a coroutine to completion on a fresh event loop in a thread of its own.

Tests must not assume the main thread is free of a running loop: a browser test earlier in the session
(Playwright's sync API) may still be holding one there.
"""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_on_own_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, coroutine).result()
