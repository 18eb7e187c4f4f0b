"""Readers' ratings of films, and each film's running audience score on each site.

A rating belongs to the film, not to the story it was given on: every story about a film feeds one
score. `FilmScore` holds counters kept exact in the same transaction as each rating; everything a page
shows (mean, median, Bayesian average, % liked) is derived from those counters in constant time.
"""

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
    """Running totals for one film on one site. Written only by ratings.services, under a row lock."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="film_scores")
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="scores")
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0, help_text="Sum of all rating values.")
    # One counter per value, so the histogram and the median cost nothing to read.
    histogram = models.JSONField(default=list, help_text="Ten counts: index 0 is the number of 1/10 ratings.")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "film"], name="one_score_per_site_film")]

    def __str__(self) -> str:
        return f"{self.film} on {self.site}: {self.count} ratings"

    def save(self, *args, **kwargs) -> None:
        if not self.histogram:
            self.histogram = [0] * RATING_MAX
        super().save(*args, **kwargs)
