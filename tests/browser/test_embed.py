"""The embed on a publisher's page, in a real browser: the page on one origin, Talkies on another.

Two loopback servers, as in production where a WordPress site embeds a Talkies host: the real
`talkies serve` with the demo loaded (the site lets the publisher's origin embed it and takes guest
comments), and a tiny static server for the "publisher page" that carries the script tags. Every
request the browser makes must go to one of the two; none may carry a cookie to Talkies.
"""

import base64
import hashlib
import hmac
import json
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from talkies.embed.tests.browser.support import Publisher
from talkies.live.tests.servers import DEMO_PASSWORD, Reader, server_environment, serving, talkies

from .conftest import CHROMIUM, CHROMIUM_ARGS

SITE = "reelnews"
THREAD_KEY = "ballerina-reactions"  # the publisher's own id for the article (data-thread)
READER, READER_PASSWORD = "embedreader", "correct horse battery staple"
SSO_SECRET = "shared-with-the-publishers-server"
SETUP = """
from talkies.accounts.models import Site, User
from talkies.embed.models import EmbedSettings
site = Site.objects.get(slug={site!r})
site.allow_guest_comments = True
site.save()
EmbedSettings.objects.update_or_create(site=site, defaults={{"allowed_origins": {origin!r}, "sso_secret": {sso!r}}})
User.objects.create_user(username={reader!r}, password={password!r})
"""

ARTICLE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">{head}<title>What did you think of Ballerina?</title></head>
<body><main>
<h1>What did you think of Ballerina?</h1>
<p><span data-talkies-count="{key}" data-talkies-count-of="both"></span></p>
<p>Also: <a href="/furiosa" data-talkies-count>Furiosa</a></p>
<div data-talkies data-thread="{key}"{placeholder_attributes}></div>
</main>
<script src="{talkies}/static/embed/embed.js" data-site="{site}" data-film="ballerina" async></script>
<script src="{talkies}/static/embed/count.js" data-site="{site}" async></script>
</body></html>"""

# A host page as strict as docs/embedding.md lets it be: Talkies' origin for scripts and connections, and
# no inline style at all (the panel's stylesheet is a constructed one, which style-src does not govern).
STRICT_HOST_POLICY = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src {talkies}; '
    "connect-src {talkies}; style-src 'self'; img-src 'self' data:; object-src 'none'\">"
)


@pytest.fixture(scope="module")
def publisher() -> Iterator[Publisher]:
    with Publisher() as site:
        yield site


@pytest.fixture(scope="module")
def talkies_url(publisher, tmp_path_factory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("embed-browser")
    env = server_environment(data_dir)
    talkies("migrate", "--no-input", env=env)
    talkies("demo", env=env)
    setup = SETUP.format(site=SITE, origin=publisher.origin, reader=READER, password=READER_PASSWORD, sso=SSO_SECRET)
    talkies("shell", "-c", setup, env=env)
    with serving(env, workers=1, log_path=data_dir / "server.log") as url:
        # The same article four ways: in English, in French, for a member signed in by SSO, far down a page.
        for path, lang, placeholder_attributes, head in (
            ("/ballerina", "en", "", ""),
            ("/fr/ballerina", "fr", "", ""),
            ("/member/ballerina", "en", f' data-sso="{sso_for_member()}"', ""),
            ("/long-read", "en", ' style="margin-top: 4000px"', ""),
            ("/strict-csp", "en", "", STRICT_HOST_POLICY.format(talkies=url)),
        ):
            publisher.pages[path] = ARTICLE.format(
                lang=lang,
                key=THREAD_KEY,
                talkies=url,
                site=SITE,
                placeholder_attributes=placeholder_attributes,
                head=head,
            )
        seed_conversation(url, publisher.origin)
        yield url


def sso_for_member() -> str:
    """What the publisher's server prints for its logged-in member, as docs/embedding.md tells it to."""
    payload = {"id": "wp-42", "name": "Wanda Press", "email": "wanda@reelnews.example", "exp": int(time.time()) + 3600}
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return encoded + "." + hmac.new(SSO_SECRET.encode(), encoded.encode(), hashlib.sha256).hexdigest()


