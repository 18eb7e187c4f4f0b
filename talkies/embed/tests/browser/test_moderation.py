"""The reader's side of moderation in the embed, in a real browser: reporting a comment, and a comment of
one's own held for a moderator (then rejected), told as such rather than shown as published.

As in production, the publisher's page is on one origin (a tiny static server on a loopback port) and
Talkies on another: here pytest-django's live server, so the test arranges and checks the very database
the embed talks to. Runs on Debian's headless Chromium; skipped where it is absent.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from talkies.accounts.actors import Actor
from talkies.comments.models import Comment
from talkies.comments.services import comment_create
from talkies.embed.models import EmbedSettings
from talkies.embed.page_threads import page_thread_resolve
from talkies.moderation.models import PremoderationRule, Report
from talkies.moderation.permissions import Moderator
from talkies.moderation.services import comment_report, moderate_comment

from .support import (
    ARTICLE,
    THREAD_KEY,
    open_article,
    panel,
    serious_accessibility_problems,
    sign_in,
)


@pytest.fixture
def article(transactional_db, live_server, publisher, site, film):
    """The article's thread, on a site that lets the publisher's origin embed it and takes guests."""
    site.allow_guest_comments = True
    site.save()
    EmbedSettings.objects.create(site=site, allowed_origins=publisher.origin)
    publisher.pages["/ballerina"] = ARTICLE.format(key=THREAD_KEY, talkies=live_server.url)
    thread, _ = page_thread_resolve(
        site=site, url=publisher.article_url, explicit_id=THREAD_KEY, film_ref=film.slug, create=True
    )
    return thread


def comment_item(page: Page, text: str):
    return panel(page).locator("li.comment").filter(has_text=text).first


def announced(page: Page):
    """The panel's own live region, where it says what just happened."""
    return panel(page).locator("p.sr[role=status]")


def test_a_signed_in_reader_reports_a_comment_as_spam_from_the_keyboard_and_the_moderators_have_it(
    article, publisher, page, reader, second_reader
):
    spam = comment_create(
        thread=article, author=second_reader, body="Cheap tickets for the premiere are still going at the box office."
    )  # slips past the spam signal
    open_article(page, publisher)
    # Readers nobody knows are offered no Report: the server says they may not (can_report).
    expect(comment_item(page, "Cheap tickets").get_by_role("button", name="Report", exact=True)).to_have_count(0)
    sign_in(page, reader.username)
    open_article(page, publisher)  # the page read now carries the reader's token, so can_report comes back

    theirs = comment_item(page, "Cheap tickets")
    theirs.get_by_role("button", name="Report", exact=True).focus()
    page.keyboard.press("Enter")
    expect(theirs.get_by_role("button", name="Report", exact=True)).to_have_attribute("aria-expanded", "true")
    spam_reason = theirs.get_by_role("radio", name="Spam")
    expect(spam_reason).to_be_focused()  # the form opens where the reader is
    assert not serious_accessibility_problems(page)

    # "Something else" needs words: the browser holds the form back until there are some.
    theirs.get_by_role("radio", name="Something else").check()
    theirs.get_by_role("button", name="Send report").click()
    details = theirs.get_by_role("textbox", name=re.compile(r"^Anything the moderators should know"))
    assert details.evaluate("field => field.validity.valueMissing")
    assert not Report.objects.exists()

    spam_reason.focus()
    page.keyboard.press("Space")
    expect(spam_reason).to_be_checked()
    theirs.get_by_role("button", name="Send report").click()

    reported = theirs.get_by_text("Reported — thank you")
    expect(reported).to_be_visible()
    expect(reported).to_be_focused()  # where the Report button was
    expect(theirs.get_by_role("button", name="Report", exact=True)).to_have_count(0)
    expect(theirs.get_by_role("radio")).to_have_count(0)  # the form is gone
    expect(announced(page)).to_have_text("Reported — thank you")
    report = Report.objects.get()
    assert (report.comment_id, report.reporter_id, report.reason, report.text) == (spam.pk, reader.pk, "spam", "")

    # The server does not yet say "you reported this"; the browser remembers it for the session.
    open_article(page, publisher)
    theirs = comment_item(page, "Cheap tickets")
    expect(theirs.get_by_text("Reported — thank you")).to_be_visible()
    expect(theirs.get_by_role("button", name="Report", exact=True)).to_have_count(0)


