"""Voting on comments with the up and down buttons (plain form posts)."""

from talkies.comments.models import Vote
from talkies.comments.services import comment_create

PAGE = "/stories/what-did-you-think-of-ballerina/?sort=best"


def vote(client, comment, value: int, next_url: str = PAGE):
    return client.post(f"/comments/{comment.pk}/vote/", {"value": value, "next": next_url})


def test_an_upvote_is_counted_and_shown_pressed(reader_client, reader, story, thread, second_reader):
    comment = comment_create(thread=thread, author=second_reader, body="Vote for me")

    response = vote(reader_client, comment, 1)

    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#comment-{comment.pk}"
    comment.refresh_from_db()
    assert (comment.upvotes, comment.downvotes) == (1, 0)
    page = reader_client.get(PAGE).content.decode()
    buttons = page.split(f'action="/comments/{comment.pk}/vote/"')[1].split("</form>")[0]
    # Pressing a pressed button again withdraws the vote (value 0).
    assert 'value="0" class="vote vote-up" aria-pressed="true"' in buttons
    assert '<span class="vote-count">1</span>' in buttons
    assert 'value="-1" class="vote vote-down" aria-pressed="false"' in buttons


def test_voting_down_after_up_replaces_the_vote_and_voting_again_withdraws_it(
    reader_client, reader, story, thread, second_reader
):
    comment = comment_create(thread=thread, author=second_reader, body="Hmm")

    vote(reader_client, comment, 1)
    vote(reader_client, comment, -1)
    comment.refresh_from_db()
    assert (comment.upvotes, comment.downvotes) == (0, 1)

    vote(reader_client, comment, 0)
    comment.refresh_from_db()
    assert (comment.upvotes, comment.downvotes) == (0, 0)
    assert not Vote.objects.exists()


def test_voting_on_your_own_comment_is_refused_with_a_message(reader_client, reader, story, thread):
    comment = comment_create(thread=thread, author=reader, body="Mine")

    response = vote(reader_client, comment, 1)
    page = reader_client.get(response["Location"]).content.decode()

    assert not Vote.objects.exists()
    assert "Your vote was not counted: you cannot vote on your own comment." in page


def test_a_vote_that_is_not_up_or_down_is_refused(reader_client, story, thread, second_reader):
    comment = comment_create(thread=thread, author=second_reader, body="x")

    response = vote(reader_client, comment, 5)

    assert response.status_code == 302
    assert not Vote.objects.exists()


def test_a_logged_out_vote_goes_to_the_login_page(client, story, thread, reader):
    comment = comment_create(thread=thread, author=reader, body="x")

    response = vote(client, comment, 1)

    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Vote.objects.exists()


def test_a_comment_of_another_site_cannot_be_voted_on_from_here(reader_client, site, other_site, second_reader):
    from django.utils import timezone

    from talkies.comments.services import thread_for_story
    from talkies.stories.services import story_create

    theirs = story_create(site=other_site, kind="news", title="Theirs", body="x", published_at=timezone.now())
    comment = comment_create(thread=thread_for_story(story=theirs), author=second_reader, body="x")

    assert vote(reader_client, comment, 1).status_code == 404
    assert not Vote.objects.exists()


def test_the_vote_redirect_stays_on_this_site(reader_client, story, thread, second_reader):
    comment = comment_create(thread=thread, author=second_reader, body="x")

    response = vote(reader_client, comment, 1, next_url="//evil.example/")

    assert response["Location"] == f"{story.get_absolute_url()}#comment-{comment.pk}"
