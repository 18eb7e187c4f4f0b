from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "talkies.accounts"
    label = "accounts"
    verbose_name = "Accounts and sites"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
