from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from talkies.accounts.requests import SignedInRequest

from .bombs import decide_window
from .models import FilmScore, Rating, SuspectWindow


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("film", "user", "site", "value", "created_at")
    list_filter = ("site", "value")
    search_fields = ("film__title", "user__username")
    raw_id_fields = ("film", "user")

    # Ratings change only through ratings.services so FilmScore stays exact.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FilmScore)
class FilmScoreAdmin(admin.ModelAdmin):
    list_display = ("film", "site", "count", "total", "updated_at")
    list_filter = ("site",)
    readonly_fields = ("site", "film", "count", "total", "histogram", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SuspectWindow)
class SuspectWindowAdmin(admin.ModelAdmin):
    """Moderators review suspected review bombs here; the actions call ratings.bombs.decide_window."""

    list_display = ("film", "site", "starts_at", "ends_at", "rating_count", "status", "decided_by")
    list_filter = ("status", "site")
    readonly_fields = [f.name for f in SuspectWindow._meta.fields]
    actions = ["confirm_as_bomb", "dismiss_and_count"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Confirm: keep these ratings out of the score")
    def confirm_as_bomb(self, request: SignedInRequest, queryset: QuerySet[Any]) -> None:
        for window in queryset.select_related("site", "film"):
            decide_window(window=window, moderator=request.user, confirm=True)
        self.message_user(request, f"{queryset.count()} window(s) confirmed; their ratings stay out of the score.")

    @admin.action(description="Dismiss: count these ratings again")
    def dismiss_and_count(self, request: SignedInRequest, queryset: QuerySet[Any]) -> None:
        for window in queryset.select_related("site", "film"):
            decide_window(window=window, moderator=request.user, confirm=False)
        self.message_user(request, f"{queryset.count()} window(s) dismissed; their ratings count again.")
