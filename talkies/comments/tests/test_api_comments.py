"""The conversation API: threads, comment pages, posting, editing, removing and voting."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from talkies.comments.models import Comment, Thread, Vote
from talkies.comments.services import comment_create, comment_remove
from talkies.ratings.services import rating_set
from talkies.stories.services import story_create


@pytest.fixture
def other_thread(other_site, film):
    return Thread.objects.create(site=other_site, key="https://other.example/ballerina", film=film, title="Elsewhere")


def comments_url(thread, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/api/v1/threads/{thread.pk}/comments" + (f"?{query}" if query else "")


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def fill_thread(thread, author, *, top_level: int, replies_each: int = 1) -> list[Comment]:
    """Top-level comments a second apart, each with `replies_each` replies."""
    start = timezone.now() - datetime.timedelta(hours=1)
    roots = []
    for i in range(top_level):
        root = comment_create(
            thread=thread, author=author, body=f"Comment {i}", created_at=start + datetime.timedelta(seconds=i)
        )
        for j in range(replies_each):
            comment_create(thread=thread, author=author, body=f"Reply {i}.{j}", parent=root)
        roots.append(root)
    return roots


# --- Threads ----------------------------------------------------------------------------------------


def test_it_describes_a_thread_with_its_story_and_film(client, thread):
    response = client.get(f"/api/v1/threads/{thread.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == thread.pk
    assert body["story"]["slug"] == "what-did-you-think-of-ballerina"
    assert body["film"] == {"slug": "ballerina", "title": "Ballerina"}
    assert body["comment_count"] == 0
    assert body["default_sort"] == "best"


def test_another_sites_thread_is_not_found(client, thread, other_thread):
    response = client.get(f"/api/v1/threads/{other_thread.pk}")

    assert response.status_code == 404
    assert response.json() == {"error": f"no thread {other_thread.pk} on Reel News", "field": "thread_id"}


def test_another_sites_comments_are_not_found(client, thread, other_thread, reader):
    comment_create(thread=other_thread, author=reader, body="Not for Reel News readers")

    assert client.get(comments_url(other_thread)).status_code == 404


def test_a_draft_storys_thread_is_not_found(client, site, film, editor):
    draft = story_create(site=site, kind="news", title="Coming soon", body="Draft.", author=editor, films=[film])
    draft_thread = Thread.objects.create(site=site, key="story:draft", story=draft, film=film)

    assert client.get(f"/api/v1/threads/{draft_thread.pk}").status_code == 404


def test_it_opens_a_storys_thread_on_first_use(client, story):
    first = client.get(f"/api/v1/stories/{story.slug}/thread")
    second = client.get(f"/api/v1/stories/{story.slug}/thread")

    assert first.status_code == 200
    assert first.json()["id"] == second.json()["id"] == Thread.objects.get(story=story).pk


# --- Reading comments -------------------------------------------------------------------------------


def test_it_lists_comments_oldest_first_with_replies_nested(client, thread, reader, second_reader):
    first = comment_create(thread=thread, author=reader, body="First!")
    reply = comment_create(thread=thread, author=second_reader, body="A reply", parent=first)
    comment_create(thread=thread, author=reader, body="A reply to the reply", parent=reply)
    second = comment_create(thread=thread, author=second_reader, body="Second, with **bold**", is_spoiler=True)

    response = client.get(comments_url(thread, sort="old", limit=200))

    assert response.status_code == 200
    body = response.json()
    assert body["sort"] == "old"
    assert body["next_cursor"] is None
    assert [c["id"] for c in body["comments"]] == [first.pk, second.pk]
    top = body["comments"][0]
    assert top["author_name"] == "Rita Reader"
    assert top["reply_count"] == 1
    assert top["replies"][0]["id"] == reply.pk
    assert top["replies"][0]["parent_id"] == first.pk
    assert top["replies"][0]["depth"] == 1
    assert top["replies"][0]["replies"][0]["body_html"] == "<p>A reply to the reply</p>\n"
    assert top["replies"][0]["replies"][0]["depth"] == 2
    spoiler = body["comments"][1]
    assert spoiler["is_spoiler"] is True
    assert spoiler["body_html"] == "<p>Second, with <strong>bold</strong></p>\n"
    assert set(spoiler) == {
        "id", "parent_id", "depth", "author_name", "body_html", "is_spoiler", "status", "created_at",
        "edited_at", "upvotes", "downvotes", "reply_count", "author_rating", "replies",
        "has_inline_spoiler", "is_featured", "more_replies", "more_replies_cursor",
        "can_edit", "can_remove", "can_report", "editable_until", "moderation_notice",
    }  # fmt: skip


def test_top_level_comments_carry_their_authors_rating_of_the_film(client, site, film, thread, reader):
    rating_set(site=site, film=film, user=reader, value=8)
    top = comment_create(thread=thread, author=reader, body="Loved it")
    comment_create(thread=thread, author=reader, body="And a reply", parent=top)

    comment = client.get(comments_url(thread)).json()["comments"][0]

    assert comment["author_rating"] == 8
    assert comment["replies"][0]["author_rating"] is None


def test_it_uses_the_sites_default_sort_when_none_is_asked_for(client, site, thread, reader, second_reader):
    site.default_comment_sort = "new"
    site.save()
    older, newer = fill_thread(thread, reader, top_level=2, replies_each=0)

    body = client.get(comments_url(thread)).json()

    assert body["sort"] == "new"
    assert [c["id"] for c in body["comments"]] == [newer.pk, older.pk]


def test_it_sorts_by_votes_for_top(client, thread, reader, second_reader):
    quiet, popular = fill_thread(thread, reader, top_level=2, replies_each=0)
    Comment.objects.filter(pk=popular.pk).update(upvotes=5)

    body = client.get(comments_url(thread, sort="top")).json()

    assert [c["id"] for c in body["comments"]] == [popular.pk, quiet.pk]


def test_it_pages_through_a_thread_with_the_cursor(client, thread, reader):
    roots = fill_thread(thread, reader, top_level=5, replies_each=0)

    first = client.get(comments_url(thread, sort="old", limit=2)).json()
    second = client.get(comments_url(thread, sort="old", limit=2, cursor=first["next_cursor"])).json()
    third = client.get(comments_url(thread, sort="old", limit=2, cursor=second["next_cursor"])).json()

    seen = [c["id"] for page in (first, second, third) for c in page["comments"]]
    assert seen == [root.pk for root in roots]
    assert third["next_cursor"] is None


def test_it_rejects_a_limit_above_200_naming_limit(client, thread):
    response = client.get(comments_url(thread, limit=201))

    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "limit"
    assert body["error"] == "limit: Input should be less than or equal to 200"
    assert body["errors"] == [{"field": "limit", "message": "Input should be less than or equal to 200"}]


def test_it_rejects_an_unknown_sort_naming_sort(client, thread):
    response = client.get(comments_url(thread, sort="loudest"))

    assert response.status_code == 422
    assert response.json()["field"] == "sort"


def test_it_rejects_a_cursor_it_did_not_issue(client, thread, reader):
    fill_thread(thread, reader, top_level=1, replies_each=0)

    response = client.get(comments_url(thread, cursor="not-a-cursor"))

    assert response.status_code == 400
    assert response.json()["field"] == "cursor"


def test_it_rejects_a_cursor_from_another_sort_rather_than_failing(client, thread, reader):
    fill_thread(thread, reader, top_level=3, replies_each=0)
    new_cursor = client.get(comments_url(thread, sort="new", limit=1)).json()["next_cursor"]

    response = client.get(comments_url(thread, sort="best", cursor=new_cursor))

    assert response.status_code == 400
    assert response.json() == {
        "error": "cursor is not one we issued for this sort: start again from the first page",
        "field": "cursor",
    }


@pytest.mark.parametrize("sort", ["best", "top", "new", "old", "controversial"])
def test_a_thread_page_costs_five_queries_for_3_or_30_comments(
    client, site, film, thread, reader, second_reader, django_assert_num_queries, sort
):
    rating_set(site=site, film=film, user=reader, value=7)
    fill_thread(thread, reader, top_level=3, replies_each=1)
    url = comments_url(thread, sort=sort, limit=200)
    client.get(url)  # warms the site-by-host cache, which every request reads

    # The thread, the top-level comments, their first replies, the authors' rating badges, and (on the
    # first page) the featured comments.
    with django_assert_num_queries(5):
        small = client.get(url)
    fill_thread(thread, second_reader, top_level=27, replies_each=2)
    with django_assert_num_queries(5):
        large = client.get(url)

    assert len(small.json()["comments"]) == 3
    assert len(large.json()["comments"]) == 30
    assert sum(len(c["replies"]) for c in large.json()["comments"]) == 3 + 27 * 2


# --- Posting ----------------------------------------------------------------------------------------


def test_a_reader_posts_a_comment(client, thread, reader):
    client.force_login(reader)

    response = post_json(client, comments_url(thread), {"body": "Ana de Armas *was* Eve.", "is_spoiler": False})

    assert response.status_code == 201
    body = response.json()
    assert body["body_html"] == "<p>Ana de Armas <em>was</em> Eve.</p>\n"
    assert body["author_name"] == "Rita Reader"
    assert body["parent_id"] is None
    assert body["replies"] == []
    assert Comment.objects.get(pk=body["id"]).thread == thread
    assert Thread.objects.get(pk=thread.pk).comment_count == 1


def test_a_reader_replies_to_a_comment(client, thread, reader, second_reader):
    parent = comment_create(thread=thread, author=second_reader, body="Thoughts?")
    client.force_login(reader)

    response = post_json(client, comments_url(thread), {"body": "Loved it", "parent_id": parent.pk})

    assert response.status_code == 201
    assert response.json()["parent_id"] == parent.pk
    assert response.json()["depth"] == 1


def test_a_new_top_level_comment_shows_its_authors_rating(client, site, film, thread, reader):
    rating_set(site=site, film=film, user=reader, value=9)
    client.force_login(reader)

    response = post_json(client, comments_url(thread), {"body": "Nine out of ten"})

    assert response.json()["author_rating"] == 9


def test_it_refuses_a_comment_from_a_visitor_who_is_not_logged_in(client, thread):
    response = post_json(client, comments_url(thread), {"body": "Hello"})

    assert response.status_code == 401
    assert response.json() == {"error": "log in to comment", "field": None}
    assert not Comment.objects.exists()


def test_it_rejects_an_empty_body_naming_body(client, thread, reader):
    client.force_login(reader)

    response = post_json(client, comments_url(thread), {"body": "   "})

    assert response.status_code == 400
    assert response.json() == {"error": "body is empty: write something before posting", "field": "body"}


def test_it_rejects_a_body_longer_than_the_sites_maximum(client, site, thread, reader):
    site.comment_max_length = 10
    site.save()
    client.force_login(reader)

    response = post_json(client, comments_url(thread), {"body": "x" * 11})

    assert response.status_code == 400
    assert response.json()["field"] == "body"
    assert "maximum is 10" in response.json()["error"]


def test_it_rejects_unknown_fields_rather_than_dropping_them(client, thread, reader):
    client.force_login(reader)

    response = post_json(client, comments_url(thread), {"body": "Hi", "is_spolier": True})

    assert response.status_code == 422
    assert response.json()["field"] == "is_spolier"
    assert response.json()["error"] == "is_spolier: Extra inputs are not permitted"


def test_it_rejects_a_parent_id_given_as_a_string(client, thread, reader):
    client.force_login(reader)

    response = post_json(client, comments_url(thread), {"body": "Hi", "parent_id": "12"})

    assert response.status_code == 422
    assert response.json()["field"] == "parent_id"


def test_it_reports_every_invalid_field(client, thread, reader):
    client.force_login(reader)

    response = post_json(client, comments_url(thread), {"is_spoiler": "yes"})

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"body", "is_spoiler"}


def test_it_rejects_a_body_that_is_not_json(client, thread, reader):
    client.force_login(reader)

    response = client.post(comments_url(thread), "body=hello", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": "body is not valid JSON: send a JSON object", "field": "body"}


def test_it_rejects_a_reply_to_a_comment_in_another_thread(client, site, thread, reader, editor, film):
    elsewhere = Thread.objects.create(site=site, key="https://reelnews.example/other", film=film)
    foreign = comment_create(thread=elsewhere, author=editor, body="Over here")
    client.force_login(reader)

    response = post_json(client, comments_url(thread), {"body": "Hi", "parent_id": foreign.pk})

    assert response.status_code == 400
    assert response.json() == {
        "error": f"no comment {foreign.pk} in thread {thread.pk} to reply to",
        "field": "parent_id",
    }


def test_it_rejects_a_reply_to_a_removed_comment_naming_parent_id(client, thread, reader, second_reader):
    parent = comment_create(thread=thread, author=second_reader, body="Never mind")
    comment_remove(comment=parent, actor=second_reader)
    client.force_login(reader)

    response = post_json(client, comments_url(thread), {"body": "Too late", "parent_id": parent.pk})

    assert response.status_code == 400
    assert response.json() == {
        "error": "you cannot reply to a comment that has been removed",
        "field": "parent_id",
    }


def test_it_refuses_a_comment_on_a_closed_thread(client, thread, reader):
    Thread.objects.filter(pk=thread.pk).update(is_closed=True)
    client.force_login(reader)

    response = post_json(client, comments_url(thread), {"body": "Hello?"})

    assert response.status_code == 403
    assert response.json() == {"error": "this thread is closed to new comments", "field": "thread"}


def test_it_refuses_a_comment_on_another_sites_thread(client, thread, other_thread, reader):
    client.force_login(reader)

    response = post_json(client, comments_url(other_thread), {"body": "Crossing over"})

    assert response.status_code == 404
    assert not Comment.objects.exists()


# --- CSRF: a session cookie alone must not be enough to write -----------------------------------------


@pytest.fixture
def csrf_client(reader) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    return client


def test_a_write_without_a_csrf_token_is_refused(csrf_client, thread):
    response = post_json(csrf_client, comments_url(thread), {"body": "Forged"})

    assert response.status_code == 403
    assert response.json() == {
        "error": "CSRF check failed: send the csrf_token from GET /api/v1/session in an X-CSRFToken header",
        "field": None,
    }
    assert not Comment.objects.exists()


def test_a_write_with_the_csrf_token_from_the_session_endpoint_succeeds(csrf_client, thread):
    session = csrf_client.get("/api/v1/session").json()

    response = csrf_client.post(
        comments_url(thread),
        {"body": "Genuine"},
        content_type="application/json",
        headers={"X-CSRFToken": session["csrf_token"]},
    )

    assert session["user"] == {"username": "reader", "name": "Rita Reader"}
    assert response.status_code == 201


def test_a_visitor_who_is_not_logged_in_is_told_to_log_in_before_anything_about_csrf(thread):
    response = post_json(Client(enforce_csrf_checks=True), comments_url(thread), {"body": "Hi"})

    assert response.status_code == 401
    assert response.json()["error"] == "log in to comment"


# --- Editing and removing ---------------------------------------------------------------------------


def test_an_author_edits_their_comment(client, thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Typo")
    client.force_login(reader)

    response = client.patch(
        f"/api/v1/comments/{comment.pk}", {"body": "Fixed", "is_spoiler": True}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["body_html"] == "<p>Fixed</p>\n"
    assert response.json()["is_spoiler"] is True
    assert response.json()["edited_at"] is not None


def test_it_refuses_to_edit_someone_elses_comment(client, thread, reader, second_reader):
    comment = comment_create(thread=thread, author=second_reader, body="Mine")
    client.force_login(reader)

    response = client.patch(f"/api/v1/comments/{comment.pk}", {"body": "Yours now"}, content_type="application/json")

    assert response.status_code == 403
    assert response.json()["field"] == "comment"
    assert Comment.objects.get(pk=comment.pk).body_source == "Mine"


def test_it_refuses_an_edit_after_the_edit_window(client, thread, reader):
    comment = comment_create(
        thread=thread, author=reader, body="Old", created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(reader)

    response = client.patch(f"/api/v1/comments/{comment.pk}", {"body": "New"}, content_type="application/json")

    assert response.status_code == 403
    assert "within 15 minutes" in response.json()["error"]


def test_editing_another_sites_comment_is_not_found(client, site, other_thread, reader):
    comment = comment_create(thread=other_thread, author=reader, body="Elsewhere")
    client.force_login(reader)

    response = client.patch(f"/api/v1/comments/{comment.pk}", {"body": "Here"}, content_type="application/json")

    assert response.status_code == 404
    assert response.json() == {"error": f"no comment {comment.pk} on Reel News", "field": "comment_id"}


def test_an_author_removes_their_comment_and_its_name_goes_with_it(client, thread, reader, second_reader):
    comment = comment_create(thread=thread, author=reader, body="Regrets")
    comment_create(thread=thread, author=second_reader, body="Keep this reply", parent=comment)
    client.force_login(reader)

    response = client.delete(f"/api/v1/comments/{comment.pk}")

    assert response.status_code == 200
    assert response.json()["status"] == "removed"
    assert response.json()["author_name"] is None
    listed = client.get(comments_url(thread)).json()["comments"][0]
    assert listed["status"] == "removed"
    assert listed["author_name"] is None
    assert "Regrets" not in listed["body_html"]
    assert listed["replies"][0]["body_html"] == "<p>Keep this reply</p>\n"


def test_it_refuses_to_remove_someone_elses_comment(client, thread, reader, second_reader):
    comment = comment_create(thread=thread, author=second_reader, body="Mine")
    client.force_login(reader)

    response = client.delete(f"/api/v1/comments/{comment.pk}")

    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED


# --- Voting -----------------------------------------------------------------------------------------


def vote(client, comment, value):
    return post_json(client, f"/api/v1/comments/{comment.pk}/vote", {"value": value})


def test_a_reader_votes_changes_their_mind_and_withdraws(client, thread, reader, second_reader):
    comment = comment_create(thread=thread, author=second_reader, body="Vote on me")
    client.force_login(reader)

    up = vote(client, comment, 1)
    down = vote(client, comment, -1)
    withdrawn = vote(client, comment, 0)

    assert up.json() == {"comment_id": comment.pk, "upvotes": 1, "downvotes": 0, "your_vote": 1}
    assert down.json() == {"comment_id": comment.pk, "upvotes": 0, "downvotes": 1, "your_vote": -1}
    assert withdrawn.json() == {"comment_id": comment.pk, "upvotes": 0, "downvotes": 0, "your_vote": 0}
    assert not Vote.objects.exists()


def test_it_refuses_a_vote_on_your_own_comment(client, thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Me me me")
    client.force_login(reader)

    response = vote(client, comment, 1)

    assert response.status_code == 403
    assert response.json() == {"error": "you cannot vote on your own comment", "field": "comment"}


def test_it_rejects_a_vote_that_is_not_up_down_or_withdrawn(client, thread, reader, second_reader):
    comment = comment_create(thread=thread, author=second_reader, body="Vote on me")
    client.force_login(reader)

    response = vote(client, comment, 2)

    assert response.status_code == 422
    assert response.json()["field"] == "value"


def test_it_refuses_a_vote_from_a_visitor_who_is_not_logged_in(client, thread, second_reader):
    comment = comment_create(thread=thread, author=second_reader, body="Vote on me")

    response = vote(client, comment, 1)

    assert response.status_code == 401
    assert response.json()["error"] == "log in to vote"


def test_voting_on_another_sites_comment_is_not_found(client, site, other_thread, reader, second_reader):
    comment = comment_create(thread=other_thread, author=second_reader, body="Elsewhere")
    client.force_login(reader)

    assert vote(client, comment, 1).status_code == 404
    assert not Vote.objects.exists()
