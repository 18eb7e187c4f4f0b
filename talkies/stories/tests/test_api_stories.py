"""The stories API: the current site's published stories, newest first, and one story in full."""

import datetime

import pytest
from django.utils import timezone

from talkies.catalogue.models import Film
from talkies.comments.services import comment_create
from talkies.lib.cursors import encode_cursor
from talkies.stories.services import critic_review_create, story_create


def publish(site, *, title: str, kind: str = "news", hours_ago: float = 1, films=(), author=None, **extra):
    return story_create(
        site=site,
        kind=kind,
        title=title,
        body=extra.pop("body", "Words."),
        author=author,
        published_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        films=films,
        **extra,
    )


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]


# --- The list ---------------------------------------------------------------------------------------


def test_it_lists_the_sites_published_stories_newest_first(client, site, editor, film):
    publish(site, title="Older", hours_ago=5, films=[film], author=editor)
    publish(site, title="Newer", hours_ago=1)

    response = client.get("/api/v1/stories")

    assert response.status_code == 200
    assert slugs(response) == ["newer", "older"]
    older = response.json()["items"][1]
    assert older["author_name"] == "editor"
    assert older["films"] == [{"slug": "ballerina", "title": "Ballerina"}]
    assert older["thread"] is None
    assert response.json()["next_cursor"] is None


def test_it_leaves_out_drafts_scheduled_stories_and_other_sites_stories(client, site, other_site):
    publish(site, title="Published")
    story_create(site=site, kind="news", title="Draft", body="Not yet.")
    publish(site, title="Scheduled", hours_ago=-2)
    publish(other_site, title="Elsewhere")

    assert slugs(client.get("/api/v1/stories")) == ["published"]


def test_it_filters_by_kind(client, site):
    publish(site, title="A review", kind="review")
    publish(site, title="Some news", kind="news")

    assert slugs(client.get("/api/v1/stories?kind=review")) == ["a-review"]


def test_it_rejects_a_kind_it_does_not_know_naming_kind(client, site):
    response = client.get("/api/v1/stories?kind=gossip")

    assert response.status_code == 422
    assert response.json()["field"] == "kind"


def test_it_filters_by_film(client, site, film):
    publish(site, title="About Ballerina", films=[film])
    publish(site, title="About nothing")

    assert slugs(client.get("/api/v1/stories?film=ballerina")) == ["about-ballerina"]


def test_filtering_by_an_unknown_film_is_not_found_naming_film(client, site):
    response = client.get("/api/v1/stories?film=nope")

    assert response.status_code == 404
    assert response.json() == {"error": "no film with slug 'nope'", "field": "film"}


def test_it_pages_through_stories_with_the_cursor(client, site):
    for hours_ago in range(1, 6):
        publish(site, title=f"Story {hours_ago}", hours_ago=hours_ago)

    first = client.get("/api/v1/stories?limit=2").json()
    second = client.get(f"/api/v1/stories?limit=2&cursor={first['next_cursor']}").json()
    third = client.get(f"/api/v1/stories?limit=2&cursor={second['next_cursor']}").json()

    seen = [item["slug"] for page in (first, second, third) for item in page["items"]]
    assert seen == [f"story-{n}" for n in range(1, 6)]
    assert third["next_cursor"] is None


def test_it_rejects_a_cursor_it_did_not_issue(client, site):
    response = client.get("/api/v1/stories?cursor=bogus")

    assert response.status_code == 400
    assert response.json()["field"] == "cursor"


@pytest.mark.parametrize(
    "values",
    [
        ["2025-06-06T18:30:00+00:00", True],  # JSON true is a Python int: it used to reach the query
        ["2025-06-06T18:30:00+00:00", 2**70],  # beyond the id column: it used to overflow (500)
        ["2025-06-06T18:30:00", 3],  # a time without its zone
        ["2025-06-06T18:30:00+00:00", 3, 4],
    ],
)
def test_it_rejects_a_well_encoded_cursor_of_the_wrong_types(client, site, values):
    response = client.get(f"/api/v1/stories?cursor={encode_cursor(values)}")

    assert response.status_code == 400
    assert response.json() == {
        "error": "cursor is not one we issued: start again from the first page",
        "field": "cursor",
    }


