"""Reading threads in pieces no bigger than a page, each in a fixed number of queries.

Nothing here ever loads a whole thread. A page of a thread is its top-level comments (keyset-paginated
by the reader's sort) each with a short preview of its replies; "more replies" pages one comment's direct
replies by (created_at, id); a permalink loads the path from the top-level comment down to one comment.
Every node knows how many of its replies are not shown (`more_replies`) and where to continue from.

Replies are always in posting order within their parent, whatever the sort, so a conversation reads in
the order it happened.
"""

import datetime
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Greatest, Least, Power
from django.utils import timezone

from talkies.accounts.actors import ANONYMOUS, Actor
from talkies.accounts.models import Site
from talkies.catalogue.models import Film
from talkies.catalogue.status import film_release_date
from talkies.lib.cursors import CursorField, decode_cursor, encode_cursor
from talkies.lib.errors import NotFound, ServiceError
from talkies.ratings.selectors import ratings_by_users

from .models import Comment, Thread

SORTS = ("best", "top", "new", "old", "controversial")
MAX_PAGE_SIZE = 200

MAX_REPLIES_PAGE_SIZE = 100
# How many replies a top-level comment shows on a page of the thread, and how many replies each reply
# shows on a page of "more replies". Fixed numbers, so a comment with 10,000 replies costs what one with
# six does.
REPLIES_PREVIEW = 5
NESTED_PREVIEW = 3

VISIBLE = Q(status=Comment.Status.APPROVED) | Q(
    status__in=[Comment.Status.REMOVED, Comment.Status.REJECTED], reply_count__gt=0
)
# Comments only their author sees, with the notice saying why (a shadowed one looks published to them).
HELD = (Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SHADOWED)
# The database-side twin of Comment.contains_spoilers, so "no spoilers" is a filter, not a loop.
SPOILER_FREE = Q(is_spoiler=False, has_inline_spoiler=False)


@dataclass
class CommentNode:
    comment: Comment
    replies: list["CommentNode"] = field(default_factory=list)
    author_rating: int | None = None
    # Replies loaded are always the first ones in posting order, so the rest start after the last shown:
    # pass `more_replies_cursor` to replies_page to continue (None: from the first reply).
    more_replies: int = 0
    more_replies_cursor: str | None = None

    def count_more_replies(self) -> None:
        """Set what the reader has not seen from the comment's counter (kept by the services)."""
        self.more_replies = max(self.comment.reply_count - len(self.replies), 0)
        last = self.replies[-1].comment if self.replies else None
        self.more_replies_cursor = _reply_cursor(last) if last is not None and self.more_replies else None


@dataclass
class ThreadPage:
    thread: Thread
    sort: str
    nodes: list[CommentNode]
    next_cursor: str | None


@dataclass
class RepliesPage:
    parent: Comment
    nodes: list[CommentNode]
    next_cursor: str | None


