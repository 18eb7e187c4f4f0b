"""Moderation under /api/v1/moderation/: the queues, decisions on comments and authors, the audit log;
and readers' reports at /api/v1/comments/{id}/report.

The moderation endpoints take a moderator's session (with its CSRF token) or the site's API key
(`Authorization: Api-Key …`), so a newsroom can plug in its own tools; the project's API root mounts
this router with both (the key's class lives on a higher floor). Either way the site is the one the
credential belongs to, and roles decide the rest (talkies.moderation.permissions).
"""

from typing import Any, Protocol

from django.http import HttpRequest
from ninja import Query, Router

from talkies.accounts.api_auth import current_site
from talkies.accounts.models import Site, User
from talkies.accounts.requests import SiteRequest
from talkies.comments.api import get_comment_for_site, get_thread_for_site
from talkies.comments.api_auth import GuestTokenHeader, ReaderOrGuest, writer
from talkies.lib.api import READ_ERRORS, WRITE_ERRORS, RowId, get_or_404
from talkies.lib.errors import PermissionDenied
from talkies.lib.idempotency import idempotent
from talkies.lib.ratelimit import enforce_rate_limit

from .models import AuditEntry, AuthorStanding
from .permissions import Moderator, can_moderate_comments
from .schemas import (
    AuditOut,
    AuthorActionIn,
    BulkActionIn,
    BulkOut,
    CommentActionIn,
    ModeratedCommentOut,
    QueueCountsOut,
    QueueItemOut,
    QueueName,
    QueuePageOut,
    QueueQuery,
    ReportedOut,
    ReportIn,
    SpoilerCheckIn,
    SpoilerCheckOut,
    StandingOut,
)
from .selectors import QueueFilter, audit_for_author, audit_for_comment, queue_counts, queue_item, queue_page
from .services import (
    BulkOutcome,
    comment_for_site,
    comment_report,
    comments_for_site,
    moderate_author,
    moderate_comment,
    moderate_comments,
)
from .site_config import spoiler_suggestion

router = Router(tags=["moderation"])
report_auth = ReaderOrGuest("report comments")
spoiler_check_auth = ReaderOrGuest("check a comment for spoilers")


class SiteKey(Protocol):
    """A site's API key, as the key authentication hands it over (talkies.embed.models.ApiKey)."""

    site: Site
    name: str


def moderator_of(request: HttpRequest) -> Moderator:
    """The moderator behind the request, refused unless they may work this site's queues."""
    credential = getattr(request, "auth", None)
    if isinstance(credential, User):
        site = current_site(request)
        moderator = Moderator.of_user(credential, site)
    else:
        key: SiteKey = credential  # type: ignore[assignment]
        site = key.site
        moderator = Moderator.of_api_key(site, key.name)
    if not can_moderate_comments(moderator, site):
        raise PermissionDenied("user", f"only {site.name}'s editors and moderators can use its moderation queues")
    return moderator


