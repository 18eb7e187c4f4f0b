"""Threads keyed by page: the thread an embedding page gets (opened on first use where the site allows
it), and the comment and rating counts count.js shows beside links to pages.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from talkies.accounts.models import Site
from talkies.catalogue.models import Film
from talkies.comments.models import Thread
from talkies.comments.selectors import visible_threads_q
from talkies.comments.services import thread_set_page_metadata
from talkies.lib.errors import NotFound, ServiceError

from .page_urls import BadUrl, normalise_page_url, origin_of
from .policy import embed_policy

EXPLICIT_ID = re.compile(r"[\w.~:/@+-]{1,300}")
# Keys Talkies gives its own threads; a page naming one would attach itself to a story's conversation.
RESERVED_KEY_PREFIXES = ("story:",)
KEY_MAX_LENGTH = 500  # Thread.key and Thread.url
FILM_ID_FIELDS = {"imdb": "imdb_id", "tmdb": "tmdb_id"}


def film_from_ref(ref: str) -> Film:
    """`imdb:tt7181546`, `tmdb:245891` or a Talkies slug -> the film; ServiceError naming `film` if unknown."""
    scheme, colon, value = ref.strip().partition(":")
    if not colon:
        lookup = {"slug": scheme}
    elif scheme.lower() in FILM_ID_FIELDS and value.strip():
        lookup = {FILM_ID_FIELDS[scheme.lower()]: value.strip()}
    else:
        raise ServiceError("film", f"film {ref!r}: use imdb:<id>, tmdb:<id> or a Talkies film slug")
    film = Film.objects.filter(**lookup).first()
    if film is None:
        raise ServiceError("film", f"no film {ref!r} in the catalogue: check the id, or add the film first")
    return film


def thread_key(*, url: str, explicit_id: str | None) -> str:
    """The explicit id when there is one (an empty one is none), else the page URL normalised."""
    if not explicit_id:
        return normalise_page_url(url)
    if not EXPLICIT_ID.fullmatch(explicit_id) or explicit_id.startswith(RESERVED_KEY_PREFIXES):
        raise ServiceError(
            "thread", "thread must be 1-300 letters, digits or ._~:/@+- and must not start with 'story:'"
        )
    return explicit_id


def page_thread_resolve(
    *,
    site: Site,
    url: str,
    explicit_id: str | None = None,
    film_ref: str | None = None,
    title: str = "",
    create: bool,
    from_site: bool = False,
    before_create: Callable[[], None] | None = None,
) -> tuple[Thread, bool]:
    """The thread of a page of `site` and whether it was created now.

    The page must be on one of the site's allowed origins (only its URL is looked at; it is never fetched).
    `create` opens the thread when there is none; otherwise a missing thread is NotFound naming `url`.
    `before_create` runs just before a thread is created, and may raise to prevent it (the origin check,
    a rate limit). Idempotent: the key is unique per site, so concurrent first uses create one thread
    between them.

    Who says what the page is (its title, URL and film) matters, because readers' ratings go to the film:
    - `from_site` (the site's API key): the site's own word. Its values replace the thread's, and from
      then on pages cannot change them (Thread.metadata_from_site).
    - otherwise a page: whoever asked first, which a browser on the real page usually is, but anyone who
      forges an Origin header outside a browser can be. So a page's values open the thread and may fill
      in what nobody has said yet (no film, no title), but never replace what was said: a later page
      cannot hijack a thread's film either. The site corrects a wrong value with its key or the admin.
    """
    try:
        page_origin = origin_of(url)
        key = thread_key(url=url, explicit_id=explicit_id)
        canonical_url = normalise_page_url(url)
    except BadUrl as e:
        raise ServiceError("url", str(e)) from e
    if page_origin not in embed_policy(site).origins:
        raise ServiceError("url", f"url is on {page_origin}, which is not an allowed origin of {site.name}")
    if len(key) > KEY_MAX_LENGTH or len(canonical_url) > KEY_MAX_LENGTH:
        raise ServiceError("url", "url is too long (the maximum is 500 characters)")
    title = title.strip()
    if len(title) > 300:
        raise ServiceError("title", "title is too long (the maximum is 300 characters)")
    film = film_from_ref(film_ref) if film_ref else None

    visible = Thread.objects.select_related("site", "film", "story").filter(visible_threads_q(site))
    thread = visible.filter(key=key).first()
    if thread is None:
        if not create:
            raise NotFound("url", f"no thread for this page on {site.name} yet, and pages do not open threads here")
        if before_create is not None:
            before_create()
        try:
            with transaction.atomic():
                opened = Thread.objects.create(
                    site=site, key=key, url=canonical_url, title=title, film=film, metadata_from_site=from_site
                )
            return visible.get(pk=opened.pk), True  # re-read with the relations thread_out shows
        except IntegrityError:  # another request opened it first (or it is a hidden story thread)
            thread = visible.filter(key=key).first()
            if thread is None:
                raise NotFound("url", f"no thread for this page on {site.name}") from None
    if from_site:
        _correct_from_site(thread, url=canonical_url, title=title, film=film)
    elif not thread.metadata_from_site:
        _fill_in_from_page(thread, title=title, film=film)
    return thread, False


def _correct_from_site(thread: Thread, *, url: str, title: str, film: Film | None) -> None:
    """The site's values replace the thread's; a value it leaves out (no title, no film) stays as it was."""
    title = title or thread.title
    film = film or thread.film
    said = (thread.url, thread.title, thread.film_id, thread.metadata_from_site)
    if said != (url, title, film.pk if film else None, True):
        thread_set_page_metadata(thread=thread, title=title, url=url, film=film)


def _fill_in_from_page(thread: Thread, *, title: str, film: Film | None) -> None:
    changed = []
    if film is not None and thread.film_id is None:
        thread.film = film
        changed.append("film")
    if title and not thread.title:
        thread.title = title
        changed.append("title")
    if changed:
        thread.save(update_fields=changed)


# --- Counts for count.js --------------------------------------------------------------------------

MAX_COUNTED_PAGES = 100


@dataclass(frozen=True)
class PageCount:
    comments: int
    ratings: int | None


def page_counts(*, site: Site, pages: list[str]) -> dict[str, PageCount]:
    """Comment and rating counts for pages named by URL (normalised) or explicit id, in two queries.

    A URL is anything starting with http:// or https://; the rest are explicit ids. Pages with no thread,
    or values that are neither, count 0 rather than failing the whole request.
    """
    from talkies.ratings.models import FilmScore

    if len(pages) > MAX_COUNTED_PAGES:
        raise ServiceError("page", f"ask for at most {MAX_COUNTED_PAGES} pages at once, not {len(pages)}")
    keys: dict[str, str] = {}
    for page in pages:
        try:
            keys[page] = normalise_page_url(page) if page.lower().startswith(("http://", "https://")) else page
        except BadUrl:
            continue
    threads = {
        key: (count, film_id)
        for key, count, film_id in Thread.objects.filter(
            visible_threads_q(site), key__in=set(keys.values())
        ).values_list("key", "comment_count", "film_id")
    }
    film_ids = {film_id for _count, film_id in threads.values() if film_id is not None}
    # Shown ratings: every rating minus those held in a suspected review bomb, as the score panel counts them.
    ratings = {
        film_id: count - held
        for film_id, count, held in FilmScore.objects.filter(site=site, film_id__in=film_ids).values_list(
            "film_id", "count", "held_count"
        )
    }
    counts = {}
    for page in pages:
        comment_count, film_id = threads.get(keys.get(page, ""), (0, None))
        counts[page] = PageCount(comments=comment_count, ratings=None if film_id is None else ratings.get(film_id, 0))
    return counts
