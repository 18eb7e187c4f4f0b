from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "talkies.moderation"
    label = "moderation"
    verbose_name = "Moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from talkies.comments.events import thread_changed
        from talkies.comments.screening import register_screener

        from .config_snapshot import connect_config_signals
        from .screener import screen_new_comment
        from .sync import follow_thread_event

        register_screener("talkies.moderation", screen_new_comment)
        thread_changed.connect(follow_thread_event, dispatch_uid="talkies.moderation.sync")
        connect_config_signals()
