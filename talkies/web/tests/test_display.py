"""Ratings on the site's scale: pure functions, no database."""

import pytest

from talkies.lib.scoring import audience_score
from talkies.web.display import (
    histogram_bars,
    on_scale,
    percent,
    rating_badge,
    rating_label,
    star_fill_percent,
)


@pytest.mark.parametrize(
    ("value", "display", "shown"),
    [
        (7, "stars", "3.5"),
        (10, "stars", "5"),
        (1, "stars", "0.5"),
        (7.3, "stars", "3.5"),  # averages round to the nearest half star
        (7.5, "stars", "4"),  # halves round up, not to even
        (7.25, "points", "7.2"),
        (7.0, "points", "7"),
        (7.25, "percent", "73"),
        (10, "percent", "100"),
    ],
)
def test_a_canonical_value_reads_on_each_scale(value, display, shown):
    assert on_scale(value, display) == shown


def test_one_rating_reads_in_words_with_the_right_plural():
    assert rating_label(7, "stars") == "3.5 stars"
    assert rating_label(2, "stars") == "1 star"
    assert rating_label(7, "points") == "7 out of 10"
    assert rating_label(7, "percent") == "70 out of 100"


def test_the_badge_beside_a_commenter_is_short():
    assert rating_badge(7, "stars") == "★ 3.5"
    assert rating_badge(7, "points") == "7/10"
    assert rating_badge(7, "percent") == "70/100"


def test_the_star_row_fills_in_whole_half_stars():
    assert star_fill_percent(7.3) == 70
    assert star_fill_percent(9.6) == 100


def test_a_share_reads_as_a_whole_percentage():
    assert percent(0.6) == "60"
    assert percent(None) == ""


def test_histogram_bars_run_best_first_scaled_to_the_tallest():
    score = audience_score(
        count=4,
        total=27,
        histogram=[0, 0, 0, 0, 0, 0, 1, 2, 0, 1],
        minimum=1,
        prior_mean=6,
        prior_weight=0,
        liked_threshold=7,
    )

    bars = histogram_bars(score, "stars")

    assert [b.value for b in bars] == list(range(10, 0, -1))
    eight = next(b for b in bars if b.value == 8)
    assert (eight.label, eight.count, eight.width_percent, eight.share_percent) == ("4 stars", 2, 100, 50)
    assert next(b for b in bars if b.value == 7).width_percent == 50