def article_thread_id(talkies_url: str, page_origin: str) -> int:
    """The article's thread, opened on first use exactly as the embed opens it: from the page's origin, which
    the browser names in the Origin header (a request without one may not open threads)."""
    query = urllib.parse.urlencode(
        {"site": SITE, "url": page_origin + "/ballerina", "thread": THREAD_KEY, "film": "ballerina"}
    )
    opening = urllib.request.Request(f"{talkies_url}/api/v1/embed/threads?{query}", headers={"Origin": page_origin})
    with urllib.request.urlopen(opening, timeout=10) as response:
        return json.load(response)["id"]


def demo_writer(talkies_url: str) -> Reader:
    writer = Reader(talkies_url)
    writer.log_in("aislebuff4", DEMO_PASSWORD)
    return writer


def seed_conversation(talkies_url: str, page_origin: str) -> None:
    """A demo reader talks under the article: an inline spoiler, a comment that is all spoiler, a long exchange."""
    thread_id = article_thread_id(talkies_url, page_origin)
    writer = demo_writer(talkies_url)
    first = writer.post_json(
        f"/threads/{thread_id}/comments", {"body": "The snow fight is the best in the series. >!Eve survives!<"}
    )
    writer.post_json(f"/threads/{thread_id}/comments", {"body": "Winston planned it all.", "is_spoiler": True})
    writer.post_json(
        f"/threads/{thread_id}/comments", {"body": "Agreed about the flamethrowers.", "parent_id": first["id"]}
    )
    question = writer.post_json(f"/threads/{thread_id}/comments", {"body": "Who stayed for the credits?"})
    for n in range(1, 7):  # one more than a page shows under its comment
        writer.post_json(f"/threads/{thread_id}/comments", {"body": f"Me, number {n}.", "parent_id": question["id"]})


@pytest.fixture
def requests_seen(page: Page) -> list[str]:
    """Every URL the browser asks for, from the page and from any popup it opens."""
    seen: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url))
    return seen


def open_article(page: Page, publisher: Publisher, path: str = "/ballerina") -> float:
    """Load the article and wait for the panel; the milliseconds from navigation to its first render."""
    page.goto(publisher.origin + path)
    page.wait_for_function("performance.getEntriesByName('talkies:panel-rendered').length > 0")
    return page.evaluate("performance.getEntriesByName('talkies:panel-rendered')[0].startTime")


def panel(page: Page):
    return page.locator("[data-talkies]")


def test_the_panel_renders_scores_and_the_thread_in_its_shadow_root_talking_only_to_the_two_origins(
    talkies_url, publisher, page, requests_seen, capsys
):
    rendered_after = open_article(page, publisher)

    assert page.evaluate("document.querySelector('[data-talkies]').shadowRoot.mode") == "open"
    expect(panel(page).get_by_text("7/10")).to_be_visible()  # the critic's score as published
    expect(panel(page).get_by_text(re.compile(r"^\d+ ratings$"))).to_be_visible()
    expect(panel(page).get_by_text(re.compile(r"% liked it$"))).to_be_visible()
    expect(panel(page).get_by_role("heading", name="10 comments")).to_be_visible()
    expect(panel(page).get_by_text("The snow fight is the best in the series.")).to_be_visible()
    expect(panel(page).get_by_text("Agreed about the flamethrowers.")).to_be_visible()  # a first reply, nested
    # The host page's own styles do not reach in: the panel's text is not in the light DOM.
    assert "snow fight" not in page.locator("body").inner_text()

    talkies_host, publisher_host = (urllib.parse.urlsplit(url).netloc for url in (talkies_url, publisher.origin))
    hosts = {urllib.parse.urlsplit(url).netloc for url in requests_seen}
    assert hosts == {talkies_host, publisher_host}, f"requests went to {hosts}"
    panel_requests = [url for url in requests_seen if "/api/v1/" in url and "/embed/counts" not in url]
    with capsys.disabled():
        print(
            f"\nembed: first render of the panel {rendered_after:.0f} ms after navigation; "
            f"{len(requests_seen)} requests in all, {len(panel_requests)} API reads for the panel"
        )


