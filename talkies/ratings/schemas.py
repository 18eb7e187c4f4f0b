"""What the API takes and says about readers' ratings and a film's audience score."""

import datetime
from typing import Any, Literal

from ninja import Field, Schema

from talkies.lib.api import InputSchema
from talkies.lib.scoring import AudienceScore

from .models import Rating
from .services import SCALE_FACTORS


def _site_scale(context: Any) -> int:
    """The display scale of the site the request is for (the response is validated inside the request)."""
    return context["request"].site.rating_scale_max


def on_scale(canonical: float | None, scale: int) -> float | None:
    """A canonical 1–10 figure on a 5, 10 or 100 scale; rounded because 7 / 0.1 is 70.00000000000001."""
    return None if canonical is None else round(canonical / SCALE_FACTORS[scale], 2)


class RatingIn(InputSchema):
    # Finite only: JSON parsers accept NaN and Infinity, and neither is a rating.
    value: float = Field(
        allow_inf_nan=False,
        description="On `scale`: half stars 0.5–5 on 5, whole points 1–10 on 10, tens 10–100 on 100",
        examples=[3.5],
    )
    scale: Literal[5, 10, 100] = Field(10, description="The scale `value` is given on")


class RatingOut(Schema):
    value: int = Field(description="Canonical 1–10 (half stars are value / 2)")
    display_scale: int = Field(description="The site's display scale: 5, 10 or 100")
    display_value: float = Field(description="`value` on the display scale: 7 is 3.5 of 5 or 70 of 100")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_display_scale(rating: Rating, context: Any) -> int:
        return _site_scale(context)

    @staticmethod
    def resolve_display_value(rating: Rating, context: Any) -> float | None:
        return on_scale(rating.value, _site_scale(context))


class DisplayFiguresOut(Schema):
    scale: int = Field(description="5 (stars), 10 (points) or 100")
    mean: float | None
    median: float | None
    bayesian: float | None


class AudienceScoreOut(Schema):
    """A film's audience on this site. Show the figures only when `enough` is true."""

    count: int = Field(description="Ratings counted in the score")
    histogram: list[int] = Field(description="Ten counts: index 0 is the number of 1/10 ratings")
    mean: float | None = Field(description="1–10")
    median: float | None = Field(description="1–10")
    bayesian: float | None = Field(description="1–10, pulled toward the site's average until ratings accumulate")
    liked: int = Field(description="Ratings of 7/10 (3.5 stars) or more")
    liked_share: float | None = Field(description="liked / count, 0–1")
    liked_low: float | None = Field(description="Wilson 95% interval around liked_share, low end")
    liked_high: float | None = Field(description="Wilson 95% interval around liked_share, high end")
    enough: bool = Field(description="count has reached `minimum`; below it say 'not enough ratings yet'")
    minimum: int
    held: int = Field(description="Ratings left out while a suspected review bomb is under review")
    display: DisplayFiguresOut = Field(description="mean, median and bayesian on the site's display scale")

    @staticmethod
    def resolve_display(score: AudienceScore, context: Any) -> DisplayFiguresOut:
        scale = _site_scale(context)
        return DisplayFiguresOut(
            scale=scale,
            mean=on_scale(score.mean, scale),
            median=on_scale(score.median, scale),
            bayesian=on_scale(score.bayesian, scale),
        )


class RatingChangeOut(Schema):
    rating: RatingOut | None = Field(description="The reader's rating now; null after DELETE")
    audience: AudienceScoreOut = Field(description="The film's audience score including this change")
