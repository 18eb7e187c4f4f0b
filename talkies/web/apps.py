from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "talkies.web"
    label = "web"
