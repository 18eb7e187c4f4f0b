"""Before posting, a comment that looks like it gives the film away is met with a suggestion to tag it:
once, on the page (no JavaScript needed) and through the API the embed asks."""

import pytest

from talkies.comments.models import Comment

pytestmark = pytest.mark.django_db

SPOILER = "Huge twist: turns out the Director was behind it all along, and she dies in the final scene."
PLAIN = "The flamethrower fight is the best action scene of the year."


def post(client, story, body, **extra):
    return client.post(f"/stories/{story.slug}/comments/", {"body": body, **extra})


def test_a_likely_spoiler_is_sent_back_once_with_the_suggestion_then_posted_as_it_is(client, reader, story, thread):
    client.force_login(reader)
    asked = post(client, story, SPOILER)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "This may give the film away" in html and 'name="spoiler_checked"' in html
    assert SPOILER in html  # the reader's text is kept
    assert not Comment.objects.exists()

    posted = post(client, story, SPOILER, spoiler_checked="1")
    assert posted.status_code == 302
    assert Comment.objects.get().is_spoiler is False


def test_tagging_it_or_a_plain_comment_posts_at_once(client, reader, story, thread):
    client.force_login(reader)
    assert post(client, story, SPOILER, is_spoiler="on").status_code == 302
    assert post(client, story, PLAIN).status_code == 302
    assert [c.is_spoiler for c in Comment.objects.order_by("id")] == [True, False]


def test_the_api_answers_whether_to_suggest_the_tag(client, reader, thread):
    client.force_login(reader)
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    url = f"/api/v1/threads/{thread.pk}/spoiler-check"
    spoiler = client.post(url, {"body": SPOILER}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    plain = client.post(url, {"body": PLAIN}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert spoiler.status_code == plain.status_code == 200
    assert spoiler.json()["suggest_spoiler"] is True and spoiler.json()["reasons"]
    assert plain.json() == {"suggest_spoiler": False, "reasons": []}
    assert not Comment.objects.exists()
