from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "talkies.catalogue"
    label = "catalogue"
