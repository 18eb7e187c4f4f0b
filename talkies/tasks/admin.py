from django.contrib import admin

from .models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """What the worker did and is about to do; a failed task's error is in last_error."""

    list_display = ["id", "name", "status", "attempts", "run_after", "claimed_by", "finished_at"]
    list_filter = ["status", "name"]
    readonly_fields = [f.name for f in Task._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
