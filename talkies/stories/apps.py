from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "talkies.stories"
    label = "stories"
