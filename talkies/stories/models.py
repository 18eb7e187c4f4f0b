"""What a publication writes: news, critic reviews, reaction posts and features, linked to films."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from talkies.accounts.models import Site
from talkies.catalogue.models import Film


class PublishedStoryManager(models.Manager["Story"]):
    def get_queryset(self) -> models.QuerySet["Story"]:
        return super().get_queryset().filter(published_at__lte=timezone.now())


class Story(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", "News"
        REVIEW = "review", "Review"
        REACTION = "reaction", "Reaction"
        FEATURE = "feature", "Feature"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="stories")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200)
    dek = models.CharField(max_length=400, blank=True, help_text="The one-line summary under the headline.")
    body_source = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, help_text="Rendered and sanitised from body_source on save.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )
    published_at = models.DateTimeField(null=True, blank=True, help_text="Empty for a draft.")
    films = models.ManyToManyField(Film, blank=True, related_name="stories")
    related = models.ManyToManyField("self", blank=True, symmetrical=True)
    call_to_action = models.CharField(
        max_length=300, blank=True, help_text="The question put to readers, e.g. 'What did you think?'"
    )

    objects = models.Manager()
    published = PublishedStoryManager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "stories"
        constraints = [models.UniqueConstraint(fields=["site", "slug"], name="unique_story_slug_per_site")]
        indexes = [models.Index(fields=["site", "-published_at"], name="story_site_published")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("story-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()


class CriticReview(models.Model):
    """A critic's verdict on one film, as published in a review story.

    The score is kept exactly as the critic gave it (`score_text`: "7/10", "3.5/5", "B+") and also
    normalised to 0–100 so reviews on different scales can be averaged and set beside the audience.
    """

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="critic_reviews")
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="critic_reviews")
    critic = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="critic_reviews",
    )
    critic_name = models.CharField(max_length=200, help_text="As bylined.")
    score_text = models.CharField(max_length=16, help_text='The score as published: "7/10", "3.5/5", "B+".')
    score_value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    score_max = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    normalised = models.DecimalField(max_digits=5, decimal_places=2, help_text="0–100.")
    verdict = models.CharField(max_length=300, blank=True, help_text="The pull-quote.")

    class Meta:
        ordering = ["-story__published_at"]
        constraints = [models.UniqueConstraint(fields=["story", "film"], name="unique_review_per_story_film")]

    def __str__(self) -> str:
        return f"{self.critic_name} on {self.film}: {self.score_text}"

    @property
    def normalised_out_of_10(self) -> float:
        return float(self.normalised) / 10
