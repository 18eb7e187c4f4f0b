"""Threads, comments and votes.

A thread is one conversation: under a story (standalone pages) or under any page of a host site
(embedded, keyed by the page's URL or an explicit id). Comments form a tree stored as parent + root +
depth, so a whole subtree is one indexed query and nesting can be capped on display without ever
re-parenting anything.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from talkies.accounts.models import Site
from talkies.catalogue.models import Film
from talkies.stories.models import Story


class Thread(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="threads")
    key = models.CharField(max_length=500, help_text="Canonical page URL or an explicit id; unique per site.")
    story = models.OneToOneField(Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="thread")
    film = models.ForeignKey(
        Film,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
        help_text="The film this conversation is about: top-level comments carry their author's rating of it.",
    )
    title = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=500, blank=True)
    metadata_from_site = models.BooleanField(
        default=False,
        help_text="The title, URL and film were set by the site itself (its API key or the admin), so pages "
        "cannot change them. Until then they are what the first page to ask said, which anyone could forge.",
    )
    is_closed = models.BooleanField(default=False)
    comment_count = models.PositiveIntegerField(default=0, help_text="Visible comments, kept by the services.")
    version = models.PositiveBigIntegerField(
        default=0, help_text="Bumped by every change to the thread or its comments; caches key on it."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "key"], name="unique_thread_key_per_site")]

    def __str__(self) -> str:
        return self.title or self.key


class Comment(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PENDING = "pending", "Pending moderation"
        REJECTED = "rejected", "Rejected by a moderator"
        REMOVED = "removed", "Removed by its author"
        # A shadow-banned author's comment: shown to its author as if published, to nobody else.
        SHADOWED = "shadowed", "Shown only to its author"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="descendants",
        help_text="The top-level comment this one hangs under; empty for top-level comments.",
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    guest_name = models.CharField(max_length=80, blank=True)
    guest_key = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the guest's secret id; the browser keeps the signed secret."
    )
    body_source = models.TextField()
    body_html = models.TextField()
    is_spoiler = models.BooleanField(default=False, help_text="The whole comment is hidden until revealed.")
    has_inline_spoiler = models.BooleanField(default=False, help_text="The body has >!spoiler!< markup.")
    is_featured = models.BooleanField(default=False, help_text="Pinned above the thread by an editor.")
    featured_at = models.DateTimeField(null=True, blank=True)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.APPROVED)
    moderation_notice = models.CharField(
        max_length=500,
        blank=True,
        help_text="What the author is told about a held or rejected comment (shown to them only).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    # Wilson lower bound of upvotes/(up+down), stored so "best" is an index scan rather than a sort in Python.
    best_score = models.FloatField(default=0.0)
    reply_count = models.PositiveIntegerField(default=0, help_text="Visible direct replies.")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "parent", "created_at", "id"], name="comment_thread_parent_created"),
            models.Index(fields=["thread", "parent", "-best_score", "id"], name="comment_thread_parent_best"),
            models.Index(fields=["root", "created_at", "id"], name="comment_root_created"),
            # An author's latest comments, read to screen each new one (moderation's spam and rate signals):
            # without these, a guest's were found among every guest comment of the database, then sorted.
            models.Index(fields=["author", "created_at"], name="comment_author_created"),
            models.Index(
                fields=["guest_key", "created_at"], condition=models.Q(author=None), name="comment_guest_created"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_name}"

    @property
    def author_name(self) -> str:
        if self.author_id and self.author is not None:
            return self.author.public_name
        return self.guest_name or "Guest"


class Vote(models.Model):
    """One reader's vote on one comment: an account's, or a guest's (by the hash of their secret id)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="comment_votes"
    )
    guest_key = models.CharField(max_length=64, blank=True)
    value = models.SmallIntegerField(help_text="+1 or -1")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], condition=models.Q(user__isnull=False), name="one_vote_per_user_per_comment"
            ),
            models.UniqueConstraint(
                fields=["comment", "guest_key"],
                condition=~models.Q(guest_key=""),
                name="one_vote_per_guest_per_comment",
            ),
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False) & models.Q(guest_key=""))
                | (models.Q(user__isnull=True) & ~models.Q(guest_key="")),
                name="vote_by_a_user_or_a_guest",
            ),
            models.CheckConstraint(condition=models.Q(value__in=[-1, 1]), name="vote_is_up_or_down"),
        ]

    def __str__(self) -> str:
        voter = self.user or f"guest {self.guest_key[:8]}"
        return f"{voter} {'+' if self.value > 0 else '-'}1 on {self.comment_id}"
