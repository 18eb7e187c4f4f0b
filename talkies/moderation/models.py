"""What moderation keeps: per-site settings and rules, word lists, reader reports, where each comment
stands in the queues, what is decided about each author, and the append-only audit log."""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from talkies.accounts.models import Site
from talkies.catalogue.models import Film
from talkies.comments.models import Comment
from talkies.stories.models import Story


class Action(models.TextChoices):
    """What a rule or a text signal does to a comment it catches."""

    ALLOW = "allow", "Allow"
    REPORT = "report", "Send to the reported queue"
    PREMODERATE = "premoderate", "Hold for a moderator"
    REJECT = "reject", "Reject"


class ModerationSettings(models.Model):
    """A site's moderation settings; a site without a row has the defaults (see settings_for)."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="moderation_settings")
    reports_to_queue = models.PositiveSmallIntegerField(
        default=1, help_text="How many reader reports send a comment to the reported queue."
    )
    toxicity_threshold = models.FloatField(default=0.0, help_text="0 means the tuned default (docs/moderation.md).")
    toxicity_action = models.CharField(max_length=12, choices=Action.choices, default=Action.PREMODERATE)
    spam_threshold = models.FloatField(default=0.0, help_text="0 means the tuned default.")
    spam_action = models.CharField(max_length=12, choices=Action.choices, default=Action.PREMODERATE)
    spoiler_threshold = models.FloatField(default=0.0, help_text="0 means the tuned default.")
    spoiler_action = models.CharField(
        max_length=12,
        choices=[(Action.ALLOW, "Only suggest the spoiler tag"), (Action.REPORT, "Also send to the reported queue")],
        default=Action.ALLOW,
        help_text="A spoiler signal never holds or rejects a comment: it suggests the spoiler tag.",
    )
    bad_domains = models.TextField(blank=True, help_text="Link domains that mark a comment as spam, one per line.")
    digest_emails = models.BooleanField(
        default=False, help_text="Email the site's moderators a daily digest of the pending queue."
    )

    class Meta:
        verbose_name_plural = "moderation settings"

    def __str__(self) -> str:
        return f"Moderation settings of {self.site}"


class PremoderationRule(models.Model):
    """When comments on a site are held for a moderator before anyone else sees them."""

    class Scope(models.TextChoices):
        SITE = "site", "Every comment on the site"
        STORY = "story", "Comments on one story"
        FILM = "film", "Comments in threads about one film"
        NEW_COMMENTERS = "new_commenters", "Commenters with fewer approved comments than N"
        LINKS = "links", "Comments with links"
        USER = "user", "One user's comments"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="premoderation_rules")
    scope = models.CharField(max_length=16, choices=Scope.choices)
    story = models.ForeignKey(Story, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    film = models.ForeignKey(Film, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    approved_comments_needed = models.PositiveSmallIntegerField(
        default=1, help_text="For new commenters: how many approved comments take them out of pre-moderation."
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        target = self.story or self.film or self.user
        return f"{self.get_scope_display()}{f': {target}' if target else ''}"


class ModerationConfigVersion(models.Model):
    """Changes whenever a site's moderation settings, word lists or pre-moderation rules change, in the
    same transaction (talkies.moderation.config_snapshot): every process keeps those three as one snapshot
    and reads them again only when this value is no longer the one it read them under."""

    site = models.OneToOneField(Site, primary_key=True, on_delete=models.CASCADE, related_name="+")
    # A fresh random value on each change rather than a counter: two first changes at once cannot both
    # write the same number.
    value = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"Moderation settings version {self.value} of site {self.site_id}"


class ListedWord(models.Model):
    class Kind(models.TextChoices):
        BANNED = "banned", "Banned (rejected at once, the author is told)"
        SUSPECT = "suspect", "Suspect (sent to the reported queue)"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="listed_words")
    word = models.CharField(max_length=80)
    kind = models.CharField(max_length=8, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "word"], name="one_listing_per_word_per_site")]

    def __str__(self) -> str:
        return f"{self.word} ({self.kind})"


class Report(models.Model):
    """One reader's report of one comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abuse or harassment"
        SPOILER = "spoiler", "Spoiler without a spoiler tag"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_guest_key = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    text = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], condition=models.Q(reporter__isnull=False), name="one_report_per_user"
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter_guest_key"],
                condition=~models.Q(reporter_guest_key=""),
                name="one_report_per_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} report of comment {self.comment_id}"


