"""Telling authors about moderation by email: queued in the decision's transaction, sent by the worker,
with what the author was told; nothing for a decision that was rolled back or an author who opted out."""

import pytest
from django.core import mail
from django.db import transaction

from talkies.comments.services import comment_create
from talkies.moderation.models import PremoderationRule
from talkies.moderation.permissions import Moderator
from talkies.moderation.services import moderate_comment
from talkies.tasks.models import Task
from talkies.tasks.queue import run_pending_tasks

AUTHOR_EMAIL = "talkies.moderation.notifications.email_author_about"


@pytest.fixture
def author(reader):
    reader.notify_moderation = True
    reader.email_verified = True
    reader.save()
    return reader


def test_a_rejected_comments_author_is_emailed_the_reason(site, thread, author, moderator):
    comment = comment_create(thread=thread, author=author, body="The sequel is better, fight me.")

    moderate_comment(comment=comment, moderator=Moderator.of_user(moderator, site), action="reject", reason="spam")
    assert Task.objects.filter(name=AUTHOR_EMAIL, args={"comment_id": comment.pk}).exists()
    run_pending_tasks()

    [email] = mail.outbox
    assert email.to == ["reader@example.com"] and "spam" in email.body
    assert email.subject == "About your comment on “What did you think of Ballerina?”"


def test_a_decision_rolled_back_sends_nothing(site, thread, author, moderator):
    comment = comment_create(thread=thread, author=author, body="The sequel is better.")

    with pytest.raises(RuntimeError), transaction.atomic():
        moderate_comment(comment=comment, moderator=Moderator.of_user(moderator, site), action="reject")
        raise RuntimeError("the request failed after the decision")

    assert not Task.objects.filter(name=AUTHOR_EMAIL).exists()
    run_pending_tasks()  # (the comment's own reply-email task)
    assert mail.outbox == []


def test_a_comment_held_on_arrival_is_queued_with_it(site, thread, author):
    PremoderationRule.objects.create(site=site, scope=PremoderationRule.Scope.SITE)

    comment_create(thread=thread, author=author, body="Held until someone reads it")
    run_pending_tasks()

    [email] = mail.outbox
    assert email.to == ["reader@example.com"] and "waiting for a moderator" in email.body.lower()


def test_an_author_who_did_not_opt_in_is_not_emailed(site, thread, reader, moderator):
    comment = comment_create(thread=thread, author=reader, body="The sequel is better.")

    moderate_comment(comment=comment, moderator=Moderator.of_user(moderator, site), action="reject")
    run_pending_tasks()

    assert mail.outbox == []
    assert Task.objects.get(name=AUTHOR_EMAIL).status == "done"
