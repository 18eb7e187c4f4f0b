"""The other reads a page load makes, answered from stored responses: HTML pages, feeds, the embed's lookups.

The thread API's pages have their own, finer key (keys.PageKey, by Thread.version). Everything else an
anonymous reader's page load asks for is listed in STORED_ROUTES, and keyed by `RouteKey`: the site's
generation (models.SiteGeneration, bumped by dependencies.py whenever anything public on the site may have
changed) and everything about the request that Django's answer can depend on for a reader who is nobody in
particular (path, query string, host and scheme as Django sees them, the view-choosing cookies, the day).

A route belongs here only if its answer to a request without personal cookies or credentials is a function
of exactly those. Time moves what some pages show without any write (a story's publication time, a
thread's closing time, a film's release): the day is in the key, and a stored response lives at most
store.PAGE_MAX_AGE_SECONDS, so such a change shows within a minute.
"""

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, connection
from django.dispatch import receiver
from django.http.cookie import parse_cookie
from django.utils import timezone

from talkies.accounts.models import Site
from talkies.accounts.selectors import site_for_host, site_for_slug
from talkies.lib.cookies import JS_COOKIE, SORT_COOKIE, personal_cookies
from talkies.lib.guests import carries_credential_headers

from .generations import site_generation
from .store import PAGE_FORMAT

SLUG = r"[-a-zA-Z0-9_]+"
# The first value of a request header by its lower-case name (fast_path.header, bound to one request).
HeaderLookup = Callable[[bytes], bytes | None]


@dataclass(frozen=True)
class StoredRoute:
    name: str
    path: re.Pattern[str]
    # Embed API routes take ?site= (embed.middleware.SiteParameterMiddleware) and are read cross-origin.
    api: bool = False
    # A GET that may write: the embed's thread lookup opens a page's thread on first use (201). Its
    # cross-origin misses go to Django as they are, so the write happens for the request that asked.
    may_write: bool = False


STORED_ROUTES = [
    StoredRoute("home", re.compile(r"/")),
    StoredRoute("story", re.compile(rf"/stories/{SLUG}/")),
    StoredRoute("comment-permalink", re.compile(rf"/stories/{SLUG}/comments/[1-9][0-9]{{0,17}}/")),
    StoredRoute("film", re.compile(rf"/films/{SLUG}/")),
    StoredRoute("franchise", re.compile(rf"/franchises/{SLUG}/")),
    StoredRoute("person", re.compile(rf"/people/{SLUG}/")),
    StoredRoute("character", re.compile(rf"/characters/{SLUG}/")),
    StoredRoute("feed", re.compile(rf"/feeds/(threads/[1-9][0-9]{{0,17}}|stories/{SLUG}|comments|stories)\.atom")),
    StoredRoute("embed-thread", re.compile(r"/api/v1/embed/threads"), api=True, may_write=True),
    StoredRoute("embed-counts", re.compile(r"/api/v1/embed/counts"), api=True),
    StoredRoute("counts", re.compile(r"/api/v1/counts"), api=True),
    StoredRoute("film-scores", re.compile(rf"/api/v1/films/{SLUG}/scores"), api=True),
    StoredRoute("story-thread", re.compile(rf"/api/v1/stories/{SLUG}/thread"), api=True),
]

WRITING_ROUTES = frozenset(route.name for route in STORED_ROUTES if route.may_write)
# Cookies that choose a view of a shared page rather than a reader: part of the key.
VIEW_COOKIES = (SORT_COOKIE,)
MAX_QUERY_BYTES = 2048  # a longer query string is not a page anyone links to: let Django answer it
# Routes with a shell for signed-in readers whose browser runs site.js (talkies.web.reader_shell).
SHELL_ROUTES = frozenset({"story"})


@dataclass(frozen=True)
class RouteKey:
    """Everything an anonymous response of a stored route depends on."""

    site_id: int
    generation: int
    route: str
    host: str
    scheme: str
    path: str
    query: str
    view_cookies: tuple[str, ...]
    day: str
    # The page every signed-in reader gets, made theirs by site.js, rather than the anonymous page.
    reader_shell: bool = False

    @property
    def group(self) -> tuple[str, int]:
        return ("site", self.site_id)

    @property
    def may_write(self) -> bool:
        return self.route in WRITING_ROUTES

    @property
    def version(self) -> int:
        return self.generation

    def shared_key(self) -> str:
        # The host, path and query are client input of any length, so the key is a digest.
        digest = hashlib.blake2b(repr(self).encode(), digest_size=12).hexdigest()
        return f"route-page:{PAGE_FORMAT}:{self.site_id}:{digest}"


@dataclass(frozen=True)
class RouteRequest:
    route: StoredRoute
    host_header: str
    scheme: str
    path: str
    query: str
    site_slug: str | None
    view_cookies: tuple[str, ...]
    reader_shell: bool = False


