"""How ratings read on a page, in the scale the site chose (Site.rating_display).

Ratings are stored on the canonical 1–10 scale. A "stars" site shows them as five stars with halves
(7 → 3.5 stars), a "points" site out of 10, a "percent" site out of 100. Everything here is plain
Python so the template tags stay one-liners and the maths is tested without a request.
"""

import math
from dataclasses import dataclass

from talkies.accounts.models import Site
from talkies.lib.scoring import AudienceScore

STARS = Site.RatingDisplay.STARS
POINTS = Site.RatingDisplay.POINTS
PERCENT = Site.RatingDisplay.PERCENT


def _number(value: float) -> str:
    """3.0 → "3", 3.5 → "3.5": no trailing zeros."""
    return f"{value:g}"


def on_scale(value: float, display: str) -> str:
    """A canonical 1–10 value (a rating or an average) as the number the site shows."""
    if display == POINTS:
        return _number(round(value, 1))
    if display == PERCENT:
        return str(math.floor(value * 10 + 0.5))
    # Stars come in halves, so an average rounds to the nearest half star (7.3 → 3.5).
    return _number(math.floor(value + 0.5) / 2)


def scale_max(display: str) -> int:
    return Site.RatingDisplay(display).scale_max


def rating_label(value: int, display: str) -> str:
    """The words for one rating: "3.5 stars", "1 star", "7 out of 10", "70 out of 100"."""
    shown = on_scale(value, display)
    if display in (POINTS, PERCENT):
        return f"{shown} out of {scale_max(display)}"
    return f"{shown} star" if shown == "1" else f"{shown} stars"


def rating_badge(value: int, display: str) -> str:
    """The short form beside a commenter's name: "★ 3.5", "7/10", "70/100"."""
    if display in (POINTS, PERCENT):
        return f"{on_scale(value, display)}/{scale_max(display)}"
    return f"★ {on_scale(value, display)}"


def star_fill_percent(value: float) -> int:
    """How much of a five-star row to fill for a canonical value, in whole half stars (7.3 → 70)."""
    return int(math.floor(value + 0.5) * 10)


def percent(share: float | None) -> str:
    return "" if share is None else str(round(share * 100))


@dataclass(frozen=True)
class HistogramBar:
    value: int  # canonical 1–10
    label: str  # "3.5 stars"
    count: int
    share_percent: int  # of all ratings, for the text
    width_percent: int  # of the tallest bar, for drawing


def histogram_bars(score: AudienceScore, display: str) -> list[HistogramBar]:
    """One bar per canonical value, best first, scaled so the tallest bar fills the row."""
    tallest = max(score.histogram, default=0) or 1
    total = score.count or 1
    return [
        HistogramBar(
            value=value,
            label=rating_label(value, display),
            count=count,
            share_percent=round(count * 100 / total),
            width_percent=round(count * 100 / tallest),
        )
        for value, count in reversed(list(enumerate(score.histogram, start=1)))
    ]
