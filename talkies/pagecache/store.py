"""Pre-serialised pages: the exact bytes (and headers) Django sent for one page of one version.

Two kinds of key share the store: `PageKey`, below, for the thread API's pages, and routes.RouteKey for
the other stored routes (HTML pages, feeds, the embed's lookups), versioned by the site's generation.
What is said below of a thread's version holds for a site's generation too (StoreKey.group, .version).

A page is stored under a `PageKey` that names everything its bytes depend on: the thread, the thread's
`version` (bumped in the same transaction as every comment write, see comments.events.announce, and by
the receivers in pagecache.dependencies), the thread's film (whose ratings give the badges), the sort,
the cursor and the limit. Nothing about the viewer is in a page: this endpoint says nothing about who is asking.

Because the version is part of the key, a write never has to find and delete anything to invalidate: once
it commits, every reader's version check (one indexed query, see fast_path) yields a key no stale page is
stored under. Entries for older versions are dead weight, dropped as soon as a newer version of the same
thread is stored, and otherwise by the LRU's byte budget.

Each worker process keeps its own `PageStore`. With REDIS_URL, stores also share entries through Django's
cache, so one process (or node) serialises a page and the others fetch the bytes instead of rendering.
"""

import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

from django.core.cache import BaseCache

# Part of every shared key: bump it when the cached representation changes shape, so a deploy never
# reads entries an older release wrote to Redis.
PAGE_FORMAT = 1
# A safety net, not the invalidation mechanism: a change made without bumping Thread.version (a raw SQL
# fix, an importer that forgot to announce) shows within this time rather than never.
PAGE_MAX_AGE_SECONDS = 60
DEFAULT_BUDGET_BYTES = 64 * 1024 * 1024
# Pages smaller than this are not worth the CPU of compressing (the headers alone are ~300 bytes).
GZIP_MIN_BYTES = 512
GZIP_LEVEL = 6


@dataclass(frozen=True)
class PageKey:
    """Everything the bytes of one page of comments depend on."""

    thread_id: int
    version: int
    film_id: int | None
    sort: str
    cursor: str | None
    limit: int

    @property
    def group(self) -> tuple[str, int]:
        """Keys of one group share a version counter: a newer version makes the others' pages dead weight."""
        return ("thread", self.thread_id)

    def shared_key(self) -> str:
        """A short, safe cache key: the cursor is client input of any length, so it is hashed."""
        digest = hashlib.blake2b(repr(self).encode(), digest_size=12).hexdigest()
        return f"thread-page:{PAGE_FORMAT}:{self.thread_id}:{digest}"


Headers = list[tuple[bytes, bytes]]


# What a 304 repeats of its 200 (RFC 9110 15.4.5).
CACHING_HEADERS = (b"cache-control", b"cdn-cache-control", b"expires")


