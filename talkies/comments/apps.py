from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "talkies.comments"
    label = "comments"

    def ready(self) -> None:
        from .events import thread_changed
        from .notifications import notify_on_new_comment

        # dispatch_uid: ready() can run twice (tests, autoreload) and an email must be sent once. In the
        # transaction: the emails are queued with the comment that causes them (talkies.tasks).
        thread_changed.connect_in_transaction(notify_on_new_comment, dispatch_uid="talkies.comments.notifications")
