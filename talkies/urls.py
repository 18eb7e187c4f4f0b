from django.contrib import admin
from django.urls import include, path

from talkies.api import api, bad_request
from talkies.embed.scripts import publisher_script

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("talkies.accounts.urls")),
    path("live/", include("talkies.live.urls")),
    path("embed/", include("talkies.embed.urls")),
    path("embed.js", publisher_script, {"name": "embed.js"}, name="embed-script"),
    path("count.js", publisher_script, {"name": "count.js"}, name="count-script"),
    path("", include("talkies.web.urls")),
]

# JSON under /api/v1/ for what Django refuses before a view runs (talkies/api.py); its own page elsewhere.
handler400 = bad_request
