from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "talkies.tasks"
    label = "tasks"
    verbose_name = "Background work"
    default_auto_field = "django.db.models.BigAutoField"
