"""Replies load a few at a time: a preview under each top-level comment, then pages of "more replies",
and a permalink's context. None of them ever reads a whole thread."""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from talkies.comments.models import Comment, Thread
from talkies.comments.selectors import (
    NESTED_PREVIEW,
    REPLIES_PREVIEW,
    comment_context,
    replies_page,
    thread_page,
)
from talkies.comments.services import comment_create
from talkies.lib.errors import NotFound, ServiceError

START = timezone.now() - datetime.timedelta(days=1)


def at(seconds: int) -> datetime.datetime:
    return START + datetime.timedelta(seconds=seconds)


def reply(parent: Comment, author, seconds: int, body: str = "A reply") -> Comment:
    return comment_create(thread=parent.thread, author=author, body=body, parent=parent, created_at=at(seconds))


def many_replies(parent: Comment, author, count: int) -> list[Comment]:
    """`count` direct replies to `parent` in one insert, counters kept as the services keep them."""
    root = parent.root or parent
    replies = Comment.objects.bulk_create(
        Comment(
            thread=parent.thread,
            parent=parent,
            root=root,
            depth=parent.depth + 1,
            author=author,
            body_source=f"Reply {i}",
            body_html=f"<p>Reply {i}</p>",
            created_at=at(1000 + i),
        )
        for i in range(count)
    )
    Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + count)
    Thread.objects.filter(pk=parent.thread_id).update(comment_count=F("comment_count") + count)
    return sorted(replies, key=lambda c: (c.created_at, c.pk))


def loaded(thread: Thread) -> Thread:
    return Thread.objects.select_related("site", "film").get(pk=thread.pk)


@pytest.fixture
def top(thread, reader):
    return comment_create(thread=thread, author=reader, body="Top", created_at=at(0))


# --- The preview under each top-level comment -------------------------------------------------------


def test_a_top_level_comment_shows_only_its_first_replies_and_counts_the_rest(thread, top, second_reader):
    replies = many_replies(top, second_reader, 12)

    (node,) = thread_page(thread=loaded(thread)).nodes

    assert [r.comment.pk for r in node.replies] == [c.pk for c in replies[:REPLIES_PREVIEW]]
    assert node.more_replies == 12 - REPLIES_PREVIEW
    assert node.more_replies_cursor is not None


def test_the_preview_is_the_first_replies_in_tree_order_nested_under_their_parents(thread, top, reader, second_reader):
    first = reply(top, second_reader, 1)
    answer = reply(first, reader, 2)
    second = reply(top, second_reader, 3)
    reply(answer, second_reader, 4)
    reply(top, second_reader, 5)
    late = reply(first, reader, 6)  # the sixth reply under the top comment: beyond the preview

    (node,) = thread_page(thread=loaded(thread)).nodes

    assert [r.comment.pk for r in node.replies] == [first.pk, second.pk, node.replies[2].comment.pk]
    first_node = node.replies[0]
    assert [r.comment.pk for r in first_node.replies] == [answer.pk]
    assert first_node.more_replies == 1  # `late` is counted where it belongs, not moved anywhere
    more = replies_page(parent=first, cursor=first_node.more_replies_cursor)
    assert [r.comment.pk for r in more.nodes] == [late.pk]


def test_a_comment_whose_replies_are_all_shown_has_no_more_replies(thread, top, second_reader):
    reply(top, second_reader, 1)
    (node,) = thread_page(thread=loaded(thread)).nodes
    assert node.more_replies == 0
    assert node.more_replies_cursor is None


@pytest.mark.parametrize("replies", [3, 300])
def test_a_page_costs_three_queries_whether_a_comment_has_3_or_300_replies(
    thread, top, reader, second_reader, replies, django_assert_num_queries
):
    many_replies(top, second_reader, replies)
    comment_create(thread=thread, author=reader, body="Another top comment", created_at=at(5))
    thread = loaded(thread)

    # Top-level comments, the first replies of each, the authors' rating badges.
    with django_assert_num_queries(3):
        page = thread_page(thread=thread, sort="old")
        shown = [(n.comment.author_name, [r.comment.author_name for r in n.replies]) for n in page.nodes]

    assert [len(names) for _, names in shown] == [min(replies, REPLIES_PREVIEW), 0]


# --- More replies -----------------------------------------------------------------------------------


