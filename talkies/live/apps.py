from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "talkies.live"
    label = "live"
    verbose_name = "Live updates"

    def ready(self) -> None:
        from talkies.comments.events import thread_changed
        from talkies.moderation.events import moderation_changed

        from .publisher import record_moderation_event, record_thread_event

        # dispatch_uid: ready() can run twice (tests, autoreload) and an event must be recorded once. In the
        # transaction: the event's row commits, or rolls back, with the write it describes (publisher.py).
        thread_changed.connect_in_transaction(record_thread_event, dispatch_uid="talkies.live.record_thread_event")
        moderation_changed.connect_in_transaction(
            record_moderation_event, dispatch_uid="talkies.live.record_moderation_event"
        )