def test_the_list_costs_the_same_queries_for_3_or_30_stories(client, site, film, editor, django_assert_num_queries):
    for n in range(3):
        publish(site, title=f"Small {n}", films=[film], author=editor)
    client.get("/api/v1/stories")  # warms the site-by-host cache, which every request reads

    # The stories with their authors and threads, then their films.
    with django_assert_num_queries(2):
        client.get("/api/v1/stories?limit=100")
    for n in range(27):
        publish(site, title=f"Large {n}", films=[film], author=editor)
    with django_assert_num_queries(2):
        response = client.get("/api/v1/stories?limit=100")

    assert len(response.json()["items"]) == 30


# --- One story --------------------------------------------------------------------------------------


def test_it_shows_a_story_with_its_body_films_reviews_related_stories_and_thread(
    client, site, film, editor, story, thread, reader
):
    review = publish(site, title="Ballerina review", kind="review", films=[film], author=editor)
    critic_review_create(story=review, film=film, critic_name="Ed Critic", score="7/10", verdict="Graceful.")
    review.related.add(story)
    comment_create(thread=thread, author=reader, body="Seen it twice")

    reaction = client.get(f"/api/v1/stories/{story.slug}").json()
    reviewed = client.get("/api/v1/stories/ballerina-review").json()

    assert reaction["body_html"] == "<p>Tell us <strong>below</strong>.</p>\n"
    assert reaction["call_to_action"] == "What did you think of the movie?"
    assert reaction["films"] == [{"slug": "ballerina", "title": "Ballerina"}]
    assert reaction["thread"] == {"id": thread.pk, "comment_count": 1, "is_closed": False}
    assert reaction["related"] == [{"slug": "ballerina-review", "kind": "review", "title": "Ballerina review"}]
    assert reviewed["critic_reviews"] == [
        {
            "film": {"slug": "ballerina", "title": "Ballerina"},
            "critic_name": "Ed Critic",
            "score_text": "7/10",
            "normalised": 70.0,
            "verdict": "Graceful.",
        }
    ]


def test_related_stories_that_readers_cannot_open_are_left_out(client, site, other_site, story):
    draft = story_create(site=site, kind="news", title="Draft", body="Not yet.")
    elsewhere = publish(other_site, title="Elsewhere")
    story.related.add(draft, elsewhere)

    assert client.get(f"/api/v1/stories/{story.slug}").json()["related"] == []


def test_another_sites_story_is_not_found(client, site, other_site):
    publish(other_site, title="Elsewhere")

    response = client.get("/api/v1/stories/elsewhere")

    assert response.status_code == 404
    assert response.json() == {"error": "no story with slug 'elsewhere' on Reel News", "field": "slug"}


def test_a_draft_is_not_found(client, site):
    story_create(site=site, kind="news", title="Draft", body="Not yet.")

    assert client.get("/api/v1/stories/draft").status_code == 404


def test_a_story_costs_the_same_queries_however_much_it_links(client, site, editor, django_assert_num_queries):
    story = publish(site, title="Round-up", author=editor)
    client.get("/api/v1/stories/round-up")

    # The story with author and thread, its films, its critic reviews, its related stories.
    with django_assert_num_queries(4):
        client.get("/api/v1/stories/round-up")
    for n in range(10):
        film = Film.objects.create(title=f"Film {n}", slug=f"film-{n}")
        story.films.add(film)
        critic_review_create(story=story, film=film, critic_name="Critic", score="B")
        story.related.add(publish(site, title=f"Related {n}"))
    with django_assert_num_queries(4):
        response = client.get("/api/v1/stories/round-up")

    assert len(response.json()["critic_reviews"]) == 10
    assert len(response.json()["related"]) == 10
