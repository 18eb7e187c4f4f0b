"""Reading a story's conversation: who sees what, nesting, sorting, paging, rating badges."""

import datetime
import re
from html import unescape

from django.utils import timezone

from talkies.comments.models import Thread
from talkies.comments.services import comment_create, comment_remove, comment_vote
from talkies.ratings.services import rating_set

from .helpers import text_of


def thread_html(page: str) -> str:
    return page.split('<section id="comments"')[1]


def comment_order(page: str) -> list[int]:
    """Ids of the top-level comments, in the order the page shows them."""
    return [int(i) for i in re.findall(r'<li class="comment comment-level-0[^"]*" id="comment-(\d+)"', page)]


def test_a_logged_out_reader_sees_the_thread_but_no_comment_form(client, story, thread, reader):
    comment_create(thread=thread, author=reader, body="First!")

    page = thread_html(client.get(story.get_absolute_url()).content.decode())

    assert "<p>First!</p>" in page
    assert "Log in to comment" in page
    assert 'href="/accounts/login/?next=/stories/what-did-you-think-of-ballerina/%3Fsort%3Dbest"' in page
    assert "<textarea" not in page
    assert 'class="vote-form"' not in page  # counts are shown, not buttons
    assert "Upvotes:</span> 0" in page


def test_a_story_nobody_has_commented_on_has_no_thread_yet_and_reading_it_creates_none(client, story):
    page = client.get(story.get_absolute_url()).content.decode()

    assert "No comments yet." in page
    assert not Thread.objects.exists()  # reading never writes; the first comment creates the thread


def test_a_logged_in_reader_sees_the_comment_form(reader_client, story):
    page = thread_html(reader_client.get(story.get_absolute_url()).content.decode())

    assert '<label for="comment-body-new" class="field-label">' in page
    assert '<input type="checkbox" name="is_spoiler">' in page
    assert "Contains spoilers" in page
    assert "Post comment" in page


def test_a_closed_thread_says_so_instead_of_offering_a_form(reader_client, story, thread, reader):
    comment_create(thread=thread, author=reader, body="Before closing")
    thread.is_closed = True
    thread.save()

    page = thread_html(reader_client.get(story.get_absolute_url()).content.decode())

    assert "This conversation is closed to new comments." in page
    assert 'id="comment-body-new"' not in page
    assert "Post reply" not in page