@router.get("/moderation/queues/{queue}", response={200: QueuePageOut, **READ_ERRORS})
def list_queue(request: HttpRequest, queue: QueueName, query: Query[QueueQuery]) -> dict[str, Any]:
    """One page of a queue, newest or most-reported first, each item with why it is there, its reports,
    its parent comment and its author's history on the site. Keyset-paginated: follow next_cursor."""
    moderator = moderator_of(request)
    page = queue_page(
        site=moderator.site,
        queue=queue,
        order=query.order,
        filters=QueueFilter(story_id=query.story, film_id=query.film, author_id=query.author),
        cursor=query.cursor,
        limit=query.limit,
    )
    return {
        "queue": page.queue,
        "order": page.order,
        "items": [QueueItemOut.of(item) for item in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/moderation/counts", response={200: QueueCountsOut, **READ_ERRORS})
def count_queues(request: HttpRequest) -> dict[str, Any]:
    moderator = moderator_of(request)
    return {"counts": {str(queue): count for queue, count in queue_counts(moderator.site).items()}}


@router.get("/moderation/comments/{comment_id}", response={200: QueueItemOut, **READ_ERRORS})
def get_queue_item(request: HttpRequest, comment_id: RowId) -> QueueItemOut:
    moderator = moderator_of(request)
    comment = comment_for_site(moderator.site, comment_id)
    return QueueItemOut.of(queue_item(site=moderator.site, comment=comment))


@router.post("/moderation/comments/{comment_id}", response={200: ModeratedCommentOut, **WRITE_ERRORS})
@idempotent
def act_on_comment(request: HttpRequest, comment_id: RowId, payload: CommentActionIn) -> Any:
    """Approve, reject (with a reason the author sees), remove, restore, feature or unfeature, mark or
    unmark as a spoiler, or move its >!spoiler!< markers (edit_spoilers, with body)."""
    moderator = moderator_of(request)
    comment = comment_for_site(moderator.site, comment_id)
    return moderate_comment(
        comment=comment, moderator=moderator, action=payload.action, reason=payload.reason, body=payload.body
    )


@router.post("/moderation/comments", response={200: BulkOut, **WRITE_ERRORS})
@idempotent
def act_on_comments(request: HttpRequest, payload: BulkActionIn) -> Any:
    """The same action on up to 100 comments. Each is done or fails on its own; `failed` says why."""
    moderator = moderator_of(request)
    wanted = list(dict.fromkeys(payload.comment_ids))
    found = comments_for_site(moderator.site, wanted)
    outcome = moderate_comments(
        comments=[found[i] for i in wanted if i in found],
        moderator=moderator,
        action=payload.action,
        reason=payload.reason,
    )
    missing = {i: f"no comment {i} on {moderator.site.name}" for i in wanted if i not in found}
    return BulkOutcome(done=outcome.done, failed={**outcome.failed, **missing})


@router.post("/moderation/authors", response={200: StandingOut, **WRITE_ERRORS})
@idempotent
def act_on_author(request: HttpRequest, payload: AuthorActionIn) -> AuthorStanding:
    """Ban (site-wide) or unban, suspend until a time, shadow-ban, always pre-moderate, or trust an author:
    an account by user_id, or a guest by guest_key."""
    moderator = moderator_of(request)
    user = None
    if payload.user_id is not None:
        user = get_or_404(User.objects.all(), field="user_id", message=f"no user {payload.user_id}", pk=payload.user_id)
    return moderate_author(
        site=moderator.site,
        moderator=moderator,
        action=payload.action,
        user=user,
        guest_key=payload.guest_key or "",
        reason=payload.reason,
        until=payload.until,
    )


@router.get("/moderation/comments/{comment_id}/audit", response={200: list[AuditOut], **READ_ERRORS})
def comment_audit(request: HttpRequest, comment_id: RowId) -> list[AuditEntry]:
    """Every moderator and rule action on one comment, newest first."""
    moderator = moderator_of(request)
    comment = comment_for_site(moderator.site, comment_id)
    return audit_for_comment(site=moderator.site, comment_id=comment.pk)


@router.get("/moderation/authors/{user_id}/audit", response={200: list[AuditOut], **READ_ERRORS})
def author_audit(request: HttpRequest, user_id: RowId) -> list[AuditEntry]:
    """Every moderator and rule action about one author on this site, newest first."""
    moderator = moderator_of(request)
    return audit_for_author(site=moderator.site, user_id=user_id)


# --- Readers' reports ---------------------------------------------------------------------------------


@router.post("/comments/{comment_id}/report", response={200: ReportedOut, **WRITE_ERRORS}, auth=report_auth)
@idempotent
def report_comment(
    request: SiteRequest, comment_id: RowId, payload: ReportIn, guest_token: GuestTokenHeader = None
) -> dict[str, Any]:
    """Report a comment to the site's moderators, with a reason (spam, abuse, spoiler, off_topic, or
    other with text). Once per reader and comment."""
    comment = get_comment_for_site(current_site(request), comment_id)
    who = writer(request, guest_token=payload.guest_token or guest_token, where='as "guest_token" in the body')
    enforce_rate_limit(request, "report", actor=who.rate_key, field="reason")
    comment_report(comment=comment, actor=who, reason=payload.reason, text=payload.text)
    return {"comment_id": comment.pk, "reported": True}


@router.post(
    "/threads/{thread_id}/spoiler-check", response={200: SpoilerCheckOut, **WRITE_ERRORS}, auth=spoiler_check_auth
)
@idempotent
def check_for_spoilers(request: SiteRequest, thread_id: RowId, payload: SpoilerCheckIn) -> dict[str, Any]:
    """Before posting: does this text look like a spoiler for the thread's film? Nothing is saved. The
    embed and the site's form ask it, and suggest the spoiler tag when the answer is yes."""
    thread = get_thread_for_site(current_site(request), thread_id)
    enforce_rate_limit(request, "spoiler_check", actor=request.actor.rate_key, field="body")
    suggestion = spoiler_suggestion(thread=thread, body=payload.body)
    return {"suggest_spoiler": suggestion.suggest, "reasons": suggestion.reasons}