def route_request(scope: dict, header: HeaderLookup) -> RouteRequest | None:
    """The stored route a request asks for, or None for anything Django must answer itself."""
    if scope["type"] != "http" or scope["method"] != "GET" or scope.get("root_path"):
        return None
    # A session cookie is looked at below, with the other cookies: it may ask for a signed-in reader's shell.
    if carries_credential_headers(scope["headers"]):
        return None
    raw_query = scope.get("query_string", b"")
    if len(raw_query) > MAX_QUERY_BYTES:
        return None
    # Every Cookie header, joined as Django joins them (HTTP/2 clients may send several).
    cookie = b"; ".join(value for name, value in scope["headers"] if name == b"cookie") or None
    proxy = _proxy_ssl_header()
    parts = (
        scope["path"],
        raw_query,
        header(b"host"),
        scope.get("scheme", "http"),
        header(proxy[0]) if proxy is not None else None,
        cookie,
        header(b"origin") is not None,
    )
    # The answer is a pure function of these parts (and settings), remembered for the common case: no
    # cookie, and a path and host of ordinary length, so that no client can fill the memory with its own.
    if cookie is None and len(parts[0]) <= MAX_REMEMBERED_PATH and len(parts[2] or b"") <= MAX_REMEMBERED_HOST:
        return _remembered_route_request(*parts)
    return _route_request(*parts)


MAX_REMEMBERED_PATH = 512
MAX_REMEMBERED_HOST = 255


def _route_request(
    path: str,
    raw_query: bytes,
    host: bytes | None,
    scheme: str,
    forwarded_proto: bytes | None,
    cookie: bytes | None,
    has_origin: bool,
) -> RouteRequest | None:
    route = stored_route(path) if len(path) <= MAX_REMEMBERED_PATH else _stored_route(path)
    if route is None:
        return None
    if not route.api and has_origin:
        return None  # a page asked for by a script on another origin: Django decides (CORS does not apply)
    cookies = request_cookies(cookie)
    personal = cookies.keys() & personal_cookies()
    # A session, and nothing else personal, on a browser that runs site.js: the signed-in reader's shell.
    reader_shell = personal == {settings.SESSION_COOKIE_NAME} and JS_COOKIE in cookies and route.name in SHELL_ROUTES
    if personal and not reader_shell:
        return None
    try:
        query = raw_query.decode("ascii")
    except UnicodeDecodeError:
        return None
    site_slug = None
    if route.api:
        single, site_slug = site_parameter(query)
        if not single:
            return None
    if host is None:
        return None
    return RouteRequest(
        route=route,
        host_header=host.decode("latin-1"),
        scheme=_scheme(scheme, forwarded_proto),
        path=path,
        query=query,
        site_slug=site_slug,
        view_cookies=tuple(cookies.get(name, "") for name in VIEW_COOKIES),
        reader_shell=reader_shell,
    )


_remembered_route_request = functools.lru_cache(maxsize=4096)(_route_request)


@receiver(setting_changed)
def forget_route_requests(**_kwargs: Any) -> None:
    """What a request asks for depends on settings (the session cookie's name, the proxy's HTTPS header)."""
    _remembered_route_request.cache_clear()
    _proxy_ssl_header.cache_clear()


# A stored route is read thousands of times a second with the same few paths and query strings, so what
# is parsed from them (pure functions of the text) is remembered; bounded, so invented URLs cannot grow it.
def _stored_route(path: str) -> StoredRoute | None:
    return next((route for route in STORED_ROUTES if route.path.fullmatch(path)), None)


stored_route = functools.lru_cache(maxsize=4096)(_stored_route)


@functools.lru_cache(maxsize=4096)
def site_parameter(query: str) -> tuple[bool, str | None]:
    """Whether an API route's query string names at most one site (two are Django's to judge), and the
    one it names: None for none, or an empty one, for which SiteParameterMiddleware reads the host's site."""
    sites = [value for name, value in parse_qsl(query, keep_blank_values=True) if name == "site"]
    return len(sites) <= 1, (sites[0] or None) if sites else None


def route_lookup(host: str, request: RouteRequest) -> tuple[RouteKey, Site] | None:
    """The key of the stored response `request` gets, and its site; None to let Django answer.

    Blocking: one primary-key query for the site's generation (the site itself is cached).
    """
    site = site_for_slug(request.site_slug) if request.site_slug else site_for_host(host)
    if site is None:
        return None
    try:
        generation = site_generation(site.pk)
    except DatabaseError:
        connection.close()
        return None
    key = RouteKey(
        site_id=site.pk,
        generation=generation,
        route=request.route.name,
        host=request.host_header,
        scheme=request.scheme,
        path=request.path,
        query=request.query,
        view_cookies=request.view_cookies,
        day=timezone.localdate().isoformat(),
        reader_shell=request.reader_shell,
    )
    return key, site


def request_scheme(scope: dict, header: HeaderLookup) -> str:
    """The scheme as Django's request.is_secure() sees it: pages build absolute URLs with it."""
    proxy = _proxy_ssl_header()
    return _scheme(scope.get("scheme", "http"), header(proxy[0]) if proxy is not None else None)


def _scheme(scheme: str, forwarded_proto: bytes | None) -> str:
    """The scheme, given the value of the proxy's HTTPS header if SECURE_PROXY_SSL_HEADER names one."""
    proxy = _proxy_ssl_header()
    if proxy is not None and forwarded_proto is not None:
        return "https" if forwarded_proto.decode("latin-1").split(",")[0].strip() == proxy[1] else "http"
    return scheme


@functools.lru_cache(maxsize=1)
def _proxy_ssl_header() -> tuple[bytes, str] | None:
    """SECURE_PROXY_SSL_HEADER as an ASGI header name and the value that means HTTPS (None: not set)."""
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    if not proxy_header:
        return None
    name, secure_value = proxy_header
    return name.removeprefix("HTTP_").lower().replace("_", "-").encode(), secure_value


def request_cookies(raw: bytes | None) -> dict[str, str]:
    """The request's cookies as Django parses them (request.COOKIES)."""
    return parse_cookie(raw.decode("latin-1")) if raw is not None else {}