@dataclass
class CachedPage:
    """One page's response, ready to send as is, compressed, or as 304 Not Modified."""

    headers: Headers  # as Django sent them, minus Content-Length
    body: bytes
    gzip_body: bytes | None
    etag: bytes  # strong, of the uncompressed body; the gzip variant's ETag is derived from it
    created_at: float = field(default_factory=time.monotonic)
    # A page is sent thousands of times: its headers are put together once for each encoding.
    _prepared_headers: dict[bool, Headers] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_response(cls, headers: Headers, body: bytes) -> "CachedPage":
        digest = hashlib.blake2b(body, digest_size=16).hexdigest().encode()
        compressed = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
        kept = [(name, value) for name, value in headers if name.lower() != b"content-length"]
        return cls(headers=kept, body=body, gzip_body=compressed, etag=b'"' + digest + b'"')

    @property
    def gzip_etag(self) -> bytes:
        # A different representation needs a different strong ETag (RFC 9110 8.8.3).
        return self.etag[:-1] + b'-gzip"'

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzip_body or b"")

    def is_expired(self, now: float) -> bool:
        return now - self.created_at > PAGE_MAX_AGE_SECONDS

    def matches(self, if_none_match: bytes) -> bool:
        """Whether an If-None-Match header names this page (weak comparison, as RFC 9110 13.1.2 asks)."""
        if if_none_match.strip() == b"*":
            return True
        tags = {tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")}
        return self.etag in tags or self.gzip_etag in tags

    def response_headers(self, *, compressed: bool) -> Headers:
        """The headers of the 200 (the same list on every call: callers copy it to change it)."""
        prepared = self._prepared_headers.get(compressed)
        if prepared is None:
            prepared = self._prepared_headers[compressed] = self._response_headers(compressed=compressed)
        return prepared

    def _response_headers(self, *, compressed: bool) -> Headers:
        body = self.gzip_body if compressed and self.gzip_body is not None else self.body
        encoding = [(b"content-encoding", b"gzip")] if body is self.gzip_body else []
        return [
            *((name, value) for name, value in self.headers if name != b"vary"),
            *encoding,
            (b"content-length", str(len(body)).encode()),
            (b"etag", self.gzip_etag if encoding else self.etag),
            (b"vary", self.vary),
        ]

    def not_modified_headers(self, *, compressed: bool) -> Headers:
        # A 304 carries what a 200 would have said about caching (RFC 9110 15.4.5), and no body.
        etag = self.gzip_etag if compressed and self.gzip_body is not None else self.etag
        caching = [(name, value) for name, value in self.headers if name in CACHING_HEADERS]
        return [*caching, (b"etag", etag), (b"vary", self.vary)]

    @property
    def vary(self) -> bytes:
        """One Vary header: what Django's response said (Cookie, for a page that read the session), and
        Accept-Encoding, since the store sends gzip to clients that take it."""
        stored = [value for name, value in self.headers if name == b"vary"]
        return b", ".join([*stored, b"Accept-Encoding"])

    def to_shared(self) -> dict:
        return {"headers": self.headers, "body": self.body, "gzip_body": self.gzip_body, "etag": self.etag}

    @classmethod
    def from_shared(cls, data: dict) -> "CachedPage":
        return cls(headers=data["headers"], body=data["body"], gzip_body=data["gzip_body"], etag=data["etag"])


class StoreKey(Protocol):
    """What the store needs of a key: PageKey (a thread's pages) and routes.RouteKey (a site's pages)."""

    @property
    def group(self) -> tuple[str, int]: ...
    @property
    def version(self) -> int: ...
    def shared_key(self) -> str: ...
    def __hash__(self) -> int: ...


class PageStore:
    """A byte-bounded LRU of pages in this process, over an optional cache shared by every process.

    Thread-safe: the event loop reads it, and the shared cache is read and written from worker threads.
    """

    def __init__(self, *, budget_bytes: int = DEFAULT_BUDGET_BYTES, shared: BaseCache | None = None) -> None:
        self.budget_bytes = budget_bytes
        self.shared = shared
        self._pages: OrderedDict[StoreKey, CachedPage] = OrderedDict()
        self._keys_by_group: dict[tuple[str, int], set[StoreKey]] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    @property
    def bytes_used(self) -> int:
        return self._bytes

    def get_local(self, key: StoreKey) -> CachedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page.is_expired(time.monotonic()):
                self._remove(key)
                return None
            self._pages.move_to_end(key)
            return page

    def get_shared(self, key: StoreKey) -> CachedPage | None:
        """The page from the shared cache, kept locally too. Blocking I/O: call it from a worker thread."""
        if self.shared is None:
            return None
        data = self.shared.get(key.shared_key())
        if data is None:
            return None
        page = CachedPage.from_shared(data)
        self.put_local(key, page)
        return page

    def put(self, key: StoreKey, page: CachedPage) -> None:
        """Keep a freshly rendered page here and in the shared cache. Blocking I/O with a shared cache."""
        self.put_local(key, page)
        if self.shared is not None:
            self.shared.set(key.shared_key(), page.to_shared(), PAGE_MAX_AGE_SECONDS)

    def put_local(self, key: StoreKey, page: CachedPage) -> None:
        if page.size > self.budget_bytes:
            return
        with self._lock:
            same_group = self._keys_by_group.get(key.group, set())
            # Versions only go up, so no reader who checks the version from now on asks for an older one:
            # a page for a version that is already superseded here is not worth its bytes, and the pages
            # of older versions go.
            if any(k.version > key.version for k in same_group):
                return
            for stale in [k for k in same_group if k.version < key.version or k == key]:
                self._remove(stale)
            self._pages[key] = page
            self._keys_by_group.setdefault(key.group, set()).add(key)
            self._bytes += page.size
            while self._bytes > self.budget_bytes:
                self._remove(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._keys_by_group.clear()
            self._bytes = 0

    def _remove(self, key: StoreKey) -> None:
        page = self._pages.pop(key)
        self._bytes -= page.size
        keys = self._keys_by_group[key.group]
        keys.discard(key)
        if not keys:
            del self._keys_by_group[key.group]


def process_page_store() -> PageStore:
    """This process's store, sharing pages through Django's cache when that cache is shared (REDIS_URL).

    A local-memory cache is not shared, and holding pages there too would only copy them twice.
    """
    from django.core.cache import caches
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    shared = None if isinstance(cache, LocMemCache | DummyCache) else cache
    return PageStore(shared=shared)
