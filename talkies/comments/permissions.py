"""Who may do what to comments: pure predicates of an actor (talkies.accounts.actors), called by the
services, by the pages and by the API, which tells each reader what they may do with each comment."""

import datetime

from django.utils import timezone

from talkies.accounts.actors import Actor
from talkies.accounts.models import Site, SiteMembership

from .models import Comment, Thread

MODERATING_ROLES = (SiteMembership.Role.ADMIN, SiteMembership.Role.EDITOR, SiteMembership.Role.MODERATOR)


def thread_closes_at(thread: Thread) -> datetime.datetime | None:
    """When the site's automatic closing shuts this thread, counted from the story's publication."""
    days = thread.site.auto_close_after_days
    if days is None:
        return None
    opened = thread.story.published_at if thread.story_id and thread.story and thread.story.published_at else None
    return (opened or thread.created_at) + datetime.timedelta(days=days)


def thread_is_open(thread: Thread, now: datetime.datetime | None = None) -> bool:
    if thread.is_closed:
        return False
    closes_at = thread_closes_at(thread)
    return closes_at is None or (now or timezone.now()) < closes_at


def is_author(actor: Actor, comment: Comment) -> bool:
    if actor.user is not None:
        return comment.author_id == actor.user.pk
    return actor.is_guest and comment.author_id is None and comment.guest_key == actor.guest_key


def can_moderate_site(actor: Actor, site: Site) -> bool:
    """Editors, moderators and admins of this site (and superusers) may feature comments and close threads."""
    user = actor.user
    if user is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return SiteMembership.objects.filter(user=user, site=site, role__in=MODERATING_ROLES).exists()


def _may_take_part(actor: Actor, site: Site) -> bool:
    """An active account, or a guest where the site takes guests: someone who may write here at all."""
    if actor.user is not None:
        return actor.user.is_active
    return actor.is_guest and site.allow_guest_comments


def can_comment_on_thread(actor: Actor, thread: Thread) -> bool:
    return thread_is_open(thread) and _may_take_part(actor, thread.site)


def comment_editable_until(comment: Comment) -> datetime.datetime:
    """The end of the site's edit window for `comment`. Reads comment.thread.site."""
    return comment.created_at + datetime.timedelta(minutes=comment.thread.site.comment_edit_window_minutes)


def can_edit_comment(actor: Actor, comment: Comment, now: datetime.datetime | None = None) -> bool:
    # A rejected comment stays as the moderator found it; a held one may still be corrected.
    if comment.status in (Comment.Status.REMOVED, Comment.Status.REJECTED) or not is_author(actor, comment):
        return False
    return (now or timezone.now()) <= comment_editable_until(comment)


def can_remove_comment(actor: Actor, comment: Comment) -> bool:
    return comment.status != Comment.Status.REMOVED and is_author(actor, comment)


def can_vote_on_comment(actor: Actor, comment: Comment) -> bool:
    if comment.status != Comment.Status.APPROVED or is_author(actor, comment):
        return False
    return _may_take_part(actor, comment.thread.site)


def can_report_comment(actor: Actor, comment: Comment) -> bool:
    """Anyone we know (an active account, or a guest where the site takes guests) may report a comment
    others can see, except their own."""
    if comment.status != Comment.Status.APPROVED or is_author(actor, comment):
        return False
    return _may_take_part(actor, comment.thread.site)
