"""schema.org JSON-LD and Open Graph data for film and review pages.

Search engines show the audience score from `aggregateRating`, so it carries exactly what the page shows
(the score with held ratings left out) and is omitted while the film has too few ratings to show one.
Spoilers never reach these: they are built from catalogue facts and critic scores, never from comments.
"""

import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from talkies.catalogue.models import Person
from talkies.catalogue.selectors import FilmPage
from talkies.lib.markdown import strip_spoilers
from talkies.scorecard.selectors import FilmScorecard
from talkies.stories.models import CriticReview, Story

# Turns a path into an absolute URL: request.build_absolute_uri.
Absolute = Callable[[str], str]

# Inside <script> the HTML parser ends the element at "</script>" whatever JSON thinks, so <, > and & are
# written as JSON escapes; U+2028/2029 are legal JSON but break older JavaScript parsers.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_ld_script(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def review_rating(review: CriticReview) -> dict[str, Any]:
    """The critic's score on its own scale when it has one (7 of 10), else the 0–100 normalisation (B+)."""
    if review.score_value is not None and review.score_max is not None:
        return {"@type": "Rating", "ratingValue": float(review.score_value), "bestRating": float(review.score_max),
                "worstRating": 0}  # fmt: skip
    return {"@type": "Rating", "ratingValue": float(review.normalised), "bestRating": 100, "worstRating": 0}


def review_json_ld(review: CriticReview, *, url: str) -> dict[str, Any]:
    return {
        "@type": "Review",
        "url": url,
        "author": {"@type": "Person", "name": review.critic_name},
        "datePublished": review.story.published_at.date().isoformat() if review.story.published_at else None,
        "reviewRating": review_rating(review),
        **({"reviewBody": review.verdict} if review.verdict else {}),
    }


def person_json_ld(person: Person, absolute: Absolute) -> dict[str, Any]:
    return {"@type": "Person", "name": person.name, "url": absolute(person.get_absolute_url())}


def movie_json_ld(*, page: FilmPage, scores: FilmScorecard, url: str, absolute: Absolute) -> dict[str, Any]:
    """`absolute` turns a path into an absolute URL (request.build_absolute_uri)."""
    film = page.film
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "url": url,
    }
    alternate = [t.title for t in film.titles.all()]
    if alternate:
        data["alternateName"] = alternate
    if film.synopsis:
        data["description"] = film.synopsis
    if film.runtime_minutes:
        data["duration"] = f"PT{film.runtime_minutes // 60}H{film.runtime_minutes % 60}M"
    dates = sorted(d.date for d in film.release_dates.all())
    if dates:
        data["datePublished"] = dates[0].isoformat()
    if film.imdb_id:
        data["sameAs"] = [f"https://www.imdb.com/title/{film.imdb_id}/"]
    people = {
        "director": page.directors,
        "author": page.writers,
        "actor": page.cast,
    }
    for key, credits in people.items():
        if credits:
            data[key] = [
                {"@type": "Person", "name": c.person.name, "url": absolute(c.person.get_absolute_url())}
                for c in credits
            ]
    studios = list(film.studios.all())
    if studios:
        data["productionCompany"] = [{"@type": "Organization", "name": s.name} for s in studios]
    audience = scores.audience
    if audience.enough and audience.bayesian is not None:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": round(audience.bayesian, 1),
            "ratingCount": audience.count,
            "bestRating": 10,
            "worstRating": 1,
        }
    if scores.critic.reviews:
        data["review"] = [review_json_ld(r, url=absolute(r.story.get_absolute_url())) for r in scores.critic.reviews]
    return data


def movie_open_graph(*, page: FilmPage, url: str, absolute: Absolute, site_name: str) -> list[tuple[str, str]]:
    """(property, content) pairs for Open Graph's video.movie type."""
    film = page.film
    tags = [
        ("og:type", "video.movie"),
        ("og:title", film.title),
        ("og:url", url),
        ("og:site_name", site_name),
    ]
    if film.synopsis:
        tags.append(("og:description", film.synopsis))
    if film.runtime_minutes:
        tags.append(("video:duration", str(film.runtime_minutes * 60)))
    dates = sorted(d.date for d in film.release_dates.all())
    if dates:
        tags.append(("video:release_date", dates[0].isoformat()))
    tags += [("video:director", absolute(c.person.get_absolute_url())) for c in page.directors]
    tags += [("video:writer", absolute(c.person.get_absolute_url())) for c in page.writers]
    tags += [("video:actor", absolute(c.person.get_absolute_url())) for c in page.cast]
    return tags


def story_json_ld(*, story: Story, film_scores: list[FilmScorecard], absolute: Absolute) -> dict[str, Any]:
    """A review story is one schema.org Review per film it scores; any other story is a NewsArticle.

    The critic reviews come from the score panels already loaded for the page, so this costs no query.
    Titles pass through strip_spoilers: a headline is never a place for a spoiler.
    """
    url = absolute(story.get_absolute_url())
    published = story.published_at.isoformat() if story.published_at else None
    author = {"@type": "Person", "name": story.author.public_name} if story.author_id and story.author else None
    reviews = [
        (scores.film, review)
        for scores in film_scores
        for review in scores.critic.reviews
        if review.story_id == story.pk
    ]
    if story.kind == "review" and reviews:
        graph = []
        for film, review in reviews:
            item = review_json_ld(review, url=url)
            item["itemReviewed"] = {"@type": "Movie", "name": film.title, "url": absolute(film.get_absolute_url())}
            item["name"] = strip_spoilers(story.title)
            graph.append(item)
        return {"@context": "https://schema.org", "@graph": graph}
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": strip_spoilers(story.title),
        "url": url,
        "datePublished": published,
        "about": [
            {"@type": "Movie", "name": s.film.title, "url": absolute(s.film.get_absolute_url())} for s in film_scores
        ],
    }
    if author:
        article["author"] = author
    return article