def test_under_a_host_policy_without_unsafe_inline_the_panel_is_styled_and_nothing_is_refused(
    talkies_url, publisher, page
):
    page.add_init_script(
        "window.violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI), true);"
    )
    page.goto(publisher.origin + "/strict-csp")  # not open_article: its wait_for_function needs eval
    expect(panel(page).get_by_text("The snow fight is the best in the series.")).to_be_visible()
    status_position = page.evaluate(
        "getComputedStyle(document.querySelector('[data-talkies]').shadowRoot.querySelector('.sr')).position"
    )
    assert status_position == "absolute"  # the panel's stylesheet applies
    assert page.evaluate("window.violations") == []


def test_a_panel_far_down_the_page_loads_only_when_the_reader_scrolls_near_and_its_room_is_kept(
    talkies_url, publisher, page, requests_seen
):
    page.goto(publisher.origin + "/long-read")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requests_seen if "/embed/threads" in url], "the panel loaded before it was near"
    reserved = page.evaluate("document.querySelector('[data-talkies]').getBoundingClientRect().height")
    assert reserved >= 300  # its room is held, so the page does not jump when it arrives

    page.mouse.wheel(0, 3600)  # within 600px of the placeholder
    page.wait_for_function("performance.getEntriesByName('talkies:panel-rendered').length > 0")
    expect(panel(page).get_by_text("The snow fight is the best in the series.")).to_be_visible()


def test_an_inline_spoiler_stays_hidden_until_the_reader_reveals_it_and_focus_moves_onto_it(
    talkies_url, publisher, page
):
    open_article(page, publisher)
    secret = panel(page).get_by_text("Eve survives")
    expect(secret).to_be_hidden()

    reveal = panel(page).get_by_role("button", name="Spoiler — show")
    reveal.focus()
    page.keyboard.press("Enter")

    expect(secret).to_be_visible()
    expect(secret).to_be_focused()
    expect(panel(page).get_by_role("button", name="Hide spoiler")).to_have_attribute("aria-expanded", "true")


def test_a_whole_comment_spoiler_stays_collapsed_until_opened(talkies_url, publisher, page):
    open_article(page, publisher)
    secret = panel(page).get_by_text("Winston planned it all.")
    expect(secret).to_be_hidden()

    panel(page).get_by_text("Contains spoilers — show").click()
    expect(secret).to_be_visible()


def test_count_js_fills_every_count_on_the_page_with_one_request_in_the_page_language(
    talkies_url, publisher, page, requests_seen
):
    open_article(page, publisher)
    # One names its thread by key; the link, by its href: a page nobody has commented on yet.
    expect(page.locator("span[data-talkies-count]")).to_have_text(re.compile(r"^10 comments · \d+ ratings$"))
    expect(page.locator("a[data-talkies-count]")).to_have_text("0 comments")
    assert len([url for url in requests_seen if "/embed/counts" in url]) == 1

    open_article(page, publisher, "/fr/ballerina")
    expect(page.locator("span[data-talkies-count]")).to_have_text(re.compile(r"^10 commentaires · \d+ notes$"))
    expect(panel(page).get_by_role("heading", name="10 commentaires")).to_be_visible()


def test_a_guest_replies_from_the_keyboard_and_the_reply_is_there_after_a_reload(talkies_url, publisher, page):
    open_article(page, publisher)
    snow_fight = panel(page).locator("li.comment").filter(has_text="The snow fight is the best").first
    snow_fight.get_by_role("button", name="Reply").first.click()
    reply_box = panel(page).get_by_role("textbox", name=re.compile(r"^Your reply to "))
    expect(reply_box).to_be_focused()  # focus goes straight to the reply box

    page.keyboard.type("Seen it twice now.")
    reply_form = panel(page).locator("form").filter(has=page.get_by_role("textbox", name=re.compile(r"^Your reply")))
    reply_form.get_by_role("textbox", name="Your name").fill("Guest Eve")
    reply_form.get_by_role("button", name="Post reply").click()
    expect(panel(page).get_by_text("Seen it twice now.")).to_be_visible()
    expect(panel(page).get_by_role("status")).to_have_text("Your comment was posted.")

    open_article(page, publisher)
    expect(panel(page).get_by_text("Seen it twice now.")).to_be_visible()
    expect(panel(page).get_by_text("Guest Eve")).to_be_visible()


