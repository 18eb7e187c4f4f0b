from django.contrib import admin

from .models import Comment, Thread


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("__str__", "site", "film", "comment_count", "is_closed", "created_at")
    list_filter = ("site", "is_closed")
    search_fields = ("title", "key")
    raw_id_fields = ("story", "film")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "thread", "author", "status", "is_spoiler", "upvotes", "downvotes", "created_at")
    list_filter = ("status", "is_spoiler", "thread__site")
    search_fields = ("body_source", "author__username")
    raw_id_fields = ("thread", "parent", "root", "author")
    # Comments change through the services (counters, sanitising); staff read them here.
    readonly_fields = ("body_html", "upvotes", "downvotes", "best_score", "reply_count", "depth", "root")
