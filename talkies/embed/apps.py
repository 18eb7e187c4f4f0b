from django.apps import AppConfig


class EmbedConfig(AppConfig):
    name = "talkies.embed"
    label = "embed"
    verbose_name = "Embedding, API keys and webhooks"

    def ready(self) -> None:
        from . import webhooks

        webhooks.connect_receivers()
