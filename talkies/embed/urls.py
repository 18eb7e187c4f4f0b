from django.urls import path

from . import scripts, views

urlpatterns = [
    path("login/", views.login_popup, name="embed-login"),
    # The panel's languages other than English, fetched by embed.js on pages in that language.
    path("i18n/<str:lang>.json", scripts.panel_language, name="embed-language"),
]
