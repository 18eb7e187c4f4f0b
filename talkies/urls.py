from django.contrib import admin
from django.urls import include, path

from talkies.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("talkies.accounts.urls")),
    path("live/", include("talkies.live.urls")),
    path("embed/", include("talkies.embed.urls")),
    path("", include("talkies.web.urls")),
]
