from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "talkies.ratings"
    label = "ratings"
