"""The publisher-facing script URLs, /embed.js and /count.js.

Publishers paste a short, stable URL once and never change it, so these are served under fixed names with a
short cache lifetime (a new release reaches every page within minutes) and an ETag, rather than the
content-hashed, cache-forever names collectstatic gives the same files under /static/embed/.

Both are served gzipped to every browser that accepts it (all do): the file is compressed once per content,
on first request, and kept in memory. Each encoding has its own ETag, as two different bodies must, and
every answer says `Vary: Accept-Encoding` so shared caches keep them apart. Brotli would save a little more
but needs a compiled dependency; the built files are small enough that gzip is the whole of the win
(docs/embed-development.md has the sizes).
"""

import gzip
import hashlib
import threading

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.views.decorators.http import require_GET

SCRIPTS = {"embed.js", "count.js"}
MAX_AGE_SECONDS = 300
GZIP_LEVEL = 9

# Gzipped bodies by the digest of the plain one: a rebuilt file gets a new entry, never a stale one.
_gzipped: dict[str, bytes] = {}
_gzipped_lock = threading.Lock()
_GZIPPED_KEPT = 8  # two scripts, with room for the versions a development server sees rebuilt


def _read(name: str) -> bytes:
    found = finders.find(f"embed/{name}")  # development and tests: straight from the app folder
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open(f"embed/{name}") as handle:  # production: the collected copy
        return handle.read()


def _gzip(digest: str, body: bytes) -> bytes:
    with _gzipped_lock:
        found = _gzipped.get(digest)
        if found is None:
            if len(_gzipped) >= _GZIPPED_KEPT:
                _gzipped.clear()
            # mtime=0: the same file always compresses to the same bytes, in every process.
            found = _gzipped[digest] = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        return found


def accepts_encoding(accept_encoding: str, coding: str) -> bool:
    """Whether an Accept-Encoding header allows `coding`: named with q > 0, or else allowed by `*`."""
    named: float | None = None
    anything: float | None = None
    for part in accept_encoding.split(","):
        token, *params = part.split(";")
        token = token.strip().lower()
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
        if token in {coding, "x-" + coding}:
            named = quality if named is None else max(named, quality)
        elif token == "*":
            anything = quality
    if named is not None:
        return named > 0
    return anything is not None and anything > 0


def _matches(if_none_match: str, etag: str) -> bool:
    # Weak comparison, as RFC 9110 asks for If-None-Match: W/"x" matches "x".
    wanted = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
    return "*" in wanted or etag in wanted


@require_GET
def publisher_script(request: HttpRequest, name: str) -> HttpResponse:
    if name not in SCRIPTS:
        raise Http404(name)
    body = _read(name)
    digest = hashlib.sha256(body).hexdigest()[:32]
    encoding = "gzip" if accepts_encoding(request.headers.get("Accept-Encoding", ""), "gzip") else None
    if encoding:
        body = _gzip(digest, body)
        etag = f'"{digest}-gzip"'
    else:
        etag = f'"{digest}"'
    if _matches(request.headers.get("If-None-Match", ""), etag):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
        if encoding:
            response["Content-Encoding"] = encoding
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    patch_vary_headers(response, ["Accept-Encoding"])
    # Any page may load the script itself; what it can then do is limited by the API's per-site CORS.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
