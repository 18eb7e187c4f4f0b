"""Reply and mention emails: opt-in, confirmed addresses only, never to the replier, one per person per
comment, no spoilers, a one-click unsubscribe link, and queued with the comment for the worker to send."""

from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from talkies.accounts.actors import Actor
from talkies.accounts.models import User
from talkies.comments import notifications
from talkies.comments.services import comment_create
from talkies.lib.guests import guest_key_from_token, new_guest_token
from talkies.tasks.models import Task
from talkies.tasks.queue import run_pending_tasks


def html_of(email: Any) -> str:
    """The HTML alternative of an EmailMultiAlternatives."""
    return str(email.alternatives[0][0])


def opted_in(user: User) -> User:
    user.notify_replies = True
    user.email_verified = True
    user.save()
    return user


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://talkies.example"


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """comment_create, with the after-commit announcements (and so the emails) run as they would be."""

    def post(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return comment_create(**kwargs)

    return post


def test_the_parents_author_is_emailed_about_a_reply(thread, reader, second_reader, post):
    parent = post(thread=thread, author=opted_in(reader), body="Loved it.")

    reply = post(thread=thread, author=second_reader, body="Me too!", parent=parent)

    [email] = mail.outbox
    assert email.to == ["reader@example.com"]
    assert email.subject == "second replied to you on “What did you think of Ballerina?”"
    assert "Me too!" in email.body
    assert f"https://talkies.example{thread.story.get_absolute_url()}#comment-{reply.pk}" in email.body


@pytest.mark.parametrize(
    ("notify", "verified"), [(False, True), (True, False)], ids=["not opted in", "address not confirmed"]
)
def test_nobody_is_emailed_without_opting_in_and_confirming(thread, reader, second_reader, post, notify, verified):
    reader.notify_replies, reader.email_verified = notify, verified
    reader.save()
    parent = post(thread=thread, author=reader, body="Loved it.")

    post(thread=thread, author=second_reader, body="Me too!", parent=parent)

    assert mail.outbox == []


def test_replying_to_yourself_or_mentioning_yourself_sends_nothing(thread, reader, post):
    parent = post(thread=thread, author=opted_in(reader), body="Loved it.")

    post(thread=thread, author=reader, body="And @reader agrees with me.", parent=parent)

    assert mail.outbox == []


def test_a_mentioned_reader_is_emailed(thread, reader, second_reader, post):
    opted_in(second_reader)

    post(thread=thread, author=reader, body="What do you think, @Second? Mail me at x@second.")

    [email] = mail.outbox
    assert email.to == ["second@example.com"]
    assert email.subject == "Rita Reader mentioned you on “What did you think of Ballerina?”"


def test_a_reply_that_also_mentions_its_parents_author_sends_one_email(thread, reader, second_reader, post):
    parent = post(thread=thread, author=opted_in(reader), body="Loved it.")

    post(thread=thread, author=second_reader, body="@reader @reader yes, @reader.", parent=parent)

    assert len(mail.outbox) == 1 and "replied to you" in mail.outbox[0].subject


def test_inline_spoilers_never_reach_the_email(thread, reader, second_reader, post):
    parent = post(thread=thread, author=opted_in(reader), body="Loved it.")

    post(thread=thread, author=second_reader, body="The end: >!Winston dies!< wow", parent=parent)

    [email] = mail.outbox
    html = html_of(email)
    for text in (email.subject, email.body, html):
        assert "Winston dies" not in str(text)
    assert "The end: [spoiler] wow" in email.body


def test_a_comment_marked_as_a_spoiler_is_not_quoted_at_all(thread, reader, second_reader, post):
    parent = post(thread=thread, author=opted_in(reader), body="Loved it.")

    post(thread=thread, author=second_reader, body="Winston dies at the end", parent=parent, is_spoiler=True)

    [email] = mail.outbox
    assert "Winston" not in f"{email.subject} {email.body} {html_of(email)}"
    assert "marked as a spoiler — read it on the site" in email.body


def test_every_email_has_a_one_click_unsubscribe_that_works(client, thread, reader, second_reader, post):
    parent = post(thread=thread, author=opted_in(reader), body="Loved it.")
    post(thread=thread, author=second_reader, body="Me too!", parent=parent)

    [email] = mail.outbox
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.startswith("https://talkies.example/accounts/unsubscribe/") and link in email.body

    client.post(link.removeprefix("https://talkies.example"), {"List-Unsubscribe": "One-Click"})

    assert not User.objects.get(pk=reader.pk).notify_replies


def test_a_guests_hostile_name_is_escaped_in_the_html_email(open_site, thread, reader, post):
    parent = post(thread=thread, author=opted_in(reader), body="Loved it.")
    name = '"><script>alert(1)</script>'

    key = guest_key_from_token(new_guest_token(site_id=thread.site_id), site_id=thread.site_id)
    post(thread=thread, author=Actor.guest(key), guest_name=name, body="<b>hi</b>", parent=parent)

    [email] = mail.outbox
    html = html_of(email)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>hi</b>" not in html


def test_the_emails_are_queued_with_the_comment_and_sent_by_the_worker(thread, reader, second_reader, post, settings):
    settings.TASKS_RUN_IMMEDIATELY = False  # as deployed: nothing is sent until a worker runs
    parent = post(thread=thread, author=opted_in(reader), body="Loved it.")
    post(thread=thread, author=second_reader, body="Me too!", parent=parent)
    assert mail.outbox == []
    # The parent is top-level and mentions nobody, so only the reply queued a task.
    assert Task.objects.filter(name__endswith="send_reply_emails", status="pending").count() == 1

    run_pending_tasks()

    [email] = mail.outbox
    assert email.to == ["reader@example.com"]
    assert email.extra_headers["Message-ID"].endswith("@talkies.example>")  # chosen when it was queued
    assert set(Task.objects.values_list("status", flat=True)) == {"done"}


def test_a_top_level_comment_queues_a_task_only_when_it_mentions_someone(thread, reader, second_reader, post, settings):
    settings.TASKS_RUN_IMMEDIATELY = False
    opted_in(second_reader)
    post(thread=thread, author=reader, body="Loved it, nobody to tell.")
    assert not Task.objects.filter(name__endswith="send_reply_emails").exists()

    post(thread=thread, author=reader, body="What did you make of it, @second?")
    assert Task.objects.filter(name__endswith="send_reply_emails", status="pending").count() == 1

    run_pending_tasks()

    [email] = mail.outbox
    assert email.to == [second_reader.email]


def test_a_failing_mail_server_never_reaches_the_request_and_the_email_is_retried(
    thread, reader, second_reader, post, settings, caplog
):
    settings.EMAIL_BACKEND = "talkies.comments.tests.test_notifications.BrokenBackend"
    parent = post(thread=thread, author=opted_in(reader), body="Loved it.")

    reply = post(thread=thread, author=second_reader, body="Me too!", parent=parent)

    assert reply.pk is not None
    email_task = Task.objects.get(name="talkies.tasks.email.send_email")
    assert (email_task.status, email_task.attempts) == ("pending", 1)
    assert "the mail server is down" in email_task.last_error and email_task.run_after > timezone.now()
    assert "failed (attempt 1 of 5), retrying" in caplog.text


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("hi @rita and @Bob.", ["rita", "Bob"]),
        ("mail me@example.com", []),
        ("spoiler >!@hidden!< shown @seen", ["seen"]),
        ("@a @A @a", ["a"]),
    ],
)
def test_mentions_are_read_from_the_text_outside_spoilers(body, names):
    assert notifications.mentioned_usernames(body) == names


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture
def open_site(site):
    site.allow_guest_comments = True
    site.save()
    return site
