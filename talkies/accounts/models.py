"""Readers and staff (User), the publications they belong to (Site), and per-site roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """A person with an account. Readers, critics and moderators are all users; roles are per site."""

    display_name = models.CharField(max_length=80, blank=True)
    email_verified = models.BooleanField(default=False)
    notify_replies = models.BooleanField(
        default=False, help_text="Email me when someone replies to or mentions me (opt-in; one-click unsubscribe)."
    )
    notify_moderation = models.BooleanField(
        default=False, help_text="Email me when a moderator holds or rejects one of my comments (opt-in)."
    )

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or self.username


# The top of each rating display's scale (Site.RatingDisplay), by its stored value.
RATING_SCALE_MAX: dict[str, int] = {"stars": 5, "points": 10, "percent": 100}


class Site(models.Model):
    """A publication: its own stories, threads, ratings, settings and staff.

    Several sites can share one installation; the film catalogue is shared by all of them because films
    are facts, while everything readers write belongs to exactly one site.
    """

    class RatingDisplay(models.TextChoices):
        STARS = "stars", "5 stars with halves"
        POINTS = "points", "10 points"
        PERCENT = "percent", "100 points"

        @property
        def scale_max(self) -> int:
            """The top of the scale this display shows figures on: 5, 10 or 100. The one table of them:
            the pages, the API and the widgets all read it, so no two of them can fall back differently."""
            return RATING_SCALE_MAX[self]

    class CommentSort(models.TextChoices):
        BEST = "best", "Best"
        TOP = "top", "Top"
        NEW = "new", "Newest"
        OLD = "old", "Oldest"
        CONTROVERSIAL = "controversial", "Controversial"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    tagline = models.CharField(max_length=200, blank=True)
    domain = models.CharField(
        max_length=253, blank=True, help_text="Host name this site answers to (e.g. reelnews.example)."
    )
    region = models.CharField(
        max_length=2,
        default="US",
        help_text="ISO 3166 country whose release dates open rating and show status.",
    )
    rating_display = models.CharField(max_length=10, choices=RatingDisplay.choices, default=RatingDisplay.STARS)
    min_ratings_to_show = models.PositiveIntegerField(
        default=5, help_text="Below this many ratings the audience score says 'not enough ratings yet'."
    )
    bayesian_prior_weight = models.PositiveIntegerField(
        default=10,
        help_text="m in (v·R + m·C)/(v + m): how many site-average ratings every film starts with.",
    )
    allow_early_rating = models.BooleanField(
        default=False, help_text="Let readers rate a film before its release in this site's region."
    )
    default_comment_sort = models.CharField(max_length=16, choices=CommentSort.choices, default=CommentSort.BEST)
    comment_edit_window_minutes = models.PositiveIntegerField(default=15)
    comment_max_length = models.PositiveIntegerField(default=10_000)
    max_reply_depth = models.PositiveSmallIntegerField(
        default=10, help_text="How deep replies may nest (0 is a top-level comment). Pages show 3 levels."
    )
    allow_guest_comments = models.BooleanField(default=False, help_text="Let readers comment with a name only.")
    auto_close_after_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Close a story's thread this many days after publication; empty: never."
    )
    spoiler_shield_days = models.PositiveIntegerField(
        default=0,
        help_text="For this many days after a film's release, treat every comment about it as a possible "
        "spoiler and keep it collapsed until the reader opens it; 0 turns the shield off.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def rating_scale_max(self) -> int:
        """5, 10 or 100: the top of the scale this site shows ratings and scores on."""
        return Site.RatingDisplay(self.rating_display).scale_max


class SiteMembership(models.Model):
    """A user's role on one site. Being staff on one site grants nothing on another."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Administrator"
        EDITOR = "editor", "Editor"
        CRITIC = "critic", "Critic"
        MODERATOR = "moderator", "Moderator"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "user", "role"], name="unique_site_user_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.site}"
