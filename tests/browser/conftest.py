"""Headless Chromium for browser tests, from Debian's `chromium` package (never Playwright's download).

The tests are skipped, with the reason printed, where Chromium is absent; `.ci/run` installs it.
"""

import contextlib
import os
import shutil
from collections.abc import Iterator

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run where a loop is
# running unless told the caller knows what it is doing. Test code only touches the ORM between page
# actions, never concurrently with them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TALKIES_CHROMIUM") or shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# Module scope, not session: Playwright's sync API keeps an asyncio loop running on the main thread for as
# long as it is open, and pytest-django runs database-free tests (which may call asyncio.run) last.
@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not CHROMIUM:
        pytest.skip("headless Chromium not found: install Debian's chromium package (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@contextlib.contextmanager
def people(browser, count: int) -> Iterator[tuple]:
    """`count` browser contexts, each with a page: separate cookies, as people on separate machines."""
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(count)]
    pages = [context.new_page() for context in contexts]
    for each in pages:
        each.set_default_timeout(10_000)
    try:
        yield tuple(pages)
    finally:
        for context in contexts:
            context.close()
