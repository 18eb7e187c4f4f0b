"""The other reads of a page load, from stored responses (talkies.pagecache.routes), called as ASGI apps.

For every stored route: the stored response is the bytes and headers Django sends (CORS included for an
allowed origin, and absent for another), a second read never reaches Django, and a write that changes what
the page shows changes its key.
"""

import datetime

import pytest
from django.utils import timezone

from talkies.catalogue.models import Film
from talkies.comments.services import comment_create
from talkies.embed.cors import origin_headers
from talkies.embed.models import EmbedSettings
from talkies.pagecache.cache_headers import PRIVATE_CACHE_CONTROL, PUBLIC_CACHE_CONTROL, PUBLIC_CDN_CACHE_CONTROL
from talkies.pagecache.fast_path import ThreadPageFastPath
from talkies.pagecache.store import PageStore
from talkies.ratings.services import rating_set
from talkies.stories.models import Story
from tests.asgi_client import CountingApp, Response, get, run_inline

ORIGIN = "https://reelnews.example"


@pytest.fixture
def django_app() -> CountingApp:
    return CountingApp()


@pytest.fixture
def app(django_app) -> ThreadPageFastPath:
    return ThreadPageFastPath(django_app, store=PageStore(), run_blocking=run_inline, origin_headers=origin_headers)


@pytest.fixture
def conversation(site, film, story, thread, reader, second_reader):
    """A story with a short thread, an embedded page's thread on the same film, and a rating."""
    EmbedSettings.objects.create(site=site, allowed_origins=ORIGIN)
    first = comment_create(thread=thread, author=reader, body="Eve is **great**")
    comment_create(thread=thread, author=second_reader, body="Agreed", parent=first)
    rating_set(user=reader, site=site, film=film, value=8)
    return thread


def story_url(story: Story) -> str:
    return story.get_absolute_url()


def urls(story: Story, film: Film, thread) -> dict[str, str]:
    first_comment = thread.comments.order_by("pk").first()
    return {
        "home": "/",
        "story": story_url(story),
        "story, spoilers hidden": f"{story_url(story)}?spoilers=hide",
        "comment permalink": f"{story_url(story)}comments/{first_comment.pk}/",
        "film": film.get_absolute_url(),
        "thread feed": f"/feeds/threads/{thread.pk}.atom",
        "story feed": f"/feeds/stories/{story.slug}.atom",
        "site comments feed": "/feeds/comments.atom",
        "site stories feed": "/feeds/stories.atom",
        "story thread (API)": f"/api/v1/stories/{story.slug}/thread",
        "film scores (API)": f"/api/v1/films/{film.slug}/scores",
        "counts (API)": f"/api/v1/counts?thread={thread.pk}",
    }


def semantic_headers(response: Response) -> dict[str, str]:
    """The headers that say what the response is, leaving out those the store adds to any stored page
    (ETag, Content-Length of the encoding sent, Vary, which it merges into one line)."""
    return {k: v for k, v in response.headers.items() if k not in {"etag", "vary", "content-length"}}


def vary(response: Response) -> set[str]:
    return {
        part.strip() for value in response.header_list if value[0] == b"vary" for part in value[1].decode().split(",")
    }


def test_every_stored_route_sends_the_bytes_and_headers_django_sends(app, django_app, conversation, story, film):
    for name, url in urls(story, film, conversation).items():
        direct = get(django_app, url)
        assert direct.status == 200, (name, direct.status, direct.body[:300])
        first = get(app, url)
        calls = django_app.calls
        stored = get(app, url)

        assert django_app.calls == calls, f"{name}: the second read reached Django"
        for answer in (first, stored):
            assert answer.status == 200, name
            assert answer.body == direct.body, name
            assert semantic_headers(answer) == semantic_headers(direct), name
            assert vary(direct) <= vary(answer), name
        assert stored.headers["cache-control"] == PUBLIC_CACHE_CONTROL, name
        assert stored.headers["etag"], name
        # A browser that kept this copy must not give it to the same URL read with a reader's token.
        assert {"Cookie", "Authorization", "X-Talkies-Guest-Token"} <= vary(stored), name
        # Browsers would serve a thread stale too; only CDNs are told they may.
        assert "stale-while-revalidate" not in stored.headers["cache-control"], name
        assert stored.headers["cdn-cache-control"] == PUBLIC_CDN_CACHE_CONTROL, name


