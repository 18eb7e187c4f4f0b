from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "talkies.comments"
    label = "comments"

    def ready(self) -> None:
        from . import page_dependencies

        page_dependencies.connect()
        from . import notifications  # noqa: F401  (connects the reply-email receiver)
