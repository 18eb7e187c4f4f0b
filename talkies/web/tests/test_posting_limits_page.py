"""Posting too fast from our own pages: the limit's message beside the form, the typed text kept."""

from django.test import Client

from talkies.comments.models import Comment


def test_posting_too_fast_shows_the_message_beside_the_form_and_keeps_the_text(reader_client: Client, story, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": {"account": "1/m", "ip": ""}}
    url = f"{story.get_absolute_url()}comments/"
    reader_client.post(url, {"body": "First thoughts."})

    response = reader_client.post(url, {"body": "Second thoughts, typed with care."})

    assert response.status_code == 429
    page = response.content.decode()
    assert "You are posting too fast: try again in" in page
    assert "Second thoughts, typed with care.</textarea>" in page
    assert Comment.objects.count() == 1


def test_voting_too_fast_says_so(reader_client: Client, thread, second_reader, settings):
    from talkies.comments.services import comment_create

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "vote": {"account": "1/m", "ip": ""}}
    first = comment_create(thread=thread, author=second_reader, body="One")
    second = comment_create(thread=thread, author=second_reader, body="Two")
    reader_client.post(f"/comments/{first.pk}/vote/", {"value": "1"})

    response = reader_client.post(f"/comments/{second.pk}/vote/", {"value": "1"}, follow=True)

    assert "Your vote was not counted: you are voting too fast" in response.content.decode()
    second.refresh_from_db()
    assert second.upvotes == 0
