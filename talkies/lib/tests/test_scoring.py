"""Score maths against values worked out by hand, so a regression in a formula cannot hide behind itself.

z = 1.959964 (two-sided 95%), z² = 3.841459 throughout.
"""

import pytest

from talkies.lib.scoring import audience_score, bayesian_average, histogram_median, wilson_interval, wilson_lower_bound


def test_the_wilson_interval_for_8_of_10_matches_the_textbook_values():
    # p = 0.8, n = 10
    # denominator = 1 + z²/n              = 1 + 0.3841459           = 1.3841459
    # centre      = p + z²/2n             = 0.8 + 0.1920730         = 0.9920730
    # margin      = z·√(p(1-p)/n + z²/4n²) = 1.959964·√(0.016 + 0.0096036)
    #             = 1.959964·0.1600113                              = 0.3136164
    # low  = (0.9920730 - 0.3136164) / 1.3841459 = 0.6784566 / 1.3841459 = 0.49016
    # high = (0.9920730 + 0.3136164) / 1.3841459 = 1.3056894 / 1.3841459 = 0.94332
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.49016, abs=1e-5)
    assert high == pytest.approx(0.94332, abs=1e-5)


def test_the_wilson_interval_stays_inside_zero_and_one_at_the_extremes():
    # 10 of 10: p = 1, so margin = z·√(z²/4n²) = z²/2n = 0.1920730 and centre = 1.1920730;
    # low = (1.1920730 - 0.1920730) / 1.3841459 = 1 / 1.3841459 = 0.72247, high = 1.3841459 / 1.3841459 = 1.
    low, high = wilson_interval(10, 10)
    assert low == pytest.approx(0.72247, abs=1e-5)
    assert high == pytest.approx(1.0)
    assert high <= 1.0
    # 0 of 10 is the mirror image: low = 0, high = 1 - 0.72247 = 0.27753.
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.27753, abs=1e-5)


def test_the_wilson_interval_of_no_trials_is_zero_rather_than_a_division_by_zero():
    assert wilson_interval(0, 0) == (0.0, 0.0)


def test_the_wilson_interval_narrows_as_the_sample_grows():
    small_low, small_high = wilson_interval(8, 10)
    large_low, large_high = wilson_interval(800, 1000)
    assert small_low < large_low < 0.8 < large_high < small_high


def test_the_lower_bound_ranks_one_lucky_upvote_below_a_well_supported_comment():
    # 1 up, 0 down: n = 1, denominator = 1 + 3.841459 = 4.841459, centre = 1 + 1.920730 = 2.920730,
    # margin = z·√(z²/4) = z²/2 = 1.920730, low = 1 / 4.841459 = 0.20655.
    assert wilson_lower_bound(1, 0) == pytest.approx(0.20655, abs=1e-5)
    # 8 up, 2 down is the 8/10 interval above.
    assert wilson_lower_bound(8, 2) == pytest.approx(0.49016, abs=1e-5)
    assert wilson_lower_bound(8, 2) > wilson_lower_bound(1, 0)
    assert wilson_lower_bound(0, 0) == 0.0


def test_the_bayesian_average_pulls_a_film_toward_the_site_mean_by_the_prior_weight():
    # (v·R + m·C) / (v + m) = (20·8.0 + 10·6.0) / (20 + 10) = (160 + 60) / 30 = 7.3333
    assert bayesian_average(count=20, mean=8.0, prior_mean=6.0, prior_weight=10) == pytest.approx(7.33333, abs=1e-5)
    # One 10/10 rating barely moves a film: (1·10 + 10·6) / 11 = 70 / 11 = 6.3636
    assert bayesian_average(count=1, mean=10.0, prior_mean=6.0, prior_weight=10) == pytest.approx(6.36364, abs=1e-5)


