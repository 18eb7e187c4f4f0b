"""The thread-page fast path (pagecache.fast_path) and CORS: cached pages never answer another origin."""

import pytest

from talkies.comments.models import Thread
from talkies.comments.services import comment_create
from talkies.embed.cors import origin_headers
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


# --- With the site's CORS policy: the embed's reads from the stored pages ------------------------------

EMBED_QUERY = "sort=best&limit=20&site=reelnews"  # what embed.js asks for


@pytest.fixture
def embed_app(django_app) -> ThreadPageFastPath:
    return ThreadPageFastPath(django_app, store=PageStore(), run_blocking=run_inline, origin_headers=origin_headers)


def without_cache_headers(response) -> dict[str, str]:
    """The headers that say what the page is, leaving out those the fast path adds to any stored page."""
    return {k: v for k, v in response.headers.items() if k not in {"etag", "vary", "content-length"}}


def test_an_allowed_origin_gets_the_stored_page_with_exactly_djangos_cors_headers(
    embedded, embed_app, django_app, thread, reader
):
    comment_create(thread=thread, author=reader, body="Loved it.")
    url = f"/api/v1/threads/{thread.pk}/comments?{EMBED_QUERY}"
    direct = get(django_app, url, headers={"origin": ORIGIN})  # Django itself, for comparison
    first = get(embed_app, url, headers={"origin": ORIGIN})  # a miss: rendered (for no origin) and stored
    calls = django_app.calls
    stored = get(embed_app, url, headers={"origin": ORIGIN})

    assert django_app.calls == calls  # served from the store
    for answer in (first, stored):
        assert answer.status == 200
        assert answer.body == direct.body
        assert without_cache_headers(answer) == without_cache_headers(direct)
        assert answer.headers["access-control-allow-origin"] == ORIGIN
        assert "Origin" in answer.headers["vary"]


def test_an_origin_the_site_does_not_allow_gets_the_page_without_cors_as_django_gives_it(
    embedded, embed_app, django_app, thread, reader
):
    comment_create(thread=thread, author=reader, body="Loved it.")
    url = f"/api/v1/threads/{thread.pk}/comments?{EMBED_QUERY}"
    direct = get(django_app, url, headers={"origin": "https://evil.example"})
    get(embed_app, url)  # stored
    calls = django_app.calls
    evil = get(embed_app, url, headers={"origin": "https://evil.example"})

    assert django_app.calls == calls
    assert "access-control-allow-origin" not in direct.headers and "access-control-allow-origin" not in evil.headers
    assert evil.body == direct.body and without_cache_headers(evil) == without_cache_headers(direct)
    assert "Origin" in evil.headers["vary"] and "Origin" in direct.headers["vary"]
    # and the plain page, asked for without an Origin, still says nothing about origins
    plain = get(embed_app, url)
    assert "access-control-allow-origin" not in plain.headers and "Origin" not in plain.headers["vary"]


def test_a_new_comment_changes_the_key_so_the_next_embed_read_is_rendered_afresh(
    embedded, embed_app, django_app, thread, reader
):
    url = f"/api/v1/threads/{thread.pk}/comments?{EMBED_QUERY}"
    assert get(embed_app, url, headers={"origin": ORIGIN}).json()["comments"] == []
    comment_create(thread=thread, author=reader, body="First!")
    calls = django_app.calls
    fresh = get(embed_app, url, headers={"origin": ORIGIN})
    assert django_app.calls == calls + 1
    assert [c["body_html"].strip() for c in fresh.json()["comments"]] == ["<p>First!</p>"]


def test_an_unknown_site_parameter_is_left_to_django(embedded, embed_app, django_app, thread):
    answer = get(embed_app, f"/api/v1/threads/{thread.pk}/comments?site=nosuchsite", headers={"origin": ORIGIN})
    assert answer.status == 404