def test_refused_reports_stay_on_the_form_in_the_servers_words_and_too_fast_says_how_long_to_wait(
    article, publisher, page, reader, second_reader, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": {"account": "1/m", "ip": ""}}
    earlier = comment_create(thread=article, author=second_reader, body="Reported in another tab.")
    comment_create(thread=article, author=second_reader, body="Reported one too many.")
    comment_report(comment=earlier, actor=Actor.of(reader), reason="abuse")  # this browser never knew
    open_article(page, publisher)
    sign_in(page, reader.username)
    open_article(page, publisher)

    again = comment_item(page, "Reported in another tab.")
    again.get_by_role("button", name="Report", exact=True).click()
    again.get_by_role("radio", name="Abuse or harassment").check()
    again.get_by_role("button", name="Send report").click()
    expect(again.get_by_role("alert")).to_have_text("you have already reported this comment")
    again.get_by_role("button", name="Cancel").click()
    expect(again.get_by_text("Reported — thank you")).to_be_visible()  # the server said so

    too_many = comment_item(page, "Reported one too many.")
    too_many.get_by_role("button", name="Report", exact=True).click()
    too_many.get_by_role("radio", name="Off-topic").check()
    too_many.get_by_role("button", name="Send report").click()
    # The wait comes from Retry-After (CORS exposes it), in the reader's language.
    expect(too_many.get_by_role("alert")).to_have_text(
        re.compile(r"^You are reporting too fast: try again in \d+ seconds\.$")
    )
    expect(too_many.get_by_role("button", name="Send report")).to_be_enabled()  # the form stays, to try later
    assert Report.objects.filter(comment__body_source="Reported one too many.").count() == 0


def test_a_guest_whose_comment_is_held_is_told_so_and_later_sees_the_moderators_rejection(
    article, publisher, page, chromium, site, moderator
):
    PremoderationRule.objects.create(site=site, scope="site")
    open_article(page, publisher)
    panel(page).get_by_role("textbox", name="Your comment").fill("Held until a moderator reads it.")
    panel(page).get_by_role("textbox", name="Your name").fill("Guest Hal")
    panel(page).get_by_role("button", name="Post comment").click()

    mine = comment_item(page, "Held until a moderator reads it.")
    notice = mine.get_by_role("status")
    expect(notice).to_be_visible()
    held = Comment.objects.get(body_source__contains="Held until a moderator")
    assert held.status == Comment.Status.PENDING
    notice_text = held.moderation_notice
    assert notice_text.startswith("Your comment is waiting for a moderator")
    expect(notice).to_have_text("Waiting for a moderator" + notice_text)
    expect(notice).to_have_class("held pending")
    expect(announced(page)).to_have_text(notice_text)  # not "Your comment was posted."
    expect(mine.get_by_role("button", name=re.compile(r"^Upvote"))).to_have_count(0)
    expect(mine.get_by_role("button", name="Reply")).to_have_count(0)

    # After a reload the guest's token carries the page read: the server shows them their held comment.
    open_article(page, publisher)
    expect(comment_item(page, "Held until a moderator").get_by_role("status")).to_have_text(
        "Waiting for a moderator" + notice_text
    )

    # Anyone else does not see it at all.
    stranger = chromium.new_context().new_page()
    try:
        open_article(stranger, publisher)
        expect(panel(stranger).get_by_text("No comments yet. Start the conversation.")).to_be_visible()
        expect(panel(stranger).get_by_text("Held until a moderator")).to_have_count(0)
    finally:
        stranger.context.close()

    moderate_comment(
        comment=held, moderator=Moderator.of_user(moderator, site), action="reject", reason="It names no film."
    )
    held.refresh_from_db()
    open_article(page, publisher)
    rejected = comment_item(page, "Held until a moderator").get_by_role("status")
    expect(rejected).to_have_class("held rejected")  # styled apart from a comment still waiting
    expect(rejected).to_have_text("Not published" + held.moderation_notice)
    assert "It names no film." in held.moderation_notice
    assert not serious_accessibility_problems(page)
