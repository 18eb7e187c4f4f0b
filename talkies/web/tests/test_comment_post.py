"""Posting comments and replies from the story page, and what happens when the service refuses."""

from talkies.comments.models import Comment
from talkies.comments.services import comment_create, comment_remove

URL = "/stories/what-did-you-think-of-ballerina/comments/"


def test_posting_a_comment_redirects_to_it_among_the_newest(reader_client, reader, story):
    response = reader_client.post(URL, {"body": "Loved the *flamethrower* fight", "sort": "best", "cursor": ""})

    comment = Comment.objects.get()
    assert comment.author == reader
    assert comment.parent is None
    assert response.status_code == 302
    assert response["Location"] == f"{story.get_absolute_url()}?sort=new#comment-{comment.pk}"
    page = reader_client.get(response["Location"]).content.decode()
    assert "<p>Loved the <em>flamethrower</em> fight</p>" in page


def test_the_first_comment_creates_the_thread_tied_to_the_storys_film(reader_client, story, film):
    reader_client.post(URL, {"body": "First"})

    comment = Comment.objects.get()
    assert comment.thread.story == story
    assert comment.thread.film == film


def test_a_comment_can_be_marked_as_a_spoiler(reader_client, story):
    reader_client.post(URL, {"body": "The ending!", "is_spoiler": "on"})

    assert Comment.objects.get().is_spoiler is True


def test_a_reply_lands_under_its_parent_on_the_page_the_reader_was_on(reader_client, story, thread, second_reader):
    parent = comment_create(thread=thread, author=second_reader, body="What a film")

    response = reader_client.post(URL, {"body": "Agreed", "parent": parent.pk, "sort": "old", "cursor": ""})

    reply = Comment.objects.get(parent=parent)
    assert response["Location"] == f"{story.get_absolute_url()}?sort=old#comment-{reply.pk}"
    page = reader_client.get(response["Location"]).content.decode()
    replies = page.split(f'id="comment-{parent.pk}"')[1]
    assert f'class="comment comment-level-1" id="comment-{reply.pk}"' in replies


def test_an_empty_comment_is_refused_beside_the_field(reader_client, story):
    response = reader_client.post(URL, {"body": "   ", "sort": "best"})

    page = response.content.decode()
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert (
        '<p class="field-error" id="comment-body-new-error">Body is empty: write something before posting</p>' in page
    )
    assert 'aria-invalid="true" aria-describedby="comment-body-new-error' in page


def test_a_refused_comment_keeps_the_text_the_reader_typed(reader_client, site, story):
    site.comment_max_length = 20
    site.save()
    typed = "This is far too long <for> the limit & then some"

    response = reader_client.post(URL, {"body": typed, "is_spoiler": "on", "sort": "old"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Body is too long (48 characters; the maximum is 20)" in page
    textarea = page.split('<textarea id="comment-body-new"')[1].split("</textarea>")[0]
    assert textarea.endswith(">This is far too long &lt;for&gt; the limit &amp; then some")
    assert '<input type="checkbox" name="is_spoiler" checked>' in page
    assert '<input type="hidden" name="sort" value="old">' in page  # the reader stays on their sort


def test_a_refused_reply_reopens_its_reply_box_with_the_text(reader_client, site, story, thread, second_reader):
    site.comment_max_length = 5
    site.save()
    parent = comment_create(thread=thread, author=second_reader, body="Short")

    response = reader_client.post(URL, {"body": "A reply that is too long", "parent": parent.pk})

    page = response.content.decode()
    assert response.status_code == 400
    assert not Comment.objects.filter(parent=parent).exists()
    reply_box = page.split(f'id="comment-{parent.pk}"')[1].split("</details>")[0]
    assert '<details class="reply-toggle" open>' in reply_box
    assert ">A reply that is too long</textarea>" in reply_box
    assert f'id="comment-body-{parent.pk}-error"' in reply_box
    main_form = page.split('<textarea id="comment-body-new"')[1].split("</textarea>")[0]
    assert "A reply that is too long" not in main_form


def test_a_reply_to_a_comment_no_longer_shown_keeps_the_text_in_the_main_form(
    reader_client, story, thread, reader, second_reader
):
    parent = comment_create(thread=thread, author=second_reader, body="Soon gone")
    comment_remove(comment=parent, actor=second_reader)

    response = reader_client.post(URL, {"body": "My careful reply", "parent": parent.pk})

    page = response.content.decode()
    assert response.status_code == 400
    assert "You cannot reply to a comment that has been removed" in page
    main_form = page.split('<textarea id="comment-body-new"')[1].split("</textarea>")[0]
    assert main_form.endswith(">My careful reply")


def test_a_reply_to_a_comment_from_another_thread_is_refused(reader_client, site, story, editor, second_reader):
    from django.utils import timezone

    from talkies.comments.services import thread_for_story
    from talkies.stories.services import story_create

    other_story = story_create(site=site, kind="news", title="Other", body="x", published_at=timezone.now())
    elsewhere = comment_create(thread=thread_for_story(story=other_story), author=second_reader, body="Elsewhere")

    response = reader_client.post(URL, {"body": "Sneaky", "parent": elsewhere.pk})

    assert response.status_code == 400
    assert not Comment.objects.filter(body_source="Sneaky").exists()
    assert "The comment you replied to is not in this thread any more" in response.content.decode()


def test_a_tampered_parent_field_is_reported_and_the_text_kept(reader_client, story):
    response = reader_client.post(URL, {"body": "Kept text", "parent": "not-a-number"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "The comment you replied to could not be found: enter a whole number." in page
    assert ">Kept text</textarea>" in page


def test_posting_to_a_closed_thread_is_refused_and_keeps_the_text(reader_client, story, thread):
    thread.is_closed = True
    thread.save()

    response = reader_client.post(URL, {"body": "Too late?"})

    assert response.status_code == 403
    assert "This thread is closed to new comments" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_logged_out_reader_posting_is_sent_to_log_in_and_back(client, story):
    response = client.post(URL, {"body": "Hello", "sort": "new"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/stories/what-did-you-think-of-ballerina/%3Fsort%3Dnew"
    assert not Comment.objects.exists()


def test_comments_cannot_be_posted_on_another_sites_story(reader_client, other_site, editor):
    from django.utils import timezone

    from talkies.stories.services import story_create

    theirs = story_create(site=other_site, kind="news", title="Theirs", body="x", published_at=timezone.now())

    response = reader_client.post(f"/stories/{theirs.slug}/comments/", {"body": "Hi"})

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_comments_are_posted_only_with_post(reader_client, story):
    assert reader_client.get(URL).status_code == 405


def test_the_comment_form_is_protected_against_cross_site_posts(reader, story):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)

    response = strict.post(URL, {"body": "Forged"})

    assert response.status_code == 403
    assert not Comment.objects.exists()
