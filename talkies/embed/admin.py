from django.contrib import admin
from django.http import HttpRequest

from .models import ApiKey, EmbedSettings, SsoIdentity, Webhook, WebhookAttempt, WebhookDelivery


@admin.register(EmbedSettings)
class EmbedSettingsAdmin(admin.ModelAdmin):
    list_display = ["site", "create_threads_on_first_use"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    # Keys are made with `talkies apikey create`, which shows the key once; the admin can only revoke.
    list_display = ["name", "site", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["site", "name", "prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):
    list_display = ["site", "external_id", "user", "created_at"]
    raw_id_fields = ["user"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["url", "site", "is_active", "created_at"]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    readonly_fields = ["attempted_at", "response_code", "error", "duration_ms"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "webhook", "status", "attempts", "response_code", "next_retry_at", "created_at"]
    list_filter = ["status", "event"]
    readonly_fields = ["webhook", "event", "body", "attempts", "response_code", "created_at", "delivered_at"]
    inlines = [WebhookAttemptInline]
