"""Moderation in the Django admin, for staff back-office: settings, rules and word lists are edited here
(and on /moderate/); decisions on comments and authors are admin actions that call the same services as
the moderation screen and the API; reports, queue entries and the audit log are read-only."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from talkies.accounts.requests import SignedInRequest
from talkies.comments.admin import CommentAdmin
from talkies.comments.models import Comment
from talkies.lib.errors import ServiceError

from .models import AuditEntry, AuthorStanding, ListedWord, ModerationSettings, PremoderationRule, QueueEntry, Report
from .permissions import Moderator
from .services import moderate_author, moderate_comment


def _comment_action(action: str, description: str) -> Callable[..., None]:
    @admin.action(description=description)
    def act(model_admin: admin.ModelAdmin, request: SignedInRequest, queryset: QuerySet[Comment]) -> None:
        done, failed = 0, []
        for comment in queryset.select_related("thread__site", "author"):
            moderator = Moderator.of_user(request.user, comment.thread.site)
            try:
                moderate_comment(comment=comment, moderator=moderator, action=action, reason="via the admin")
            except ServiceError as error:
                failed.append(f"{comment.pk}: {error.message}")
            else:
                done += 1
        if done:
            model_admin.message_user(request, f"{done} comment(s): {description.lower()} done.")
        if failed:
            model_admin.message_user(request, "Not done: " + "; ".join(failed), level=messages.ERROR)

    act.__name__ = f"moderate_{action}"
    return act


def _author_of_comment_action(action: str, description: str) -> Callable[..., None]:
    @admin.action(description=description)
    def act(model_admin: admin.ModelAdmin, request: SignedInRequest, queryset: QuerySet[Comment]) -> None:
        done: set[tuple[int, int | None, str]] = set()
        for comment in queryset.select_related("thread__site", "author"):
            who = (comment.thread.site_id, comment.author_id, "" if comment.author_id else comment.guest_key)
            if who in done:
                continue
            done.add(who)
            try:
                moderate_author(
                    site=comment.thread.site,
                    moderator=Moderator.of_user(request.user, comment.thread.site),
                    action=action,
                    user=comment.author,
                    guest_key=who[2],
                    reason="via the admin",
                )
            except ServiceError as error:
                model_admin.message_user(request, f"{comment.author_name}: {error.message}", level=messages.ERROR)
        model_admin.message_user(request, f"{description}: {len(done)} author(s).")

    act.__name__ = f"authors_{action}"
    return act


class ModeratedCommentAdmin(CommentAdmin):
    """The comments admin, with moderation's decisions as actions (on the comments floor it has only
    feature and unfeature, which know nothing of queues and the audit log)."""

    list_filter = ("status", "is_spoiler", "is_featured", "thread__site")
    actions = [
        _comment_action("approve", "Approve (publish)"),
        _comment_action("reject", "Reject"),
        _comment_action("remove", "Remove (moderator)"),
        _comment_action("restore", "Restore"),
        _comment_action("feature", "Feature"),
        _comment_action("unfeature", "Stop featuring"),
        _comment_action("mark_spoiler", "Mark as a spoiler"),
        _comment_action("unmark_spoiler", "Unmark as a spoiler"),
        _author_of_comment_action("ban", "Ban their authors from the site"),
        _author_of_comment_action("shadow_ban", "Shadow-ban their authors"),
        _author_of_comment_action("premoderate", "Always pre-moderate their authors"),
        _author_of_comment_action("trust", "Trust their authors"),
    ]


admin.site.unregister(Comment)
admin.site.register(Comment, ModeratedCommentAdmin)


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    list_display = ("site", "reports_to_queue", "toxicity_action", "spam_action", "spoiler_action", "digest_emails")


@admin.register(PremoderationRule)
class PremoderationRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "site", "scope", "approved_comments_needed", "created_at")
    list_filter = ("site", "scope")
    raw_id_fields = ("story", "film", "user")


@admin.register(ListedWord)
class ListedWordAdmin(admin.ModelAdmin):
    list_display = ("word", "kind", "site")
    list_filter = ("site", "kind")
    search_fields = ("word",)


def _author_action(action: str, description: str) -> Callable[..., None]:
    @admin.action(description=description)
    def act(model_admin: admin.ModelAdmin, request: SignedInRequest, queryset: QuerySet[AuthorStanding]) -> None:
        for standing in queryset.select_related("site", "user"):
            try:
                moderate_author(
                    site=standing.site,
                    moderator=Moderator.of_user(request.user, standing.site),
                    action=action,
                    user=standing.user,
                    guest_key=standing.guest_key,
                    reason="via the admin",
                )
            except ServiceError as error:
                model_admin.message_user(request, error.message, level=messages.ERROR)

    act.__name__ = f"author_{action}"
    return act


@admin.register(AuthorStanding)
class AuthorStandingAdmin(admin.ModelAdmin):
    """Standings change only through the actions, so that every change is in the audit log."""

    list_display = (
        "__str__",
        "site",
        "is_banned",
        "suspended_until",
        "is_shadow_banned",
        "always_premoderate",
        "is_trusted",
    )
    list_filter = ("site", "is_banned", "is_shadow_banned", "always_premoderate", "is_trusted")
    actions = [
        _author_action("unban", "Lift the ban"),
        _author_action("unsuspend", "End the suspension"),
        _author_action("unshadow_ban", "Lift the shadow ban"),
        _author_action("unpremoderate", "Stop pre-moderating"),
        _author_action("trust", "Trust"),
        _author_action("untrust", "Stop trusting"),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # ban or suspend from /moderate/authors/<id>/ or the API, which log it

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("comment", "reason", "text", "reporter", "created_at")
    list_filter = ("reason",)


@admin.register(QueueEntry)
class QueueEntryAdmin(ReadOnlyAdmin):
    list_display = ("comment", "site", "status", "is_reported", "report_count", "is_moderated", "created_at")
    list_filter = ("site", "status", "is_reported", "is_moderated")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Append-only: nothing here can change or delete an entry."""

    list_display = (
        "created_at",
        "site",
        "actor_label",
        "action",
        "comment_id",
        "status_before",
        "status_after",
        "reason",
    )
    list_filter = ("site", "action")
    search_fields = ("actor_label", "reason")
