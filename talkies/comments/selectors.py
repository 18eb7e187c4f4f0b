"""Reading threads: keyset-paginated top-level comments with their replies, in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet

from talkies.lib.cursors import decode_cursor, encode_cursor
from talkies.lib.errors import ServiceError
from talkies.ratings.selectors import ratings_by_users

from .models import Comment, Thread

SORTS = ("best", "top", "new", "old", "controversial")
MAX_PAGE_SIZE = 200

VISIBLE = Q(status=Comment.Status.APPROVED) | Q(status=Comment.Status.REMOVED, reply_count__gt=0)


@dataclass
class CommentNode:
    comment: Comment
    replies: list["CommentNode"] = field(default_factory=list)
    author_rating: int | None = None


@dataclass
class ThreadPage:
    thread: Thread
    sort: str
    nodes: list[CommentNode]
    next_cursor: str | None


def _sort_key(sort: str) -> tuple[str, bool]:
    """(field to order top-level comments by, descending?). 'top' and 'controversial' use annotations."""
    return {
        "best": ("best_score", True),
        "top": ("net_votes", True),
        "controversial": ("controversy", True),
        "new": ("created_at", True),
        "old": ("created_at", False),
    }[sort]


def _annotated(queryset: QuerySet[Comment]) -> QuerySet[Comment]:
    # Controversy: many votes, evenly split. min(up, down) * 2 + total is a cheap, monotone stand-in that
    # an index cannot serve, which is acceptable for a sort readers choose rarely (revisited for issue 3).
    return queryset.annotate(
        net_votes=F("upvotes") - F("downvotes"),
        controversy=F("upvotes") + F("downvotes") - (F("upvotes") - F("downvotes")) * (F("upvotes") - F("downvotes")),
    )


def _cursor_value(comment: Comment, key: str):
    value = getattr(comment, key)
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def thread_page(
    *,
    thread: Thread,
    sort: str = "best",
    cursor: str | None = None,
    limit: int = 50,
    with_replies: bool = True,
) -> ThreadPage:
    """One page of top-level comments (keyset on sort key + id), each with its visible replies."""
    if sort not in SORTS:
        raise ServiceError("sort", f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ServiceError("limit", f"limit must be from 1 to {MAX_PAGE_SIZE}, not {limit}")
    key, descending = _sort_key(sort)
    roots = _annotated(Comment.objects.filter(VISIBLE, thread=thread, parent=None)).select_related("author")
    if cursor:
        value, last_id = decode_cursor(cursor, length=2)
        if key == "created_at":
            try:
                value = datetime.datetime.fromisoformat(value)
            except (TypeError, ValueError) as e:
                raise ServiceError("cursor", "cursor is not one we issued: start again from the first page") from e
        op = "lt" if descending else "gt"
        roots = roots.filter(Q(**{f"{key}__{op}": value}) | Q(**{key: value, f"id__{op}": last_id}))
    order = [f"-{key}", "-id"] if descending else [key, "id"]
    page = list(roots.order_by(*order)[: limit + 1])
    next_cursor = None
    if len(page) > limit:
        page = page[:limit]
        next_cursor = encode_cursor([_cursor_value(page[-1], key), page[-1].pk])

    nodes = [CommentNode(c) for c in page]
    if with_replies and page:
        by_id: dict[int | None, CommentNode] = {node.comment.pk: node for node in nodes}
        replies = (
            Comment.objects.filter(VISIBLE, root__in=[c.pk for c in page])
            .select_related("author")
            .order_by("created_at", "id")
        )
        for reply in replies:
            node = CommentNode(reply)
            by_id[reply.pk] = node
            parent = by_id.get(reply.parent_id)
            if parent is not None:  # a reply under a hidden comment stays hidden with it
                parent.replies.append(node)

    if thread.film_id and nodes:
        author_ids = {n.comment.author_id for n in nodes if n.comment.author_id}
        badges = ratings_by_users(site=thread.site, film=thread.film, user_ids=author_ids)  # type: ignore[arg-type]
        for node in nodes:
            node.author_rating = badges.get(node.comment.author_id)  # type: ignore[arg-type]
    return ThreadPage(thread=thread, sort=sort, nodes=nodes, next_cursor=next_cursor)
