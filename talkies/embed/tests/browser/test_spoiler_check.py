"""Spoiler triage in the embed, in a real browser: before a comment in a film's thread goes out, the panel
asks the server whether it gives the film away, and if so offers to tag it (or post it as it is); a plain
comment posts at once.

As in production, the publisher's page is on one origin (a tiny static server on a loopback port) and
Talkies on another: pytest-django's live server, so the test checks the very database the embed talks to.
Runs on Debian's headless Chromium; skipped where it is absent.
"""

import pytest
from playwright.sync_api import Page, Request, expect

from talkies.comments.models import Comment
from talkies.embed.models import EmbedSettings
from talkies.embed.page_threads import page_thread_resolve

from .support import (
    ARTICLE,
    THREAD_KEY,
    open_article,
    panel,
    serious_accessibility_problems,
    sign_in,
)

SPOILER = "Huge twist: turns out the Director was behind it all along, and she dies in the final scene."
PLAIN = "The flamethrower fight is the best action scene of the year."


@pytest.fixture
def article(transactional_db, live_server, publisher, site, film):
    """The article's thread, about the film, on a site that lets the publisher's origin embed it."""
    EmbedSettings.objects.create(site=site, allowed_origins=publisher.origin)
    publisher.pages["/ballerina"] = ARTICLE.format(key=THREAD_KEY, talkies=live_server.url)
    thread, _ = page_thread_resolve(
        site=site, url=publisher.article_url, explicit_id=THREAD_KEY, film_ref=film.slug, create=True
    )
    assert thread.film_id == film.pk
    return thread


def spoiler_checks(page: Page) -> list[Request]:
    """The spoiler-check requests the page makes from now on."""
    seen: list[Request] = []
    page.on("request", lambda request: seen.append(request) if "/spoiler-check" in request.url else None)
    return seen


def test_a_reader_is_offered_the_spoiler_tag_for_a_twist_and_a_plain_comment_posts_at_once(
    article, publisher, page, reader
):
    open_article(page, publisher)
    sign_in(page, reader.username)
    checks = spoiler_checks(page)
    composer = panel(page).locator("form.composer")

    composer.get_by_role("textbox", name="Your comment").fill(SPOILER)
    composer.get_by_role("button", name="Post comment").click()
    notice = composer.get_by_role("status")
    expect(notice).to_contain_text("This may give the film away (")
    expect(notice).to_contain_text("Mark it as a spoiler so readers can choose?")
    expect(notice).to_be_focused()  # keyboard and screen reader users land on the question
    assert not Comment.objects.exists()  # nothing is posted until the reader chooses
    assert len(checks) == 1 and checks[0].headers.get("authorization", "").startswith("Bearer ")

    # From the keyboard: Tab from the notice reaches its first button, Enter presses it.
    page.keyboard.press("Tab")
    expect(notice.get_by_role("button", name="Mark as spoiler and post")).to_be_focused()
    expect(notice.get_by_role("button", name="Post as it is")).to_be_visible()
    assert not serious_accessibility_problems(page)
    page.keyboard.press("Enter")

    expect(panel(page).locator("li.comment").filter(has_text="Contains spoilers — show")).to_have_count(1)
    expect(composer.get_by_role("status")).to_have_count(0)
    saved = Comment.objects.get()
    assert (saved.body_source, saved.author_id, saved.is_spoiler) == (SPOILER, reader.pk, True)
    assert len(checks) == 1  # the choice posts without asking again

    composer.get_by_role("textbox", name="Your comment").fill(PLAIN)
    composer.get_by_role("button", name="Post comment").click()
    expect(panel(page).locator("li.comment").filter(has_text=PLAIN)).to_have_count(1)
    expect(composer.get_by_role("status")).to_have_count(0)  # no prompt: the server saw no spoiler
    plain = Comment.objects.get(body_source=PLAIN)
    assert plain.is_spoiler is False
    assert len(checks) == 2


def test_posting_as_it_is_leaves_it_untagged_and_a_failed_check_never_holds_a_comment_back(
    article, publisher, page, site
):
    site.allow_guest_comments = True
    site.save()
    open_article(page, publisher)
    composer = panel(page).locator("form.composer")
    composer.get_by_role("textbox", name="Your name").fill("Guest Gil")

    composer.get_by_role("textbox", name="Your comment").fill(SPOILER)
    composer.get_by_role("button", name="Post comment").click()
    notice = composer.get_by_role("status")
    expect(notice).to_contain_text("This may give the film away")
    notice.get_by_role("button", name="Post as it is").click()
    expect(panel(page).locator("li.comment").filter(has_text=SPOILER)).to_have_count(1)
    guest_comment = Comment.objects.get()
    assert (guest_comment.is_spoiler, guest_comment.author_id) == (False, None)

    # The server cannot answer: the comment is posted as it is, straight away.
    page.route("**/spoiler-check**", lambda route: route.fulfill(status=500, body="{}"))
    composer.get_by_role("textbox", name="Your comment").fill("She dies in the final scene, and so does he.")
    composer.get_by_role("button", name="Post comment").click()
    expect(panel(page).locator("li.comment").filter(has_text="so does he")).to_have_count(1)
    assert Comment.objects.get(body_source__contains="so does he").is_spoiler is False

    # Nor when it does not answer at all: after about three seconds the comment goes out anyway.
    page.unroute("**/spoiler-check**")
    page.route("**/spoiler-check**", lambda route: None)  # never answered
    composer.get_by_role("textbox", name="Your comment").fill("In the end the Director dies, and the twist is hers.")
    composer.get_by_role("button", name="Post comment").click()
    expect(composer.get_by_role("button", name="Post comment")).to_be_disabled()
    expect(panel(page).locator("li.comment").filter(has_text="the twist is hers")).to_have_count(1, timeout=6_000)
    assert Comment.objects.count() == 3
