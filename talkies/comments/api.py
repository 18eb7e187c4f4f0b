"""Conversation under /api/v1/: threads, comments and votes. Reads are public; writes need a logged-in reader.

Every thread and comment is fetched through get_thread_for_site or get_comment_for_site, so one site's
conversation is never visible, nor writable, from another site on the same installation.
"""

from dataclasses import dataclass
from typing import Any

from ninja import Query, Router, Status

from talkies.accounts.api_auth import LoggedIn, current_site
from talkies.accounts.models import Site
from talkies.accounts.requests import SignedInRequest, SiteRequest
from talkies.lib.api import READ_ERRORS, WRITE_ERRORS, RowId, api_field_names, get_or_404
from talkies.lib.errors import NotFound, PermissionDenied, ServiceError
from talkies.lib.guests import new_guest_token
from talkies.lib.idempotency import idempotent
from talkies.lib.ratelimit import enforce_rate_limit
from talkies.lib.text import Text
from talkies.ratings.selectors import ratings_by_users
from talkies.stories.api import get_story_for_site

from .api_auth import GUEST_TOKEN_HEADER, GuestTokenHeader, ReaderGuestTokenHeader, ReaderOrGuest, reader, writer
from .models import Comment, Thread
from .read_models import CommentRead, reading
from .schemas import (
    CloseIn,
    CommentContextOut,
    CommentEditIn,
    CommentIn,
    CommentOut,
    CommentPageOut,
    CommentPageQuery,
    CountsOut,
    CountsQuery,
    FeatureIn,
    GuestTokenOut,
    RepliesPageOut,
    RepliesQuery,
    ThreadOut,
    VoteIn,
    VoteOut,
)
from .selectors import (
    comment_context,
    comment_counts,
    featured_comments,
    is_visible_thread,
    replies_page,
    thread_page,
    visible_threads_q,
)
from .services import (
    comment_create,
    comment_edit,
    comment_remove,
    comment_set_featured,
    comment_vote,
    thread_for_story,
    thread_set_closed,
)

router = Router(tags=["conversation"])
comment_auth = ReaderOrGuest("comment")
vote_auth = ReaderOrGuest("vote")
# Featuring and closing are staff actions from our own pages or scripts: a session and its CSRF token.
moderator_auth = LoggedIn("moderate comments")

# --- Fetching, always scoped to the request's site --------------------------------------------------


def get_thread_for_site(site: Site, thread_id: int) -> Thread:
    # thread_page reads thread.site and thread.film: selecting them keeps the page at a fixed query count.
    # Fetched by its key and checked in Python (is_visible_thread), which every comment post pays for.
    thread = Thread.objects.select_related("site", "film", "story").filter(pk=thread_id).first()
    if thread is None or not is_visible_thread(thread, site):
        raise NotFound("thread_id", f"no thread {thread_id} on {site.name}")
    return thread


def get_comment_for_site(site: Site, comment_id: int) -> Comment:
    # The services check permissions against comment.thread.site; selecting it saves two queries.
    comments = Comment.objects.select_related("thread__site", "thread__film", "author").filter(
        visible_threads_q(site, prefix="thread__")
    )
    return get_or_404(comments, field="comment_id", message=f"no comment {comment_id} on {site.name}", pk=comment_id)


# --- Shaping ----------------------------------------------------------------------------------------


def author_badge(comment: Comment) -> int | None:
    """The author's rating of the thread's film, shown on top-level comments only (one query)."""
    thread = comment.thread
    if comment.parent_id is not None or thread.film is None or comment.author_id is None:
        return None
    return ratings_by_users(site=thread.site, film=thread.film, user_ids={comment.author_id}).get(comment.author_id)


# --- Threads ----------------------------------------------------------------------------------------


@router.get("/threads/{thread_id}", response={200: ThreadOut, **READ_ERRORS})
def get_thread(request: SiteRequest, thread_id: RowId) -> Thread:
    return get_thread_for_site(current_site(request), thread_id)


@router.get("/stories/{slug}/thread", response={200: ThreadOut, **READ_ERRORS})
def get_story_thread(request: SiteRequest, slug: Text) -> Thread:
    """The story's conversation, opened on first use so readers of a new story can comment at once."""
    site = current_site(request)
    story = get_story_for_site(site, slug, select=["thread"])
    # Opening is idempotent (get-or-create on the story's unique key), which is what makes it safe to do
    # on a GET: asking twice, or from two readers at once, yields the same thread.
    thread = getattr(story, "thread", None) or thread_for_story(story=story)
    return get_thread_for_site(site, thread.pk)


