from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "talkies.comments"
    label = "comments"
