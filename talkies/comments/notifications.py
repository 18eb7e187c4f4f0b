"""Reply and mention emails: when a comment is posted, tell the parent's author and anyone it @mentions.

Only readers who opted in (User.notify_replies) and confirmed their address hear from us; never the
person who wrote the comment; at most one email per person per comment. Nothing in the subject or body
can give away a spoiler: inline spoilers are blanked from the excerpt, and a comment marked as a spoiler
is not quoted at all. Every email carries a one-click unsubscribe link (RFC 8058) that needs no login.

The receiver runs inside the comment's transaction and only queues a task (talkies.tasks), so the emails
are owed exactly when the comment is saved. The worker then looks up the recipients and queues one email
each (send_reply_emails, all or nothing), and sends them one by one: a slow or failing mail server never
holds up, or breaks, the request that posted the comment.
"""

import logging
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator

from talkies.accounts.models import User
from talkies.accounts.tokens import unsubscribe_token
from talkies.lib.markdown import strip_spoilers
from talkies.tasks.email import enqueue_email
from talkies.tasks.queue import enqueue, task

from .events import ThreadEvent, ThreadEventKind
from .models import Comment

logger = logging.getLogger(__name__)

# @name where name is a Django username (letters, digits, @ . + - _), not preceded by a word character,
# so "me@example.com" mentions nobody. A trailing full stop ends the sentence, not the name.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]+)")
MAX_MENTIONS = 10  # a comment naming fifty people is spam, not conversation
EXCERPT_CHARS = 500


def mentioned_usernames(source: str) -> list[str]:
    names: list[str] = []
    for match in MENTION.finditer(strip_spoilers(source, placeholder="")):
        name = match.group(1).rstrip(".")
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names[:MAX_MENTIONS]


def notify_on_new_comment(event: ThreadEvent) -> None:
    """The in-transaction thread_changed receiver (connected in CommentsConfig.ready): queue the emails."""
    if event.kind != ThreadEventKind.COMMENT_CREATED or event.comment_id is None:
        return
    saved = event.saved
    # A top-level comment that mentions nobody can tell nobody: queueing its task would only cost an
    # INSERT in the comment's transaction and the worker's own write transactions, on every such post.
    if saved is not None and saved.parent_id is None and not mentioned_usernames(saved.body_source):
        return
    enqueue(send_reply_emails, comment_id=event.comment_id)


@task(atomic=True)
def send_reply_emails(*, comment_id: int) -> None:
    """Queue one email per person a new comment should be told about (run by the worker)."""
    for message in reply_emails(comment_id):
        enqueue_email(message)


def reply_emails(comment_id: int) -> list[EmailMultiAlternatives]:
    """The emails a newly posted comment causes, one per person to tell."""
    comment = Comment.objects.select_related("author", "parent__author", "thread__story").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.APPROVED:
        return []  # gone already, or held for moderation: nobody should read it yet
    recipients: dict[int, tuple[User, str]] = {}
    parent_author = comment.parent.author if comment.parent is not None else None
    if parent_author is not None:
        recipients[parent_author.pk] = (parent_author, "reply")
    names = mentioned_usernames(comment.body_source)
    if names:
        query = Q()
        for name in names:
            query |= Q(username__iexact=name)
        for user in User.objects.filter(query):
            recipients.setdefault(user.pk, (user, "mention"))  # a reply that also mentions you: one email
    return [
        _email(comment, user, reason)
        for user, reason in recipients.values()
        if user.pk != comment.author_id and _wants_email(user)
    ]


def _wants_email(user: User) -> bool:
    return user.is_active and user.notify_replies and user.email_verified and bool(user.email)


def _email(comment: Comment, recipient: User, reason: str) -> EmailMultiAlternatives:
    thread = comment.thread
    unsubscribe_url = settings.SITE_URL + reverse("unsubscribe", args=[unsubscribe_token(recipient)])
    context = {
        "recipient": recipient,
        "author": comment.author_name,
        "reason": reason,
        "title": thread.title or "a conversation",
        "excerpt": "" if comment.is_spoiler else Truncator(strip_spoilers(comment.body_source)).chars(EXCERPT_CHARS),
        "is_spoiler": comment.is_spoiler,
        "url": _comment_url(comment),
        "unsubscribe_url": unsubscribe_url,
    }
    verb = "replied to you" if reason == "reply" else "mentioned you"
    message = EmailMultiAlternatives(
        subject=f"{comment.author_name} {verb} on “{context['title']}”",
        body=render_to_string("comments/emails/reply.txt", context),
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("comments/emails/reply.html", context), "text/html")
    return message


def _comment_url(comment: Comment) -> str:
    thread = comment.thread
    if thread.story is not None:
        return f"{settings.SITE_URL}{thread.story.get_absolute_url()}#comment-{comment.pk}"
    return f"{thread.url}#comment-{comment.pk}" if thread.url else settings.SITE_URL