def test_more_replies_pages_a_comments_direct_replies_oldest_first_by_cursor(thread, top, second_reader):
    replies = many_replies(top, second_reader, 45)
    seen, cursor = [], None
    while True:
        page = replies_page(parent=top, cursor=cursor, limit=20)
        seen += [node.comment.pk for node in page.nodes]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [c.pk for c in replies]


def test_each_reply_on_a_page_of_more_replies_brings_its_own_first_replies(thread, top, reader, second_reader):
    child = reply(top, second_reader, 1)
    grandchildren = [reply(child, reader, 10 + i) for i in range(NESTED_PREVIEW + 2)]

    (node,) = replies_page(parent=top).nodes

    assert [r.comment.pk for r in node.replies] == [c.pk for c in grandchildren[:NESTED_PREVIEW]]
    assert node.more_replies == 2
    rest = replies_page(parent=child, cursor=node.more_replies_cursor)
    assert [r.comment.pk for r in rest.nodes] == [c.pk for c in grandchildren[NESTED_PREVIEW:]]


@pytest.mark.parametrize("replies", [3, 300])
def test_a_page_of_more_replies_costs_three_queries_however_many_there_are(
    thread, top, reader, second_reader, replies, django_assert_num_queries
):
    children = many_replies(top, second_reader, replies)
    many_replies(children[0], reader, replies)

    with django_assert_num_queries(3):  # the path above the parent (one recursive query), replies, theirs
        page = replies_page(parent=top, limit=20)
        names = [(n.comment.author_name, [r.comment.author_name for r in n.replies]) for n in page.nodes]

    assert len(names) == min(replies, 20)
    assert len(names[0][1]) == NESTED_PREVIEW


def test_more_replies_refuses_a_cursor_it_did_not_issue(thread, top):
    with pytest.raises(ServiceError) as caught:
        replies_page(parent=top, cursor="garbage")
    assert caught.value.field == "cursor"


# --- Spoiler-free reading ---------------------------------------------------------------------------


def test_hiding_spoilers_leaves_out_flagged_and_inline_spoilers_and_their_replies(thread, reader, second_reader):
    clean = comment_create(thread=thread, author=reader, body="Loved it", created_at=at(0))
    flagged = comment_create(thread=thread, author=reader, body="The ending", is_spoiler=True, created_at=at(1))
    inline = comment_create(thread=thread, author=reader, body="So >!Winston!< lives", created_at=at(2))
    clean_reply = reply(clean, second_reader, 3)
    reply(clean, second_reader, 4, body="Yes, >!the fire!< scene")
    reply(flagged, second_reader, 5, body="Agreed")

    page = thread_page(thread=loaded(thread), sort="old", hide_spoilers=True)

    assert [n.comment.pk for n in page.nodes] == [clean.pk]
    assert [r.comment.pk for r in page.nodes[0].replies] == [clean_reply.pk]
    assert inline.pk not in [n.comment.pk for n in page.nodes]


# --- A comment in context ---------------------------------------------------------------------------


def test_the_context_of_a_deep_comment_is_its_path_from_the_top_and_its_first_replies(
    thread, top, reader, second_reader
):
    one = reply(top, second_reader, 1)
    reply(top, second_reader, 2)  # a sibling off the path: not shown, counted
    two = reply(one, reader, 3)
    three = reply(two, second_reader, 4)
    below = reply(three, reader, 5)

    context = comment_context(comment=Comment.objects.select_related("thread__site", "thread__film").get(pk=three.pk))

    assert [c.pk for c in context.path] == [top.pk, one.pk, two.pk, three.pk]
    assert context.root.comment.pk == top.pk
    assert context.root.more_replies == 1
    assert context.target.comment.pk == three.pk
    assert [r.comment.pk for r in context.target.replies] == [below.pk]


def test_the_context_costs_the_same_queries_however_deep_the_comment(thread, top, reader, django_assert_num_queries):
    parent = top
    for level in range(1, 9):
        parent = reply(parent, reader, level)
    reply(parent, reader, 10)
    deep = Comment.objects.select_related("thread__site", "thread__film").get(pk=parent.pk)

    # The path (one recursive query), the replies, their replies, the top comment's rating badge.
    with django_assert_num_queries(4):
        context = comment_context(comment=deep)

    assert len(context.path) == 9


def test_a_comment_under_a_pending_comment_has_no_context(thread, top, second_reader):
    child = reply(top, second_reader, 1)
    Comment.objects.filter(pk=top.pk).update(status=Comment.Status.PENDING)
    with pytest.raises(NotFound):
        comment_context(comment=Comment.objects.select_related("thread__site", "thread__film").get(pk=child.pk))


