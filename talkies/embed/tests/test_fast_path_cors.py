"""The thread-page fast path (pagecache.fast_path) and CORS: cached pages never answer another origin."""

import pytest

from talkies.comments.models import Thread
from talkies.comments.services import comment_create
from talkies.pagecache.fast_path import ThreadPageFastPath
from talkies.pagecache.store import PageStore
from tests.asgi_client import CountingApp, get, run_inline

from .conftest import ORIGIN


def page_url(thread: Thread) -> str:
    return f"/api/v1/threads/{thread.pk}/comments?sort=old"


@pytest.fixture
def django_app() -> CountingApp:
    return CountingApp()


@pytest.fixture
def app(django_app) -> ThreadPageFastPath:
    return ThreadPageFastPath(django_app, store=PageStore(), run_blocking=run_inline)


def test_a_request_from_an_embedding_origin_gets_django_and_its_cors_headers(embedded, app, django_app, thread, reader):
    comment_create(thread=thread, author=reader, body="Loved it.")
    url = page_url(thread)
    get(app, url)  # stored, for readers without an Origin
    assert get(app, url).headers.get("access-control-allow-origin") is None
    calls = django_app.calls

    embedded_read = get(app, url, headers={"origin": ORIGIN})
    evil_read = get(app, url, headers={"origin": "https://evil.example"})

    assert django_app.calls == calls + 2
    assert embedded_read.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-origin" not in evil_read.headers
    assert embedded_read.json()["comments"][0]["body_html"].strip() == "<p>Loved it.</p>"
    # and the origin's answer was not stored for everyone else
    assert "access-control-allow-origin" not in get(app, url).headers
    assert django_app.calls == calls + 2
