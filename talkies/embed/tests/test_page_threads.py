"""Threads keyed by the page: GET/POST /api/v1/embed/threads."""

import pytest
from django.test import Client

from talkies.catalogue.models import Film
from talkies.comments.models import Thread
from talkies.embed.api_keys import api_key_create
from talkies.embed.models import EmbedSettings

from .conftest import ORIGIN

PAGE = f"{ORIGIN}/2025/06/ballerina-reactions"


def resolve(client, **params):
    return client.get("/api/v1/embed/threads", {"site": "reelnews", **params}, headers={"Origin": ORIGIN})


def test_the_first_visit_opens_the_thread_keyed_by_the_normalised_url_and_linked_to_the_film(embedded, film, client):
    response = resolve(client, url=f"{PAGE}?utm_source=newsletter#comments", film="imdb:tt7181546", title="Reactions")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["key"] == PAGE
    assert body["film"] == {"slug": "ballerina", "title": "Ballerina"}
    thread = Thread.objects.get(pk=body["id"])
    assert (thread.site, thread.key, thread.url, thread.title, thread.film) == (embedded, PAGE, PAGE, "Reactions", film)
    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_the_same_page_spelled_differently_gets_the_same_thread(embedded, client):
    first = resolve(client, url=PAGE).json()

    second = resolve(client, url=PAGE.replace("https://reelnews", "HTTPS://ReelNews") + "?fbclid=abc")

    assert second.status_code == 200
    assert second.json()["id"] == first["id"]
    assert Thread.objects.filter(key=PAGE).count() == 1


def test_an_explicit_thread_id_is_the_key(embedded, client):
    response = client.post(
        "/api/v1/embed/threads?site=reelnews",
        {"site": "reelnews", "url": PAGE, "thread": "wp-post-4512"},
        content_type="application/json",
        headers={"Origin": ORIGIN},
    )

    assert response.status_code == 201
    assert response.json()["key"] == "wp-post-4512"
    assert response.json()["url"] == PAGE


@pytest.mark.parametrize("film_ref", ["tmdb:245891", "ballerina"])
def test_films_are_named_by_tmdb_id_or_slug(embedded, film, client, film_ref):
    Film.objects.filter(pk=film.pk).update(tmdb_id="245891")

    response = resolve(client, url=PAGE, film=film_ref)

    assert response.json()["film"]["slug"] == "ballerina"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"url": "https://evil.example/page"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": PAGE, "film": "imdb:tt0000000"}, "film"),
        ({"url": PAGE, "film": "letterboxd:ballerina"}, "film"),
        ({"url": PAGE, "thread": "story:1"}, "thread"),
        ({"url": PAGE, "thread": "has spaces"}, "thread"),
        ({"url": PAGE, "title": "x" * 301}, "title"),
        ({"url": PAGE + "/" + "a" * 500}, "url"),
    ],
)
def test_bad_input_is_refused_naming_the_field(embedded, film, client, params, field):
    response = resolve(client, **params)

    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert not Thread.objects.exists()


def test_a_missing_url_is_a_422_naming_url(embedded, client):
    response = client.get("/api/v1/embed/threads?site=reelnews")

    assert response.status_code == 422
    assert response.json()["field"] == "url"


def test_a_site_that_does_not_open_threads_on_first_use_answers_404_naming_url(embedded, client):
    EmbedSettings.objects.filter(site=embedded).update(create_threads_on_first_use=False)

    response = resolve(client, url=PAGE)

    assert response.status_code == 404
    assert response.json()["field"] == "url"
    assert not Thread.objects.exists()


