"""GET /api/v1/counts: comment counts for many threads in one request and one query; and the editors'
feature and close endpoints, which change what those threads show."""

import datetime

import pytest
from django.utils import timezone

from talkies.comments.models import Thread
from talkies.comments.services import comment_create
from talkies.stories.services import story_create


@pytest.fixture
def page_thread(site):
    return Thread.objects.create(site=site, key="https://reelnews.example/ballerina-review", title="Review")


def counts(client, *refs: str):
    query = "&".join(f"thread={ref}" for ref in refs)
    return client.get(f"/api/v1/counts?{query}")


def test_it_counts_comments_by_thread_id_and_by_key(client, thread, page_thread, reader):
    comment_create(thread=thread, author=reader, body="One")
    comment_create(thread=thread, author=reader, body="Two")
    comment_create(thread=page_thread, author=reader, body="Three")

    response = counts(client, str(thread.pk), page_thread.key, f"story:{thread.story_id}")

    assert response.status_code == 200
    assert response.json() == {
        "counts": {
            str(thread.pk): {"comments": 2},
            page_thread.key: {"comments": 1},
            f"story:{thread.story_id}": {"comments": 2},
        }
    }


def test_digits_that_are_not_ascii_are_a_key_not_an_id(client, site):
    # str.isdigit() accepts "²" and "٣", which int() then refuses: that was a 500.
    assert counts(client, "%C2%B2", "%D9%A3").json() == {"counts": {"²": {"comments": 0}, "٣": {"comments": 0}}}


def test_unknown_threads_count_zero_rather_than_failing(client, site):
    assert counts(client, "https://nowhere.example/", "99999").json() == {
        "counts": {"https://nowhere.example/": {"comments": 0}, "99999": {"comments": 0}}
    }


def test_another_sites_and_drafts_threads_count_zero(client, site, other_site, editor, reader):
    elsewhere = Thread.objects.create(site=other_site, key="https://other.example/x")
    comment_create(thread=elsewhere, author=reader, body="Elsewhere")
    draft = story_create(site=site, kind="news", title="Draft", body="Soon", author=editor, published_at=None)
    draft_thread = Thread.objects.create(site=site, key=f"story:{draft.pk}", story=draft, comment_count=4)

    body = counts(client, elsewhere.key, str(elsewhere.pk), draft_thread.key).json()

    assert {ref: c["comments"] for ref, c in body["counts"].items()} == {
        elsewhere.key: 0,
        str(elsewhere.pk): 0,
        draft_thread.key: 0,
    }


@pytest.mark.parametrize("threads", [2, 60])
def test_counts_cost_one_query_for_2_or_60_threads(client, site, threads, django_assert_num_queries):
    keys = [Thread.objects.create(site=site, key=f"https://reelnews.example/{i}").key for i in range(threads)]
    counts(client, "warm")  # the site-by-host cache

    with django_assert_num_queries(1):
        response = counts(client, *keys)

    assert len(response.json()["counts"]) == threads


def test_it_refuses_more_than_a_hundred_threads_naming_the_parameter(client, site):
    response = counts(client, *[str(i) for i in range(101)])
    assert response.status_code == 400
    assert response.json()["field"] == "thread"
    assert "at most 100" in response.json()["error"]


# --- Featuring and closing --------------------------------------------------------------------------


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_an_editor_features_a_comment_and_it_heads_the_first_page(client, thread, editor, reader):
    comment = comment_create(thread=thread, author=reader, body="Best take")
    comment_create(thread=thread, author=reader, body="Another")
    client.force_login(editor)

    response = post_json(client, f"/api/v1/comments/{comment.pk}/feature", {"featured": True})

    assert response.status_code == 200
    assert response.json()["is_featured"] is True
    page = client.get(f"/api/v1/threads/{thread.pk}/comments?limit=1").json()
    assert [c["id"] for c in page["featured"]] == [comment.pk]
    later = client.get(f"/api/v1/threads/{thread.pk}/comments?limit=1&cursor={page['next_cursor']}").json()
    assert later["featured"] == []  # only the first page repeats them


def test_a_reader_cannot_feature_comments(client, thread, reader, second_reader):
    comment = comment_create(thread=thread, author=reader, body="Mine")
    client.force_login(second_reader)
    response = post_json(client, f"/api/v1/comments/{comment.pk}/feature", {"featured": True})
    assert response.status_code == 403
    assert "editors and moderators" in response.json()["error"]


def test_another_sites_moderator_cannot_close_this_sites_thread(client, thread, outsider):
    client.force_login(outsider)
    response = post_json(client, f"/api/v1/threads/{thread.pk}/close", {"closed": True})
    assert response.status_code == 403
    thread.refresh_from_db()
    assert thread.is_closed is False


def test_a_moderator_closes_a_thread_and_new_comments_are_refused(client, thread, moderator, reader):
    client.force_login(moderator)
    response = post_json(client, f"/api/v1/threads/{thread.pk}/close", {"closed": True})
    assert response.status_code == 200
    assert response.json()["is_closed"] is True

    client.force_login(reader)
    refused = post_json(client, f"/api/v1/threads/{thread.pk}/comments", {"body": "Too late?"})
    assert refused.status_code == 403


def test_feature_and_close_need_a_login(client, thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Mine")
    assert post_json(client, f"/api/v1/comments/{comment.pk}/feature", {"featured": True}).status_code == 401
    assert post_json(client, f"/api/v1/threads/{thread.pk}/close", {"closed": True}).status_code == 401


def test_the_page_carries_the_threads_comment_count(client, thread, reader):
    for i in range(3):
        comment_create(
            thread=thread, author=reader, body=f"{i}", created_at=timezone.now() - datetime.timedelta(minutes=i)
        )
    page = client.get(f"/api/v1/threads/{thread.pk}/comments?limit=1").json()
    assert page["comment_count"] == 3
