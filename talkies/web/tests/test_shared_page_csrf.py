"""A story page on a site that takes guests is one page for every reader nobody knows (web/forms_csrf.py).

It carries its forms' CSRF fields empty and sets no cookie, so the page store and caches can keep it; a
token comes when a form is sent (site.js), and a form sent without JavaScript comes back with one.
Every client here enforces CSRF as a browser's requests meet it.
"""

import re

import pytest
from django.test import Client

from talkies.comments.models import Comment
from talkies.comments.services import comment_create
from talkies.pagecache.cache_headers import PUBLIC_CACHE_CONTROL

from .helpers import tags_in

PAGE = "/stories/what-did-you-think-of-ballerina/"
POST = f"{PAGE}comments/"


@pytest.fixture
def browser(guest_site) -> Client:
    return Client(enforce_csrf_checks=True)


def csrf_fields(page: str) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in tags_in(page) if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken"]


def test_the_page_a_guest_reads_first_is_the_same_for_everyone_and_sets_no_cookie(browser, story, thread, reader):
    comment_create(thread=thread, author=reader, body="Answer me")

    first = browser.get(PAGE)
    second = Client(enforce_csrf_checks=True).get(PAGE)

    assert first.status_code == 200
    assert not first.cookies  # no csrftoken: nothing makes this page one reader's
    assert first["Cache-Control"] == PUBLIC_CACHE_CONTROL
    assert first.content == second.content
    fields = csrf_fields(first.content.decode())
    assert len(fields) == 2  # the comment form and the reply form
    assert all(field["value"] == "" and field["data-csrf-from"] == "/csrf-token/" for field in fields)


def test_the_token_site_js_fetches_lets_the_form_through(browser, story):
    page = browser.get(PAGE)
    assert not page.cookies

    token = browser.get("/csrf-token/")
    assert token.status_code == 200
    assert "no-store" in token["Cache-Control"] and "private" in token["Cache-Control"]
    assert "csrftoken" in token.cookies

    posted = browser.post(POST, {"body": "Loved it", "guest_name": "Eve", "csrfmiddlewaretoken": token.json()["token"]})
    assert posted.status_code == 302
    assert Comment.objects.get().body_source == "Loved it"


def test_a_form_sent_without_javascript_comes_back_with_a_token_and_what_was_typed(browser, story):
    typed = 'Loved it <script>alert("x")</script> & more'
    refused = browser.post(POST, {"body": typed, "guest_name": "Eve", "sort": "new", "csrfmiddlewaretoken": ""})

    assert refused.status_code == 403
    assert not Comment.objects.exists()
    page = refused.content.decode()
    assert "One more step" in page
    assert "<script>alert" not in page  # escaped, as everywhere
    hidden = {attrs["name"]: attrs["value"] for tag, attrs in tags_in(page) if tag == "input"}
    assert hidden["body"] == typed and hidden["guest_name"] == "Eve" and hidden["sort"] == "new"
    assert hidden["csrfmiddlewaretoken"]
    form = re.search(r'<form method="post" action="([^"]+)"', page)
    assert form is not None
    action = form.group(1)
    assert action == POST

    again = browser.post(action, hidden)
    assert again.status_code == 302
    assert Comment.objects.get().body_source == typed


def test_a_post_from_another_site_is_refused_without_echoing_it(browser, story):
    browser.get("/csrf-token/")  # the victim's browser holds the cookie
    refused = browser.post(
        POST,
        {"body": "Written by another site", "guest_name": "Eve"},
        HTTP_ORIGIN="https://attacker.example",
        secure=True,
    )

    assert refused.status_code == 403
    assert b"Written by another site" not in refused.content
    assert b"One more step" not in refused.content
    assert not Comment.objects.exists()


def test_a_reader_who_is_known_gets_a_real_token_in_the_page(client, guest_site, story, reader):
    client.force_login(reader)
    page = client.get(PAGE).content.decode()
    fields = csrf_fields(page)
    assert fields and all(field["value"] and "data-csrf-from" not in field for field in fields)