def test_a_page_cannot_attach_itself_to_another_sites_url(embedded, other_embedded, client):
    response = client.get(
        "/api/v1/embed/threads", {"site": "otherreel", "url": PAGE}, headers={"Origin": "https://otherreel.example"}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "url"


def test_the_body_site_must_match_the_requests_site(embedded, other_embedded, client):
    response = client.post(
        "/api/v1/embed/threads?site=reelnews",
        {"site": "otherreel", "url": PAGE},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["field"] == "site"


def test_a_browser_does_not_replace_a_threads_film_but_an_api_key_does(embedded, film, client):
    other = Film.objects.create(title="John Wick: Chapter 3", slug="john-wick-3")
    resolve(client, url=PAGE, film="ballerina")

    assert resolve(client, url=PAGE, film="john-wick-3").json()["film"]["slug"] == "ballerina"

    _, key = api_key_create(site=embedded, name="wp")
    response = client.post(
        "/api/v1/embed/threads",
        {"url": PAGE, "film": "john-wick-3"},
        content_type="application/json",
        headers={"Authorization": f"Api-Key {key}"},
    )
    assert response.status_code == 200
    assert response.json()["film"]["slug"] == other.slug


def test_an_api_key_opens_threads_even_where_pages_may_not(embedded, client):
    EmbedSettings.objects.filter(site=embedded).update(create_threads_on_first_use=False)
    _, key = api_key_create(site=embedded, name="wp")

    response = client.post(
        "/api/v1/embed/threads",
        {"url": PAGE},
        content_type="application/json",
        headers={"Authorization": f"Api-Key {key}"},
    )

    assert response.status_code == 201


def test_an_api_key_works_only_for_its_own_site(embedded, other_embedded, client):
    _, key = api_key_create(site=other_embedded, name="wp")

    response = client.post(
        "/api/v1/embed/threads",
        {"site": "reelnews", "url": PAGE},
        content_type="application/json",
        headers={"Authorization": f"Api-Key {key}"},
    )

    assert response.status_code == 403
    assert response.json()["field"] == "site"


def test_a_story_thread_cannot_be_claimed_through_the_embed(embedded, thread, client):
    response = resolve(client, url=PAGE, thread=thread.key)

    assert response.status_code == 400
    assert response.json()["field"] == "thread"


def test_counts_are_keyed_by_the_values_sent_and_count_ratings_of_the_film(embedded, film, reader, client):
    from talkies.comments.services import comment_create
    from talkies.ratings.services import rating_set

    thread = Thread.objects.get(pk=resolve(client, url=PAGE, film="ballerina").json()["id"])
    comment_create(thread=thread, author=reader, body="Loved it.")
    rating_set(site=embedded, film=film, user=reader, value=8)
    shared_link = f"{PAGE}?utm_source=x"

    response = client.get(
        "/api/v1/embed/counts",
        {"site": "reelnews", "page": [shared_link, "no-such-thread", "not a url"]},
        headers={"Origin": ORIGIN},
    )

    assert response.status_code == 200
    assert response.json()["counts"] == {
        shared_link: {"comments": 1, "ratings": 1},
        "no-such-thread": {"comments": 0, "ratings": None},
        "not a url": {"comments": 0, "ratings": None},
    }
    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_counts_cost_two_queries_however_many_pages(embedded, film, client, django_assert_num_queries):
    pages = [f"{ORIGIN}/page-{n}" for n in range(50)]
    for page in pages[:10]:
        resolve(client, url=page, film="ballerina")
    client.get("/api/v1/embed/counts", {"site": "reelnews", "page": pages[:1]}, headers={"Origin": ORIGIN})

    with django_assert_num_queries(2):  # the threads, the films' scores (site and origins are cached)
        response = client.get("/api/v1/embed/counts", {"site": "reelnews", "page": pages}, headers={"Origin": ORIGIN})

    assert len(response.json()["counts"]) == 50


def test_pages_opening_threads_are_rate_limited_per_address_but_reading_is_not(embedded, client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "embed_thread": {"account": "", "ip": "2/m"}}
    assert resolve(client, url=f"{PAGE}-1").status_code == 201
    assert resolve(client, url=f"{PAGE}-2").status_code == 201

    refused = resolve(client, url=f"{PAGE}-3")

    assert refused.status_code == 429
    assert refused.json()["field"] == "url"
    assert "Retry-After" in refused
    assert resolve(client, url=f"{PAGE}-1").status_code == 200  # an existing thread is only read
    assert not Thread.objects.filter(key=f"{PAGE}-3").exists()


def test_empty_optional_parameters_count_as_absent(embedded, client):
    response = resolve(client, url=PAGE, thread="", film="")

    assert response.status_code == 201
    assert response.json()["key"] == PAGE
    assert response.json()["film"] is None


# --- Who may open a page's thread, and who says what it is -------------------------------------------


def test_a_request_without_an_origin_cannot_open_a_thread(embedded, film, client):
    # What curl sends by default: no Origin, no credentials. The embed's fetch from a page always sends one.
    response = client.get(
        "/api/v1/embed/threads", {"site": "reelnews", "url": f"{ORIGIN}/x", "thread": "wp-999", "film": "ballerina"}
    )

    assert response.status_code == 403, response.content
    assert response.json()["field"] == "origin"
    assert "API key" in response.json()["error"]
    assert not Thread.objects.filter(key="wp-999").exists()


def test_a_request_from_an_origin_the_site_does_not_allow_cannot_open_a_thread(embedded, client):
    response = client.get(
        "/api/v1/embed/threads", {"site": "reelnews", "url": PAGE}, headers={"Origin": "https://evil.example"}
    )

    assert response.status_code == 403
    assert response.json()["field"] == "origin"
    assert not Thread.objects.exists()


def test_a_thread_that_exists_is_read_without_an_origin(embedded, client):
    opened = resolve(client, url=PAGE, title="Reactions").json()

    response = client.get("/api/v1/embed/threads", {"site": "reelnews", "url": PAGE})

    assert response.status_code == 200
    assert response.json()["id"] == opened["id"]


def test_a_later_page_cannot_replace_the_title_or_film_a_first_page_gave(embedded, film, client):
    wick = Film.objects.create(title="John Wick", slug="john-wick")
    squatted = resolve(client, url=f"{ORIGIN}/x", thread="wp-999", title="FAKE", film="john-wick").json()

    real = resolve(client, url=PAGE, thread="wp-999", title="Ballerina reactions", film="ballerina")

    assert real.status_code == 200
    assert real.json()["id"] == squatted["id"]
    thread = Thread.objects.get(pk=squatted["id"])
    assert (thread.title, thread.url, thread.film, thread.metadata_from_site) == ("FAKE", f"{ORIGIN}/x", wick, False)


def test_a_page_fills_in_what_no_one_has_said_yet(embedded, film, client):
    resolve(client, url=PAGE)

    filled = resolve(client, url=PAGE, title="Reactions", film="ballerina").json()

    assert (filled["title"], filled["film"]["slug"]) == ("Reactions", "ballerina")


def test_the_sites_api_key_corrects_a_squatted_thread_and_pages_cannot_undo_it(embedded, film, client):
    Film.objects.create(title="John Wick", slug="john-wick")
    squatted = resolve(client, url=f"{ORIGIN}/x", thread="wp-999", title="FAKE", film="john-wick").json()
    version = Thread.objects.get(pk=squatted["id"]).version
    _, key = api_key_create(site=embedded, name="wp")

    corrected = client.post(
        "/api/v1/embed/threads",
        {"url": PAGE, "thread": "wp-999", "title": "Ballerina reactions", "film": "ballerina"},
        content_type="application/json",
        headers={"Authorization": f"Api-Key {key}"},
    )

    assert corrected.status_code == 200, corrected.content
    body = corrected.json()
    assert (body["id"], body["title"], body["url"], body["film"]["slug"]) == (
        squatted["id"],
        "Ballerina reactions",
        PAGE,
        "ballerina",
    )
    thread = Thread.objects.get(pk=squatted["id"])
    assert thread.metadata_from_site
    assert thread.version > version  # cached pages show the new film's badges

    again = resolve(client, url=f"{ORIGIN}/x", thread="wp-999", title="FAKE again", film="john-wick").json()
    assert (again["title"], again["url"], again["film"]["slug"]) == ("Ballerina reactions", PAGE, "ballerina")


def test_a_thread_opened_with_the_api_key_is_the_sites_word_from_the_start(embedded, film, client):
    _, key = api_key_create(site=embedded, name="wp")
    opened = client.post(
        "/api/v1/embed/threads",
        {"url": PAGE, "thread": "wp-4512"},
        content_type="application/json",
        headers={"Authorization": f"Api-Key {key}"},
    )
    assert opened.status_code == 201

    page = resolve(client, url=f"{ORIGIN}/x", thread="wp-4512", title="FAKE", film="ballerina").json()

    assert (page["title"], page["film"]) == ("", None)  # the site left them empty on purpose
    assert Thread.objects.get(key="wp-4512").metadata_from_site


def test_staff_correct_a_threads_metadata_in_the_admin_and_pages_cannot_undo_it(embedded, film, client):
    from talkies.accounts.models import User

    Film.objects.create(title="John Wick", slug="john-wick")
    squatted = resolve(client, url=f"{ORIGIN}/x", thread="wp-999", title="FAKE", film="john-wick").json()
    version = Thread.objects.get(pk=squatted["id"]).version
    staff = Client()
    staff.force_login(User.objects.create_superuser(username="admin", password="correct horse battery staple"))

    saved = staff.post(
        f"/admin/comments/thread/{squatted['id']}/change/",
        {"title": "Ballerina reactions", "url": PAGE, "film": film.pk},
    )

    assert saved.status_code == 302, saved.content.decode()[:2000]
    thread = Thread.objects.get(pk=squatted["id"])
    assert (thread.title, thread.url, thread.film) == ("Ballerina reactions", PAGE, film)
    assert thread.metadata_from_site
    assert thread.version > version
    again = resolve(client, url=f"{ORIGIN}/x", thread="wp-999", title="FAKE again").json()
    assert again["title"] == "Ballerina reactions"
