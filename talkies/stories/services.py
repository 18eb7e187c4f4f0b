import datetime
import re
from collections.abc import Iterable

from django.db import transaction
from django.utils.text import slugify

from talkies.accounts.models import Site, User
from talkies.catalogue.models import Film
from talkies.lib.critic_scores import CriticScore, CriticScoreError, parse_critic_score
from talkies.lib.errors import ServiceError
from talkies.lib.markdown import render_markdown, strip_spoilers

from .models import CriticReview, Story

# What the `<slug:slug>` URL converter accepts; anything else would give a story no address.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def story_create(
    *,
    site: Site,
    kind: str,
    title: str,
    body: str,
    author: User | None = None,
    published_at: datetime.datetime | None = None,
    films: Iterable[Film] = (),
    slug: str = "",
    dek: str = "",
    call_to_action: str = "",
) -> Story:
    slug = story_check_new(site=site, kind=kind, title=title, slug=slug, dek=dek, call_to_action=call_to_action)
    with transaction.atomic():
        story = Story.objects.create(
            site=site,
            kind=kind,
            title=title.strip(),
            slug=slug,
            dek=dek,
            body_source=body,
            body_html=render_markdown(body),
            author=author,
            published_at=published_at,
            call_to_action=call_to_action,
        )
        story.films.set(films)
    return story


def story_check_new(
    *, site: Site, kind: str, title: str, slug: str = "", dek: str = "", call_to_action: str = ""
) -> str:
    """Raise the ServiceError story_create would for these fields; else return the slug it would give.

    story_create calls it first. The admin's form calls it while validating, so a refusal is shown beside
    its field before anything (the story's critic reviews included) is written.
    """
    if kind not in Story.Kind.values:
        raise ServiceError("kind", f"kind must be one of {', '.join(Story.Kind.values)}, not {kind!r}")
    if not title.strip():
        raise ServiceError("title", "title is required")
    for name, value in (("title", title.strip()), ("dek", dek), ("call_to_action", call_to_action)):
        _check_length(name, value)
    slug = _valid_slug(slug, title)
    if Story.objects.filter(site=site, slug=slug).exists():
        raise ServiceError("slug", f"a story with the slug {slug!r} already exists on {site.name}")
    return slug


def _check_length(name: str, value: str) -> None:
    # PostgreSQL refuses an over-long value with an error the reader would only see as a failed page.
    limit = getattr(Story._meta.get_field(name), "max_length", None)
    if limit is not None and len(value) > limit:
        raise ServiceError(name, f"{name} is too long ({len(value)} characters; the maximum is {limit})")


def _valid_slug(slug: str, title: str) -> str:
    """The given slug, or one made from the title; either way one a URL can carry."""
    limit = getattr(Story._meta.get_field("slug"), "max_length", None) or 200
    if not slug:
        # A URL is as public as a headline: a spoiler in the title must not be spelled out in the slug.
        slug = slugify(strip_spoilers(title, placeholder=""))[:limit].strip("-")
        if not slug:
            raise ServiceError("slug", f"title {title!r} gives no slug: give one made of letters, digits and hyphens")
    if len(slug) > limit or not _SLUG.fullmatch(slug):
        raise ServiceError(
            "slug", f"slug {slug!r} cannot be part of a URL: use up to {limit} letters, digits, hyphens or underscores"
        )
    return slug


def story_update_body(*, story: Story, body: str) -> Story:
    story.body_source = body
    story.body_html = render_markdown(body)
    story.save(update_fields=["body_source", "body_html"])
    return story


def critic_review_create(
    *, story: Story, film: Film, critic_name: str, score: str, critic: User | None = None, verdict: str = ""
) -> CriticReview:
    """Attach a critic's score for `film` to a review story. `score` is as published: 7/10, 3.5/5, B+."""
    parsed = _parsed_score(score)
    if CriticReview.objects.filter(story=story, film=film).exists():
        raise ServiceError("film", f"this story already has a review of {film.title}: change that review instead")
    with transaction.atomic():
        review = CriticReview.objects.create(
            story=story,
            film=film,
            critic=critic,
            critic_name=critic_name,
            score_text=parsed.text,
            score_value=parsed.value,
            score_max=parsed.maximum,
            normalised=parsed.normalised,
            verdict=verdict,
        )
        story.films.add(film)
    return review


def critic_review_update(
    *, review: CriticReview, film: Film, critic_name: str, score: str, critic: User | None = None, verdict: str = ""
) -> CriticReview:
    """Change a critic review in place; the score is read and normalised as critic_review_create does."""
    parsed = _parsed_score(score)
    if CriticReview.objects.filter(story=review.story, film=film).exclude(pk=review.pk).exists():
        raise ServiceError("film", f"this story already has a review of {film.title}: change that review instead")
    with transaction.atomic():
        review.film = film
        review.critic = critic
        review.critic_name = critic_name
        review.score_text = parsed.text
        review.score_value = parsed.value
        review.score_max = parsed.maximum
        review.normalised = parsed.normalised
        review.verdict = verdict
        review.save()
        review.story.films.add(film)
    return review


def _parsed_score(score: str) -> CriticScore:
    try:
        return parse_critic_score(score)
    except CriticScoreError as e:
        raise ServiceError("score", str(e)) from e
