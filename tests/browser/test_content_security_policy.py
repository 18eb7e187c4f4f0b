"""The site's pages run and style under their Content-Security-Policy without a single violation."""

import pytest
from django.core.management import call_command

from talkies.catalogue.models import Film

# Recorded before any of the page's own scripts run, so a violation at load time is seen too.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def demo(transactional_db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - quiet, closed at exit


def test_the_story_film_login_and_embed_popup_pages_report_no_violation(demo, live_server, page):
    film = Film.objects.get(slug="ballerina")
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    paths = [
        "/stories/what-did-you-think-of-ballerina/",
        film.get_absolute_url(),
        "/accounts/login/",
        "/embed/login/?site=reelnews&origin=https://reelnews.example",
    ]
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response is not None and "Content-Security-Policy" in {h["name"] for h in response.headers_array()}
        page.wait_for_load_state("load")
        assert page.evaluate("window.__cspViolations") == [], path
    assert [text for text in console_errors if "Content Security Policy" in text] == []
