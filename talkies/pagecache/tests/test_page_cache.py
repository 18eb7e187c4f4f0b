"""The page store, the request parser, the version query, and the changes that bump a thread's version."""

import datetime

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

from talkies.comments.models import Thread
from talkies.comments.selectors import visible_threads_q
from talkies.comments.services import comment_create
from talkies.pagecache.keys import PageRequest, parse_page_request, visible_thread_state
from talkies.pagecache.store import CachedPage, PageKey, PageStore
from talkies.ratings.services import rating_remove, rating_set
from talkies.stories.models import Story


def key(version: int = 1, thread_id: int = 1, cursor: str | None = None) -> PageKey:
    return PageKey(thread_id=thread_id, version=version, film_id=None, sort="old", cursor=cursor, limit=50)


def page(size: int = 100) -> CachedPage:
    return CachedPage.from_response([(b"content-type", b"application/json")], b"x" * size)


# --- The store ----------------------------------------------------------------------------------------


def test_a_newer_version_of_a_thread_drops_the_older_ones():
    store = PageStore()
    store.put(key(version=1), page())
    store.put(key(version=1, cursor="next"), page())
    store.put(key(version=2), page())

    assert store.get_local(key(version=1)) is None and store.get_local(key(version=1, cursor="next")) is None
    assert store.get_local(key(version=2)) is not None and len(store) == 1


def test_a_page_rendered_for_a_superseded_version_is_not_kept():
    store = PageStore()
    store.put(key(version=3), page())
    store.put(key(version=2), page())

    assert store.get_local(key(version=2)) is None and len(store) == 1


def test_the_least_recently_used_pages_go_when_the_budget_is_spent():
    store = PageStore(budget_bytes=250)
    store.put(key(thread_id=1), page(100))
    store.put(key(thread_id=2), page(100))
    store.get_local(key(thread_id=1))
    store.put(key(thread_id=3), page(100))

    assert store.get_local(key(thread_id=2)) is None
    assert store.get_local(key(thread_id=1)) is not None and store.get_local(key(thread_id=3)) is not None
    assert store.bytes_used == 200


def test_a_page_older_than_its_maximum_age_is_not_served(monkeypatch):
    store = PageStore()
    store.put(key(), page())
    monkeypatch.setattr("talkies.pagecache.store.time.monotonic", lambda: 10**9)

    assert store.get_local(key()) is None and len(store) == 0


def test_another_process_gets_the_page_from_the_shared_cache():
    shared = LocMemCache("thread-pages-test", {})
    one, another = PageStore(shared=shared), PageStore(shared=shared)
    one.put(key(), page(2000))

    fetched = another.get_shared(key())

    assert fetched is not None and fetched.body == b"x" * 2000 and fetched.etag == one.get_local(key()).etag  # type: ignore[union-attr]
    assert another.get_local(key()) is not None  # kept locally from then on


def test_a_page_is_compressed_only_when_it_is_worth_it():
    assert page(100).gzip_body is None
    assert page(5000).gzip_body is not None


# --- Parsing the request ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (b"", PageRequest(7, None, None, 50)),
        (b"sort=old&limit=200", PageRequest(7, "old", None, 200)),
        (b"cursor=abc%3D&sort=new", PageRequest(7, "new", "abc=", 50)),
        (b"cursor=", PageRequest(7, None, None, 50)),
    ],
)
def test_it_reads_the_page_a_query_asks_for(query, expected):
    assert parse_page_request(7, query) == expected


@pytest.mark.parametrize(
    "query",
    [
        b"limit=201",
        b"limit=0",
        b"limit=050",
        b"limit=",
        b"sort=oldest",
        b"sort=old&sort=new",
        b"page=2",
        b"cursor=%C3%A9\xff",
    ],
)
def test_it_leaves_anything_unusual_to_django(query):
    assert parse_page_request(7, query) is None


# --- The version query agrees with the endpoint's visibility rule -----------------------------------


def test_the_version_query_sees_exactly_the_threads_the_endpoint_shows(site, other_site, film, thread, editor):
    now = timezone.now()
    draft = Story.objects.create(site=site, kind="news", title="Draft", slug="draft", body_source="", author=editor)
    future = Story.objects.create(
        site=site,
        kind="news",
        title="Soon",
        slug="soon",
        body_source="",
        author=editor,
        published_at=now + datetime.timedelta(1),
    )
    threads = [
        thread,
        Thread.objects.create(site=site, key="page:embedded", film=film),
        Thread.objects.create(site=site, key="story:draft", story=draft),
        Thread.objects.create(site=site, key="story:future", story=future),
        Thread.objects.create(site=other_site, key="page:elsewhere"),
    ]
    Thread.objects.filter(pk=thread.pk).update(version=5)

    for shown_on in (site, other_site):
        visible = set(Thread.objects.filter(visible_threads_q(shown_on)).values_list("pk", flat=True))
        assert {t.pk for t in threads if visible_thread_state(site_id=shown_on.pk, thread_id=t.pk)} == visible
    assert visible_thread_state(site_id=site.pk, thread_id=thread.pk) == (5, film.pk)


# --- Changes outside the conversation that change a page ------------------------------------------


def version(thread: Thread) -> int:
    return Thread.objects.values_list("version", flat=True).get(pk=thread.pk)


def test_rating_the_film_bumps_the_threads_where_the_rater_has_a_top_level_comment(
    site, film, thread, reader, second_reader, django_capture_on_commit_callbacks
):
    comment_create(thread=thread, author=reader, body="Top-level")
    before = version(thread)

    with django_capture_on_commit_callbacks(execute=True):
        rating_set(site=site, film=film, user=second_reader, value=6)  # no comment of theirs: no badge changes
    assert version(thread) == before
    with django_capture_on_commit_callbacks(execute=True):
        rating_set(site=site, film=film, user=reader, value=6)
    assert version(thread) == before + 1
    with django_capture_on_commit_callbacks(execute=True):
        rating_set(site=site, film=film, user=reader, value=7)
    assert version(thread) == before + 2
    with django_capture_on_commit_callbacks(execute=True):
        rating_set(site=site, film=film, user=reader, value=7)  # the same value: nothing changed
    assert version(thread) == before + 2
    with django_capture_on_commit_callbacks(execute=True):
        rating_remove(site=site, film=film, user=reader)
    assert version(thread) == before + 3


def test_a_rating_change_bumps_nothing_until_it_commits(site, film, thread, reader, django_capture_on_commit_callbacks):
    comment_create(thread=thread, author=reader, body="Top-level")
    before = version(thread)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rating_set(site=site, film=film, user=reader, value=6)

    assert callbacks and version(thread) == before


def test_a_name_change_bumps_the_threads_the_author_commented_in_and_a_login_does_not(thread, reader):
    comment_create(thread=thread, author=reader, body="Hello")
    before = version(thread)

    reader.last_login = timezone.now()
    reader.save(update_fields=["last_login"])
    assert version(thread) == before
    reader.display_name = "Someone Else"
    reader.save()
    assert version(thread) == before + 1


def test_deleting_an_account_bumps_the_threads_it_commented_in(thread, reader):
    comment_create(thread=thread, author=reader, body="Hello")
    before = version(thread)

    reader.delete()

    assert version(thread) == before + 1
