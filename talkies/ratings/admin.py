from django.contrib import admin

from .models import FilmScore, Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("film", "user", "site", "value", "created_at")
    list_filter = ("site", "value")
    search_fields = ("film__title", "user__username")
    raw_id_fields = ("film", "user")

    # Ratings change only through ratings.services so FilmScore stays exact.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FilmScore)
class FilmScoreAdmin(admin.ModelAdmin):
    list_display = ("film", "site", "count", "total", "updated_at")
    list_filter = ("site",)
    readonly_fields = ("site", "film", "count", "total", "histogram", "updated_at")

    def has_add_permission(self, request):
        return False
