from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "talkies.accounts"
    label = "accounts"
    verbose_name = "Accounts and sites"
