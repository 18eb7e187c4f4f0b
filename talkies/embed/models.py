"""What a publication needs to embed Talkies in its own pages and talk to it from its servers.

- EmbedSettings: which origins may host the embed, whether pages open threads on first use, the SSO secret.
- SsoIdentity: the local account standing for one of the host site's own users.
- ApiKey: server-to-server credentials, stored as hashes.
- Webhook, WebhookDelivery, WebhookAttempt: signed notifications to the publication's servers and the
  log of every attempt to deliver them.
"""

import secrets
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from talkies.accounts.models import Site
from talkies.comments.events import ThreadEventKind
from talkies.moderation.events import ModerationEventKind
from talkies.ratings.events import RatingEventKind

from .page_urls import BadUrl, normalise_origin
from .webhook_targets import is_allowed_address, literal_address


def parse_origin_lines(text: str) -> list[str]:
    """The origins in an allowed-origins field, one per line, normalised; ValidationError naming the bad one."""
    origins = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            origins.append(normalise_origin(line))
        except BadUrl as e:
            raise ValidationError(f"{e}; write one origin per line, like https://reelnews.example") from e
    return list(dict.fromkeys(origins))


def validate_origin_lines(text: str) -> None:
    parse_origin_lines(text)


SSO_SECRET_MIN_LENGTH = 32


def validate_sso_secret(value: str) -> None:
    # Anyone may try signatures against the SSO endpoint offline from one genuine payload; a short secret
    # would let them guess it and sign in as any of the site's users.
    if value and len(value) < SSO_SECRET_MIN_LENGTH:
        raise ValidationError(
            f"the SSO secret must be at least {SSO_SECRET_MIN_LENGTH} characters; generate one with "
            '`python -c "import secrets; print(secrets.token_urlsafe(32))"`'
        )


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


class EmbedSettings(models.Model):
    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="embed_settings")
    allowed_origins = models.TextField(
        blank=True,
        validators=[validate_origin_lines],
        help_text="Pages on these origins may embed this site's threads and call the API from the browser. "
        "One per line, exactly scheme://host[:port], e.g. https://reelnews.example. Empty: embedding is off.",
    )
    create_threads_on_first_use = models.BooleanField(
        default=True, help_text="Open a thread the first time a page of an allowed origin asks for one."
    )
    sso_secret = models.CharField(
        max_length=128,
        blank=True,
        validators=[validate_sso_secret],
        help_text="Shared with the host site's server, which signs its users with it (docs/embedding.md). "
        "Empty: SSO is off. Changing it signs every SSO user out at their next request.",
    )

    class Meta:
        verbose_name = "embed settings"
        verbose_name_plural = "embed settings"

    def __str__(self) -> str:
        return f"Embed settings of {self.site}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Stored normalised, so comparing with a browser's Origin header is a plain string comparison.
        self.allowed_origins = "\n".join(parse_origin_lines(self.allowed_origins))
        super().save(*args, **kwargs)

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(line for line in self.allowed_origins.splitlines() if line)


class SsoIdentity(models.Model):
    """One of the host site's users, known by the id the host gives them, and the local account for them.

    The link, not the username, is what maps an SSO id to an account: someone who registers the username
    an SSO user would get must never receive that SSO user's identity.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="sso_identities")
    external_id = models.CharField(max_length=64)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identity")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "external_id"], name="unique_sso_id_per_site")]
        verbose_name = "SSO identity"
        verbose_name_plural = "SSO identities"

    def __str__(self) -> str:
        return f"{self.site.slug}:{self.external_id}"


class ApiKey(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=80, help_text="What uses the key, e.g. 'wp' for the WordPress plugin.")
    prefix = models.CharField(max_length=12, help_text="The key's first characters, to tell keys apart.")
    key_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the key; the key is never stored.")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.site}"


def validate_webhook_url(value: str) -> None:
    """An http(s) URL whose host, if it is an address, is one Talkies may send to (webhook_targets). A host
    name is checked when a delivery is sent, against what it resolves to then."""
    URLValidator(schemes=["http", "https"])(value)
    address = literal_address(urlsplit(value).hostname or "")
    if address is not None and not is_allowed_address(address):
        raise ValidationError(
            f"{address} is a loopback, private, link-local or otherwise internal address: webhooks are sent "
            "only to public addresses (an operator can allow a network with WEBHOOK_ALLOWED_NETWORKS)",
            code="internal_address",
        )


class Webhook(models.Model):
    class Event(models.TextChoices):
        """The events a webhook may subscribe to: the stored names are the event kinds' values."""

        COMMENT_CREATED = ThreadEventKind.COMMENT_CREATED.value, "A comment was posted"
        COMMENT_APPROVED = ThreadEventKind.COMMENT_APPROVED.value, "A moderator published a held or rejected comment"
        COMMENT_REJECTED = ThreadEventKind.COMMENT_REJECTED.value, "A moderator rejected or removed a comment"
        COMMENT_REPORTED = (
            ModerationEventKind.REPORTED.value,
            "Reports (or a rule) sent a comment to the reported queue",
        )
        RATING_CREATED = RatingEventKind.CREATED.value, "A reader rated a film for the first time"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(
        max_length=500,
        validators=[validate_webhook_url],
        help_text="Where events are POSTed. Staff only. Talkies sends only to public addresses (unless "
        "WEBHOOK_ALLOWED_NETWORKS allows more), checked again at every delivery.",
    )
    secret = models.CharField(
        max_length=64, default=new_webhook_secret, help_text="Signs every delivery (Talkies-Signature header)."
    )
    events = models.JSONField(default=list, help_text='Event names, e.g. ["comment.created", "rating.created"].')
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.url} for {self.site}"

    def clean(self) -> None:
        known = set(self.Event.values)
        if not isinstance(self.events, list) or not all(isinstance(e, str) and e in known for e in self.events):
            raise ValidationError({"events": f"events must be a list of: {', '.join(sorted(known))}"})


class WebhookDelivery(models.Model):
    """One event for one webhook, and where its delivery stands. Its attempts are WebhookAttempt rows."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be (re)tried"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Gave up after every retry"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    body = models.TextField(help_text="The exact JSON sent and signed.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Of the latest attempt.")
    next_retry_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["status", "next_retry_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} to {self.webhook.url}: {self.status}"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField(default=timezone.now)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(
        max_length=300,
        blank=True,
        help_text='Why it failed, as a kind of failure only ("timeout", "HTTP 5xx"), never the error\'s own text.',
    )
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"attempt on delivery {self.delivery_id}: {self.response_code or self.error}"
