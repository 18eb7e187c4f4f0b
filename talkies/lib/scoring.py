"""Score maths, free of Django: everything a film's audience score is derived from.

All functions take the running counters (count, total, histogram) that ratings.services keeps, so
each figure is O(1) to read no matter how many ratings a film has.
"""

import math
from dataclasses import dataclass
from typing import Literal

Z_95 = 1.959963984540054  # two-sided 95% normal quantile


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion, as (low, high) in 0..1.

    Unlike the naive p ± z·sqrt(p(1-p)/n) it never leaves [0, 1] and stays honest for small n, which
    is why it ranks comments ("best") and bounds "% liked".
    """
    if trials <= 0:
        return (0.0, 0.0)
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = p + z2 / (2 * trials)
    margin = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    return (max(0.0, (centre - margin) / denominator), min(1.0, (centre + margin) / denominator))


def wilson_lower_bound(upvotes: int, downvotes: int) -> float:
    return wilson_interval(upvotes, upvotes + downvotes)[0]


def bayesian_average(*, count: int, mean: float, prior_mean: float, prior_weight: int) -> float:
    """(v·R + m·C) / (v + m): the film's mean R over v ratings, pulled toward the site's mean C by m."""
    if count + prior_weight == 0:
        return prior_mean
    return (count * mean + prior_weight * prior_mean) / (count + prior_weight)


def histogram_median(histogram: list[int]) -> float | None:
    """Median of ratings 1..len(histogram) given their counts; the mean of the two middles when even."""
    n = sum(histogram)
    if n == 0:
        return None

    def value_at(rank: int) -> int:  # rank is 0-based in sorted order
        seen = 0
        for index, bucket in enumerate(histogram):
            seen += bucket
            if rank < seen:
                return index + 1
        raise ValueError("rank beyond histogram")  # unreachable while rank < n

    if n % 2:
        return float(value_at(n // 2))
    return (value_at(n // 2 - 1) + value_at(n // 2)) / 2


@dataclass(frozen=True)
class AudienceScore:
    count: int
    histogram: list[int]
    mean: float | None
    median: float | None
    bayesian: float | None
    liked: int
    liked_share: float | None
    liked_low: float | None
    liked_high: float | None
    enough: bool
    minimum: int
    held: int = 0  # ratings left out because they sit in a suspect window under review


def audience_score(
    *,
    count: int,
    total: int,
    histogram: list[int],
    minimum: int,
    prior_mean: float,
    prior_weight: int,
    liked_threshold: int,
    held: int = 0,
) -> AudienceScore:
    """Every figure shown for a film's audience, derived from its counters."""
    liked = sum(histogram[liked_threshold - 1 :])
    if count == 0:
        return AudienceScore(0, list(histogram), None, None, None, 0, None, None, None, False, minimum, held)
    mean = total / count
    low, high = wilson_interval(liked, count)
    return AudienceScore(
        count=count,
        histogram=list(histogram),
        mean=mean,
        median=histogram_median(histogram),
        bayesian=bayesian_average(count=count, mean=mean, prior_mean=prior_mean, prior_weight=prior_weight),
        liked=liked,
        liked_share=liked / count,
        liked_low=low,
        liked_high=high,
        enough=count >= minimum,
        minimum=minimum,
        held=held,
    )


# Critic and audience are compared on 0–100 (a 7/10 critic and an audience averaging 7/10 both read 70).
# Twenty points is two whole stars out of ten: a gap readers notice, not rounding noise.
DIVERGENCE_POINTS = 20.0


def critic_audience_divergence(
    *, critic: float | None, audience: float | None
) -> Literal["critics", "audience"] | None:
    """'critics' when critics liked the film clearly more, 'audience' when readers did, else None.

    `critic` is 0–100 (CriticReview.normalised or their average); `audience` is the shown 1–10 score.
    """
    if critic is None or audience is None:
        return None
    gap = critic - audience * 10
    if gap >= DIVERGENCE_POINTS:
        return "critics"
    if gap <= -DIVERGENCE_POINTS:
        return "audience"
    return None