def test_a_guest_votes_then_edits_and_removes_their_own_comment(talkies_url, publisher, page):
    open_article(page, publisher)
    others = panel(page).locator("li.comment").filter(has_text="The snow fight is the best").first
    upvote = others.get_by_role("button", name=re.compile(r"^Upvote")).first
    upvote.click()
    expect(others.get_by_role("button", name=re.compile(r"^Upvote")).first).to_have_attribute("aria-pressed", "true")
    expect(others.get_by_role("button", name=re.compile(r"^Upvote")).first).to_have_text(re.compile(r"1$"))

    panel(page).get_by_role("textbox", name="Your comment").fill("A first thought, to be edited.")
    panel(page).get_by_role("textbox", name="Your name").first.fill("Guest Ada")
    panel(page).get_by_role("button", name="Post comment").click()
    mine = panel(page).locator("li.comment").filter(has_text="A first thought").first
    expect(mine.locator("article")).to_be_focused()  # the reader's own new comment, where they are looking

    mine.get_by_role("button", name="Edit").click()
    editor = panel(page).get_by_role("textbox", name="Edit your comment")
    expect(editor).to_have_value("A first thought, to be edited.")
    editor.fill("A second thought.")
    panel(page).get_by_role("button", name="Save changes").click()
    mine = panel(page).locator("li.comment").filter(has_text="A second thought.").first
    expect(mine.get_by_text("edited")).to_be_visible()

    # After a reload the server still says what this guest may do: the page read carries their token.
    open_article(page, publisher)
    mine = panel(page).locator("li.comment").filter(has_text="A second thought.").first
    expect(mine.get_by_role("button", name="Edit")).to_be_visible()
    others = panel(page).locator("li.comment").filter(has_text="The snow fight is the best").first
    expect(others.get_by_role("button", name="Edit")).to_have_count(0)

    mine.get_by_role("button", name="Remove").click()
    panel(page).get_by_role("button", name="Yes, remove it").click()
    expect(panel(page).get_by_text("A second thought.")).to_have_count(0)


def test_choosing_another_sort_reloads_the_thread_in_that_order(talkies_url, publisher, page):
    open_article(page, publisher)
    panel(page).get_by_role("combobox", name="Sort by").select_option("old")
    first = panel(page).locator("ol.comments > li.comment").first
    expect(first).to_contain_text("The snow fight is the best in the series.")  # the first one posted

    panel(page).get_by_role("combobox", name="Sort by").select_option("new")
    expect(panel(page).locator("ol.comments > li.comment").first).not_to_contain_text("The snow fight")


def test_more_replies_load_when_asked_and_keyboard_focus_moves_to_the_first_of_them(talkies_url, publisher, page):
    open_article(page, publisher)
    expect(panel(page).get_by_text("Me, number 5.")).to_be_visible()
    expect(panel(page).get_by_text("Me, number 6.")).to_have_count(0)

    panel(page).get_by_role("button", name="1 more reply").click()
    expect(panel(page).locator("article").filter(has_text="Me, number 6.")).to_be_focused()
    expect(panel(page).get_by_role("button", name="1 more reply")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_problem_with_the_panel_open(talkies_url, publisher, page, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page.emulate_media(color_scheme=scheme)  # data-theme="auto" follows it
    open_article(page, publisher)
    dark = page.evaluate("document.querySelector('[data-talkies]').shadowRoot.querySelector('.panel.dark') !== null")
    assert dark == (scheme == "dark")
    panel(page).get_by_role("button", name="Spoiler — show").click()
    panel(page).get_by_role("button", name="Reply").first.click()

    results = Axe().run(page)  # axe-core looks inside open shadow roots
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not serious, "\n".join(serious)

    # The control: an unlabelled field slipped into the shadow root must be caught, or axe is not looking there.
    page.evaluate("document.querySelector('[data-talkies]').shadowRoot.append(document.createElement('input'))")
    assert "label" in {violation["id"] for violation in Axe().run(page).response["violations"]}


@pytest.fixture(scope="module")
def strict_browser(browser) -> Iterator:
    """Chromium that blocks third-party cookies, as Safari and Firefox's strict mode do."""
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, "--test-third-party-cookie-phaseout"]
    )
    yield chromium
    chromium.close()


