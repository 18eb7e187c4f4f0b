"""Who may do what to comments: pure predicates, called by the services and by templates.

An actor is an account (`user`, possibly anonymous) or, where the site allows guests, a guest identified
by `guest_key` (see talkies.lib.guests).
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from talkies.accounts.models import Site, SiteMembership, User

from .models import Comment, Thread

# An account, signed in or not.
Reader = User | AnonymousUser

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


def is_author(user: Reader | None, comment: Comment, guest_key: str) -> bool:
    if user is not None and user.is_authenticated:
        return comment.author_id == user.pk
    return bool(guest_key) and comment.author_id is None and comment.guest_key == guest_key


def can_moderate_site(user: Reader | None, site: Site) -> bool:
    """Editors, moderators and admins of this site (and superusers) may feature comments and close threads."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return SiteMembership.objects.filter(user=user, site=site, role__in=MODERATING_ROLES).exists()


def can_comment_on_thread(user: Reader | None, thread: Thread, guest_key: str = "") -> bool:
    if not thread_is_open(thread):
        return False
    if user is not None and user.is_authenticated:
        return user.is_active
    return thread.site.allow_guest_comments and bool(guest_key)


def can_edit_comment(
    user: Reader | None, comment: Comment, now: datetime.datetime | None = None, guest_key: str = ""
) -> bool:
    if comment.status == Comment.Status.REMOVED or not is_author(user, comment, guest_key):
        return False
    window = datetime.timedelta(minutes=comment.thread.site.comment_edit_window_minutes)
    return (now or timezone.now()) - comment.created_at <= window


def can_remove_comment(user: Reader | None, comment: Comment, guest_key: str = "") -> bool:
    return comment.status != Comment.Status.REMOVED and is_author(user, comment, guest_key)


def can_vote_on_comment(user: Reader | None, comment: Comment, guest_key: str = "") -> bool:
    if comment.status != Comment.Status.APPROVED or is_author(user, comment, guest_key):
        return False
    if user is not None and user.is_authenticated:
        return user.is_active
    return comment.thread.site.allow_guest_comments and bool(guest_key)
