"""Readers' ratings of films, and each film's running audience score on each site.

A rating belongs to the film, not to the story it was given on: every story about a film feeds one
score. `FilmScore` holds counters kept exact in the same transaction as each rating; everything a page
shows (mean, median, Bayesian average, % liked) is derived from those counters in constant time.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from talkies.accounts.models import Site
from talkies.catalogue.models import Film

RATING_MIN = 1
RATING_MAX = 10
LIKED_THRESHOLD = 7  # a rating of 7/10 (3.5 stars) or more counts as "liked"


class Rating(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="ratings")
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings")
    value = models.PositiveSmallIntegerField(help_text="1–10; half stars are value / 2.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "film", "user"], name="one_rating_per_reader_per_film"),
            models.CheckConstraint(
                condition=models.Q(value__gte=RATING_MIN, value__lte=RATING_MAX), name="rating_value_1_to_10"
            ),
        ]
        indexes = [models.Index(fields=["site", "film", "created_at"], name="rating_site_film_created")]

    def __str__(self) -> str:
        return f"{self.user} rated {self.film} {self.value}/10"


class FilmScore(models.Model):
    """Running totals for one film on one site. Written only by ratings.services, under a row lock.

    `count`/`total`/`histogram` cover every stored rating (the "all ratings" view). The `held_*` counters
    cover the ratings inside suspect windows that are under review or confirmed as a review bomb; the
    displayed score is all minus held, so excluding a window never deletes or rewrites a rating.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="film_scores")
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="scores")
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0, help_text="Sum of all rating values.")
    # One counter per value, so the histogram and the median cost nothing to read.
    histogram = models.JSONField(default=list, help_text="Ten counts: index 0 is the number of 1/10 ratings.")
    held_count = models.PositiveIntegerField(default=0)
    held_total = models.PositiveIntegerField(default=0)
    held_histogram = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "film"], name="one_score_per_site_film")]

    def __str__(self) -> str:
        return f"{self.film} on {self.site}: {self.count} ratings"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.histogram:
            self.histogram = [0] * RATING_MAX
        if not self.held_histogram:
            self.held_histogram = [0] * RATING_MAX
        super().save(*args, **kwargs)


class SuspectWindow(models.Model):
    """A stretch of time in which a film's ratings look like a review bomb (see ratings.bombs).

    While pending or confirmed, the ratings given inside it are left out of the displayed score; they stay
    stored, and the "all ratings" view still counts them. A moderator confirms or dismisses the window.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Under review"
        CONFIRMED = "confirmed", "Confirmed: excluded from the score"
        DISMISSED = "dismissed", "Dismissed: counted in the score"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="suspect_windows")
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="suspect_windows")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    rating_count = models.PositiveIntegerField(help_text="Ratings in the window when it was last assessed.")
    baseline_per_hour = models.FloatField(help_text="The film's usual rating rate before the window.")
    extreme_share = models.FloatField(help_text="Share of the window's ratings at its dominant extreme.")
    suspect_rater_share = models.FloatField(help_text="Share of raters who are new or rated nothing else.")
    reason = models.TextField()
    detected_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["site", "film", "status"], name="suspect_window_site_film")]

    def __str__(self) -> str:
        return f"{self.film} on {self.site}: {self.rating_count} ratings {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_held(self) -> bool:
        return self.status != self.Status.DISMISSED