def test_an_unchanged_page_is_a_304_that_says_how_to_cache_it(app, conversation, story):
    url = story_url(story)
    first = get(app, url)
    again = get(app, url, headers={"if-none-match": first.headers["etag"]})
    assert again.status == 304 and again.body == b""
    assert again.headers["cache-control"] == PUBLIC_CACHE_CONTROL
    assert again.headers["cdn-cache-control"] == PUBLIC_CDN_CACHE_CONTROL
    assert again.headers["etag"] == first.headers["etag"]


def test_a_story_page_with_guest_forms_is_stored_too(app, django_app, conversation, site, story):
    """Its forms' CSRF fields are empty until sent (talkies/web/forms_csrf.py), so it is everyone's page."""
    site.allow_guest_comments = True
    site.save()
    first = get(app, story_url(story))
    calls = django_app.calls
    stored = get(app, story_url(story))

    assert django_app.calls == calls  # answered from the store
    assert stored.body == first.body and b'name="guest_name"' in stored.body
    assert b'data-csrf-from="/csrf-token/"' in stored.body
    assert "set-cookie" not in stored.headers


# --- The embed's lookups, cross-origin -----------------------------------------------------------------


EMBEDDED_PAGE = "https://reelnews.example/reviews/ballerina"


def embed_urls(film: Film, thread) -> dict[str, str]:
    """What embed.js asks for as a page loads, beside the thread's comments (its own tests)."""
    return {
        "thread lookup": f"/api/v1/embed/threads?site=reelnews&url={EMBEDDED_PAGE}&film={film.slug}",
        "counts": f"/api/v1/embed/counts?site=reelnews&page={thread.pk}",
        "film scores": f"/api/v1/films/{film.slug}/scores?site=reelnews",
    }


@pytest.fixture
def embedded_page(django_app, conversation, film):
    """The embedded page's thread, opened by its first reader (a write: 201, never stored)."""
    opened = get(django_app, embed_urls(film, conversation)["thread lookup"], headers={"origin": ORIGIN})
    assert opened.status == 201, opened.body
    return conversation


def test_an_allowed_origin_gets_the_stored_lookups_with_djangos_cors_headers(app, django_app, embedded_page, film):
    for name, url in embed_urls(film, embedded_page).items():
        direct = get(django_app, url, headers={"origin": ORIGIN})
        assert direct.status == 200, (name, direct.body[:300])
        get(app, url, headers={"origin": ORIGIN})
        calls = django_app.calls
        stored = get(app, url, headers={"origin": ORIGIN})

        assert django_app.calls == calls, name
        assert stored.body == direct.body, name
        assert semantic_headers(stored) == semantic_headers(direct), name
        assert stored.headers["access-control-allow-origin"] == ORIGIN, name
        assert "Origin" in vary(stored), name


def test_another_origin_gets_what_django_gives_it_and_no_cors(app, django_app, embedded_page, film):
    for name, url in embed_urls(film, embedded_page).items():
        direct = get(django_app, url, headers={"origin": "https://evil.example"})
        get(app, url)
        calls = django_app.calls
        evil = get(app, url, headers={"origin": "https://evil.example"})

        assert django_app.calls == calls, name
        assert "access-control-allow-origin" not in direct.headers, name
        assert "access-control-allow-origin" not in evil.headers, name
        assert evil.body == direct.body and semantic_headers(evil) == semantic_headers(direct), name


def test_a_page_the_embed_does_not_read_cross_origin_is_left_to_django_when_asked_from_another_origin(
    app, django_app, conversation, story
):
    for url in (story_url(story), f"/api/v1/stories/{story.slug}/thread"):
        get(app, url)
        calls = django_app.calls
        answer = get(app, url, headers={"origin": ORIGIN})
        assert django_app.calls == calls + 1, url
        assert "access-control-allow-origin" not in answer.headers


