"""One reader's whole visit, through forms only: register, log in, rate, comment, get a reply, vote."""

import re

from django.test import Client

from talkies.comments.models import Comment

from .helpers import text_of

PASSWORD = "a sturdy passphrase 42"


def csrf_client() -> Client:
    # Enforce CSRF like a real browser would, so the test proves every form carries its token.
    return Client(enforce_csrf_checks=True)


def token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match is not None, "form without a CSRF token"
    return match.group(1)


def test_register_login_rate_comment_reply_vote_and_reload(site, story, film, second_reader):
    story_url = story.get_absolute_url()
    maya = csrf_client()

    # Register from the story page's link, which brings her back to the story.
    form = maya.get(f"/accounts/register/?next={story_url}").content.decode()
    response = maya.post(
        "/accounts/register/",
        {
            "csrfmiddlewaretoken": token(form),
            "username": "maya",
            "email": "maya@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": story_url,
        },
    )
    assert response["Location"] == story_url

    # Log out, then back in.
    page = maya.get(story_url).content.decode()
    maya.post("/accounts/logout/", {"csrfmiddlewaretoken": token(page)})
    assert "Log in to comment" in maya.get(story_url).content.decode()
    form = maya.get("/accounts/login/").content.decode()
    response = maya.post(
        "/accounts/login/",
        {"csrfmiddlewaretoken": token(form), "username": "maya", "password": PASSWORD, "next": story_url},
    )
    assert response["Location"] == story_url

    # Rate the film: 4.5 stars.
    page = maya.get(story_url).content.decode()
    maya.post("/films/ballerina/rating/", {"csrfmiddlewaretoken": token(page), "value": "9", "next": story_url})

    # Comment.
    page = maya.get(story_url).content.decode()
    response = maya.post(
        f"{story_url}comments/", {"csrfmiddlewaretoken": token(page), "body": "Loved every minute.", "sort": "best"}
    )
    comment = Comment.objects.get(author__username="maya")
    assert response["Location"].endswith(f"#comment-{comment.pk}")

    # Someone replies; Maya upvotes the reply.
    other = csrf_client()
    other.force_login(second_reader)
    page = other.get(story_url).content.decode()
    other.post(
        f"{story_url}comments/", {"csrfmiddlewaretoken": token(page), "body": "Same here!", "parent": comment.pk}
    )
    reply = Comment.objects.get(parent=comment)
    page = maya.get(story_url).content.decode()
    response = maya.post(
        f"/comments/{reply.pk}/vote/", {"csrfmiddlewaretoken": token(page), "value": "1", "next": story_url}
    )
    assert response["Location"] == f"{story_url}#comment-{reply.pk}"

    # Reload: everything she did is there.
    page = maya.get(story_url).content.decode()
    text = text_of(page)
    assert "You rated Ballerina 4.5 stars" in text
    maya_meta = page.split(f'id="comment-{comment.pk}"')[1].split("</header>")[0]
    assert "★ 4.5" in maya_meta
    assert "Loved every minute." in text
    reply_html = page.split(f'id="comment-{reply.pk}"')[1].split("</article>")[0]
    assert "Same here!" in reply_html
    assert 'class="vote vote-up" aria-pressed="true"' in reply_html
    assert '<span class="vote-count">1</span>' in reply_html
