"""The current site's published stories under /api/v1/stories. Drafts and other sites' stories are 404."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router

from talkies.accounts.api_auth import current_site
from talkies.accounts.models import Site
from talkies.catalogue.selectors import film_by_slug
from talkies.lib.api import READ_ERRORS, get_or_404
from talkies.lib.cursors import decode_cursor, encode_cursor
from talkies.lib.text import Text

from .models import CriticReview, Story
from .schemas import StoryDetailOut, StoryListQuery, StoryPageOut
from .selectors import published_stories

router = Router(tags=["stories"])


@dataclass(frozen=True)
class StoryPage:
    """One page of stories (StoryPageOut), newest first."""

    items: list[Story]
    next_cursor: str | None


def get_story_for_site(site: Site, slug: str, *, select: Sequence[str] = (), prefetch: Sequence[Any] = ()) -> Story:
    """The site's published story with this slug, with extra relations loaded.

    Every story the API shows is fetched through here, so a draft, or a story of another site on the
    same installation, is a 404 exactly like one that does not exist.
    """
    stories = published_stories(site).select_related(*select).prefetch_related(*prefetch)
    return get_or_404(stories, field="slug", message=f"no story with slug {slug!r} on {site.name}", slug=slug)


def after_cursor(stories: QuerySet[Story], cursor: str) -> QuerySet[Story]:
    """Stories older than the last one of the previous page (keyset on published_at, then id)."""
    published_at, last_id = decode_cursor(cursor, shape=(datetime.datetime, int))
    return stories.filter(Q(published_at__lt=published_at) | Q(published_at=published_at, id__lt=last_id))


@router.get("/stories", response={200: StoryPageOut, **READ_ERRORS})
def list_stories(request: HttpRequest, query: Query[StoryListQuery]) -> StoryPage:
    """The site's published stories, newest first, a page at a time (follow `next_cursor`)."""
    site = current_site(request)
    stories = published_stories(site).select_related("thread").order_by("-published_at", "-id")
    if query.kind:
        stories = stories.filter(kind=query.kind)
    if query.film:
        stories = stories.filter(films=film_by_slug(query.film, field="film"))
    if query.cursor:
        stories = after_cursor(stories, query.cursor)
    page = list(stories[: query.limit + 1])
    next_cursor = None
    if len(page) > query.limit:
        page = page[: query.limit]
        last = page[-1]
        assert last.published_at is not None  # published_stories() only returns published stories
        next_cursor = encode_cursor([last.published_at.isoformat(), last.pk])
    return StoryPage(items=page, next_cursor=next_cursor)


@router.get("/stories/{slug}", response={200: StoryDetailOut, **READ_ERRORS})
def get_story(request: HttpRequest, slug: Text) -> Story:
    """A story with its body, films, critic reviews, related stories and conversation."""
    site = current_site(request)
    story = get_story_for_site(
        site,
        slug,
        select=["thread"],
        prefetch=[
            Prefetch("critic_reviews", queryset=CriticReview.objects.select_related("film")),
            # Only the related stories readers of this site may open.
            Prefetch("related", queryset=Story.published.filter(site=site).order_by("-published_at")),
        ],
    )
    return story
