"""Telling people about moderation: the author of a held or rejected comment (if they opted in, by
email; always on the page, beside the comment), and the site's moderators (a digest of the pending
queue, for sites that turn it on).

Emails go through the comments app's single mail thread (talkies.comments.notifications.send_later),
so a slow mail server never holds up a moderator's decision.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from talkies.accounts.models import Site, SiteMembership, User
from talkies.comments.models import Comment
from talkies.comments.notifications import send_later
from talkies.comments.read_models import moderation_notice_for
from talkies.lib.markdown import strip_spoilers

from .selectors import Queue, queue_counts, queue_page

logger = logging.getLogger(__name__)


def _wants_moderation_email(user: User | None) -> bool:
    return user is not None and user.is_active and user.notify_moderation and user.email_verified and bool(user.email)


def email_author_about(comment: Comment) -> None:
    """Tell the author that their comment was held or rejected, and why. Never raises."""
    try:
        comment = Comment.objects.select_related("author", "thread__site").get(pk=comment.pk)
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
        send_later([message])
    except Exception:
        logger.exception("could not tell the author of comment %s about a moderation decision", comment.pk)


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
