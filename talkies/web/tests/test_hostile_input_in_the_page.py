"""Every hostile body from the sanitiser's table, posted as a comment and checked in the rendered page.

The function-level table lives in talkies/lib/tests/test_markdown.py; this runs the same inputs through
the whole path a reader's text takes (service → stored HTML → template → page), with a hostile author
name too, and reads the page the way a browser would build it.
"""

import pytest

from talkies.accounts.models import User
from talkies.comments.services import comment_create
from talkies.lib.tests.test_markdown import HOSTILE

from .helpers import tags_in

HOSTILE_NAMES = ['"><script>alert(1)</script>', "' onmouseover='alert(1)", "</span><img src=x onerror=alert(1)>"]
DANGEROUS_TAGS = {"iframe", "object", "embed", "style", "svg", "math", "base", "meta", "link", "img", "form"}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "srcset")


def assert_page_is_inert(page: str) -> None:
    tags = tags_in(page)
    body_tags = tags[[tag for tag, _ in tags].index("body") :]
    scripts = [
        attrs.get("src") for tag, attrs in body_tags if tag == "script" and attrs.get("type") != "application/ld+json"
    ]
    assert all(src and src.startswith("/static/talkies/") for src in scripts), scripts
    assert [(t, n) for t, attrs in tags for n in attrs if n.startswith("on")] == []
    assert {t for t, _ in body_tags} & DANGEROUS_TAGS == set()
    for _, attrs in tags:
        for name in URL_ATTRIBUTES:
            value = (attrs.get(name) or "").strip().lower().replace("\t", "").replace("\n", "")
            assert not value.startswith(("javascript:", "vbscript:", "data:")), (name, value)


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_body_is_inert_in_the_story_page(client, story, thread, body):
    author = User.objects.create_user(username="mallory", display_name=HOSTILE_NAMES[0])
    top = comment_create(thread=thread, author=author, body=body)
    comment_create(thread=thread, author=author, body=body, parent=top, is_spoiler=True)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert_page_is_inert(response.content.decode())


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_author_name_is_inert_in_the_story_page(client, story, thread, name):
    author = User.objects.create_user(username="mallory", display_name=name)
    comment_create(thread=thread, author=author, body="Plain words")
    page = client.get(story.get_absolute_url()).content.decode()
    assert_page_is_inert(page)
    assert name not in page  # never raw: always escaped