def test_opening_a_thread_is_never_stored(app, django_app, conversation, film):
    url = f"/api/v1/embed/threads?site=reelnews&url={EMBEDDED_PAGE}/other"
    assert get(app, url, headers={"origin": ORIGIN}).status == 201
    calls = django_app.calls
    # Found now: Django answers the request as it is, then renders the page for no origin, to store.
    assert get(app, url, headers={"origin": ORIGIN}).status == 200
    assert django_app.calls == calls + 2
    found = get(app, url, headers={"origin": ORIGIN})
    assert found.status == 200 and found.headers["access-control-allow-origin"] == ORIGIN
    assert django_app.calls == calls + 2


# --- Writes change the key -------------------------------------------------------------------------------


# Comment and rating writes bump the site's generation once they commit (pagecache.dependencies), so these
# tests run the after-commit callbacks their test transaction would otherwise hold back.


def test_a_new_comment_shows_on_the_story_page_and_the_feed_at_once(
    app, conversation, story, reader, django_capture_on_commit_callbacks
):
    page, feed = story_url(story), f"/feeds/threads/{conversation.pk}.atom"
    before = get(app, page), get(app, feed)
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(thread=conversation, author=reader, body="Saw it again tonight")
    after = get(app, page), get(app, feed)
    for old, new in zip(before, after, strict=True):
        assert b"Saw it again tonight" not in old.body and b"Saw it again tonight" in new.body


def test_a_rating_changes_the_film_page_and_its_scores(
    app, conversation, film, site, second_reader, django_capture_on_commit_callbacks
):
    page, scores = film.get_absolute_url(), f"/api/v1/films/{film.slug}/scores"
    before = get(app, page), get(app, scores)
    with django_capture_on_commit_callbacks(execute=True):
        rating_set(user=second_reader, site=site, film=film, value=2)
    after = get(app, page), get(app, scores)
    for old, new in zip(before, after, strict=True):
        assert old.body != new.body
    assert after[1].json() != before[1].json()


def test_an_editors_change_to_a_story_or_a_film_shows_at_once(app, conversation, story, film):
    home = get(app, "/")
    story.title = "Ballerina: your verdict"
    story.save()
    assert b"Ballerina: your verdict" in get(app, "/").body and home.body != get(app, "/").body

    film_page = get(app, film.get_absolute_url())
    film.title = "Ballerina (From the World of John Wick)"
    film.save()
    assert get(app, film.get_absolute_url()).body != film_page.body


def test_a_story_published_later_is_not_served_early(app, conversation, story):
    story.published_at = timezone.now() + datetime.timedelta(days=1)
    story.save()
    assert get(app, story_url(story)).status == 404


# --- Who gets a stored page --------------------------------------------------------------------------------


def test_a_signed_in_reader_is_rendered_for_and_told_not_to_share_it(
    app, django_app, client, conversation, story, reader
):
    get(app, story_url(story))
    client.force_login(reader)
    session_cookie = f"sessionid={client.cookies['sessionid'].value}"
    calls = django_app.calls
    mine = get(app, story_url(story), headers={"cookie": session_cookie})
    assert django_app.calls == calls + 1
    assert mine.headers["cache-control"] == PRIVATE_CACHE_CONTROL
    assert b"Rita Reader" in mine.body