def test_each_comment_shows_its_author_time_and_edited_marker(client, story, thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Edited later")
    comment.edited_at = timezone.now()
    comment.save()

    page = thread_html(client.get(story.get_absolute_url()).content.decode())

    assert f'id="comment-{comment.pk}-author">Rita Reader</span>' in page
    assert f'<time datetime="{comment.created_at.isoformat()}"' in page
    assert '<span class="edited muted"' in page and ">edited</span>" in page


def test_replies_nest_three_levels_and_deeper_ones_continue_on_the_deepest_shown_comments_permalink(
    client, story, thread, reader, second_reader
):
    top = comment_create(thread=thread, author=reader, body="Level zero")
    one = comment_create(thread=thread, author=second_reader, body="Level one", parent=top)
    two = comment_create(thread=thread, author=reader, body="Level two", parent=one)
    three = comment_create(thread=thread, author=second_reader, body="Level three", parent=two)
    comment_create(thread=thread, author=reader, body="Level four", parent=three)

    page = thread_html(client.get(story.get_absolute_url()).content.decode())

    assert f'class="comment comment-level-1" id="comment-{one.pk}"' in page
    assert f'class="comment comment-level-2" id="comment-{two.pk}"' in page
    # Deeper replies are neither nested further nor moved beside their parent: they are one link away.
    assert "comment-level-3" not in page
    assert f'id="comment-{three.pk}"' not in page and "Level three" not in page
    continue_link = f'<a href="/stories/{story.slug}/comments/{two.pk}/#comment-{two.pk}">Continue this thread'
    assert continue_link in page


def test_top_level_comments_carry_their_authors_rating_badge(client, site, story, thread, film, reader, second_reader):
    rating_set(site=site, film=film, user=reader, value=7)
    rating_set(site=site, film=film, user=second_reader, value=4)
    top = comment_create(thread=thread, author=reader, body="Top")
    reply = comment_create(thread=thread, author=second_reader, body="Reply", parent=top)

    page = thread_html(client.get(story.get_absolute_url()).content.decode())

    top_meta = page.split(f'id="comment-{top.pk}"')[1].split("</header>")[0]
    assert "★ 3.5" in top_meta
    reply_meta = page.split(f'id="comment-{reply.pk}"')[1].split("</header>")[0]
    assert "rating-badge" not in reply_meta


def test_the_default_sort_is_the_sites_and_other_sorts_can_be_chosen(
    client, site, story, thread, reader, second_reader
):
    older = comment_create(
        thread=thread, author=reader, body="Older", created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    newer = comment_create(thread=thread, author=reader, body="Newer")
    comment_vote(comment=older, actor=second_reader, value=1)
    site.default_comment_sort = "new"
    site.save()

    default = client.get(story.get_absolute_url()).content.decode()
    best = client.get(f"{story.get_absolute_url()}?sort=best").content.decode()
    oldest = client.get(f"{story.get_absolute_url()}?sort=old").content.decode()

    assert comment_order(default) == [newer.pk, older.pk]
    assert '?sort=new#comments" aria-current="true">Newest</a>' in default
    assert comment_order(best) == [older.pk, newer.pk]
    assert comment_order(oldest) == [older.pk, newer.pk]
    for label in ("Best", "Top", "Newest", "Oldest", "Controversial"):
        assert f">{label}</a>" in default


def test_an_unknown_sort_falls_back_to_the_default(client, story, thread, reader):
    comment_create(thread=thread, author=reader, body="Hello")

    response = client.get(f"{story.get_absolute_url()}?sort=<script>")

    assert response.status_code == 200
    assert '?sort=best#comments" aria-current="true">Best</a>' in response.content.decode()


def load_more_url(page: str) -> str:
    link = re.search(r'href="([^"]+)#comments">Load more comments</a>', page)
    assert link is not None, "no Load more link"
    return unescape(link.group(1))


def test_load_more_pages_through_the_thread_with_a_cursor(client, story, thread, reader, monkeypatch):
    monkeypatch.setattr("talkies.web.views.stories.COMMENTS_PER_PAGE", 2)
    comments = [
        comment_create(
            thread=thread, author=reader, body=f"Number {i}", created_at=timezone.now() - datetime.timedelta(minutes=i)
        )
        for i in range(5)
    ]

    first = client.get(f"{story.get_absolute_url()}?sort=new").content.decode()
    second = client.get(load_more_url(first)).content.decode()
    third = client.get(load_more_url(second)).content.decode()

    assert comment_order(first) == [comments[0].pk, comments[1].pk]
    assert comment_order(second) == [comments[2].pk, comments[3].pk]
    assert comment_order(third) == [comments[4].pk]
    assert "Load more comments" not in third
    assert "Back to the first comments" in third


def test_a_cursor_we_did_not_issue_shows_the_first_page_and_says_why(client, story, thread, reader):
    comment_create(thread=thread, author=reader, body="Still here")

    page = client.get(f"{story.get_absolute_url()}?cursor=not-a-cursor").content.decode()

    assert "cursor is not one we issued" in page
    assert "<p>Still here</p>" in page


def test_a_removed_comment_with_replies_stays_as_a_placeholder_without_its_author(
    client, story, thread, reader, second_reader
):
    top = comment_create(thread=thread, author=reader, body="Regrettable")
    comment_create(thread=thread, author=second_reader, body="A reply worth keeping", parent=top)
    comment_remove(comment=top, actor=reader)

    page = thread_html(client.get(story.get_absolute_url()).content.decode())
    removed = page.split(f'id="comment-{top.pk}"')[1].split("</article>")[0]

    assert "Regrettable" not in page
    assert "This comment was removed by its author." in removed
    assert "Rita Reader" not in removed
    assert "A reply worth keeping" in page


def test_my_own_comment_offers_edit_and_remove_but_not_votes(reader_client, story, thread, reader, second_reader):
    mine = comment_create(thread=thread, author=reader, body="Mine")
    theirs = comment_create(thread=thread, author=second_reader, body="Theirs")

    page = thread_html(reader_client.get(story.get_absolute_url()).content.decode())
    mine_html = page.split(f'id="comment-{mine.pk}"')[1].split("</article>")[0]
    theirs_html = page.split(f'id="comment-{theirs.pk}"')[1].split("</article>")[0]

    assert f'href="/comments/{mine.pk}/edit/' in mine_html
    assert f'action="/comments/{mine.pk}/remove/"' in mine_html
    assert "vote-form" not in mine_html
    assert "vote-form" in theirs_html
    assert "/edit/" not in theirs_html and "/remove/" not in theirs_html


def test_after_the_edit_window_the_edit_link_is_gone(reader_client, story, thread, reader):
    old = comment_create(
        thread=thread, author=reader, body="Old", created_at=timezone.now() - datetime.timedelta(hours=1)
    )

    page = thread_html(reader_client.get(story.get_absolute_url()).content.decode())

    assert f"/comments/{old.pk}/edit/" not in page
    assert f"/comments/{old.pk}/remove/" in page


def test_the_comment_count_is_shown(client, story, thread, reader):
    for i in range(3):
        comment_create(thread=thread, author=reader, body=f"c{i}")

    assert "3 comments" in text_of(client.get(story.get_absolute_url()).content.decode())
