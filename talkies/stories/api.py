"""The current site's published stories under /api/v1/stories. Drafts and other sites' stories are 404."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router

from talkies.accounts.models import Site
from talkies.api_common import READ_ERRORS, current_site, get_or_404
from talkies.catalogue.api import film_ref
from talkies.catalogue.models import Film
from talkies.lib.cursors import decode_cursor, encode_cursor
from talkies.lib.errors import ServiceError

from .models import CriticReview, Story
from .schemas import StoryDetailOut, StoryListQuery, StoryPageOut
from .selectors import MIN_REVIEWS_FOR_AVERAGE, CriticSide, published_stories

router = Router(tags=["stories"])

BAD_CURSOR = "cursor is not one we issued: start again from the first page"


def get_story_for_site(site: Site, slug: str, *, select: Sequence[str] = (), prefetch: Sequence[Any] = ()) -> Story:
    """The site's published story with this slug, with extra relations loaded.

    Every story the API shows is fetched through here, so a draft, or a story of another site on the
    same installation, is a 404 exactly like one that does not exist.
    """
    stories = published_stories(site).select_related(*select).prefetch_related(*prefetch)
    return get_or_404(stories, field="slug", message=f"no story with slug {slug!r} on {site.name}", slug=slug)


def story_ref(story: Story) -> dict[str, Any]:
    return {"slug": story.slug, "kind": story.kind, "title": story.title}


def story_thread(story: Story) -> dict[str, Any] | None:
    # The thread is the reverse side of a one-to-one and may not exist yet. Django's missing-relation
    # error is also an AttributeError, which is what lets getattr fall back to None.
    thread = getattr(story, "thread", None)
    if thread is None:
        return None
    return {"id": thread.pk, "comment_count": thread.comment_count, "is_closed": thread.is_closed}


def story_summary(story: Story) -> dict[str, Any]:
    """Expects the author and thread selected and the films prefetched."""
    return {
        **story_ref(story),
        "dek": story.dek,
        "published_at": story.published_at,
        "author_name": story.author.public_name if story.author else None,
        "films": [film_ref(film) for film in story.films.all()],
        "thread": story_thread(story),
    }


def after_cursor(stories: QuerySet[Story], cursor: str) -> QuerySet[Story]:
    """Stories older than the last one of the previous page (keyset on published_at, then id)."""
    published_at, last_id = decode_cursor(cursor, length=2)
    try:
        when = datetime.datetime.fromisoformat(published_at)
    except (TypeError, ValueError) as e:
        raise ServiceError("cursor", BAD_CURSOR) from e
    if not isinstance(last_id, int):
        raise ServiceError("cursor", BAD_CURSOR)
    return stories.filter(Q(published_at__lt=when) | Q(published_at=when, id__lt=last_id))


@router.get("/stories", response={200: StoryPageOut, **READ_ERRORS})
def list_stories(request: HttpRequest, query: Query[StoryListQuery]) -> dict[str, Any]:
    """The site's published stories, newest first, a page at a time (follow `next_cursor`)."""
    site = current_site(request)
    stories = published_stories(site).select_related("thread").order_by("-published_at", "-id")
    if query.kind:
        stories = stories.filter(kind=query.kind)
    if query.film:
        film = get_or_404(
            Film.objects.all(), field="film", message=f"no film with slug {query.film!r}", slug=query.film
        )
        stories = stories.filter(films=film)
    if query.cursor:
        stories = after_cursor(stories, query.cursor)
    page = list(stories[: query.limit + 1])
    next_cursor = None
    if len(page) > query.limit:
        page = page[: query.limit]
        last = page[-1]
        assert last.published_at is not None  # published_stories() only returns published stories
        next_cursor = encode_cursor([last.published_at.isoformat(), last.pk])
    return {"items": [story_summary(story) for story in page], "next_cursor": next_cursor}


@router.get("/stories/{slug}", response={200: StoryDetailOut, **READ_ERRORS})
def get_story(request: HttpRequest, slug: str) -> dict[str, Any]:
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
    return {
        **story_summary(story),
        "body_html": story.body_html,
        "call_to_action": story.call_to_action,
        "critic_reviews": [
            {
                "film": film_ref(review.film),
                "critic_name": review.critic_name,
                "score_text": review.score_text,
                "normalised": review.normalised,
                "verdict": review.verdict,
            }
            for review in story.critic_reviews.all()
        ],
        "related": [story_ref(related) for related in story.related.all()],
    }


def critic_side_out(side: CriticSide) -> dict[str, Any]:
    """A film's critic reviews on this site, beside the audience score. Expects each review's story."""
    return {
        "reviews": [
            {
                "story": story_ref(review.story),
                "published_at": review.story.published_at,
                "critic_name": review.critic_name,
                "score_text": review.score_text,
                "normalised": review.normalised,
                "verdict": review.verdict,
            }
            for review in side.reviews
        ],
        "average": side.average,
        "minimum_for_average": MIN_REVIEWS_FOR_AVERAGE,
    }
