"""Hostile names and bodies reach the page as text, never as markup a browser would run."""

import pytest

from talkies.accounts.models import User
from talkies.comments.services import comment_create

from .helpers import tags_in, text_of

HOSTILE_NAME = '"><script>alert(1)</script>'
HOSTILE_BODY = (
    "<script>alert('body')</script> "
    '<img src=x onerror="alert(2)"> '
    "[click me](javascript:alert(3)) "
    '<a href="javascript:alert(4)">raw link</a> '
    "<svg onload=alert(5)>"
)


@pytest.fixture
def hostile_page(reader_client, site, story, thread, film):
    attacker = User.objects.create_user(username="mallory", display_name=HOSTILE_NAME)
    top = comment_create(thread=thread, author=attacker, body=HOSTILE_BODY)
    comment_create(thread=thread, author=attacker, body=HOSTILE_BODY, parent=top, is_spoiler=True)
    return reader_client.get(story.get_absolute_url()).content.decode()


def test_no_script_runs_except_the_sites_own(hostile_page):
    # JSON-LD blocks are data the browser never runs (and their text is escaped); every other script must
    # be one of the site's own files.
    scripts = [
        attrs for tag, attrs in tags_in(hostile_page) if tag == "script" and attrs.get("type") != "application/ld+json"
    ]

    # Only the site's own static scripts, loaded by URL; nothing inline, nothing from the comments.
    assert scripts and all(set(attrs) <= {"src", "defer", "data-stream"} for attrs in scripts)
    assert {attrs["src"] for attrs in scripts} <= {"/static/talkies/site.js", "/static/talkies/live.js"}
    assert "<script>alert" not in hostile_page


def test_no_element_carries_an_event_handler(hostile_page):
    handlers = [(tag, name) for tag, attrs in tags_in(hostile_page) for name in attrs if name.startswith("on")]

    assert handlers == []
    assert "<img" not in hostile_page and "<svg onload" not in hostile_page


def test_no_link_or_source_uses_a_javascript_url(hostile_page):
    urls = [
        value
        for _, attrs in tags_in(hostile_page)
        for name, value in attrs.items()
        if name in ("href", "src", "action", "formaction") and value
    ]

    assert urls  # the page has links; none of them is script
    assert not [u for u in urls if u.strip().lower().startswith("javascript:")]


def test_the_hostile_display_name_is_shown_as_text(hostile_page):
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in hostile_page
    assert HOSTILE_NAME in text_of(hostile_page)  # readers see exactly what was typed


def test_the_hostile_name_in_the_reply_label_is_escaped_too(reader_client, site, story, thread):
    attacker = User.objects.create_user(username="mallory", display_name=HOSTILE_NAME)
    comment_create(thread=thread, author=attacker, body="Reply to me")

    page = reader_client.get(story.get_absolute_url()).content.decode()

    assert "Your reply to &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_header_escapes_the_logged_in_readers_own_name(client, site, story):
    attacker = User.objects.create_user(username="mallory", display_name=HOSTILE_NAME)
    client.force_login(attacker)

    page = client.get("/").content.decode()

    assert "Signed in as <strong>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</strong>" in page
