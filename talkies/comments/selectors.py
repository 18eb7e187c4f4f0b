"""Reading threads: keyset-paginated top-level comments with their replies, in a fixed number of queries."""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Greatest, Least, Power

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


def _with_sort_key(queryset: QuerySet[Comment], key: str) -> QuerySet[Comment]:
    """Annotate the computed sort key the sort needs, and only that one: each costs SQL to build and run."""
    if key == "net_votes":
        return queryset.annotate(net_votes=F("upvotes") - F("downvotes"))
    if key == "controversy":
        # Reddit's (up + down) ** (min / max): many votes, evenly split, rank first; a unanimous comment
        # scores 0. An index cannot serve it, which is acceptable for a sort readers choose rarely
        # (revisited for issue 3). min/max is computed in floating point so it is not truncated to 0.
        votes_split = Cast(Least("upvotes", "downvotes"), FloatField()) / Greatest("upvotes", "downvotes")
        controversy = Case(
            When(upvotes__gt=0, downvotes__gt=0, then=Power(F("upvotes") + F("downvotes"), votes_split)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        return queryset.annotate(controversy=controversy)
    return queryset


# The JSON type each sort's cursor value was issued as; created_at travels as an ISO 8601 string.
_CURSOR_TYPES: dict[str, type | tuple[type, ...]] = {
    "best_score": (int, float),
    "net_votes": int,
    "controversy": (int, float),
    "created_at": str,
}
BAD_CURSOR = "cursor is not one we issued for this sort: start again from the first page"


def _cursor_position(cursor: str, key: str) -> tuple[float | int | datetime.datetime, int]:
    """The (sort value, id) a cursor points after, checked against the sort it is replayed with.

    A cursor is opaque but not signed: a forged one, or one issued for another sort, must fail here with
    a ServiceError rather than reach the database as a value of the wrong type.
    """
    value, last_id = decode_cursor(cursor, length=2)
    well_formed = (
        isinstance(value, _CURSOR_TYPES[key])
        and not isinstance(value, bool)
        and (not isinstance(value, float) or math.isfinite(value))
        and isinstance(last_id, int)
        and not isinstance(last_id, bool)
    )
    if not well_formed:
        raise ServiceError("cursor", BAD_CURSOR)
    if key != "created_at":
        return value, last_id
    try:
        return datetime.datetime.fromisoformat(value), last_id
    except ValueError as e:
        raise ServiceError("cursor", BAD_CURSOR) from e


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
    roots = _with_sort_key(Comment.objects.filter(VISIBLE, thread=thread, parent=None), key).select_related("author")
    if cursor:
        value, last_id = _cursor_position(cursor, key)
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
