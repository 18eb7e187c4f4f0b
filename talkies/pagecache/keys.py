"""Which cached page answers a request for GET /api/v1/threads/{id}/comments, decided without Django's views.

`page_key` is the fast path's whole database work: the site from the host (cached, as for every request)
and one indexed query for the thread's version, which is also the site-scoping and visibility check the
endpoint makes (comments.selectors.visible_threads_q). It returns None whenever the endpoint might answer anything but a
page of comments, so that Django, not this module, decides every 404 and 422.
"""

import functools
import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.db import DatabaseError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field
from django.utils import timezone

from talkies.accounts.models import Site
from talkies.accounts.selectors import site_for_host, site_for_slug
from talkies.comments.models import Thread
from talkies.comments.schemas import CommentPageQuery
from talkies.comments.selectors import MAX_PAGE_SIZE
from talkies.stories.models import Story

from .store import PageKey

logger = logging.getLogger(__name__)

SORTS = frozenset(Site.CommentSort.values)
DEFAULT_LIMIT: int = CommentPageQuery.model_fields["limit"].default
# Only the canonical spelling of a number: "050" or "+5" would be the same page to Ninja's parser, and
# letting Django answer those keeps this parser from having to match pydantic's in every corner.
CANONICAL_LIMIT = re.compile(r"[1-9][0-9]{0,2}")


@dataclass(frozen=True)
class PageRequest:
    thread_id: int
    sort: str | None  # None: the site's default sort
    cursor: str | None
    limit: int
    # The embed's ?site=<slug> (talkies.embed.middleware.SiteParameterMiddleware): the site it reads,
    # instead of the one the host name serves. The page's bytes are the same either way.
    site_slug: str | None = None


# A slug as SiteParameterMiddleware would look it up; anything else is left to Django (its 404).
SITE_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")


# Every read of a stored page parses its query string, and a page is read thousands of times a second
# with the same few: the parse is pure, so it is remembered. Bounded, so random query strings cannot grow it.
@functools.lru_cache(maxsize=4096)
def parse_page_request(thread_id: int, query_string: bytes) -> PageRequest | None:
    """The page a query string asks for, or None for anything Django should judge (errors, extra keys)."""
    try:
        text = query_string.decode("ascii")
    except UnicodeDecodeError:
        return None
    pairs = parse_qsl(text, keep_blank_values=True)
    params = dict(pairs)
    if len(params) != len(pairs) or not params.keys() <= {"sort", "cursor", "limit", "site"}:
        return None
    site_slug = params.get("site")
    if site_slug is not None and not SITE_SLUG.fullmatch(site_slug):
        return None
    sort, cursor, limit = params.get("sort"), params.get("cursor"), params.get("limit")
    if sort is not None and sort not in SORTS:
        return None
    if limit is not None and not (CANONICAL_LIMIT.fullmatch(limit) and int(limit) <= MAX_PAGE_SIZE):
        return None
    # An empty cursor means the first page to the endpoint, so it is the same page as no cursor.
    return PageRequest(
        thread_id=thread_id, sort=sort, cursor=cursor or None, limit=int(limit or DEFAULT_LIMIT), site_slug=site_slug
    )


def page_key(host: str, request: PageRequest) -> PageKey | None:
    """The key of the page `request` gets on the site serving `host`, or None if the thread is not there."""
    found = page_lookup(host, request)
    return found[0] if found is not None else None


def page_lookup(host: str, request: PageRequest) -> tuple[PageKey, Site] | None:
    """The key of the page `request` gets, and the site it reads (the host's, or the one ?site= names), or
    None if the thread is not there.

    Blocking: runs queries on the calling thread's database connection.
    """
    site = site_for_slug(request.site_slug) if request.site_slug else site_for_host(host)
    if site is None:
        return None
    try:
        state = visible_thread_state(site_id=site.pk, thread_id=request.thread_id)
    except DatabaseError:
        # Let Django answer (and report) this request; a fresh connection may do better next time.
        logger.warning("thread page fast path: database error, closing the connection", exc_info=True)
        connection.close()
        return None
    if state is None:
        return None
    version, film_id = state
    key = PageKey(
        thread_id=request.thread_id,
        version=version,
        film_id=film_id,
        sort=request.sort or site.default_comment_sort,
        cursor=request.cursor,
        limit=request.limit,
    )
    return key, site


def visible_thread_state(*, site_id: int, thread_id: int) -> tuple[int, int | None] | None:
    """(version, film id) of the thread if readers of the site may see it, else None. One indexed query.

    The same rule as comments.selectors.visible_threads_q, in SQL written once per process: building the
    query through the ORM costs several times what running it does, on every request.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(connection), [thread_id, site_id, now])
        # fetchall, not fetchone: SQLite keeps a statement's read snapshot open until it has stepped past
        # the last row, and a connection that outlives the request would go on reading that snapshot.
        rows = cursor.fetchall()
    return (rows[0][0], rows[0][1]) if rows else None


_STATE_SQL: dict[str, str] = {}


def _state_sql(db: BaseDatabaseWrapper) -> str:
    if db.vendor not in _STATE_SQL:
        q = db.ops.quote_name

        def column(model: type[Thread] | type[Story], name: str) -> str:
            field = model._meta.get_field(name)
            assert isinstance(field, Field) and field.column, f"{model.__name__}.{name} is not a column"
            return q(field.column)

        _STATE_SQL[db.vendor] = (
            f"SELECT t.{column(Thread, 'version')}, t.{column(Thread, 'film')} "
            f"FROM {q(Thread._meta.db_table)} t "
            f"LEFT JOIN {q(Story._meta.db_table)} s ON s.{column(Story, 'id')} = t.{column(Thread, 'story')} "
            f"WHERE t.{column(Thread, 'id')} = %s AND t.{column(Thread, 'site')} = %s "
            f"AND (t.{column(Thread, 'story')} IS NULL OR s.{column(Story, 'published_at')} <= %s)"
        )
    return _STATE_SQL[db.vendor]
