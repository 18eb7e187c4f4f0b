"""Live updates in a real browser: a comment posted in one browser context arrives in another.

The server is the real `talkies serve` with two worker processes on the demo database, not pytest-django's
live_server: that is a WSGI server, under which the SSE view declines to stream, and with two workers the
reader's stream and the writer's post may well be served by different processes, as in production.
"""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from talkies.live.tests.servers import serving_demo

from .conftest import people

REACTION_POST = "/stories/what-did-you-think-of-ballerina/"
PASSWORD = "correct horse battery staple"
ACCOUNTS = f"""
from talkies.accounts.models import User
for name in ("writer", "voter"):
    User.objects.create_user(username=name, password={PASSWORD!r})
"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[str]:
    with serving_demo(tmp_path_factory.mktemp("live-browser"), setup=ACCOUNTS) as url:
        yield url


@pytest.fixture
def readers(browser) -> Iterator[tuple]:
    """Three browser contexts (separate cookies, as three people on three machines): watcher, writer, voter."""
    with people(browser, 3) as pages:
        yield pages


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={REACTION_POST}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{REACTION_POST}")


def watch(page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#comments .thread")).to_have_attribute("data-live", "connected")


def test_a_comment_from_another_browser_waits_behind_a_button_then_shows_with_its_spoiler_hidden(demo_server, readers):
    watcher, writer, _ = readers
    watch(watcher, demo_server + REACTION_POST)
    log_in(writer, demo_server, "writer")

    writer.fill("#comment-body-new", "Seen from the other tab. >!Eve survives the finale!<")
    writer.get_by_role("button", name="Post comment").click()
    writer.locator(".comment").filter(has_text="Seen from the other tab").first.wait_for()

    # Nothing is inserted under the reader's eyes: the comment waits behind a button, announced politely.
    show = watcher.get_by_role("button", name=re.compile(r"^1 new comment — show$"))
    expect(show).to_be_visible(timeout=5_000)
    expect(watcher.locator("[role=status][aria-live=polite]")).to_contain_text("1 new comment")
    assert watcher.get_by_text("Seen from the other tab").count() == 0

    show.click()
    arrived = watcher.locator("li.comment").filter(has_text="Seen from the other tab")
    expect(arrived).to_be_visible()
    expect(arrived.locator(".comment-author")).to_have_text("writer")
    expect(show).to_be_hidden()

    # The inline spoiler stays hidden until the reader asks for it.
    spoiler = arrived.get_by_text("Eve survives the finale")
    expect(spoiler).to_be_hidden()
    arrived.locator(".spoiler-reveal").click()
    expect(spoiler).to_be_visible()


def test_edits_and_votes_change_the_comment_in_place(demo_server, readers):
    watcher, writer, voter = readers
    log_in(writer, demo_server, "writer")
    writer.fill("#comment-body-new", "A first take, to be edited.")
    writer.get_by_role("button", name="Post comment").click()
    comment_id = writer.locator("li.comment").filter(has_text="A first take, to be edited.").first.get_attribute("id")
    assert comment_id is not None

    watch(watcher, demo_server + REACTION_POST + "?sort=new")
    on_watchers_page = watcher.locator(f"#{comment_id}")
    expect(on_watchers_page).to_contain_text("A first take, to be edited.")

    writer.locator(f"#{comment_id} a.action-link", has_text="Edit").click()
    writer.fill("textarea[name=body]", "A second take, >!with a twist!<.")
    writer.get_by_role("button", name="Save changes").click()

    expect(on_watchers_page.locator(".comment-body")).to_contain_text("A second take", timeout=5_000)
    expect(on_watchers_page.locator(".edited")).to_be_visible()
    expect(on_watchers_page.get_by_text("with a twist")).to_be_hidden()

    log_in(voter, demo_server, "voter")
    voter.goto(demo_server + REACTION_POST + "?sort=new")
    voter.locator(f"#{comment_id} .vote-up").click()
    expect(on_watchers_page.locator(".vote-tally")).to_contain_text("Upvotes: 1", timeout=5_000)