@router.get("/threads/{thread_id}/comments", response={200: CommentPageOut, **READ_ERRORS})
def list_comments(
    request: SiteRequest, thread_id: RowId, query: Query[CommentPageQuery], guest_token: ReaderGuestTokenHeader = None
) -> dict[str, Any]:
    """One page of top-level comments, each with its first few replies nested (`more_replies` says how
    many more each comment has: fetch them from /comments/{id}/replies). The first page also lists the
    comments the editors featured.

    A fixed number of queries whatever the page or the thread holds: the thread, the top-level comments,
    their first replies, the authors' rating badges, and on the first page the featured comments.

    Each comment says what the reader asking may do with it (can_edit, can_remove, can_report,
    editable_until): a reader known by session, Bearer token or guest token. A request that names no one
    gets false and null throughout.
    """
    site = current_site(request)
    thread = get_thread_for_site(site, thread_id)
    sort = query.sort or site.default_comment_sort
    hide_spoilers = query.spoilers == "hide"
    who = reader(request, guest_token=guest_token)
    page = thread_page(
        thread=thread, sort=sort, cursor=query.cursor, limit=query.limit, hide_spoilers=hide_spoilers, viewer=who
    )
    featured = [] if query.cursor else featured_comments(thread=thread, hide_spoilers=hide_spoilers)
    read = reading(thread, who)
    return {
        "thread_id": thread.pk,
        "sort": page.sort,
        "comments": read.trees(page.nodes),
        "next_cursor": page.next_cursor,
        "comment_count": thread.comment_count,
        "featured": [read.comment(comment) for comment in featured],
    }


@router.get("/counts", response={200: CountsOut, **READ_ERRORS})
def get_counts(request: SiteRequest, query: Query[CountsQuery]) -> dict[str, Any]:
    """Comment counts for many threads in one request and one query, for listing pages.

    `?thread=` repeats: a thread id, or a thread key (the page URL an embed uses, or story:<id>). Threads
    this site does not have, or does not show yet, count 0 rather than failing the whole request.
    """
    counts = comment_counts(site=current_site(request), refs=query.thread)
    return {"counts": {ref: {"comments": count} for ref, count in counts.items()}}


@router.post("/threads/{thread_id}/close", response={200: ThreadOut, **WRITE_ERRORS}, auth=moderator_auth)
@idempotent
def close_thread(request: SignedInRequest, thread_id: RowId, payload: CloseIn) -> Thread:
    """Close a thread to new comments (it stays readable), or reopen it: the site's editors and moderators."""
    thread = get_thread_for_site(current_site(request), thread_id)
    thread = thread_set_closed(thread=thread, user=request.auth, closed=payload.closed)
    return thread


# --- Comments ---------------------------------------------------------------------------------------


@router.get("/comments/{comment_id}/replies", response={200: RepliesPageOut, **READ_ERRORS})
def list_replies(
    request: SiteRequest, comment_id: RowId, query: Query[RepliesQuery], guest_token: ReaderGuestTokenHeader = None
) -> dict[str, Any]:
    """A page of one comment's direct replies, oldest first, each with its own first few replies.

    Three queries whatever their number (the path above the comment: a comment the thread hides has no
    replies to list, 404 as for its context; the replies; theirs). Start from a node's `more_replies_cursor` to skip
    the replies a thread page already showed.
    """
    comment = get_comment_for_site(current_site(request), comment_id)
    who = reader(request, guest_token=guest_token)
    page = replies_page(
        parent=comment, cursor=query.cursor, limit=query.limit, hide_spoilers=query.spoilers == "hide", viewer=who
    )
    return {
        "comment_id": comment.pk,
        "replies": reading(comment.thread, who).trees(page.nodes),
        "next_cursor": page.next_cursor,
    }


@router.get("/comments/{comment_id}/context", response={200: CommentContextOut, **READ_ERRORS})
def get_comment_context(
    request: SiteRequest, comment_id: RowId, query: Query[RepliesQuery], guest_token: ReaderGuestTokenHeader = None
) -> dict[str, Any]:
    """One comment where it sits, for a permalink: its top-level comment and the path down to it, then the
    first page of its own replies (`cursor` and `limit` page those)."""
    comment = get_comment_for_site(current_site(request), comment_id)
    who = reader(request, guest_token=guest_token)
    context = comment_context(
        comment=comment, cursor=query.cursor, limit=query.limit, hide_spoilers=query.spoilers == "hide", viewer=who
    )
    return {
        "thread_id": comment.thread_id,
        "comment_id": comment.pk,
        "path": [c.pk for c in context.path],
        "root": reading(comment.thread, who).tree(context.root),
        "next_cursor": context.next_cursor,
    }


@router.post("/comments/{comment_id}/feature", response={200: CommentOut, **WRITE_ERRORS}, auth=moderator_auth)
@idempotent
def feature_comment(request: SignedInRequest, comment_id: RowId, payload: FeatureIn) -> CommentRead:
    """Feature a comment above its thread, or stop featuring it: the site's editors and moderators."""
    comment = get_comment_for_site(current_site(request), comment_id)
    comment = comment_set_featured(comment=comment, user=request.auth, featured=payload.featured)
    return reading(comment.thread, request.actor).comment(comment, author_rating=author_badge(comment))