def test_a_member_signed_in_by_the_publishers_sso_rates_from_the_keyboard_and_comments_without_cookies(
    talkies_url, publisher, strict_browser
):
    context = strict_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    cookies_sent = watch_for_cookies(page, talkies_url)
    try:
        open_article(page, publisher, "/member/ballerina")
        expect(panel(page).get_by_text("Signed in as Wanda Press")).to_be_visible()
        expect(panel(page).get_by_role("textbox", name="Your name")).to_be_hidden()  # members need no name

        # Four stars with the keyboard alone: the group takes focus on its first star, arrows move along it.
        panel(page).get_by_role("radio", name="0.5 stars").focus()
        for _ in range(7):
            page.keyboard.press("ArrowRight")
        expect(panel(page).get_by_role("radio", name="4 stars")).to_be_checked()
        expect(panel(page).get_by_text("You rated it 4 stars")).to_be_visible()

        panel(page).get_by_role("textbox", name="Your comment").fill("Signed in by my own site.")
        panel(page).get_by_role("button", name="Post comment").click()
        posted = panel(page).locator("li.comment").filter(has_text="Signed in by my own site.")
        expect(posted.locator("header strong")).to_have_text("Wanda Press")
        expect(posted.get_by_text("rated it 4 stars")).to_be_visible()  # the member's rating badge
        assert not cookies_sent, f"the embed sent cookies to Talkies: {cookies_sent}"
    finally:
        context.close()


def watch_for_cookies(page: Page, talkies_url: str) -> list[str]:
    """URLs of the page's requests to Talkies that carried a cookie (there must be none)."""
    cookies_sent: list[str] = []

    def note(request) -> None:
        if request.url.startswith(talkies_url) and "cookie" in request.all_headers():
            cookies_sent.append(request.url)

    page.on("request", note)
    return cookies_sent


def test_a_reader_signs_in_through_the_popup_with_third_party_cookies_blocked_then_rates_and_comments(
    talkies_url, publisher, strict_browser
):
    context = strict_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    cookies_sent = watch_for_cookies(page, talkies_url)
    try:
        open_article(page, publisher)
        with page.expect_popup() as popup_opened:
            panel(page).get_by_role("button", name="Sign in").click()
        popup = popup_opened.value
        popup.fill("input[name=username]", READER)
        popup.fill("input[name=password]", READER_PASSWORD)
        popup.get_by_role("button", name="Sign in").click()
        expect(panel(page).get_by_text(f"Signed in as {READER}")).to_be_visible()

        # Rate 4 stars with the keyboard alone: the first star takes focus, arrows move along the group.
        panel(page).get_by_role("radio", name="0.5 stars").focus()
        for _ in range(7):
            page.keyboard.press("ArrowRight")
        expect(panel(page).get_by_text("You rated it 4 stars")).to_be_visible()

        panel(page).get_by_role("textbox", name="Your comment").fill("Signed in from the publisher's page.")
        panel(page).get_by_role("button", name="Post comment").click()
        posted = panel(page).locator("li.comment").filter(has_text="Signed in from the publisher's page.")
        expect(posted.locator("strong").first).to_have_text(READER)
        assert not cookies_sent, f"the embed sent cookies to Talkies: {cookies_sent}"
    finally:
        context.close()


def test_a_comment_posted_elsewhere_waits_behind_a_button_and_is_announced(talkies_url, publisher, page):
    open_article(page, publisher)
    page.wait_for_timeout(500)  # the stream opens right after the first render; let it subscribe
    thread_id = article_thread_id(talkies_url, publisher.origin)
    demo_writer(talkies_url).post_json(f"/threads/{thread_id}/comments", {"body": "Posted from another browser."})

    show = panel(page).get_by_role("button", name="1 new comment — show")
    expect(show).to_be_visible(timeout=5_000)
    expect(panel(page).get_by_role("status")).to_have_text("1 new comment — show")
    show.click()
    expect(panel(page).get_by_text("Posted from another browser.")).to_be_visible()
