"""Telling people about moderation: the author of a held or rejected comment (if they opted in, by
email; always on the page, beside the comment), and the site's moderators (a digest of the pending
queue, for sites that turn it on).

Emails go through the queue (talkies.tasks): a decision queues `email_author_about` in its own
transaction, and the worker renders and sends the email, so a slow mail server never holds up a
moderator's decision and a decision that is saved always gets its email.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from talkies.accounts.models import Site, SiteMembership, User
from talkies.comments.models import Comment
from talkies.comments.read_models import moderation_notice_for
from talkies.lib.markdown import strip_spoilers
from talkies.tasks.email import enqueue_email
from talkies.tasks.queue import task

from .selectors import Queue, queue_counts, queue_page


def _wants_moderation_email(user: User | None) -> bool:
    return user is not None and user.is_active and user.notify_moderation and user.email_verified and bool(user.email)


@task(atomic=True)
def email_author_about(*, comment_id: int) -> None:
    """Tell the author that their comment was held or rejected, and why (queue it from the decision's
    transaction with talkies.tasks.queue.enqueue). What the email says is the notice as it stands when the
    worker runs: a comment approved in the meantime gets no email."""
    comment = Comment.objects.select_related("author", "thread__site").filter(pk=comment_id).first()
    if comment is None:
        return
    notice = moderation_notice_for(comment)
    if notice is None or not _wants_moderation_email(comment.author):
        return
    assert comment.author is not None
    context = {
        "recipient": comment.author,
        "site": comment.thread.site,
        "title": comment.thread.title or "a conversation",
        "notice": notice,
        "excerpt": strip_spoilers(comment.body_source)[:500],
        "settings_url": settings.SITE_URL + reverse("account-settings"),
    }
    message = EmailMultiAlternatives(
        subject=f"About your comment on “{context['title']}”",
        body=render_to_string("moderation/emails/author_notice.txt", context),
        to=[comment.author.email],
    )
    enqueue_email(message)


def pending_digest(site: Site, *, limit: int = 20) -> list[EmailMultiAlternatives]:
    """One email per moderator of `site` who has an address, listing the oldest-waiting pending comments."""
    counts = queue_counts(site)
    if not counts[Queue.PENDING] and not counts[Queue.REPORTED]:
        return []
    page = queue_page(site=site, queue=Queue.PENDING, limit=limit)
    recipients = (
        User.objects.filter(
            is_active=True,
            memberships__site=site,
            memberships__role__in=[SiteMembership.Role.MODERATOR, SiteMembership.Role.ADMIN],
        )
        .exclude(email="")
        .distinct()
    )
    context = {
        "site": site,
        "pending": counts[Queue.PENDING],
        "reported": counts[Queue.REPORTED],
        "items": page.items,
        "queue_url": settings.SITE_URL + reverse("moderate"),
    }
    body = render_to_string("moderation/emails/digest.txt", context)
    subject = f"{site.name}: {counts[Queue.PENDING]} waiting, {counts[Queue.REPORTED]} reported"
    return [EmailMultiAlternatives(subject=subject, body=body, to=[user.email]) for user in recipients]


def queue_pending_digest(site: Site) -> int:
    """Queue `pending_digest(site)` for the worker to send, all or nothing; how many emails were queued."""
    with transaction.atomic():
        messages = pending_digest(site)
        for message in messages:
            enqueue_email(message)
    return len(messages)
