"""An ASGI wrapper that answers anonymous reads from pre-serialised pages: GET /api/v1/threads/{id}/comments
(keyed by the thread's version, keys.py) and the other reads of a page load, HTML pages, feeds and the
embed's lookups (keyed by the site's generation, routes.py).

Django spends milliseconds on a request before and after the view: a fresh thread and database connection
per request under ASGI, nine middlewares, URL resolution, Ninja's validation, pydantic and JSON encoding.
For a page that has not changed since it was last sent, none of that is needed; this wrapper does
instead, per request:

1. match the path and the query string (anything unusual goes to Django untouched);
2. check the Host header as Django does (ALLOWED_HOSTS) and find the site as CurrentSiteMiddleware does;
3. look up the thread's version (keys.page_lookup) or the site's generation (routes.route_lookup) with one
   indexed query, on a persistent connection in a thread of its own, which makes the key of the page this
   request gets; on SQLite, a lookup is remembered until the next commit (lookup_memo.py), so a page that
   has not changed costs no query and no trip to that thread;
4. send the stored page: gzip-compressed when the client accepts it, or 304 when If-None-Match names it.

On a miss, the request goes through Django, and the response Django sends is captured, stored under the
key and sent. Storing what Django actually sent is what keeps the bytes and the headers (security headers,
content type, anything a middleware adds later) identical to the uncached endpoint. A response that is
not a plain 200 for everyone (an error, a Set-Cookie, a Vary) is passed on and not stored.

Concurrent misses on the same key wait for the first one's rendering rather than each rendering the page:
after a write, 32 readers asking at once cost one render, not 32.

Site scoping is the same as Django's because the version query carries the endpoint's visibility rule; a
thread that is not visible on the request's site gets no key, so Django answers (404).
"""

import asyncio
import functools
import logging
import re
from collections.abc import Awaitable, Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http.request import split_domain_port, validate_host

from talkies.accounts.models import Site
from talkies.lib.cookies import READER_SHELL_HEADER
from talkies.lib.guests import carries_credentials

from .cache_headers import CREDENTIAL_VARY, PRIVATE_CACHE_CONTROL, PUBLIC_CACHE_CONTROL
from .keys import PageRequest, page_lookup, parse_page_request
from .lookup_memo import CommitCounter, LookupMemo
from .routes import route_lookup, route_request
from .store import CachedPage, Headers, PageKey, PageStore, StoreKey
from .warming import FirstPageWarmer

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
# Loose on purpose: Django's ASGIHandler types its messages as Mappings, servers pass dicts.
ASGIApp = Callable[..., Awaitable[None]]
T = TypeVar("T")
RunBlocking = Callable[..., Awaitable[Any]]
Found = tuple[StoreKey, Site] | None
# What identifies a lookup (for LookupMemo), and the blocking call that makes it.
Lookup = tuple[Hashable, Callable[[], Found]]

PAGE_PATH = re.compile(r"/api/v1/threads/([1-9][0-9]{0,17})/comments")
# What Django's own host check (HttpRequest.get_host) allows when DEBUG is on and ALLOWED_HOSTS is empty.
DEBUG_ALLOWED_HOSTS = [".localhost", "127.0.0.1", "[::1]"]


class DedicatedThread:
    """Runs blocking calls on one thread that lives as long as the process.

    Django's connections are per thread (per context), and under ASGI Django runs each request's sync
    code on a thread made for that request, so its connections cannot persist (CONN_MAX_AGE must stay 0).
    This thread's connection is opened once and reused by every lookup: a version check costs a query,
    not a connect. Plain run_in_executor, not asyncio.to_thread, so the calls share the thread's context
    (and with it the connection) rather than each getting a copy of the caller's.
    """

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="thread-page-lookup")

    async def __call__(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)


# The headers a page sent to a request with an Origin header gets on top of the stored page, for the site
# the page is read from and the path (talkies.embed.cors.origin_headers: CORS for an allowed origin; the
# fast path adds Vary: Origin), or None for a path that is not read cross-origin, which Django answers.
OriginHeaders = Callable[[Site, str, str], Headers | None]


