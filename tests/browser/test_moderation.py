"""The moderation screen in a real browser: a held comment arrives live, and a moderator approves and
rejects with the keyboard; its author sees why on the story page.

Served by the real `talkies serve` (ASGI, two workers) on the demo database, as in production: the
moderation screen's live stream needs ASGI, and the writer's post and the moderator's stream may well be
served by different processes.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from talkies.live.tests.servers import DEMO_PASSWORD, serving_demo

from .conftest import people

REACTION_POST = "/stories/what-did-you-think-of-ballerina/"
PASSWORD = "correct horse battery staple"
ACCOUNTS = f"""
from talkies.accounts.models import User
User.objects.create_user(username="linker", password={PASSWORD!r})
"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[str]:
    with serving_demo(tmp_path_factory.mktemp("moderation-browser"), setup=ACCOUNTS) as url:
        yield url


@pytest.fixture
def two_people(browser) -> Iterator[tuple]:
    with people(browser, 2) as pages:
        yield pages


def log_in(page, base_url: str, username: str, password: str, then: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{then}")


def test_a_moderator_works_the_pending_queue_from_the_keyboard(demo_server, two_people):
    moderator, reader = two_people
    log_in(moderator, demo_server, "reelnews_moderator", DEMO_PASSWORD, "/moderate/")
    queue = moderator.locator("#mod-list .mod-item")
    expect(queue.first).to_be_visible()
    held_before = queue.count()
    assert held_before >= 3  # the demo's held spam, link and pre-moderated reader

    # A reader posts a comment with a link: the links rule holds it, and the screen hears of it live.
    log_in(reader, demo_server, "linker", PASSWORD, REACTION_POST)
    reader.fill("#comment-body-new", "Interview with the stunt team: https://example.com/ballerina-stunts")
    reader.get_by_role("button", name="Post comment").click()
    notice = reader.locator(".moderation-notice").first
    expect(notice).to_contain_text("comments with links are reviewed")
    arrived = moderator.locator(".mod-item", has_text="Interview with the stunt team")
    expect(arrived).to_be_visible()
    expect(queue).to_have_count(held_before + 1)

    # ? opens the help; Escape closes it.
    moderator.locator("body").press("?")
    expect(moderator.locator("#mod-help")).to_be_visible()
    moderator.keyboard.press("Escape")
    expect(moderator.locator("#mod-help")).to_be_hidden()

    # The new item is first (newest first) and current: a approves it, and it leaves the queue.
    arrived.locator(".mod-body").click()
    moderator.keyboard.press("a")
    expect(arrived).to_have_count(0)
    expect(moderator.locator(".live-status")).to_contain_text("approved")
    reader.reload()
    expect(reader.locator(".comment", has_text="Interview with the stunt team").first).to_be_visible()
    expect(reader.locator(".moderation-notice")).to_have_count(0)

    # j moves to the next item; r rejects it with the reason typed in its box.
    spam = moderator.locator(".mod-item", has_text="Watch Ballerina full movie free")
    spam.locator("input[name=reason]").fill("piracy spam")
    spam.locator("input[name=reason]").press("Escape")  # back to the item, out of the text box
    moderator.keyboard.press("r")
    expect(spam).to_have_count(0)

    # The rejected queue shows it, with the reason in its audit log.
    moderator.goto(f"{demo_server}/moderate/?queue=rejected")
    rejected = moderator.locator(".mod-item", has_text="Watch Ballerina full movie free")
    expect(rejected).to_be_visible()
    rejected.locator(".mod-item-meta a").first.click()
    expect(moderator.locator(".audit-log")).to_contain_text("piracy spam")