def test_a_comment_under_a_rejected_comment_keeps_its_context_under_a_placeholder(thread, top, second_reader):
    child = reply(top, second_reader, 1)
    Comment.objects.filter(pk=top.pk).update(status=Comment.Status.REJECTED)
    context = comment_context(comment=Comment.objects.select_related("thread__site", "thread__film").get(pk=child.pk))
    assert [c.pk for c in context.path] == [top.pk, child.pk]


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SHADOWED])
def test_the_replies_of_a_hidden_comment_are_as_hidden_as_on_the_thread(thread, top, second_reader, status):
    child = reply(top, second_reader, 1)
    grandchild = reply(child, second_reader, 2)
    Comment.objects.filter(pk=top.pk).update(status=status)

    assert thread_page(thread=loaded(thread)).nodes == []
    for parent in (top, child):  # the hidden comment, and a visible one under it
        with pytest.raises(NotFound) as caught:
            replies_page(parent=Comment.objects.get(pk=parent.pk))
        assert caught.value.field == "comment_id"
    assert grandchild.pk


def test_the_author_of_a_held_comment_still_reads_its_replies_as_the_thread_shows_them(
    thread, top, reader, second_reader
):
    from talkies.accounts.actors import Actor

    child = reply(top, second_reader, 1)
    Comment.objects.filter(pk=top.pk).update(status=Comment.Status.PENDING)
    author = Actor.of(reader)

    shown = thread_page(thread=loaded(thread), viewer=author).nodes
    page = replies_page(parent=Comment.objects.get(pk=top.pk), viewer=author)

    assert [r.comment.pk for r in shown[0].replies] == [r.comment.pk for r in page.nodes] == [child.pk]


# --- Through the API --------------------------------------------------------------------------------


def test_the_api_lists_more_replies_with_a_cursor_after_the_preview(client, thread, top, second_reader):
    replies = many_replies(top, second_reader, 8)
    page = client.get(f"/api/v1/threads/{thread.pk}/comments?sort=old").json()
    node = page["comments"][0]
    assert len(node["replies"]) == REPLIES_PREVIEW
    assert node["more_replies"] == 8 - REPLIES_PREVIEW

    response = client.get(f"/api/v1/comments/{top.pk}/replies?cursor={node['more_replies_cursor']}&limit=2")

    assert response.status_code == 200
    body = response.json()
    assert body["comment_id"] == top.pk
    assert [r["id"] for r in body["replies"]] == [c.pk for c in replies[REPLIES_PREVIEW : REPLIES_PREVIEW + 2]]
    assert body["next_cursor"] is not None


def test_the_api_gives_a_comments_context_for_a_permalink(client, thread, top, reader, second_reader):
    one = reply(top, second_reader, 1)
    two = reply(one, reader, 2)

    body = client.get(f"/api/v1/comments/{one.pk}/context").json()

    assert body["path"] == [top.pk, one.pk]
    assert body["root"]["id"] == top.pk
    assert body["root"]["replies"][0]["id"] == one.pk
    assert body["root"]["replies"][0]["replies"][0]["id"] == two.pk


def test_the_api_refuses_a_replies_page_size_out_of_range_naming_it(client, top):
    response = client.get(f"/api/v1/comments/{top.pk}/replies?limit=1000")
    assert response.status_code == 422
    assert response.json()["field"] == "limit"


def test_another_sites_comment_has_no_replies_here(client, site, other_site, reader):
    elsewhere = Thread.objects.create(site=other_site, key="https://other.example/x")
    comment = comment_create(thread=elsewhere, author=reader, body="Elsewhere")
    assert client.get(f"/api/v1/comments/{comment.pk}/replies").status_code == 404
    assert client.get(f"/api/v1/comments/{comment.pk}/context").status_code == 404


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SHADOWED])
def test_the_api_answers_404_for_the_replies_of_a_hidden_comment_as_for_its_context(
    client, thread, top, second_reader, status
):
    child = reply(top, second_reader, 1)
    Comment.objects.filter(pk=top.pk).update(status=status)

    for path in (f"/api/v1/comments/{top.pk}/replies", f"/api/v1/comments/{child.pk}/replies"):
        response = client.get(path)
        assert response.status_code == 404, (path, response.content)
        assert response.json()["field"] == "comment_id"
    assert client.get(f"/api/v1/comments/{child.pk}/context").status_code == 404