def session_of(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_signed_in_readers_whose_browser_runs_site_js_share_one_stored_shell(
    app, django_app, conversation, story, reader, second_reader
):
    """talkies/web/reader_shell.py: the shell is stored once and sent to every signed-in reader with the
    talkies_js cookie; it names none of them, and says it is private."""
    first = get(app, story_url(story), headers={"cookie": f"talkies_js=1; sessionid={session_of(reader)}"})
    calls = django_app.calls
    second = get(app, story_url(story), headers={"cookie": f"sessionid={session_of(second_reader)}; talkies_js=1"})
    assert django_app.calls == calls, "the second signed-in reader's page reached Django"
    assert first.status == second.status == 200 and first.body == second.body
    # The stored shell is what Django itself sends when asked for it, bytes and headers.
    direct = get(
        django_app,
        story_url(story),
        headers={"cookie": f"sessionid={session_of(reader)}", "x-talkies-reader-shell": "1"},
    )
    assert direct.body == second.body and semantic_headers(direct) == semantic_headers(second)
    assert second.headers["x-talkies-reader-shell"] == "1"
    assert second.headers["cache-control"] == PRIVATE_CACHE_CONTROL  # no shared cache may give it to anyone
    assert {"Cookie", "Authorization", "X-Talkies-Guest-Token"} <= vary(second)
    assert b"Rita Reader</strong>" not in second.body and b"data-reader-state=" in second.body
    assert b'name="csrfmiddlewaretoken" value=""' in second.body  # tokens are fetched on submit
    # It is not the anonymous page, which has no forms for a reader nobody knows.
    anonymous = get(app, story_url(story))
    assert anonymous.body != second.body and b"Log in to comment" in anonymous.body


def test_a_shell_is_only_for_a_browser_running_site_js_with_a_session_and_nothing_else_personal(
    app, django_app, conversation, story, reader
):
    session = session_of(reader)
    get(app, story_url(story), headers={"cookie": f"talkies_js=1; sessionid={session}"})  # stored
    for cookie in (f"sessionid={session}", f"talkies_js=1; sessionid={session}; messages=xyz"):
        calls = django_app.calls
        mine = get(app, story_url(story), headers={"cookie": cookie})
        assert django_app.calls == calls + 1, cookie
        assert "x-talkies-reader-shell" not in mine.headers and b"Rita Reader</strong>" in mine.body, cookie


def test_a_session_that_names_nobody_gets_the_page_everyone_gets_and_stores_no_shell(
    app, django_app, conversation, story
):
    cookie = "talkies_js=1; sessionid=expired-long-ago"
    first = get(app, story_url(story), headers={"cookie": cookie})
    assert "x-talkies-reader-shell" not in first.headers and b"Log in to comment" in first.body
    calls = django_app.calls
    get(app, story_url(story), headers={"cookie": cookie})
    assert django_app.calls == calls + 1  # nothing was stored for it


def test_a_write_changes_the_shells_key_too(
    app, conversation, story, reader, second_reader, django_capture_on_commit_callbacks
):
    cookie = {"cookie": f"talkies_js=1; sessionid={session_of(second_reader)}"}
    before = get(app, story_url(story), headers=cookie)
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(thread=conversation, author=reader, body="Just now, in the shell too")
    after = get(app, story_url(story), headers=cookie)
    assert b"Just now, in the shell too" not in before.body and b"Just now, in the shell too" in after.body


@pytest.mark.parametrize("cookie", ["talkies_guest=abc", "talkies_guest_name=Ann", "messages=xyz"])
def test_personal_cookies_are_rendered_for(app, django_app, conversation, story, cookie):
    get(app, story_url(story))
    calls = django_app.calls
    get(app, story_url(story), headers={"cookie": f"theme=dark; {cookie}"})
    assert django_app.calls == calls + 1


def test_the_remembered_sort_is_part_of_the_key(app, conversation, story, reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(thread=conversation, author=reader, body="A newer top-level comment")
    oldest_first = get(app, story_url(story), headers={"cookie": "talkies_sort=old"})
    newest_first = get(app, story_url(story), headers={"cookie": "talkies_sort=new"})
    assert oldest_first.body != newest_first.body
    assert oldest_first.body.index(b"Eve is") < oldest_first.body.index(b"A newer top-level")
    assert newest_first.body.index(b"A newer top-level") < newest_first.body.index(b"Eve is")


def test_a_page_that_sets_a_cookie_is_not_stored(app, django_app, conversation, story):
    # Choosing a sort by link remembers it in a cookie: that response is the reader's, not everyone's.
    url = f"{story_url(story)}?sort=new"
    first = get(app, url)
    assert "set-cookie" in first.headers
    calls = django_app.calls
    get(app, url)
    assert django_app.calls == calls + 1