@router.post("/threads/{thread_id}/comments", response={201: CommentOut, **WRITE_ERRORS}, auth=comment_auth)
@idempotent
def post_comment(request: SiteRequest, thread_id: RowId, payload: CommentIn) -> Status:
    """Post a top-level comment, or a reply with `parent_id`."""
    site = current_site(request)
    thread = get_thread_for_site(site, thread_id)
    parent = None
    if payload.parent_id is not None:
        # The reply's root and depth come from the parent, so select its root along with it.
        parent = Comment.objects.select_related("root").filter(thread=thread, pk=payload.parent_id).first()
        if parent is None:
            raise ServiceError("parent_id", f"no comment {payload.parent_id} in thread {thread.pk} to reply to")
    who = writer(request, guest_token=payload.guest_token, where='as "guest_token" in the body')
    enforce_rate_limit(request, "comment", actor=who.rate_key, field="body")
    with api_field_names({"parent": "parent_id"}):
        comment = comment_create(
            thread=thread,
            author=who,
            body=payload.body,
            parent=parent,
            is_spoiler=payload.is_spoiler,
            guest_name=payload.guest_name or "",
        )
    return Status(201, reading(thread, who).comment(comment, author_rating=author_badge(comment)))


@router.patch("/comments/{comment_id}", response={200: CommentOut, **WRITE_ERRORS}, auth=comment_auth)
@idempotent
def edit_comment(
    request: SiteRequest, comment_id: RowId, payload: CommentEditIn, guest_token: GuestTokenHeader = None
) -> CommentRead:
    """Edit your comment within the site's edit window (a guest sends their token in a header)."""
    comment = get_comment_for_site(current_site(request), comment_id)
    who = writer(request, guest_token=guest_token, where=f"in the {GUEST_TOKEN_HEADER} header")
    comment = comment_edit(comment=comment, actor=who, body=payload.body, is_spoiler=payload.is_spoiler)
    return reading(comment.thread, who).comment(comment, author_rating=author_badge(comment))


@router.delete("/comments/{comment_id}", response={200: CommentOut, **WRITE_ERRORS}, auth=comment_auth)
@idempotent
def remove_comment(request: SiteRequest, comment_id: RowId, guest_token: GuestTokenHeader = None) -> CommentRead:
    """Remove your comment. Its replies stay, under a placeholder. (A guest sends their token in a header.)"""
    comment = get_comment_for_site(current_site(request), comment_id)
    who = writer(request, guest_token=guest_token, where=f"in the {GUEST_TOKEN_HEADER} header")
    comment = comment_remove(comment=comment, actor=who)
    return reading(comment.thread, who).comment(comment)


@dataclass(frozen=True)
class VoteResult:
    """What a vote answers (VoteOut)."""

    comment_id: int
    upvotes: int
    downvotes: int
    your_vote: int


@router.post("/comments/{comment_id}/vote", response={200: VoteOut, **WRITE_ERRORS}, auth=vote_auth)
@idempotent
def vote_on_comment(
    request: SiteRequest, comment_id: RowId, payload: VoteIn, guest_token: GuestTokenHeader = None
) -> VoteResult:
    """Vote a comment up (1) or down (-1), or withdraw your vote (0). Voting again replaces your vote.

    A guest sends their token in the X-Talkies-Guest-Token header.
    """
    comment = get_comment_for_site(current_site(request), comment_id)
    who = writer(request, guest_token=guest_token, where=f"in the {GUEST_TOKEN_HEADER} header")
    enforce_rate_limit(request, "vote", actor=who.rate_key, field="value")
    voted = comment_vote(comment=comment, actor=who, value=payload.value)
    return VoteResult(comment_id=voted.pk, upvotes=voted.upvotes, downvotes=voted.downvotes, your_vote=payload.value)


# --- Guests -----------------------------------------------------------------------------------------


@router.post("/guest-token", response={201: GuestTokenOut, **WRITE_ERRORS})
@idempotent
def issue_guest_token(request: SiteRequest) -> Status:
    """A new guest identity, on a site that takes guest comments. Send it with the guest's every write.

    Needs neither a login nor a CSRF token: it grants nothing but a fresh, empty identity, and it is
    limited per client address so identities cannot be minted to dodge the per-guest limits.
    """
    site = current_site(request)
    if not site.allow_guest_comments:
        raise PermissionDenied("guest_token", "this site does not take guest comments: log in to comment")
    enforce_rate_limit(request, "guest_token", actor=None, field="guest_token")
    return Status(201, {"guest_token": new_guest_token(site_id=site.pk)})
