"""Staff read threads and comments here. Changes go through comments.services (as admin actions), because a
direct edit would skip the counters, the sanitiser and the version bump that refreshes cached pages and
live streams."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from talkies.accounts.requests import SignedInRequest

from .models import Comment, Thread
from .services import comment_set_featured, thread_set_closed, thread_set_page_metadata


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("__str__", "site", "film", "comment_count", "is_closed", "created_at")
    list_filter = ("site", "is_closed")
    search_fields = ("title", "key")
    raw_id_fields = ("story", "film")
    readonly_fields = (
        "site",
        "key",
        "story",
        "is_closed",
        "comment_count",
        "version",
        "metadata_from_site",
        "created_at",
    )
    actions = ["close_threads", "reopen_threads"]

    def save_model(self, request: HttpRequest, obj: Thread, form: Any, change: bool) -> None:
        # Staff correcting a page thread's title, URL or film speak for the site: their values win over
        # what the page that opened the thread said (embed.page_threads), and pages cannot undo them.
        if change and {"title", "url", "film"} & set(form.changed_data):
            thread_set_page_metadata(thread=obj, title=obj.title, url=obj.url, film=obj.film)
        else:
            super().save_model(request, obj, form, change)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Close to new comments")
    def close_threads(self, request: SignedInRequest, queryset: QuerySet[Any]) -> None:
        for thread in queryset.select_related("site"):
            thread_set_closed(thread=thread, user=request.user, closed=True)

    @admin.action(description="Reopen to new comments")
    def reopen_threads(self, request: SignedInRequest, queryset: QuerySet[Any]) -> None:
        for thread in queryset.select_related("site"):
            thread_set_closed(thread=thread, user=request.user, closed=False)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "thread",
        "author",
        "status",
        "is_spoiler",
        "is_featured",
        "upvotes",
        "downvotes",
        "created_at",
    )
    list_filter = ("status", "is_spoiler", "is_featured", "thread__site")
    search_fields = ("body_source", "author__username", "guest_name")
    actions = ["feature", "unfeature"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # viewing stays allowed; edits go through the services

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Feature (pin above the thread)")
    def feature(self, request: SignedInRequest, queryset: QuerySet[Any]) -> None:
        for comment in queryset.select_related("thread__site"):
            comment_set_featured(comment=comment, user=request.user, featured=True)

    @admin.action(description="Stop featuring")
    def unfeature(self, request: SignedInRequest, queryset: QuerySet[Any]) -> None:
        for comment in queryset.select_related("thread__site"):
            comment_set_featured(comment=comment, user=request.user, featured=False)
