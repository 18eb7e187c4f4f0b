"""Atom feeds: per thread, per story, per site; only what readers may see, and never a spoiler."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from talkies.comments.feeds import SPOILER_NOTICE
from talkies.comments.models import Comment, Thread
from talkies.comments.services import comment_create, comment_remove
from talkies.stories.services import story_create

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    found = []
    for entry in root.iter(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        assert link is not None, "every Atom entry needs a link"
        found.append(
            {
                "title": entry.findtext(f"{ATOM}title") or "",
                "summary": entry.findtext(f"{ATOM}summary") or "",
                "link": link.get("href", ""),
            }
        )
    return found


def test_the_thread_feed_lists_its_comments_newest_first_with_permalinks(client, thread, story, reader):
    older = comment_create(
        thread=thread, author=reader, body="First **thoughts**", created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    newer = comment_create(thread=thread, author=reader, body="Second thoughts")

    items = entries(client.get(f"/feeds/threads/{thread.pk}.atom"))

    assert [item["link"] for item in items] == [
        f"http://testserver/stories/{story.slug}/comments/{newer.pk}/",
        f"http://testserver/stories/{story.slug}/comments/{older.pk}/",
    ]
    assert items[0]["title"] == f"Rita Reader on {story.title}"
    assert "<strong>thoughts</strong>" in items[1]["summary"]


def test_inline_spoilers_become_a_placeholder_and_spoiler_comments_a_notice(client, thread, reader):
    comment_create(thread=thread, author=reader, body="So >!Winston betrays her!< in the end")
    comment_create(thread=thread, author=reader, body="The whole ending, in detail", is_spoiler=True)

    feed = client.get(f"/feeds/threads/{thread.pk}.atom")
    summaries = [item["summary"] for item in entries(feed)]

    body = feed.content.decode()
    assert "Winston betrays" not in body and "The whole ending" not in body
    assert SPOILER_NOTICE in summaries[0]
    assert "So [spoiler] in the end" in summaries[1]


def test_a_feed_shows_the_html_stored_at_write_time_and_renders_no_body_again(client, thread, reader, monkeypatch):
    # A feed used to render every body again, so one hostile body (`[` x 10,000) cost each feed reader
    # seconds. The body is rendered once, when it is written; the feed reads that.
    comment = comment_create(thread=thread, author=reader, body="Plain words and >!the twist!< here")
    Comment.objects.filter(pk=comment.pk).update(
        body_html='<p>Stored words and <span class="spoiler" data-spoiler="">the twist</span> here</p>'
    )

    def no_rendering(source: str) -> str:
        raise AssertionError("a feed rendered a comment body again")

    monkeypatch.setattr("talkies.comments.feeds.render_markdown", no_rendering)
    feed = client.get(f"/feeds/threads/{thread.pk}.atom")

    [entry] = entries(feed)
    assert "Stored words and [spoiler] here" in entry["summary"]
    assert "the twist" not in feed.content.decode()


def test_feeds_leave_out_removed_and_unapproved_comments(client, thread, reader):
    comment_create(thread=thread, author=reader, body="Shown")
    removed = comment_create(thread=thread, author=reader, body="Withdrawn words")
    pending = comment_create(thread=thread, author=reader, body="Awaiting moderation")
    comment_remove(comment=removed, actor=reader)
    Comment.objects.filter(pk=pending.pk).update(status=Comment.Status.PENDING)

    body = client.get(f"/feeds/threads/{thread.pk}.atom").content.decode()

    assert "Shown" in body
    assert "Withdrawn" not in body and "Awaiting" not in body and "removed by its author" not in body


def test_the_story_feed_lists_the_storys_comments(client, thread, story, reader):
    comment_create(thread=thread, author=reader, body="On the story")
    items = entries(client.get(f"/feeds/stories/{story.slug}.atom"))
    assert ["On the story" in item["summary"] for item in items] == [True]


def test_the_site_feeds_list_the_latest_comments_and_stories_of_this_site_only(
    client, site, other_site, thread, story, editor, reader
):
    comment_create(thread=thread, author=reader, body="Here")
    elsewhere = Thread.objects.create(site=other_site, key="https://other.example/x", title="Elsewhere")
    comment_create(thread=elsewhere, author=reader, body="Over there")
    story_create(
        site=other_site, kind="news", title="Their story", body="x", author=editor, published_at=timezone.now()
    )

    comments = client.get("/feeds/comments.atom").content.decode()
    stories = entries(client.get("/feeds/stories.atom"))

    assert "Here" in comments and "Over there" not in comments
    assert [item["title"] for item in stories] == [story.title]


def test_drafts_and_other_sites_threads_have_no_feed(client, site, other_site, editor, reader):
    draft = story_create(site=site, kind="news", title="Draft", body="Soon", author=editor, published_at=None)
    draft_thread = Thread.objects.create(site=site, key=f"story:{draft.pk}", story=draft)
    elsewhere = Thread.objects.create(site=other_site, key="https://other.example/x")

    assert client.get(f"/feeds/threads/{draft_thread.pk}.atom").status_code == 404
    assert client.get(f"/feeds/stories/{draft.slug}.atom").status_code == 404
    assert client.get(f"/feeds/threads/{elsewhere.pk}.atom").status_code == 404


@pytest.mark.parametrize("comments", [2, 40])
def test_a_feed_costs_the_same_queries_for_2_or_40_comments(
    client, thread, reader, comments, django_assert_num_queries
):
    for i in range(comments):
        comment_create(thread=thread, author=reader, body=f"Comment {i}")
    client.get("/feeds/comments.atom")  # the site-by-host cache

    # The thread, then its comments with their authors and stories.
    with django_assert_num_queries(2):
        client.get(f"/feeds/threads/{thread.pk}.atom")


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SHADOWED])
def test_replies_under_a_comment_the_thread_hides_are_not_in_any_feed(client, thread, reader, second_reader, status):
    held = comment_create(thread=thread, author=reader, body="Held later")
    reply = comment_create(thread=thread, author=second_reader, body="A reply under it", parent=held)
    deeper = comment_create(thread=thread, author=reader, body="Deeper still", parent=reply)
    shown = comment_create(thread=thread, author=second_reader, body="On its own")
    Comment.objects.filter(pk=held.pk).update(status=status)

    for feed in (f"/feeds/threads/{thread.pk}.atom", "/feeds/comments.atom"):
        links = [item["link"] for item in entries(client.get(feed))]
        assert [link.rsplit("/", 2)[-2] for link in links] == [str(shown.pk)], feed
    assert reply.pk and deeper.pk


def test_replies_under_a_placeholder_stay_in_the_feed_as_on_the_thread(client, thread, reader, second_reader):
    removed = comment_create(thread=thread, author=reader, body="Removed later")
    reply = comment_create(thread=thread, author=second_reader, body="Still here", parent=removed)
    comment_remove(comment=removed, actor=reader)

    links = [item["link"] for item in entries(client.get(f"/feeds/threads/{thread.pk}.atom"))]

    assert [link.rsplit("/", 2)[-2] for link in links] == [str(reply.pk)]