@dataclass
class CommentContext:
    """One comment in its place: the path from its top-level comment down to it, and its first replies."""

    thread: Thread
    comment: Comment
    root: CommentNode  # each node on the path holds only the next one, down to `target`
    target: CommentNode  # the comment itself, its replies loaded
    path: list[Comment]  # root first, the comment last
    next_cursor: str | None  # more of the comment's own replies


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
        # scores 0. An index cannot serve it, which is acceptable for a sort readers choose rarely.
        # min/max is computed in floating point so it is not truncated to 0.
        votes_split = Cast(Least("upvotes", "downvotes"), FloatField()) / Greatest("upvotes", "downvotes")
        controversy = Case(
            When(upvotes__gt=0, downvotes__gt=0, then=Power(F("upvotes") + F("downvotes"), votes_split)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        return queryset.annotate(controversy=controversy)
    return queryset


# The type each sort's cursor value was issued as; created_at travels as an ISO 8601 string.
_CURSOR_TYPES: dict[str, CursorField] = {
    "best_score": float,
    "net_votes": int,
    "controversy": float,
    "created_at": datetime.datetime,
}


def _cursor_position(cursor: str, key: str) -> tuple[float | int | datetime.datetime, int]:
    """The (sort value, id) a cursor points after, checked against the sort it is replayed with."""
    value, last_id = decode_cursor(cursor, shape=(_CURSOR_TYPES[key], int), issued_for=" for this sort")
    return value, last_id


def _cursor_value(comment: Comment, key: str) -> Any:
    value = getattr(comment, key)
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def _reply_cursor(comment: Comment) -> str:
    return encode_cursor([comment.created_at.isoformat(), comment.pk])


def _own_held(viewer: Actor) -> Q | None:
    if viewer.user is not None:
        return Q(author_id=viewer.user.pk, status__in=HELD)
    if viewer.is_guest:
        return Q(author=None, guest_key=viewer.guest_key, status__in=HELD)
    return None


def _shown(thread_id: int, *, hide_spoilers: bool, viewer: Actor = ANONYMOUS) -> QuerySet[Comment]:
    """The thread's comments `viewer` may see: everyone's published ones, and the viewer's own held ones.
    Spoiler-free ones only when the reader asked for that."""
    own = _own_held(viewer)
    comments = Comment.objects.filter(VISIBLE | own if own is not None else VISIBLE, thread_id=thread_id)
    return comments.filter(SPOILER_FREE) if hide_spoilers else comments


def _first_per_group(comments: QuerySet[Comment], *, group: str, ids: list[int], per_group: int) -> QuerySet[Comment]:
    """The first `per_group` of `comments` in posting order for each of `ids` in column `group`, in one query.

    One LIMITed subquery per group, joined by UNION ALL: each is a short scan of an index on
    (group, created_at, id) that stops after `per_group` rows, so a group of 10,000 rows costs what a
    group of six does. A window function (ROW_NUMBER() OVER (PARTITION BY group)) would read more simply
    but numbers every row of every group before keeping a few.
    """
    if not ids:
        return Comment.objects.none()
    branches, params = [], []
    for index, group_id in enumerate(ids):
        first = comments.filter(**{group: group_id}).order_by("created_at", "id").values("pk")[:per_group]
        sql, branch_params = first.query.get_compiler(using=first.db).as_sql()
        branches.append(f"SELECT * FROM ({sql}) AS first_{index}")
        params.extend(branch_params)
    return Comment.objects.filter(pk__in=RawSQL(" UNION ALL ".join(branches), params))


def _attach(nodes: list[CommentNode], replies: QuerySet[Comment]) -> None:
    """Hang `replies` under their parents among `nodes` (and each other), oldest first within a parent.

    A reply whose parent is not loaded (a hidden comment's, or a spoiler's when spoilers are filtered
    out) is dropped, never re-parented: its visible ancestor still counts it among its more_replies.
    """
    by_id = {node.comment.pk: node for node in _walk(nodes)}
    for reply in replies.select_related("author").order_by("created_at", "id"):
        parent = by_id.get(reply.parent_id) if reply.parent_id is not None else None
        if parent is not None:
            node = CommentNode(reply)
            parent.replies.append(node)
            by_id[reply.pk] = node


def _walk(nodes: list[CommentNode]) -> Iterator[CommentNode]:
    for node in nodes:
        yield node
        yield from _walk(node.replies)


def _count_more_replies(nodes: list[CommentNode]) -> None:
    for node in _walk(nodes):
        node.count_more_replies()


def _add_badges(thread: Thread, nodes: list[CommentNode]) -> None:
    """The authors' ratings of the thread's film, on top-level comments only (one query)."""
    tops = [node for node in nodes if node.comment.parent_id is None]
    if not thread.film_id or not tops:
        return
    author_ids = {n.comment.author_id for n in tops if n.comment.author_id}
    badges = ratings_by_users(site=thread.site, film=thread.film, user_ids=author_ids)  # type: ignore[arg-type]
    for node in tops:
        node.author_rating = badges.get(node.comment.author_id)  # type: ignore[arg-type]


def thread_page(
    *,
    thread: Thread,
    sort: str = "best",
    cursor: str | None = None,
    limit: int = 50,
    with_replies: bool = True,
    hide_spoilers: bool = False,
    viewer: Actor = ANONYMOUS,
) -> ThreadPage:
    """One page of top-level comments (keyset on sort key + id), each with its first REPLIES_PREVIEW
    replies in posting order, nested. Three queries: top-level comments, replies, rating badges."""
    if sort not in SORTS:
        raise ServiceError("sort", f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ServiceError("limit", f"limit must be from 1 to {MAX_PAGE_SIZE}, not {limit}")
    key, descending = _sort_key(sort)
    roots = _with_sort_key(_shown(thread.pk, hide_spoilers=hide_spoilers, viewer=viewer).filter(parent=None), key)
    if cursor:
        value, last_id = _cursor_position(cursor, key)
        op = "lt" if descending else "gt"
        roots = roots.filter(Q(**{f"{key}__{op}": value}) | Q(**{key: value, f"id__{op}": last_id}))
    order = [f"-{key}", "-id"] if descending else [key, "id"]
    page = list(roots.select_related("author").order_by(*order)[: limit + 1])
    next_cursor = None
    if len(page) > limit:
        page = page[:limit]
        next_cursor = encode_cursor([_cursor_value(page[-1], key), page[-1].pk])

    nodes = [CommentNode(c) for c in page]
    if with_replies and page:
        # Every comment under a top-level one shares its root, so the first replies of each root are
        # the first rows of one index range, and (parents being older than their replies) always a
        # connected tree whose every node shows a prefix of its replies.
        previews = _first_per_group(
            _shown(thread.pk, hide_spoilers=hide_spoilers, viewer=viewer),
            group="root",
            ids=[c.pk for c in page],
            per_group=REPLIES_PREVIEW,
        )
        _attach(nodes, previews)
    _count_more_replies(nodes)
    _add_badges(thread, nodes)
    return ThreadPage(thread=thread, sort=sort, nodes=nodes, next_cursor=next_cursor)


def replies_page(
    *,
    parent: Comment,
    cursor: str | None = None,
    limit: int = 20,
    hide_spoilers: bool = False,
    viewer: Actor = ANONYMOUS,
) -> RepliesPage:
    """A page of `parent`'s direct replies, oldest first (keyset on created_at + id), each with its own
    first NESTED_PREVIEW replies. Three queries whatever the number of replies: the path above `parent`
    (visible_path: the replies of a comment the thread hides are as hidden as it is), the replies, theirs."""
    visible_path(parent, viewer)
    return _replies_page(parent=parent, cursor=cursor, limit=limit, hide_spoilers=hide_spoilers, viewer=viewer)


def _replies_page(
    *, parent: Comment, cursor: str | None, limit: int, hide_spoilers: bool, viewer: Actor
) -> RepliesPage:
    if not 1 <= limit <= MAX_REPLIES_PAGE_SIZE:
        raise ServiceError("limit", f"limit must be from 1 to {MAX_REPLIES_PAGE_SIZE}, not {limit}")
    shown = _shown(parent.thread_id, hide_spoilers=hide_spoilers, viewer=viewer)
    replies = shown.filter(parent=parent)
    if cursor:
        created_at, last_id = _cursor_position(cursor, "created_at")
        replies = replies.filter(Q(created_at__gt=created_at) | Q(created_at=created_at, id__gt=last_id))
    page = list(replies.select_related("author").order_by("created_at", "id")[: limit + 1])
    next_cursor = None
    if len(page) > limit:
        page = page[:limit]
        next_cursor = _reply_cursor(page[-1])
    nodes = [CommentNode(c) for c in page]
    if nodes:
        # The thread filter in `shown` lets each group use the (thread, parent, created_at, id) index.
        nested = _first_per_group(shown, group="parent", ids=[c.pk for c in page], per_group=NESTED_PREVIEW)
        _attach(nodes, nested)
    _count_more_replies(nodes)
    return RepliesPage(parent=parent, nodes=nodes, next_cursor=next_cursor)


def _path_ids(comment: Comment) -> RawSQL:
    """The ids of `comment` and all its ancestors: a recursive walk up `parent`, at most one row per level."""
    table = Comment._meta.db_table
    return RawSQL(
        f"WITH RECURSIVE path(id, parent_id) AS ("
        f" SELECT id, parent_id FROM {table} WHERE id = %s"
        f" UNION ALL SELECT c.id, c.parent_id FROM {table} c JOIN path ON c.id = path.parent_id"
        f") SELECT id FROM path",
        [comment.pk],
    )


def _is_shown(comment: Comment, viewer: Actor = ANONYMOUS) -> bool:
    """_shown for one comment already loaded: VISIBLE, or one of the viewer's own held comments."""
    if comment.status == Comment.Status.APPROVED:
        return True
    if comment.status in (Comment.Status.REMOVED, Comment.Status.REJECTED) and comment.reply_count > 0:
        return True
    if comment.status not in HELD:
        return False
    if viewer.user is not None:
        return comment.author_id == viewer.user.pk
    return viewer.is_guest and comment.author_id is None and comment.guest_key == viewer.guest_key


def visible_path(comment: Comment, viewer: Actor = ANONYMOUS) -> list[Comment]:
    """`comment` and its ancestors, its top-level comment first, when `viewer` may read it; NotFound naming
    `comment_id` otherwise, as for a comment that does not exist. One query.

    The rule every read of one comment applies (its replies, its context, its permalink page), the one a
    thread page applies by construction: a comment shows when it is shown (_is_shown) and so is every
    comment above it, since a reply is only ever drawn under its parent.
    """
    path = list(Comment.objects.filter(pk__in=_path_ids(comment)).select_related("author").order_by("depth"))
    if not path or path[-1].pk != comment.pk or not all(_is_shown(c, viewer) for c in path):
        raise NotFound("comment_id", f"no comment {comment.pk} to show")
    return path


def under_hidden_comments(threads: QuerySet[Thread]) -> RawSQL:
    """The ids of the comments of `threads` that sit under a comment nobody but its author sees: visible_path's
    rule for many comments at once, as a subquery, for lists that are not read down from the top (feeds).

    Starts from the hidden comments holding visible replies (reply_count counts only those), rare as
    held-after-replies comments are, and walks down their subtrees, so it costs what they hold.
    """
    holding = Comment.objects.filter(thread__in=threads, reply_count__gt=0).exclude(VISIBLE).values("pk")
    holding_sql, params = holding.query.get_compiler(using=holding.db).as_sql()
    table = Comment._meta.db_table
    return RawSQL(
        f"WITH RECURSIVE below(id) AS ("
        f" SELECT c.id FROM {table} c WHERE c.parent_id IN ({holding_sql})"
        f" UNION ALL SELECT c.id FROM {table} c JOIN below ON c.parent_id = below.id"
        f") SELECT id FROM below",
        params,
    )


def comment_context(
    *,
    comment: Comment,
    cursor: str | None = None,
    limit: int = 20,
    hide_spoilers: bool = False,
    viewer: Actor = ANONYMOUS,
) -> CommentContext:
    """`comment` where it sits in its thread: its top-level comment and the path down to it, then a page
    of its own replies. Four queries: the path, the replies, their replies, the top comment's badge.

    `comment.thread` (with its site and film) must be loaded. A comment under a hidden one is as hidden
    as it is: NotFound, as for a comment that does not exist.
    """
    path = visible_path(comment, viewer)
    thread = comment.thread
    replies = _replies_page(parent=path[-1], cursor=cursor, limit=limit, hide_spoilers=hide_spoilers, viewer=viewer)

    nodes = [CommentNode(c) for c in path]
    for upper, lower in itertools.pairwise(nodes):
        upper.replies = [lower]
        # The path shows one reply of each ancestor, not necessarily its first: the others are on the
        # ancestor's own permalink, so there is no cursor to continue from.
        upper.more_replies = max(upper.comment.reply_count - 1, 0)
    target = nodes[-1]
    target.replies = replies.nodes
    target.more_replies = max(target.comment.reply_count - len(replies.nodes), 0)
    target.more_replies_cursor = replies.next_cursor
    _add_badges(thread, nodes[:1])
    return CommentContext(
        thread=thread, comment=target.comment, root=nodes[0], target=target, path=path, next_cursor=replies.next_cursor
    )


MAX_FEATURED = 5


def featured_comments(*, thread: Thread, hide_spoilers: bool = False) -> list[Comment]:
    """The comments editors pinned above the thread, most recently featured first (one query)."""
    featured = _shown(thread.pk, hide_spoilers=hide_spoilers).filter(status=Comment.Status.APPROVED, is_featured=True)
    return list(featured.select_related("author").order_by("-featured_at", "-id")[:MAX_FEATURED])


def visible_threads_q(site: Site, prefix: str = "") -> Q:
    """Threads of `site` that readers may see: those of published stories, and those without a story
    (threads of pages embedded on the host site). A draft's thread is as invisible as the draft."""
    return Q(**{f"{prefix}site": site}) & (
        Q(**{f"{prefix}story__isnull": True}) | Q(**{f"{prefix}story__published_at__lte": timezone.now()})
    )


def is_visible_thread(thread: Thread, site: Site) -> bool:
    """visible_threads_q for one thread already loaded (with its story): the same rule, without building
    and compiling the query's OR and join for the one row a write has just fetched by its key."""
    if thread.site_id != site.pk:
        return False
    story = thread.story
    if story is None:
        return True
    return story.published_at is not None and story.published_at <= timezone.now()


MAX_COUNTED_THREADS = 100


def comment_counts(*, site: Site, refs: list[str]) -> dict[str, int]:
    """{ref: visible comments} for thread ids or keys of `site`, in one query; unknown refs count 0.

    A ref of digits is a thread id; anything else is a Thread.key (a page URL, "story:12"). Counts come
    from Thread.comment_count, which the services keep, so no comment row is read.
    """
    if len(refs) > MAX_COUNTED_THREADS:
        raise ServiceError("thread", f"ask for at most {MAX_COUNTED_THREADS} threads at once, not {len(refs)}")
    ids = [int(ref) for ref in refs if ref.isascii() and ref.isdigit() and len(ref) < 19]  # "²" is a digit to isdigit()
    found = Thread.objects.filter(visible_threads_q(site)).filter(Q(pk__in=ids) | Q(key__in=refs))
    by_ref: dict[str, int] = {}
    for pk, key, count in found.values_list("pk", "key", "comment_count"):
        by_ref[key] = count
        by_ref.setdefault(str(pk), count)
    return {ref: by_ref.get(ref, 0) for ref in refs}


def spoiler_shield_ends(*, site: Site, film: Film | None) -> datetime.date | None:
    """The day a site's spoiler shield lifts for comments about `film`, or None when there is no shield.

    Until then (Site.spoiler_shield_days after the film's release in the site's region) every comment
    about the film is shown collapsed. Reads the film's release dates: prefetch them.
    """
    if not site.spoiler_shield_days or film is None:
        return None
    released = film_release_date(film, site.region)
    return None if released is None else released + datetime.timedelta(days=site.spoiler_shield_days)
