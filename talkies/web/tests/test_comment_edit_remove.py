"""Authors editing (within the site's window) and removing their own comments."""

import datetime

from django.utils import timezone

from talkies.comments.models import Comment
from talkies.comments.services import comment_create


def test_the_edit_page_shows_the_comment_as_written(reader_client, story, thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Typo *here*", is_spoiler=True)

    page = reader_client.get(f"/comments/{comment.pk}/edit/").content.decode()

    assert ">Typo *here*</textarea>" in page
    assert '<input type="checkbox" name="is_spoiler" checked>' in page


def test_editing_saves_and_returns_to_the_comment_marked_edited(reader_client, story, thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Typo")
    back = f"{story.get_absolute_url()}?sort=new"

    response = reader_client.post(f"/comments/{comment.pk}/edit/", {"body": "Fixed", "next": back})

    assert response["Location"] == f"{back}#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.body_html == "<p>Fixed</p>\n"
    assert comment.edited_at is not None
    page = reader_client.get(back).content.decode()
    assert "Your comment was updated." in page
    assert ">edited</span>" in page


def test_a_refused_edit_keeps_the_new_text(reader_client, story, thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Original")

    response = reader_client.post(f"/comments/{comment.pk}/edit/", {"body": "  "})

    assert response.status_code == 400
    assert "Body is empty: write something before posting" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body_source == "Original"


def test_after_the_edit_window_the_edit_page_sends_the_author_back_with_the_reason(
    reader_client, story, thread, reader
):
    comment = comment_create(
        thread=thread, author=reader, body="Old", created_at=timezone.now() - datetime.timedelta(hours=2)
    )

    response = reader_client.get(f"/comments/{comment.pk}/edit/", follow=True)

    assert "comments can be edited for 15 minutes after posting" in response.content.decode()


def test_an_edit_posted_after_the_window_is_refused_and_keeps_the_text(reader_client, story, thread, reader):
    comment = comment_create(
        thread=thread, author=reader, body="Old", created_at=timezone.now() - datetime.timedelta(hours=2)
    )

    response = reader_client.post(f"/comments/{comment.pk}/edit/", {"body": "Too late"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Comments can only be edited within 15 minutes of posting; this one is older" in page
    assert ">Too late</textarea>" in page


def test_someone_elses_comment_cannot_be_edited(reader_client, story, thread, second_reader):
    comment = comment_create(thread=thread, author=second_reader, body="Not yours")

    assert reader_client.get(f"/comments/{comment.pk}/edit/").status_code == 404
    assert reader_client.post(f"/comments/{comment.pk}/edit/", {"body": "Hacked"}).status_code == 404
    comment.refresh_from_db()
    assert comment.body_source == "Not yours"


def test_removing_a_comment_without_replies_takes_it_off_the_page(reader_client, story, thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Never mind")

    response = reader_client.post(f"/comments/{comment.pk}/remove/", {"next": story.get_absolute_url()})

    assert response["Location"] == f"{story.get_absolute_url()}#comments"
    assert Comment.objects.get().status == Comment.Status.REMOVED
    page = reader_client.get(story.get_absolute_url()).content.decode()
    assert "Your comment was removed." in page
    assert "Never mind" not in page


def test_someone_elses_comment_cannot_be_removed(reader_client, story, thread, second_reader):
    comment = comment_create(thread=thread, author=second_reader, body="Theirs")

    response = reader_client.post(f"/comments/{comment.pk}/remove/", {"next": story.get_absolute_url()}, follow=True)

    assert "The comment was not removed: you can only remove your own comments." in response.content.decode()
    assert Comment.objects.get().status == Comment.Status.APPROVED