class QueueEntry(models.Model):
    """Where one comment stands in its site's moderation queues, and why it is there.

    Denormalised from the comment (site, status, created_at, author) so that every queue is one index
    range of this table, read by keyset, however many comments the site has.
    """

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="queue_entry")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Comment.Status.choices)
    created_at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_reported = models.BooleanField(default=False, help_text="In the reported queue until a moderator decides.")
    report_count = models.PositiveIntegerField(default=0)
    is_moderated = models.BooleanField(default=False, help_text="A moderator has decided on it.")
    # Why it is queued: [{"source": "rule"|"word"|"signal"|"reports", "name": ..., "detail": ..., "score": ...}]
    flags = models.JSONField(default=list, blank=True)
    signals = models.JSONField(default=dict, blank=True, help_text="Each text signal's score when it was posted.")
    suggest_spoiler = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["site", "status", "-created_at", "-id"], name="queue_status_newest"),
            models.Index(fields=["site", "is_reported", "-created_at", "-id"], name="queue_reported_newest"),
            models.Index(fields=["site", "is_reported", "-report_count", "-id"], name="queue_most_reported"),
            models.Index(fields=["site", "is_moderated", "-created_at", "-id"], name="queue_unmoderated_newest"),
        ]
        verbose_name_plural = "queue entries"

    def __str__(self) -> str:
        return f"Comment {self.comment_id} ({self.status})"


class AuthorStanding(models.Model):
    """What the site's moderators have decided about one author (an account, or a guest by guest key)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    guest_key = models.CharField(max_length=64, blank=True)
    is_banned = models.BooleanField(default=False)
    suspended_until = models.DateTimeField(null=True, blank=True)
    is_shadow_banned = models.BooleanField(default=False)
    always_premoderate = models.BooleanField(default=False)
    is_trusted = models.BooleanField(default=False, help_text="Skips the pre-moderation rules.")
    reason = models.CharField(max_length=500, blank=True, help_text="Shown to a banned or suspended author.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "user"], condition=models.Q(user__isnull=False), name="one_standing_per_user"
            ),
            models.UniqueConstraint(
                fields=["site", "guest_key"], condition=~models.Q(guest_key=""), name="one_standing_per_guest"
            ),
        ]

    def __str__(self) -> str:
        return f"Standing of {self.user or 'guest ' + self.guest_key[:8]} on {self.site}"


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("the audit log is append-only")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise PermissionError("the audit log is append-only")


class AuditEntry(models.Model):
    """One moderator or rule action. Append-only: rows are created, never changed or deleted by the product
    (save refuses an existing row, delete refuses, and the admin shows it read-only)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    # Plain ids, not foreign keys: the log outlives what it describes, and deleting a comment or an account
    # must not rewrite it (a foreign key would be set to null).
    comment_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject_user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject_guest_key = models.CharField(max_length=64, blank=True)
    actor_id = models.BigIntegerField(
        null=True, blank=True, help_text="The moderator's account; empty for a rule or key."
    )
    actor_label = models.CharField(max_length=150, help_text="Who acted, as it was then: a username, a key, a rule.")
    action = models.CharField(max_length=32)
    reason = models.CharField(max_length=500, blank=True)
    status_before = models.CharField(max_length=16, blank=True)
    status_after = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["site", "-created_at"], name="audit_site_newest")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.actor_label}: {self.action} ({self.created_at:%Y-%m-%d %H:%M})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("the audit log is append-only: entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("the audit log is append-only: entries cannot be deleted")
