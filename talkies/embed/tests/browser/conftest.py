"""Fixtures of the embed's browser journeys: the publisher's site, headless Chromium, a fresh page.

Every test in this folder is marked `browser`, and skipped with the reason where Chromium is absent.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from .support import CHROMIUM, Publisher


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "talkies/embed/tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM:
                item.add_marker(pytest.mark.skip(reason="headless Chromium not found: install Debian's chromium"))


@pytest.fixture(scope="module")
def publisher() -> Iterator[Publisher]:
    with Publisher() as site:
        yield site


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
