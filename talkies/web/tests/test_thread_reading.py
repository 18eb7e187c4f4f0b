"""Reading a long conversation on the site: permalinks, continue-this-thread, more replies, the sort that
sticks, the spoiler-free filter, the spoiler shield, featured comments, editor controls, closed threads,
and a page head that never gives a spoiler away."""

import datetime
import re

import pytest
from django.db.models import F
from django.utils import timezone

from talkies.catalogue.status import film_release_date
from talkies.comments.models import Comment, Thread
from talkies.comments.selectors import REPLIES_PREVIEW
from talkies.comments.services import comment_create, comment_set_featured
from talkies.stories.services import story_create

from .helpers import page_queries, tags_in, text_of

START = timezone.now() - datetime.timedelta(hours=2)


def post(thread, author, body, *, parent=None, seconds=0, is_spoiler=False) -> Comment:
    created = START + datetime.timedelta(seconds=seconds)
    return comment_create(
        thread=thread, author=author, body=body, parent=parent, is_spoiler=is_spoiler, created_at=created
    )


def permalink(story, comment) -> str:
    return f"/stories/{story.slug}/comments/{comment.pk}/"


def head_of(page: str) -> str:
    return page.split("</head>")[0]


def many_replies(parent: Comment, author, count: int) -> list[Comment]:
    replies = Comment.objects.bulk_create(
        Comment(
            thread=parent.thread,
            parent=parent,
            root=parent.root or parent,
            depth=parent.depth + 1,
            author=author,
            body_source=f"Reply {i}",
            body_html=f"<p>Reply number {i}</p>",
            created_at=START + datetime.timedelta(minutes=1, seconds=i),
        )
        for i in range(count)
    )
    Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + count)
    Thread.objects.filter(pk=parent.thread_id).update(comment_count=F("comment_count") + count)
    return replies


# --- Permalinks and continue-this-thread ------------------------------------------------------------


def test_a_permalink_shows_the_path_down_to_the_comment_highlighted_with_its_replies(
    client, story, thread, reader, second_reader
):
    top = post(thread, reader, "The top comment")
    one = post(thread, second_reader, "A reply", parent=top, seconds=1)
    post(thread, second_reader, "A sibling off the path", parent=top, seconds=2)
    target = post(thread, reader, "The linked comment", parent=one, seconds=3)
    answer = post(thread, second_reader, "An answer to it", parent=target, seconds=4)

    page = client.get(permalink(story, target)).content.decode()

    text = text_of(page)
    assert text.index("The top comment") < text.index("A reply") < text.index("The linked comment")
    assert text.index("The linked comment") < text.index("An answer to it")
    assert "A sibling off the path" not in text
    target_tag = next(a for t, a in tags_in(page) if t == "li" and a.get("id") == f"comment-{target.pk}")
    assert "is-target" in (target_tag.get("class") or "")
    assert f'id="comment-{answer.pk}"' in page
    assert 'tabindex="-1"' in page.split(f'id="comment-{target.pk}"')[1].split("</header>")[0]
    assert f'href="{story.get_absolute_url()}#comments"' in page  # back to the whole thread
    assert "The linked comment" not in head_of(page)


def test_continue_this_thread_opens_the_deepest_shown_comment_with_its_deeper_replies(
    client, story, thread, reader, second_reader
):
    top = post(thread, reader, "Level zero")
    one = post(thread, second_reader, "Level one", parent=top, seconds=1)
    two = post(thread, reader, "Level two", parent=one, seconds=2)
    post(thread, second_reader, "Level three", parent=two, seconds=3)

    story_page = client.get(story.get_absolute_url()).content.decode()
    link = re.search(r'<p class="continue-thread"><a href="([^"]+)"', story_page)
    assert link is not None and link.group(1) == f"{permalink(story, two)}#comment-{two.pk}"

    continued = text_of(client.get(link.group(1)).content.decode())
    assert "Level two" in continued and "Level three" in continued


