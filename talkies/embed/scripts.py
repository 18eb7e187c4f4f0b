"""The publisher-facing files: /embed.js, /count.js and the panel's languages, /embed/i18n/<lang>.json.

Publishers paste a short, stable URL once and never change it, so these are served under fixed names with a
short cache lifetime (a new release reaches every page within minutes) and an ETag, rather than the
content-hashed, cache-forever names collectstatic gives the same files under /static/embed/. embed.js
fetches a language file only on a page in that language (talkies/embed/js/src/i18n/index.js).

Each file is served Brotli-compressed to browsers that accept it (all current ones do over HTTPS), else
gzipped, else as it is: compressed once per content, on first request, and kept in memory. Each encoding
has its own ETag, as two different bodies must, and every answer says `Vary: Accept-Encoding` so shared
caches keep them apart (docs/embed-development.md has the sizes).
"""

import gzip
import hashlib
import re
import threading
from collections.abc import Callable

import brotli
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.views.decorators.http import require_GET

SCRIPTS = {"embed.js", "count.js"}
# A panel language: two lowercase letters, so a request can never name another file.
LANGUAGE_CODE = re.compile(r"[a-z]{2}")
MAX_AGE_SECONDS = 300
GZIP_LEVEL = 9
BROTLI_QUALITY = 11  # the slowest and smallest: each body is compressed once per process

# How each encoding compresses a body; the first the request accepts wins.
COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda body: brotli.compress(body, quality=BROTLI_QUALITY),
    # mtime=0: the same file always compresses to the same bytes, in every process.
    "gzip": lambda body: gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0),
}

# Compressed bodies by encoding and the digest of the plain one: a rebuilt file gets a new entry, never a
# stale one.
_compressed: dict[tuple[str, str], bytes] = {}
_compressed_lock = threading.Lock()
_COMPRESSED_KEPT = 32  # a few files in two encodings, with room for the versions a development server rebuilds


def _read(name: str) -> bytes:
    found = finders.find(f"embed/{name}")  # development and tests: straight from the app folder
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open(f"embed/{name}") as handle:  # production: the collected copy
        return handle.read()


def _compress(encoding: str, digest: str, body: bytes) -> bytes:
    with _compressed_lock:
        found = _compressed.get((encoding, digest))
        if found is None:
            if len(_compressed) >= _COMPRESSED_KEPT:
                _compressed.clear()
            found = _compressed[(encoding, digest)] = COMPRESSORS[encoding](body)
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


def _serve(request: HttpRequest, path: str, content_type: str) -> HttpResponse:
    """The file at static/embed/`path`, in the best encoding the request accepts, with its own ETag."""
    try:
        body = _read(path)
    except FileNotFoundError as e:
        raise Http404(path) from e
    digest = hashlib.sha256(body).hexdigest()[:32]
    accept = request.headers.get("Accept-Encoding", "")
    encoding = next((name for name in COMPRESSORS if accepts_encoding(accept, name)), None)
    if encoding:
        body = _compress(encoding, digest, body)
        etag = f'"{digest}-{encoding}"'
    else:
        etag = f'"{digest}"'
    if _matches(request.headers.get("If-None-Match", ""), etag):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
        if encoding:
            response["Content-Encoding"] = encoding
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    patch_vary_headers(response, ["Accept-Encoding"])
    # Any page may load these; what a script can then do is limited by the API's per-site CORS.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_GET
def publisher_script(request: HttpRequest, name: str) -> HttpResponse:
    if name not in SCRIPTS:
        raise Http404(name)
    return _serve(request, name, "text/javascript; charset=utf-8")


@require_GET
def panel_language(request: HttpRequest, lang: str) -> HttpResponse:
    """The panel's strings in `lang` (English is built into embed.js and has no file)."""
    if not LANGUAGE_CODE.fullmatch(lang):
        raise Http404(lang)
    return _serve(request, f"i18n/{lang}.json", "application/json")
