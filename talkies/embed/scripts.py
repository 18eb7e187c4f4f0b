"""The publisher-facing script URLs, /embed.js and /count.js.

Publishers paste a short, stable URL once and never change it, so these are served under fixed names with a
short cache lifetime (a new release reaches every page within minutes) and an ETag, rather than the
content-hashed, cache-forever names collectstatic gives the same files under /static/embed/.
"""

import hashlib

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_GET

SCRIPTS = {"embed.js", "count.js"}
MAX_AGE_SECONDS = 300


def _read(name: str) -> bytes:
    found = finders.find(f"embed/{name}")  # development and tests: straight from the app folder
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open(f"embed/{name}") as handle:  # production: the collected copy
        return handle.read()


@require_GET
def publisher_script(request: HttpRequest, name: str) -> HttpResponse:
    if name not in SCRIPTS:
        raise Http404(name)
    body = _read(name)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    # Any page may load the script itself; what it can then do is limited by the API's per-site CORS.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