def test_more_replies_continue_after_the_ones_the_story_page_shows(client, story, thread, reader, second_reader):
    top = post(thread, reader, "A popular comment")
    many_replies(top, second_reader, REPLIES_PREVIEW + 3)

    story_page = client.get(story.get_absolute_url()).content.decode()
    assert "Reply number 4" in story_page and "Reply number 5" not in story_page
    link = re.search(r'<p class="more-replies"><a href="([^"]+)">3 more replies', story_page)
    assert link is not None

    more = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "Reply number 5" in more and "Reply number 7" in more
    assert "Reply number 4" not in more


def test_another_storys_comment_is_not_found_under_this_story(client, site, story, thread, editor, reader):
    other = story_create(site=site, kind="news", title="Other", body="x", author=editor, published_at=START)
    comment = post(thread, reader, "Mine")
    assert client.get(permalink(other, comment)).status_code == 404


@pytest.mark.parametrize("replies", [3, 300])
def test_the_story_page_costs_the_same_with_3_or_300_replies_under_one_comment(
    client, story, thread, reader, second_reader, replies, django_assert_max_num_queries
):
    top = post(thread, reader, "Top")
    many_replies(top, second_reader, replies)
    assert page_queries(client, story.get_absolute_url(), django_assert_max_num_queries, 9) <= 9


# --- Sorting ----------------------------------------------------------------------------------------


def test_the_sites_default_sort_applies_until_the_reader_chooses_one_which_then_sticks(
    client, site, story, thread, reader
):
    site.default_comment_sort = "old"
    site.save()
    older = post(thread, reader, "Older")
    newer = post(thread, reader, "Newer", seconds=5)

    def order(response) -> list[int]:
        found = re.findall(r'<li class="comment comment-level-0[^"]*" id="comment-(\d+)"', response.content.decode())
        return [int(pk) for pk in found]

    assert order(client.get(story.get_absolute_url())) == [older.pk, newer.pk]
    chosen = client.get(f"{story.get_absolute_url()}?sort=new")
    assert chosen.cookies["talkies_sort"].value == "new"
    assert order(chosen) == [newer.pk, older.pk]
    assert order(client.get(story.get_absolute_url())) == [newer.pk, older.pk]


def test_an_unknown_remembered_sort_falls_back_to_the_sites_default(client, story, thread, reader):
    post(thread, reader, "Anything")
    client.cookies["talkies_sort"] = "random"
    page = client.get(story.get_absolute_url()).content.decode()
    assert re.search(r'<a href="[^"]*sort=best[^"]*" aria-current="true"', page)


# --- Spoilers ---------------------------------------------------------------------------------------


def test_a_reader_can_filter_the_thread_to_spoiler_free_comments(client, story, thread, reader):
    post(thread, reader, "No spoilers here")
    post(thread, reader, "The ending, flagged", seconds=1, is_spoiler=True)
    post(thread, reader, "So >!Winston!< lives", seconds=2)

    page = text_of(client.get(f"{story.get_absolute_url()}?spoilers=hide").content.decode())

    assert "No spoilers here" in page
    assert "The ending, flagged" not in page and "Winston" not in page
    assert "Show all comments" in page


def test_the_spoiler_shield_collapses_every_comment_and_says_until_when(client, site, story, thread, film, reader):
    released = film_release_date(film, site.region)
    assert released is not None
    site.spoiler_shield_days = (timezone.localdate() - released).days + 10
    site.save()
    comment = post(thread, reader, "An innocent opinion")

    page = client.get(story.get_absolute_url()).content.decode()

    ends = released + datetime.timedelta(days=site.spoiler_shield_days)
    assert f"Spoiler shield is on until {ends.day} {ends:%B}" in text_of(page)
    card = page.split(f'id="comment-{comment.pk}"')[1].split("</article>")[0]
    assert '<details class="spoiler-comment spoiler-shielded">' in card
    assert "May contain spoilers — show" in card


def test_once_the_shield_has_lifted_comments_show_openly(client, site, story, thread, film, reader):
    site.spoiler_shield_days = 1  # the film came out long ago
    site.save()
    post(thread, reader, "An innocent opinion")
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Spoiler shield" not in page and "May contain spoilers" not in page


