"""Reads for the standalone pages that span stories and comments (critics beside the audience: scorecard).

Each function costs a fixed number of queries whatever the number of films, reviews or comments, so a
page's query count is a constant (asserted in the tests).
"""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from talkies.accounts.actors import Actor
from talkies.accounts.models import Site
from talkies.catalogue.models import Film
from talkies.comments.models import Vote
from talkies.stories.models import Story
from talkies.stories.selectors import published_stories

FILMS_WITH_DATES = Prefetch("films", queryset=Film.objects.prefetch_related("release_dates"))


def latest_stories(*, site: Site, limit: int = 10) -> list[Story]:
    # The thread comes along in the same query so each card can show its comment count.
    return list(published_stories(site).select_related("thread")[:limit])


def story_for_page(*, site: Site, slug: str) -> Story:
    """A published story of `site` with its films and thread loaded, or 404 (drafts and other sites' too)."""
    return get_object_or_404(
        Story.published.filter(site=site)
        .select_related("author", "thread__site", "thread__film")
        .prefetch_related(FILMS_WITH_DATES),
        slug=slug,
    )


def stories_about_film(*, site: Site, film: Film) -> QuerySet[Story]:
    return Story.published.filter(site=site, films=film).select_related("author", "thread")


def user_votes(*, actor: Actor, comment_ids: list[int]) -> dict[int, int]:
    """{comment_id: +1 or -1} for the reader's votes on the comments shown: an account's or a guest's."""
    if not comment_ids or not actor.is_identified:
        return {}
    votes = Vote.objects.filter(user=actor.user, guest_key=actor.guest_key)
    return dict(votes.filter(comment_id__in=comment_ids).values_list("comment_id", "value"))
