from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "talkies.demo"
    label = "demo"
    verbose_name = "Demo publication"