def empty_request_body() -> Receive:
    """A `receive` for a request made by the fast path itself: an empty body, then (as from a client that
    stays connected) nothing, until Django stops listening."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.get_running_loop().create_future()  # never set: Django cancels it when done
        raise AssertionError("unreachable")

    return receive


def without_origin(scope: Scope) -> Scope:
    return {**scope, "headers": [(name, value) for name, value in scope["headers"] if name != b"origin"]}


class ThreadPageFastPath:
    def __init__(
        self,
        app: ASGIApp,
        *,
        store: PageStore,
        run_blocking: RunBlocking | None = None,
        origin_headers: OriginHeaders | None = None,
        warm_after_writes: bool = False,
        commit_counter: CommitCounter | None = None,
    ) -> None:
        self.app = app
        self.store = store
        # Lookups are remembered between commits where the database can say when there was one.
        self.lookups = LookupMemo(commit_counter)
        # Without it, a request with an Origin header goes to Django, as before the embed's reads were served.
        self.origin_headers = origin_headers
        self.run_blocking: RunBlocking = run_blocking or DedicatedThread()
        self._rendering: dict[StoreKey, asyncio.Future[CachedPage | None]] = {}
        # Renders the first pages readers asked for again after a write in this process (warming.py).
        self.warmer: FirstPageWarmer | None = None
        if warm_after_writes:
            self.warmer = FirstPageWarmer(self.warm_one)
            self.warmer.connect()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        lookup = self.lookup_for(scope)
        if lookup is None:
            await self.app(scope, receive, send)
            return
        lookup_id, lookup_call = lookup
        origin = header(scope, b"origin")
        if origin is None:
            found = await self.lookups.get(lookup_id, lookup_call, self.run_blocking)
            extra: Headers | None = []
        else:
            # One trip to the lookup thread for both: each trip costs more than the query it makes.
            assert self.origin_headers is not None  # lookup_for let an Origin through only then
            with_cors = partial(
                lookup_with_cors, lookup_call, self.origin_headers, origin.decode("latin-1"), scope["path"]
            )
            found, extra = await self.lookups.get((lookup_id, origin, scope["path"]), with_cors, self.run_blocking)
        if found is None or extra is None:  # not a stored page, or not one read cross-origin
            await self.app(scope, receive, send)
            return
        key, _site = found
        if self.warmer is not None and isinstance(key, PageKey) and key.cursor is None:
            self.warmer.remember(key.thread_id, scope)
        page = self.store.get_local(key)
        if page is None and self.store.shared is not None:
            page = await self.run_blocking(self.store.get_shared, key)
        if page is None:
            if origin is None:
                page = await self._render(key, scope, receive, send)
            elif getattr(key, "may_write", False):
                # The request may open a thread: Django answers it as it is. If the thread was already
                # there (a 200), the page is a pure read, stored by rendering it for no origin.
                response = CapturedResponse()
                await self.app(scope, receive, response.send)
                await response.replay(send)
                if response.status == 200:
                    await self._render(key, without_origin(scope), empty_request_body(), None)
                return
            else:
                # The stored page is the answer for no origin at all: render that (a request without the
                # Origin header), and decorate it for this one. If it is not a page to store, Django
                # answers the real request, CORS and all.
                page = await self._render(key, without_origin(scope), empty_request_body(), None)
                if page is None:
                    await self.app(scope, receive, send)
                    return
            if page is None:  # Django's response was not a page to store, and has been sent as it was
                return
        await send_page(page, scope, send, extra_headers=extra, vary_origin=origin is not None)

    async def warm_one(self, scope: Scope) -> None:
        """Render and store the page `scope` asks for, unless it is stored already (warming.py)."""
        lookup = self.lookup_for(scope)
        found = await self.run_blocking(lookup[1]) if lookup is not None else None
        if found is not None and self.store.get_local(found[0]) is None:
            await self._render(found[0], scope, empty_request_body(), None)

    def lookup_for(self, scope: Scope) -> Lookup | None:
        """The blocking lookup of the stored page a request gets, or None when only Django may answer it."""
        if scope["type"] != "http":
            return None
        origins = self.origin_headers is not None
        thread_page = page_request(scope, origins=origins)
        if thread_page is not None:
            host = request_host(scope)
            return (("page", host, thread_page), partial(page_lookup, host, thread_page)) if host is not None else None
        route = route_request(scope, partial(header, scope))
        if route is None or (not origins and header(scope, b"origin") is not None):
            return None
        host = request_host(scope)
        return (("route", host, route), partial(route_lookup, host, route)) if host is not None else None

    async def _render(self, key: StoreKey, scope: Scope, receive: Receive, send: Send | None) -> CachedPage | None:
        """Render through Django and store the page, or wait for a render of the same key in progress.

        When the response is not a page to store, it is sent to `send`; with no `send`, it is dropped
        (the caller then asks Django itself).
        """
        in_progress = self._rendering.get(key)
        if in_progress is not None:
            page = await asyncio.shield(in_progress)
            if page is None and send is not None:  # that render gave no page to share: ask Django itself
                await self.app(scope, receive, send)
            return page
        done: asyncio.Future[CachedPage | None] = asyncio.get_running_loop().create_future()
        self._rendering[key] = done
        page = None
        shell = is_reader_shell(key)
        try:
            response = CapturedResponse()
            # A signed-in reader's shell is asked for by name (talkies.web.reader_shell); Django answers a
            # session that names nobody with the page everyone gets, which is then passed on, not stored.
            await self.app(with_reader_shell_header(scope) if shell else scope, receive, response.send)
            if response.is_shareable(reader_shell=shell):
                page = await self.run_blocking(self._store_response, key, response)
            elif send is not None:
                await response.replay(send)
        finally:
            del self._rendering[key]
            done.set_result(page)
        return page

    def _store_response(self, key: StoreKey, response: "CapturedResponse") -> CachedPage:
        # Compressing a large page takes milliseconds, and the shared cache is network I/O: both happen
        # here, off the event loop.
        page = CachedPage.from_response(response.headers, response.body)
        self.store.put(key, page)
        return page


READER_SHELL_NAME = READER_SHELL_HEADER.lower().encode()


def is_reader_shell(key: StoreKey) -> bool:
    return bool(getattr(key, "reader_shell", False))


def with_reader_shell_header(scope: Scope) -> Scope:
    headers = [(name, value) for name, value in scope["headers"] if name != READER_SHELL_NAME]
    return {**scope, "headers": [*headers, (READER_SHELL_NAME, b"1")]}


def lookup_with_cors(
    lookup: Callable[[], Found], origin_headers: OriginHeaders, origin: str, path: str
) -> tuple[Found, Headers | None]:
    """The lookup, and the CORS headers of its site for `origin` (None: Django answers). Blocking."""
    found = lookup()
    return found, (origin_headers(found[1], origin, path) if found is not None else None)


def page_request(scope: Scope, *, origins: bool = False) -> PageRequest | None:
    """The page a request asks for, if it is a plain GET of the comments endpoint this wrapper serves.

    Stored pages are the answer for no origin at all. A request with an Origin header (the embed, on a
    publisher's page) is served from them only when `origins` is on: the wrapper then adds what the
    site's CORS policy adds (talkies.embed.cors.origin_headers); otherwise it goes to Django.
    """
    if scope["type"] != "http" or scope["method"] != "GET" or scope.get("root_path"):
        return None
    if carries_credentials(scope["headers"]) or (not origins and header(scope, b"origin") is not None):
        return None
    match = PAGE_PATH.fullmatch(scope["path"])
    if match is None:
        return None
    return parse_page_request(int(match[1]), scope.get("query_string", b""))


def request_host(scope: Scope) -> str | None:
    """The host name CurrentSiteMiddleware would look the site up by, if Django would accept the request.

    None sends the request to Django, which refuses a disallowed host (400) and handles what this does not
    (X-Forwarded-Host, a redirect to HTTPS).
    """
    host = header(scope, b"host")
    return host_name(host) if host else None


# The same few Host headers arrive on every request, and checking one against ALLOWED_HOSTS reads several
# settings: the answer is remembered per header value (bounded: a client inventing hosts cannot grow it),
# and forgotten when a test changes the settings.
@functools.lru_cache(maxsize=1024)
def host_name(host: bytes) -> str | None:
    if settings.USE_X_FORWARDED_HOST or settings.SECURE_SSL_REDIRECT:
        return None
    domain, _port = split_domain_port(host.decode("latin-1"))
    allowed = settings.ALLOWED_HOSTS or (DEBUG_ALLOWED_HOSTS if settings.DEBUG else [])
    if not domain or not validate_host(domain, allowed):
        return None
    # Exactly the expression CurrentSiteMiddleware applies to request.get_host().
    return host.decode("latin-1").split(":")[0]


@receiver(setting_changed)
def forget_host_names(**_kwargs: Any) -> None:
    host_name.cache_clear()


async def send_page(
    page: CachedPage, scope: Scope, send: Send, *, extra_headers: Headers | tuple[()] = (), vary_origin: bool = False
) -> None:
    """Send a stored page (or 304). For a request with an Origin header, `vary_origin` says so in Vary, as
    EmbedCorsMiddleware does for every such request, and `extra_headers` are its CORS headers, if any."""
    compressed = page.gzip_body is not None and accepts_gzip(header(scope, b"accept-encoding"))
    if_none_match = header(scope, b"if-none-match")
    if if_none_match is not None and page.matches(if_none_match):
        headers = [*_with_vary(page.not_modified_headers(compressed=compressed), vary_origin), *extra_headers]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    body = page.gzip_body if compressed and page.gzip_body is not None else page.body
    headers = page.response_headers(compressed=compressed)
    if vary_origin or extra_headers:
        headers = [*_with_vary(headers, vary_origin), *extra_headers]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _with_vary(headers: Headers, vary_origin: bool) -> Headers:
    if not vary_origin:
        return headers
    return [(name, value + b", Origin" if name == b"vary" else value) for name, value in headers]


SHAREABLE_VARY = frozenset(name.lower().encode() for name in CREDENTIAL_VARY)


def vary_names(value: bytes) -> set[bytes]:
    return {part.strip().lower() for part in value.split(b",")}


def header(scope: Scope, name: bytes) -> bytes | None:
    """The first value of a request header (ASGI servers give names in lower case)."""
    for key, value in scope["headers"]:
        if key == name:
            return value
    return None


@functools.lru_cache(maxsize=256)  # browsers send a handful of spellings; pure, so remembered
def accepts_gzip(accept_encoding: bytes | None) -> bool:
    """Whether Accept-Encoding lists gzip with a non-zero quality ("gzip;q=0" refuses it)."""
    for item in (accept_encoding or b"").split(b","):
        coding, _, parameters = item.partition(b";")
        if coding.strip().lower() != b"gzip":
            continue
        name, _, quality = parameters.partition(b"=")
        if name.strip().lower() != b"q":
            return True
        try:
            return float(quality) > 0
        except ValueError:
            return False
    return False


class CapturedResponse:
    """Django's response to one request, held back so it can be stored before it is sent."""

    def __init__(self) -> None:
        self.status: int | None = None
        self.headers: Headers = []
        self.chunks: list[bytes] = []
        self.complete = False
        self.messages: list[Message] = []

    async def send(self, message: Message) -> None:
        self.messages.append(message)
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = [(bytes(name).lower(), bytes(value)) for name, value in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))
            self.complete = not message.get("more_body", False)

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    def is_shareable(self, *, reader_shell: bool = False) -> bool:
        """A complete 200 that says nothing about, or to, the one client it answered.

        `Vary` may name the credentials (cache_headers.CREDENTIAL_VARY): Django says Cookie of every page
        that looked at the session, and the fast path only ever sends a stored page to requests without
        credentials or personal cookies (routes.route_request, page_request), or, for a signed-in reader's
        shell (`reader_shell`), with a session and nothing else personal.
        The only Cache-Control allowed is the one cache_headers gives a shareable page; a shell, which is
        sent only to signed-in readers, says `private` (no shared cache may give it to anyone else), and
        must say it is a shell.
        """
        if not (self.status == 200 and self.complete):
            return False
        cache_control = (PRIVATE_CACHE_CONTROL if reader_shell else PUBLIC_CACHE_CONTROL).encode()
        marked_shell = False
        for name, value in self.headers:
            if name == b"set-cookie":
                return False
            if name == b"vary" and not vary_names(value) <= SHAREABLE_VARY:
                return False
            if name == b"cache-control" and value != cache_control:
                return False
            if name == READER_SHELL_NAME:
                marked_shell = value == b"1"
        return marked_shell == reader_shell

    async def replay(self, send: Send) -> None:
        for message in self.messages:
            await send(message)
