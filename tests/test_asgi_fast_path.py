"""The thread-page fast path in front of Django (talkies.asgi), called as an ASGI app.

Writes go through the real API with Django's test client; reads go through the ASGI application, whose
blocking lookups run on this test's thread so they see the test's transaction.
"""

import asyncio
import gzip
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import Client
from django.utils import timezone

from talkies.comments.models import Thread
from talkies.comments.services import comment_create
from talkies.pagecache.fast_path import ThreadPageFastPath, page_request
from talkies.pagecache.store import PageStore
from talkies.ratings.services import rating_remove, rating_set
from talkies.stories.models import Story
from tests.asgi_client import CountingApp, Response, call, connection_kept_open_for_tests, get, run_inline, scope_for


@pytest.fixture
def django_app() -> CountingApp:
    return CountingApp()


@pytest.fixture
def store() -> PageStore:
    return PageStore()


@pytest.fixture
def app(django_app, store) -> ThreadPageFastPath:
    return ThreadPageFastPath(django_app, store=store, run_blocking=run_inline)


def page_url(thread: Thread, query: str = "sort=old&limit=200") -> str:
    return f"/api/v1/threads/{thread.pk}/comments?{query}"


def bodies(response: Response) -> list[str]:
    def walk(nodes: list[dict]) -> Iterator[str]:
        for node in nodes:
            yield node["body_html"].strip()
            yield from walk(node["replies"])

    return list(walk(response.json()["comments"]))


@pytest.fixture
def commented_thread(thread, reader, second_reader):
    first = comment_create(thread=thread, author=reader, body="Eve is **great**")
    comment_create(thread=thread, author=second_reader, body="Agreed", parent=first)
    return thread


# --- Same response as Django's, served from memory -------------------------------------------------


def test_a_stored_page_is_the_bytes_and_headers_django_sends(app, django_app, commented_thread):
    url = page_url(commented_thread)
    with connection_kept_open_for_tests():
        django_own = async_to_sync(call)(django_app.django, scope_for(url))
    first = get(app, url)
    second = get(app, url)

    assert django_app.calls == 1  # the second read never reached Django
    assert first.status == second.status == django_own.status == 200
    assert first.body == second.body == django_own.body
    added = {"etag", "vary"}
    assert {k: v for k, v in second.headers.items() if k not in added} == {
        k: v for k, v in django_own.headers.items() if k != "vary"
    }
    # Django's Vary (caches key on a reader's credentials), and the store's own: it sends gzip to some.
    assert django_own.headers["vary"] == "Cookie, Authorization, X-Talkies-Guest-Token"
    assert second.headers["vary"] == "Cookie, Authorization, X-Talkies-Guest-Token, Accept-Encoding"
    assert second.headers["x-content-type-options"] == "nosniff"  # SecurityMiddleware's, replayed


def test_a_hit_costs_one_query(app, django_app, commented_thread, django_assert_num_queries):
    url = page_url(commented_thread)
    get(app, url)  # stores the page and warms the site-by-host cache

    with django_assert_num_queries(1):  # the thread's version, visibility and site in one
        response = get(app, url)

    assert response.status == 200 and django_app.calls == 1


def test_each_sort_cursor_and_limit_is_its_own_page(app, commented_thread, reader):
    comment_create(thread=commented_thread, author=reader, body="Second top-level comment")
    first_page = get(app, page_url(commented_thread, "sort=old&limit=1"))
    cursor = first_page.json()["next_cursor"]
    second_page = get(app, page_url(commented_thread, f"sort=old&limit=1&cursor={cursor}"))
    newest_first = get(app, page_url(commented_thread, "sort=new&limit=1"))

    assert bodies(first_page)[0] == "<p>Eve is <strong>great</strong></p>"
    assert bodies(second_page) == ["<p>Second top-level comment</p>"]
    assert bodies(newest_first) == ["<p>Second top-level comment</p>"]


# --- Writes show on the next read ------------------------------------------------------------------


def post_json(client, url: str, data: dict[str, Any]):
    return client.post(url, data, content_type="application/json")


