"""What only a real browser can show: spoilers stay unreadable until asked for, with and without JavaScript,
and the rating widget works from the keyboard alone. Runs on Debian's headless Chromium; skipped without it.
"""

import os
import shutil
from collections.abc import Iterator

import pytest

from talkies.comments.models import Comment
from talkies.comments.services import comment_create
from talkies.ratings.models import Rating

from .helpers import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM is only used between page actions.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TALKIES_CHROMIUM") or shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="headless Chromium not found: apt-get install chromium"),
]


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield browser
        browser.close()


def open_page(chromium, *, javascript: bool = True):
    context = chromium.new_context(viewport={"width": 1024, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def spoiler_thread(transactional_db, site, story, thread, reader):
    comment_create(thread=thread, author=reader, body="What a ride. >!Winston betrays everyone!< at the end.")
    comment_create(thread=thread, author=reader, body="The Director survives.", is_spoiler=True)
    return story


def test_an_inline_spoiler_is_unreadable_and_silent_until_clicked(chromium, live_server, spoiler_thread):
    page = open_page(chromium)
    page.goto(f"{live_server.url}{spoiler_thread.get_absolute_url()}")
    hidden = page.locator(".spoiler-text").first
    body = page.locator(".comment-body").filter(has=hidden)

    assert hidden.evaluate("el => getComputedStyle(el).visibility") == "hidden"
    assert "Winston betrays" not in body.aria_snapshot()  # not exposed to screen readers either

    page.locator(".spoiler-reveal").first.click()

    assert hidden.evaluate("el => getComputedStyle(el).visibility") == "visible"
    assert "Winston betrays everyone" in body.aria_snapshot()
    page.context.close()


def test_enter_reveals_an_inline_spoiler_from_the_keyboard(chromium, live_server, spoiler_thread):
    page = open_page(chromium)
    page.goto(f"{live_server.url}{spoiler_thread.get_absolute_url()}")

    page.locator(".spoiler-switch").first.focus()
    page.keyboard.press("Enter")

    assert page.locator(".spoiler-text").first.evaluate("el => getComputedStyle(el).visibility") == "visible"
    page.context.close()


def test_without_javascript_spoilers_still_open_on_request(chromium, live_server, spoiler_thread):
    page = open_page(chromium, javascript=False)
    page.goto(f"{live_server.url}{spoiler_thread.get_absolute_url()}")

    whole = page.locator("details.spoiler-comment")
    assert not page.get_by_text("The Director survives.").is_visible()
    whole.locator("summary").click()
    assert page.get_by_text("The Director survives.").is_visible()

    page.locator(".spoiler-switch").first.focus()
    page.keyboard.press("Space")
    assert page.locator(".spoiler-text").first.evaluate("el => getComputedStyle(el).visibility") == "visible"
    page.context.close()


def test_a_reader_can_rate_with_the_keyboard_alone_and_without_javascript(
    chromium, live_server, transactional_db, site, story, reader
):
    page = open_page(chromium, javascript=False)
    log_in(page, live_server.url, "reader")
    page.goto(f"{live_server.url}{story.get_absolute_url()}")

    # Focus the first half star, move six steps right (to 3.5 stars) and submit with Enter.
    page.locator("#rate-ballerina-1").focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_url("**#rate-ballerina")

    assert Rating.objects.get(user=reader).value == 7
    assert page.get_by_text("You rated Ballerina 3.5 stars.").is_visible()
    page.context.close()


# --- A guest posting from the page everyone shares (web/forms_csrf.py) --------------------------------


@pytest.fixture
def guest_story(transactional_db, site, story, thread):
    site.allow_guest_comments = True
    site.save()
    return story


def post_as_guest(page, body: str) -> None:
    page.fill("#comment-name-new", "Guest Eve")
    page.fill("#comment-body-new", body)
    page.get_by_role("button", name="Post comment").click()


def test_a_guest_posts_from_the_shared_page_and_site_js_fetches_the_token(chromium, live_server, guest_story):
    page = open_page(chromium)
    page.goto(f"{live_server.url}{guest_story.get_absolute_url()}")
    # The page everyone gets: no cookie from the server, an empty CSRF field (site.js says it runs, no more).
    assert [cookie["name"] for cookie in page.context.cookies()] == ["talkies_js"]

    post_as_guest(page, "Posted from the shared page.")

    page.wait_for_selector("text=Posted from the shared page.")
    assert Comment.objects.get().body_source == "Posted from the shared page."
    page.context.close()


def test_without_javascript_a_guest_presses_send_once_more_and_loses_nothing(chromium, live_server, guest_story):
    page = open_page(chromium, javascript=False)
    page.goto(f"{live_server.url}{guest_story.get_absolute_url()}")

    post_as_guest(page, "Typed without JavaScript.")

    assert page.get_by_role("heading", name="One more step").is_visible()
    assert not Comment.objects.exists()
    page.get_by_role("button", name="Send it again").click()
    page.wait_for_selector("text=Typed without JavaScript.")
    assert Comment.objects.get().body_source == "Typed without JavaScript."
    page.context.close()


# --- A signed-in reader's page from the shell every signed-in reader shares (web/reader_shell.py) ----------

SHELL_HEADER = {"X-Talkies-Reader-Shell": "1"}  # what the page store asks Django with; here, the browser does
MAIN_AND_ACCOUNT = """() => {
    const strip = (html) => html
        .replace(/<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*"( data-csrf-from="[^"]*")?>/g, "")
        .replace(/ data-reader-state="[^"]*"/g, "")
        .replace(/ data-live="[^"]*"/g, "")  // the live stream's state, set by live.js as it connects
        .replace(/(<time [^>]*>)[^<]*</g, "$1<")  // "now" and "a second ago" a second apart
        .replace(/>\\s+</g, "><").trim();
    return strip(document.querySelector(".account-nav").outerHTML + document.querySelector("main").innerHTML);
}"""


@pytest.fixture
def read_thread(transactional_db, site, story, thread, reader, second_reader, film):
    from talkies.accounts.actors import Actor
    from talkies.comments.services import comment_vote
    from talkies.ratings.services import rating_set

    theirs = [comment_create(thread=thread, author=second_reader, body=f"Theirs {n}") for n in range(3)]
    comment_create(thread=thread, author=reader, body="Mine, with an Edit link")
    comment_vote(comment=theirs[0], actor=Actor.of(reader), value=1)
    rating_set(site=site, film=film, user=reader, value=8)
    return {"story": story, "theirs": theirs}


def test_site_js_makes_the_shared_shell_the_readers_own_page(chromium, live_server, read_thread):
    story = read_thread["story"]
    own = open_page(chromium)
    log_in(own, live_server.url, "reader")
    own.goto(f"{live_server.url}{story.get_absolute_url()}")
    expected = own.evaluate(MAIN_AND_ACCOUNT)

    shell = open_page(chromium)
    log_in(shell, live_server.url, "reader")
    shell.context.set_extra_http_headers(SHELL_HEADER)
    shell.goto(f"{live_server.url}{story.get_absolute_url()}")
    shell.wait_for_selector(".account-nav strong:text('Rita Reader')")  # the reader's parts are in
    assert shell.locator("[data-reader-state]").count() == 0
    assert shell.evaluate(MAIN_AND_ACCOUNT) == expected
    assert shell.get_by_role("link", name="Edit").count() == 1
    assert shell.locator(".vote-up[aria-pressed=true]").count() == 1
    own.context.close()

    # A form from a swapped-in part works; so does one from the shell, which fetches its token first.
    shell.locator(".vote-up[aria-pressed=true]").click()  # takes the vote back
    shell.wait_for_load_state()
    shell.wait_for_selector(".account-nav strong:text('Rita Reader')")
    assert shell.locator(".vote-up[aria-pressed=true]").count() == 0
    shell.locator(".vote-down").first.click()
    shell.wait_for_load_state()
    shell.wait_for_selector(".account-nav strong:text('Rita Reader')")
    assert shell.locator(".vote-down[aria-pressed=true]").count() == 1
    shell.context.close()
