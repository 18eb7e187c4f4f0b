from django.apps import AppConfig


class EmbedConfig(AppConfig):
    name = "talkies.embed"
    label = "embed"
    verbose_name = "Embedding, API keys and webhooks"

    def ready(self) -> None:
        from . import policy, webhooks

        policy.connect_receivers()
        webhooks.connect_receivers()
