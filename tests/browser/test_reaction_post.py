"""A new reader's whole journey on the demo's Ballerina reaction post, in a real headless Chromium."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from talkies.accounts.models import User
from talkies.comments.models import Comment, Vote
from talkies.ratings.models import FilmScore, Rating

REACTION_POST = "/stories/what-did-you-think-of-ballerina/"


@pytest.fixture
def demo(transactional_db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - quiet, closed at exit


def test_a_new_reader_registers_rates_comments_replies_and_votes_and_sees_it_all_on_reload(demo, live_server, page):
    page.goto(live_server.url + REACTION_POST)
    assert page.get_by_role("heading", name="What did you think of Ballerina?", exact=True).is_visible()
    assert page.locator(".critic-card, .card").filter(has_text="7/10").first.is_visible()
    expect(page.get_by_role("link", name="Log in to comment")).to_be_visible()

    # A whole-comment spoiler stays closed until the reader opens it on purpose.
    spoiler = page.locator("details.spoiler-comment").first
    assert spoiler.get_attribute("open") is None
    spoiler.locator("summary").click()
    assert spoiler.get_attribute("open") is not None

    page.get_by_role("link", name="Register").first.click()
    page.fill("input[name=username]", "newreader")
    page.fill("input[name=email]", "newreader@example.com")
    page.fill("input[name=password1]", "a long enough passphrase 42")
    page.fill("input[name=password2]", "a long enough passphrase 42")
    page.locator("form button[type=submit]").last.click()
    page.goto(live_server.url + REACTION_POST)
    assert page.get_by_text("newreader").first.is_visible()

    # Rate 4 stars (8/10).
    page.locator("label[for=rate-ballerina-8]").first.click()
    page.get_by_role("button", name="Save rating").first.click()
    assert "You rated Ballerina" in page.locator(".rating-widget legend").first.inner_text()

    # A top-level comment with an inline spoiler.
    page.fill("#comment-body-new", "Loved the flamethrower fight. >!Winston knew all along!<")
    page.get_by_role("button", name="Post comment").click()
    mine = page.locator(".comment").filter(has_text="Loved the flamethrower fight").first
    mine.wait_for()
    assert not mine.get_by_text("Winston knew all along").is_visible()

    # Reply to someone else's top-level comment, then upvote it.
    first = (
        page.locator("ol.comments > li.comment, .thread li.comment-level-0")
        .filter(has_not_text="Loved the flamethrower fight")
        .first
    )
    first_id = int(first.get_attribute("id").removeprefix("comment-"))
    first.locator("details.reply-toggle > summary").first.click()
    first.locator("textarea").first.fill("Fair, but the second act drags.")
    first.get_by_role("button", name="Post reply").first.click()
    page.wait_for_load_state()
    page.locator(f"#comment-{first_id} .vote-up").first.click()
    page.wait_for_load_state()

    page.reload()
    assert page.get_by_text("Loved the flamethrower fight").first.is_visible()
    assert page.get_by_text("Fair, but the second act drags.").first.is_visible()
    assert page.locator(f"#comment-{first_id} .vote-up").first.get_attribute("aria-pressed") == "true"

    reader = User.objects.get(username="newreader")
    rating = Rating.objects.get(user=reader, film__slug="ballerina")
    assert rating.value == 8
    score = FilmScore.objects.get(film__slug="ballerina", site__slug="reelnews")
    assert score.count == Rating.objects.filter(film__slug="ballerina", site__slug="reelnews").count()
    reply = Comment.objects.get(author=reader, parent_id=first_id)
    assert reply.depth == 1
    assert Vote.objects.get(user=reader, comment_id=first_id).value == 1
    assert 'class="spoiler"' in Comment.objects.get(author=reader, parent=None).body_html


def test_a_logged_out_reader_reads_everything_but_is_asked_to_log_in_to_write(demo, live_server, page):
    page.goto(live_server.url + "/films/ballerina/")
    assert page.get_by_text("From the World of John Wick: Ballerina").first.is_visible()
    assert page.get_by_role("link", name="Log in to rate").first.is_visible()
    page.goto(live_server.url + "/franchises/john-wick/")
    assert page.get_by_text("during the events of", exact=False).first.is_visible()
