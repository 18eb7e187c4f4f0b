"""Writes to threads, comments and votes. Counters change in the same transaction as the rows."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from talkies.accounts.actors import Actor, as_actor
from talkies.accounts.lookalike_names import refuse_lookalike
from talkies.accounts.models import Site, User
from talkies.catalogue.models import Film
from talkies.lib.errors import PermissionDenied, ServiceError
from talkies.lib.markdown import contains_inline_spoiler, render_markdown
from talkies.lib.scoring import wilson_lower_bound
from talkies.stories.models import Story

from .events import ThreadEventKind, announce, bump_version
from .models import Comment, Thread, Vote
from .permissions import (
    can_comment_on_thread,
    can_edit_comment,
    can_moderate_site,
    can_remove_comment,
    can_vote_on_comment,
    is_author,
    thread_is_open,
)
from .screening import Draft, screen

GUEST_NAME_MAX = 80
REMOVED_PLACEHOLDER = "<p><em>This comment was removed by its author.</em></p>"


def thread_for_story(*, story: Story) -> Thread:
    """The story's thread, created on first use and tied to the story's first film, if any."""
    thread = Thread.objects.filter(story=story).first()
    if thread is not None:
        return thread
    film = story.films.order_by("id").first()
    thread, _ = Thread.objects.get_or_create(
        site=story.site,
        key=f"story:{story.pk}",
        defaults={"story": story, "film": film, "title": story.title},
    )
    return thread


def _validated_body(site: Site, body: str) -> str:
    body = body.strip()
    if not body:
        raise ServiceError("body", "body is empty: write something before posting")
    if len(body) > site.comment_max_length:
        raise ServiceError(
            "body", f"body is too long ({len(body)} characters; the maximum is {site.comment_max_length})"
        )
    return body


def comment_create(
    *,
    thread: Thread,
    author: Actor | User,
    body: str,
    parent: Comment | None = None,
    is_spoiler: bool = False,
    created_at: datetime.datetime | None = None,
    guest_name: str = "",
) -> Comment:
    """Post a top-level comment, or a reply when `parent` is given.

    `author` is the account posting, or a guest (where the site allows guests) with the `guest_name` to
    show; an anonymous actor is refused.
    """
    site = thread.site
    actor = as_actor(author)
    is_guest = not actor.is_account
    if is_guest:
        if not site.allow_guest_comments:
            raise PermissionDenied("author", "log in to comment")
        guest_name = " ".join(guest_name.split())
        if not guest_name:
            raise ServiceError("guest_name", "guest_name is empty: say what name to show with your comment")
        if len(guest_name) > GUEST_NAME_MAX:
            raise ServiceError("guest_name", f"guest_name is too long (the maximum is {GUEST_NAME_MAX} characters)")
        refuse_lookalike(guest_name, field="guest_name")
        if not actor.is_guest:
            raise ServiceError("guest_token", "guest_token is missing: guests need one to post")
    if not thread_is_open(thread):
        raise PermissionDenied("thread", "this thread is closed to new comments")
    if not is_guest and not can_comment_on_thread(actor, thread):
        raise PermissionDenied("author", "this account has been deactivated and cannot comment")
    body = _validated_body(site, body)
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise ServiceError("parent", f"comment {parent.pk} is not in this thread")
        if parent.status != Comment.Status.APPROVED:
            raise ServiceError("parent", "you cannot reply to a comment that has been removed")
        if parent.depth + 1 > site.max_reply_depth:
            raise ServiceError(
                "parent", f"replies nest at most {site.max_reply_depth} deep here: reply to an earlier comment"
            )

    screening = screen(Draft(thread=thread, actor=actor, body=body, parent=parent, is_spoiler=is_spoiler))
    published = screening.status == Comment.Status.APPROVED
    with transaction.atomic():
        comment = Comment.objects.create(
            thread=thread,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            author=actor.user,
            guest_name=guest_name if is_guest else "",
            guest_key=actor.guest_key,
            body_source=body,
            body_html=render_markdown(body),
            is_spoiler=is_spoiler,
            has_inline_spoiler=contains_inline_spoiler(body),
            created_at=created_at or timezone.now(),
            status=screening.status,
            moderation_notice=screening.notice,
        )
        if published:
            Thread.objects.filter(pk=thread.pk).update(comment_count=F("comment_count") + 1)
            if parent is not None:
                Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
        for callback in screening.after_save:
            callback(comment)
        announce(
            kind=ThreadEventKind.COMMENT_CREATED if published else ThreadEventKind.COMMENT_HELD,
            site_id=thread.site_id,
            thread_id=thread.pk,
            comment_id=comment.pk,
            saved=comment,
        )
    return comment


def comment_edit(*, comment: Comment, actor: Actor | User, body: str, is_spoiler: bool | None = None) -> Comment:
    actor = as_actor(actor)
    if not can_edit_comment(actor, comment):
        if comment.status == Comment.Status.REMOVED:
            raise PermissionDenied("comment", "this comment was removed and can no longer be edited")
        if not is_author(actor, comment):
            raise PermissionDenied("comment", "you can only edit your own comments")
        raise PermissionDenied(
            "comment",
            f"comments can only be edited within {comment.thread.site.comment_edit_window_minutes} minutes "
            "of posting; this one is older",
        )
    comment.body_source = _validated_body(comment.thread.site, body)
    comment.body_html = render_markdown(comment.body_source)
    comment.has_inline_spoiler = contains_inline_spoiler(comment.body_source)
    if is_spoiler is not None:
        comment.is_spoiler = is_spoiler
    comment.edited_at = timezone.now()
    with transaction.atomic():
        comment.save(update_fields=["body_source", "body_html", "has_inline_spoiler", "is_spoiler", "edited_at"])
        announce(
            kind=ThreadEventKind.COMMENT_EDITED,
            site_id=comment.thread.site_id,
            thread_id=comment.thread_id,
            comment_id=comment.pk,
        )
    return comment


def comment_remove(*, comment: Comment, actor: Actor | User) -> Comment:
    """The author withdraws a comment. Its replies stay, under a 'removed' placeholder."""
    if not can_remove_comment(as_actor(actor), comment):
        raise PermissionDenied("comment", "you can only remove your own comments")
    with transaction.atomic():
        # Re-read under the lock: a reply posted since `comment` was loaded keeps the placeholder visible,
        # and a second, concurrent removal must not take the comment out of the counters twice.
        comment.reply_count, status = (
            Comment.objects.select_for_update().values_list("reply_count", "status").get(pk=comment.pk)
        )
        if status == Comment.Status.REMOVED:
            raise PermissionDenied("comment", "this comment has already been removed")
        comment.status = Comment.Status.REMOVED
        comment.body_html = REMOVED_PLACEHOLDER
        comment.body_source = ""
        comment.save(update_fields=["status", "body_html", "body_source"])
        # A held or rejected comment was never counted; a published one leaves the page without replies.
        if is_visible(status, comment.reply_count) and comment.reply_count == 0:
            _uncount_hidden(comment)
        announce(
            kind=ThreadEventKind.COMMENT_REMOVED,
            site_id=comment.thread.site_id,
            thread_id=comment.thread_id,
            comment_id=comment.pk,
        )
    return comment


# Comments whose row is on the page: published ones, and removed or rejected ones kept as a placeholder
# because they still have visible replies (see selectors.VISIBLE).
PLACEHOLDER_STATUSES = (Comment.Status.REMOVED, Comment.Status.REJECTED)
MODERATED_STATUSES = (Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SHADOWED)


def is_visible(status: str, reply_count: int) -> bool:
    return status == Comment.Status.APPROVED or (status in PLACEHOLDER_STATUSES and reply_count > 0)


def comment_set_status(*, comment: Comment, status: str, notice: str = "") -> Comment:
    """A moderator's decision: publish (approved), hold (pending), reject, or shadow a comment.

    The caller has checked the moderator may decide this (talkies.moderation.services does, with its
    roles); this keeps the counters true whichever way the comment moves. A rejected comment with visible
    replies stays on the page as a "removed by a moderator" placeholder holding them up, as a removed one
    does; its text is kept, so a moderator can restore it. `notice` is what its author is told.
    """
    if status not in MODERATED_STATUSES:
        raise ServiceError("status", f"a moderator cannot set a comment's status to {status!r}")
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.status == Comment.Status.REMOVED:
            raise ServiceError("comment", "its author removed this comment: there is nothing to restore or decide")
        was_visible = is_visible(locked.status, locked.reply_count)
        now_visible = is_visible(status, locked.reply_count)
        comment.status = locked.status = status
        comment.moderation_notice = locked.moderation_notice = notice
        comment.reply_count = locked.reply_count
        locked.save(update_fields=["status", "moderation_notice"])
        if was_visible and not now_visible:
            _uncount_hidden(locked)
        elif now_visible and not was_visible:
            _count_shown(locked)
        announce(
            kind=ThreadEventKind.COMMENT_APPROVED
            if status == Comment.Status.APPROVED
            else ThreadEventKind.COMMENT_REJECTED,
            site_id=comment.thread.site_id,
            thread_id=comment.thread_id,
            comment_id=comment.pk,
        )
    return comment


def comment_set_spoiler(*, comment: Comment, is_spoiler: bool, body: str | None = None) -> Comment:
    """A moderator marks a comment as a spoiler (or not), or rewrites its inline >!spoiler!< markup.

    A moderator's `body` may differ from the author's only in spoiler markup: a moderator hides words,
    never changes them. The caller has checked the moderator's role.
    """
    fields = ["is_spoiler"]
    if body is not None:
        body = _validated_body(comment.thread.site, body)
        if _without_spoiler_markup(body) != _without_spoiler_markup(comment.body_source):
            raise ServiceError(
                "body", "a moderator may only add or move >!spoiler!< markers: the words must stay the author's"
            )
        comment.body_source = body
        comment.body_html = render_markdown(body)
        comment.has_inline_spoiler = contains_inline_spoiler(body)
        fields += ["body_source", "body_html", "has_inline_spoiler"]
    comment.is_spoiler = is_spoiler
    with transaction.atomic():
        comment.save(update_fields=fields)
        announce(
            kind=ThreadEventKind.COMMENT_EDITED,
            site_id=comment.thread.site_id,
            thread_id=comment.thread_id,
            comment_id=comment.pk,
        )
    return comment


def _without_spoiler_markup(body: str) -> str:
    return " ".join(body.replace(">!", " ").replace("!<", " ").split())


def _count_shown(comment: Comment) -> None:
    """Put a comment that has just come onto the page into the thread's and its parent's counters: the
    mirror of _uncount_hidden. A placeholder parent with no other visible reply comes back with it."""
    shown = 1
    parent_id = comment.parent_id
    while parent_id is not None:
        parent = Comment.objects.select_for_update().get(pk=parent_id)
        was_visible = is_visible(parent.status, parent.reply_count)
        parent.reply_count += 1
        parent.save(update_fields=["reply_count"])
        if was_visible:
            break
        shown += 1
        parent_id = parent.parent_id
    Thread.objects.filter(pk=comment.thread_id).update(comment_count=F("comment_count") + shown)


def _uncount_hidden(comment: Comment) -> None:
    """Take a comment that has just left the page out of the thread's and its parent's counters.

    A removed comment is shown (as a placeholder) only while it has visible replies, so losing its last
    one hides it too: the walk continues up through removed ancestors until one stays visible. Must be
    called inside the transaction that hid `comment`.
    """
    hidden = 1
    parent_id = comment.parent_id
    while parent_id is not None:
        parent = Comment.objects.select_for_update().get(pk=parent_id)
        parent.reply_count -= 1
        parent.save(update_fields=["reply_count"])
        if is_visible(parent.status, parent.reply_count):
            break
        hidden += 1
        parent_id = parent.parent_id
    Thread.objects.filter(pk=comment.thread_id).update(comment_count=F("comment_count") - hidden)


def comment_vote(*, comment: Comment, actor: Actor | User, value: int) -> Comment:
    """Vote +1 or -1 on a comment, or 0 to withdraw a vote. Changing your mind replaces the vote.

    An account votes as itself; a guest (where the site allows guests) by its guest_key.
    """
    if value not in (-1, 0, 1):
        raise ServiceError("value", f"value must be 1 (up), -1 (down) or 0 (withdraw), not {value!r}")
    actor = as_actor(actor)
    if not actor.is_account and not (actor.is_guest and comment.thread.site.allow_guest_comments):
        raise PermissionDenied("user", "log in to vote")
    if is_author(actor, comment):
        raise PermissionDenied("comment", "you cannot vote on your own comment")
    if not can_vote_on_comment(actor, comment):
        raise PermissionDenied("comment", "this comment cannot be voted on")
    voter = {"user": actor.user, "guest_key": actor.guest_key}

    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        previous = Vote.objects.filter(comment=locked, **voter).first()
        old = previous.value if previous else 0
        if old == value:
            return locked
        if old == 1:
            locked.upvotes -= 1
        elif old == -1:
            locked.downvotes -= 1
        if value == 1:
            locked.upvotes += 1
        elif value == -1:
            locked.downvotes += 1
        if value == 0 and previous is not None:
            previous.delete()
        elif previous is not None:
            previous.value = value
            previous.save(update_fields=["value"])
        else:
            Vote.objects.create(comment=locked, value=value, **voter)
        locked.best_score = wilson_lower_bound(locked.upvotes, locked.downvotes)
        locked.save(update_fields=["upvotes", "downvotes", "best_score"])
        announce(
            kind=ThreadEventKind.COMMENT_VOTED,
            site_id=comment.thread.site_id,
            thread_id=locked.thread_id,
            comment_id=locked.pk,
        )
    return locked


def comment_set_featured(*, comment: Comment, user: User, featured: bool) -> Comment:
    """An editor or moderator pins a comment above the thread, or unpins it."""
    if not can_moderate_site(Actor.of(user), comment.thread.site):
        raise PermissionDenied("comment", "only this site's editors and moderators can feature comments")
    return comment_feature(comment=comment, featured=featured, featured_by=user)


def comment_feature(*, comment: Comment, featured: bool, featured_by: User | None) -> Comment:
    """Pin or unpin a comment; the caller has checked the right to (comment_set_featured, or moderation's
    roles, under which a site's API key may feature too: then `featured_by` is None)."""
    user = featured_by
    if featured and comment.status != Comment.Status.APPROVED:
        raise ServiceError("comment", "only a published comment can be featured")
    with transaction.atomic():
        comment.is_featured = featured
        comment.featured_at = timezone.now() if featured else None
        comment.featured_by = user if featured else None
        comment.save(update_fields=["is_featured", "featured_at", "featured_by"])
        announce(
            kind=ThreadEventKind.COMMENT_FEATURED if featured else ThreadEventKind.COMMENT_UNFEATURED,
            site_id=comment.thread.site_id,
            thread_id=comment.thread_id,
            comment_id=comment.pk,
        )
    return comment


def thread_set_closed(*, thread: Thread, user: User, closed: bool) -> Thread:
    """An editor or moderator closes a thread to new comments (it stays readable), or reopens it."""
    if not can_moderate_site(Actor.of(user), thread.site):
        raise PermissionDenied("thread", "only this site's editors and moderators can close threads")
    with transaction.atomic():
        thread.is_closed = closed
        thread.save(update_fields=["is_closed"])
        announce(
            kind=ThreadEventKind.THREAD_CLOSED if closed else ThreadEventKind.THREAD_OPENED,
            site_id=thread.site_id,
            thread_id=thread.pk,
        )
    return thread


def thread_set_page_metadata(*, thread: Thread, title: str, url: str, film: Film | None) -> Thread:
    """The site itself (its API key, or staff in the admin) says what page a thread is and what film it is
    about, correcting whatever the first page to ask said, and pages can no longer change it.

    The first request for a page's thread may come from anyone who can send an allowed Origin header, which
    is anyone with curl; this is how the site overrules them. Bumps the thread's version, since the rating
    badges its pages show depend on the film.
    """
    with transaction.atomic():
        thread.title = title.strip()
        thread.url = url
        thread.film = film
        thread.metadata_from_site = True
        thread.save(update_fields=["title", "url", "film", "metadata_from_site"])
        thread.version = bump_version(thread.pk)
    return thread
