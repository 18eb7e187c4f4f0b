"""The embed's browser journeys' shared parts: a publisher's site on its own origin, and the steps every
journey takes (open the article, sign in through the popup, run axe). Their fixtures are in conftest.py.

As in production, the publisher's page is on one origin (a tiny static server on a loopback port) and
Talkies on another: pytest-django's live server, so a test checks the very database the embed talks to.
"""

import http.server
import os
import shutil
import threading
import urllib.parse

from playwright.sync_api import Page, expect

# Playwright's sync API runs an event loop in this thread; the ORM is only used between page actions.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TALKIES_CHROMIUM") or shutil.which("chromium")
PASSWORD = "correct horse battery staple"  # the root conftest's personas
THREAD_KEY = "ballerina-reactions"
ARTICLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>What did you think of Ballerina?</title></head>
<body><main><h1>What did you think of Ballerina?</h1><div data-talkies data-thread="{key}"></div></main>
<script src="{talkies}/static/embed/embed.js" data-site="reelnews" data-film="ballerina" async></script>
</body></html>"""


class Publisher:
    """A static site on its own loopback port; `pages` maps a path to the HTML it serves."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(urllib.parse.urlsplit(self.path).path)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "not found").encode())

            def log_message(self, *args: object) -> None:
                pass  # quiet: pytest shows only what fails

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.article_url = self.origin + "/ballerina"

    def __enter__(self) -> "Publisher":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def open_article(page: Page, publisher: Publisher) -> None:
    page.goto(publisher.article_url)
    page.wait_for_function("performance.getEntriesByName('talkies:panel-rendered').length > 0")


def panel(page: Page):
    return page.locator("[data-talkies]")


def serious_accessibility_problems(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)  # axe-core looks inside open shadow roots
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def sign_in(page: Page, username: str) -> None:
    with page.expect_popup() as popup_opened:
        panel(page).get_by_role("button", name="Sign in").click()
    popup = popup_opened.value
    popup.fill("input[name=username]", username)
    popup.fill("input[name=password]", PASSWORD)
    popup.get_by_role("button", name="Sign in").click()
    expect(panel(page).get_by_text("Signed in as")).to_be_visible()