def test_no_spoiler_reaches_the_page_head(client, site, editor, film, reader):
    story = story_create(
        site=site,
        kind="reaction",
        title="Ballerina: that >!twist!< explained",
        slug="ballerina-explained",  # a slug made from this title would spell the spoiler out
        dek="Why >!Winston!< did it",
        body="The >!fire scene!< is the best part.",
        author=editor,
        published_at=START,
        films=[film],
    )
    thread = Thread.objects.create(site=site, key=f"story:{story.pk}", story=story, film=film, title=story.title)
    post(thread, reader, "Whole-comment spoiler text", is_spoiler=True)
    post(thread, reader, "Inline >!secret words!< here", seconds=1)

    head = head_of(client.get(story.get_absolute_url()).content.decode())

    for secret in ("twist", "Winston", "fire scene", "Whole-comment", "secret words"):
        assert secret not in head
    assert "<title>Ballerina: that [spoiler] explained — Reel News</title>" in head
    metas = {a.get("property") or a.get("name"): a.get("content") for t, a in tags_in(head) if t == "meta"}
    assert metas["description"] == "Why [spoiler] did it"
    assert metas["og:title"] == "Ballerina: that [spoiler] explained"
    for script in re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.DOTALL):
        assert "twist" not in script and "Winston" not in script


def test_the_head_links_the_atom_feeds(client, story, thread):
    head = head_of(client.get(story.get_absolute_url()).content.decode())
    feeds = [a["href"] for t, a in tags_in(head) if t == "link" and a.get("type") == "application/atom+xml"]
    assert feeds == [f"/feeds/stories/{story.slug}.atom", "/feeds/comments.atom", "/feeds/stories.atom"]


# --- Featured comments, editor controls and closed threads ------------------------------------------


def test_featured_comments_are_shown_above_the_thread(client, story, thread, editor, reader):
    comment = post(thread, reader, "A comment worth reading")
    comment_set_featured(comment=comment, user=editor, featured=True)

    page = client.get(story.get_absolute_url()).content.decode()

    featured = page.split('class="featured-comments"')[1].split("</section>")[0]
    assert "Featured by Reel News" in featured
    assert "A comment worth reading" in featured


def test_an_editor_sees_feature_and_close_controls_and_a_reader_does_not(client, story, thread, editor, reader):
    post(thread, reader, "Something")
    client.force_login(reader)
    as_reader = client.get(story.get_absolute_url()).content.decode()
    client.force_login(editor)
    as_editor = client.get(story.get_absolute_url()).content.decode()

    assert "Close the thread" not in as_reader and ">Feature</button>" not in as_reader
    assert "Close the thread" in as_editor and ">Feature</button>" in as_editor


def test_an_editor_features_a_comment_and_closes_the_thread_from_the_page(client, story, thread, editor, reader):
    comment = post(thread, reader, "Pin me")
    client.force_login(editor)

    client.post(f"/comments/{comment.pk}/feature/", {"featured": "1", "next": story.get_absolute_url()})
    closed = client.post(f"/stories/{story.slug}/thread/close/", {"closed": "1"}, follow=True)

    comment.refresh_from_db()
    thread.refresh_from_db()
    assert comment.is_featured and thread.is_closed
    assert "This conversation is closed to new comments." in closed.content.decode()
    assert "Reopen the thread" in closed.content.decode()


def test_a_reader_cannot_feature_from_the_page(client, story, thread, reader, second_reader):
    comment = post(thread, reader, "Pin me")
    client.force_login(second_reader)
    client.post(f"/comments/{comment.pk}/feature/", {"featured": "1"})
    comment.refresh_from_db()
    assert comment.is_featured is False


def test_a_thread_closed_by_age_says_when_instead_of_showing_the_form(client, site, story, thread, reader):
    site.auto_close_after_days = 1
    site.save()
    story.published_at = timezone.now() - datetime.timedelta(days=3)
    story.save()
    client.force_login(reader)

    page = client.get(story.get_absolute_url()).content.decode()

    closes = story.published_at + datetime.timedelta(days=1)
    assert f"This conversation closed to new comments on {closes.day} {closes:%B %Y}." in text_of(page)
    assert "<textarea" not in page


def test_the_page_shows_the_threads_comment_count(client, story, thread, reader):
    for i in range(3):
        post(thread, reader, f"Comment {i}", seconds=i)
    assert "3 comments" in text_of(client.get(story.get_absolute_url()).content.decode())