def test_the_bayesian_average_of_nothing_is_the_prior():
    assert bayesian_average(count=0, mean=0.0, prior_mean=6.0, prior_weight=10) == 6.0
    assert bayesian_average(count=0, mean=0.0, prior_mean=6.0, prior_weight=0) == 6.0


def test_the_bayesian_average_with_no_prior_weight_is_the_plain_mean():
    assert bayesian_average(count=4, mean=7.5, prior_mean=6.0, prior_weight=0) == 7.5


@pytest.mark.parametrize(
    ("ratings", "median"),
    [
        ([7], 7.0),
        ([1, 10], 5.5),  # even count: the mean of the two middles, (1 + 10) / 2
        ([1, 1, 3], 1.0),  # odd count: the middle one
        ([3, 3, 8, 9], 5.5),  # (3 + 8) / 2
        ([2, 6, 7, 8, 8, 9], 7.5),  # (7 + 8) / 2
        ([10, 10, 10, 10, 10], 10.0),
    ],
)
def test_the_median_of_a_histogram_is_the_median_of_its_ratings(ratings, median):
    histogram = [0] * 10
    for value in ratings:
        histogram[value - 1] += 1
    assert histogram_median(histogram) == median


def test_an_empty_histogram_has_no_median():
    assert histogram_median([0] * 10) is None


def score_for(ratings: list[int], *, minimum: int = 5):
    histogram = [0] * 10
    for value in ratings:
        histogram[value - 1] += 1
    return audience_score(
        count=len(ratings),
        total=sum(ratings),
        histogram=histogram,
        minimum=minimum,
        prior_mean=6.0,
        prior_weight=10,
        liked_threshold=7,
    )


def test_the_audience_score_derives_every_figure_from_the_counters():
    # Ratings 2, 6, 7, 8, 8, 9: count 6, total 40.
    score = score_for([2, 6, 7, 8, 8, 9])
    assert score.count == 6
    assert score.histogram == [0, 1, 0, 0, 0, 1, 1, 2, 1, 0]
    assert score.mean == pytest.approx(40 / 6)  # 6.6667
    assert score.median == 7.5  # (7 + 8) / 2
    # (40 + 10·6.0) / (6 + 10) = 100 / 16 = 6.25
    assert score.bayesian == pytest.approx(6.25)
    # Liked is 7 or more: 7, 8, 8, 9.
    assert score.liked == 4
    assert score.liked_share == pytest.approx(4 / 6)
    # Wilson 4/6: p = 0.666667, z²/n = 0.640243, denominator 1.640243, centre = 0.666667 + 0.320122 = 0.986788,
    # margin = z·√(0.037037 + 0.026677) = 1.959964·0.252416 = 0.494726;
    # low = 0.492062 / 1.640243 = 0.29999, high = 1.481514 / 1.640243 = 0.90323.
    assert score.liked_low == pytest.approx(0.29999, abs=1e-5)
    assert score.liked_high == pytest.approx(0.90323, abs=1e-5)
    assert score.enough is True
    assert score.minimum == 5


def test_the_audience_score_says_not_enough_below_the_minimum_count():
    score = score_for([2, 6, 7, 8, 8, 9], minimum=7)
    assert score.enough is False
    assert score.mean == pytest.approx(40 / 6)  # the figures exist; the page just does not show them yet


def test_the_audience_score_of_an_unrated_film_has_no_figures():
    score = score_for([])
    assert score.count == 0
    assert (score.mean, score.median, score.bayesian) == (None, None, None)
    assert (score.liked_share, score.liked_low, score.liked_high) == (None, None, None)
    assert score.liked == 0
    assert score.enough is False
    assert score.histogram == [0] * 10


def test_the_audience_score_does_not_share_its_histogram_with_the_caller():
    histogram = [0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    score = audience_score(
        count=1, total=7, histogram=histogram, minimum=1, prior_mean=6.0, prior_weight=10, liked_threshold=7
    )
    histogram[6] = 99
    assert score.histogram[6] == 1