def test_a_new_comment_shows_on_the_next_read(app, client, commented_thread, reader):
    url = page_url(commented_thread)
    assert len(bodies(get(app, url))) == 2
    client.force_login(reader)

    assert (
        post_json(client, f"/api/v1/threads/{commented_thread.pk}/comments", {"body": "Late to this"}).status_code
        == 201
    )

    assert bodies(get(app, url))[-1] == "<p>Late to this</p>"


def test_an_edit_shows_on_the_next_read(app, client, commented_thread, reader):
    url = page_url(commented_thread)
    comment_id = get(app, url).json()["comments"][0]["id"]
    client.force_login(reader)

    response = client.patch(
        f"/api/v1/comments/{comment_id}", {"body": "Eve is *fine*"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert bodies(get(app, url))[0] == "<p>Eve is <em>fine</em></p>"


def test_a_removal_shows_on_the_next_read(app, client, commented_thread, reader):
    url = page_url(commented_thread)
    comment_id = get(app, url).json()["comments"][0]["id"]
    client.force_login(reader)

    assert client.delete(f"/api/v1/comments/{comment_id}").status_code == 200

    top = get(app, url).json()["comments"][0]
    assert top["status"] == "removed" and top["author_name"] is None


def test_a_vote_shows_on_the_next_read(app, client, commented_thread, second_reader):
    url = page_url(commented_thread)
    comment_id = get(app, url).json()["comments"][0]["id"]
    client.force_login(second_reader)

    assert post_json(client, f"/api/v1/comments/{comment_id}/vote", {"value": 1}).status_code == 200

    assert get(app, url).json()["comments"][0]["upvotes"] == 1


def test_a_rating_shows_as_the_badge_on_the_next_read(
    app, site, film, commented_thread, reader, django_capture_on_commit_callbacks
):
    url = page_url(commented_thread)
    assert get(app, url).json()["comments"][0]["author_rating"] is None

    with django_capture_on_commit_callbacks(execute=True):
        rating_set(site=site, film=film, user=reader, value=8)
    assert get(app, url).json()["comments"][0]["author_rating"] == 8

    with django_capture_on_commit_callbacks(execute=True):
        rating_remove(site=site, film=film, user=reader)
    assert get(app, url).json()["comments"][0]["author_rating"] is None


def test_a_new_display_name_shows_on_the_next_read(app, commented_thread, reader):
    url = page_url(commented_thread)
    assert get(app, url).json()["comments"][0]["author_name"] == "Rita Reader"

    reader.display_name = "Rita R."
    reader.save(update_fields=["display_name"])

    assert get(app, url).json()["comments"][0]["author_name"] == "Rita R."


# --- Site scoping and visibility: the same answers as Django's --------------------------------------


def test_another_sites_thread_is_not_found_through_the_fast_path(app, settings, other_site, commented_thread):
    other_site.domain = "other.example"
    other_site.save()
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    url = page_url(commented_thread)
    assert get(app, url).status == 200  # stored for Reel News

    elsewhere = get(app, url, host="other.example")

    assert elsewhere.status == 404
    assert elsewhere.json()["field"] == "thread_id"


def test_a_thread_whose_story_is_unpublished_is_not_served_from_the_cache(app, commented_thread):
    url = page_url(commented_thread)
    assert get(app, url).status == 200

    Story.objects.filter(pk=commented_thread.story_id).update(published_at=None)
    assert get(app, url).status == 404

    Story.objects.filter(pk=commented_thread.story_id).update(published_at=timezone.now() + timezone.timedelta(days=1))
    assert get(app, url).status == 404


def test_a_host_django_refuses_is_refused(app, commented_thread):
    assert get(app, page_url(commented_thread), host="evil.example").status == 400


# --- HTTP caching and compression -----------------------------------------------------------------


def test_an_unchanged_page_is_304_until_a_write(app, commented_thread, reader):
    url = page_url(commented_thread)
    etag = get(app, url).headers["etag"]

    not_modified = get(app, url, headers={"if-none-match": etag})
    assert (not_modified.status, not_modified.body, not_modified.headers["etag"]) == (304, b"", etag)

    comment_create(thread=commented_thread, author=reader, body="News")
    changed = get(app, url, headers={"if-none-match": etag})
    assert changed.status == 200 and changed.headers["etag"] != etag


def test_a_client_that_accepts_gzip_gets_the_same_page_compressed(app, commented_thread):
    url = page_url(commented_thread)
    plain = get(app, url)
    compressed = get(app, url, headers={"accept-encoding": "gzip, deflate, br"})
    refused = get(app, url, headers={"accept-encoding": "gzip;q=0, identity"})

    assert compressed.headers["content-encoding"] == "gzip"
    assert gzip.decompress(compressed.body) == plain.body
    assert int(compressed.headers["content-length"]) == len(compressed.body) < len(plain.body)
    assert compressed.headers["etag"] != plain.headers["etag"]
    assert "content-encoding" not in refused.headers and refused.body == plain.body


# --- What is not stored -----------------------------------------------------------------------------


def test_errors_are_not_stored(app, django_app, commented_thread):
    url = page_url(commented_thread, "sort=old&cursor=not-a-cursor")
    first, second = get(app, url), get(app, url)

    assert first.status == second.status == 400
    assert first.body == second.body and django_app.calls == 2


def test_a_query_it_does_not_know_goes_to_django(app, django_app, commented_thread):
    url = page_url(commented_thread, "sort=old&limit=0200")
    get(app, url)
    get(app, url)

    assert django_app.calls == 2


def test_concurrent_misses_render_the_page_once(app, django_app, commented_thread):
    scope = scope_for(page_url(commented_thread))

    async def many() -> list[Response]:
        return await asyncio.gather(*(call(app, scope) for _ in range(8)))

    with connection_kept_open_for_tests():
        responses = async_to_sync(many)()

    assert django_app.calls == 1
    assert len({r.body for r in responses}) == 1 and {r.status for r in responses} == {200}


# --- One reader's permissions are never another's ---------------------------------------------------
# Each comment says what the reader asking may do with it (can_edit...). A stored page is shared, so the
# fast path answers only requests that name no reader (for whom every permission is false), and leaves a
# request with a session cookie, an Authorization header or a guest token to Django, unstored.


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}; talkies_sort=old"


@pytest.mark.parametrize(
    "headers",
    [
        {"cookie": "sessionid=anything"},
        {"cookie": "talkies_sort=old; sessionid=anything"},
        {"authorization": "Bearer token"},
        {"x-talkies-guest-token": "token"},
    ],
)
def test_a_request_naming_a_reader_is_not_answered_from_the_store(headers, commented_thread):
    assert page_request(scope_for(page_url(commented_thread), headers=headers)) is None


def test_a_cookie_that_is_not_a_session_still_gets_the_stored_page(commented_thread):
    assert page_request(scope_for(page_url(commented_thread), headers={"cookie": "talkies_sort=old"})) is not None


def test_the_author_sees_their_own_permissions_and_nobody_else_does(app, django_app, commented_thread, reader):
    url = page_url(commented_thread)
    anonymous_first = get(app, url).json()["comments"][0]
    authors = get(app, url, headers={"cookie": _session_cookie(reader)}).json()["comments"][0]
    anonymous_after = get(app, url).json()["comments"][0]

    assert authors["can_edit"] is True and authors["editable_until"] is not None
    assert anonymous_first["can_edit"] is False and anonymous_first["editable_until"] is None
    assert anonymous_after == anonymous_first  # the author's page was not stored for others
    assert django_app.calls == 2  # the anonymous page once, the author's page by Django itself


# --- Warmed after a write (pagecache.warming) ------------------------------------------------------


def test_a_warm_up_after_a_write_stores_the_new_first_page_before_anyone_asks(
    app, django_app, commented_thread, reader
):
    url = page_url(commented_thread)
    get(app, url)
    comment_create(thread=commented_thread, author=reader, body="Warm me")
    with connection_kept_open_for_tests():
        async_to_sync(app.warm_one)(scope_for(url))  # what the warmer does once the write commits
    calls = django_app.calls

    fresh = get(app, url)

    assert django_app.calls == calls  # the reader after the write got the stored page
    assert bodies(fresh)[-1] == "<p>Warm me</p>"
    with connection_kept_open_for_tests():
        async_to_sync(app.warm_one)(scope_for(url))  # already stored: nothing rendered
    assert django_app.calls == calls
