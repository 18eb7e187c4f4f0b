"""What a page load asks for, as the pages make it: each request bench/full.py measures, how to check one
answer is the one meant, and Isso's equivalent where it has one.

A `Read` is one row of the table: a GET Talkies answers (its path for a seeded thread, its headers),
a check of one answer, and the key of Isso's equivalent in ISSO_READS. The paths follow the sources:
talkies/embed/js/src/paths.js and api.js (the embed), counts.js (count.js), Isso's js/app/api.js.
"""

import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from bench import isso
from bench.seed_threads import SeededThread
from bench.thread_read import count_talkies_page

ORIGIN = "https://publisher.example"
SITE = "bench"
FILM = "ballerina"
COUNTED_PAGES = 3
HTML = {"Accept": "text/html,application/xhtml+xml"}
CROSS_ORIGIN = {"Origin": ORIGIN}
# Shown by base.html to a signed-in reader, and only to one.
SIGNED_IN_MARK = b"Signed in as"


@dataclass
class Run:
    """What every request of a run needs to know: the threads, the reader's cookie, the embed's sort."""

    threads: list[SeededThread]
    cookie: str = ""
    embed_sort: str = "best"
    # {thread id: the ids the shell's comment cards carry}, as site.js sends them to reader-state.
    shown: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Read:
    """One row of the table: a GET Talkies answers, how to check it, and Isso's equivalent if it has one."""

    key: str
    label: str
    path: Callable[[SeededThread, Run], str]
    headers: Callable[[Run], dict[str, str]] = lambda run: {}
    check: Callable[[bytes, dict[str, str], SeededThread], str | None] = lambda body, headers, thread: None
    isso: str | None = None  # the key of Isso's equivalent in ISSO_READS
    server: str = "talkies"


def fast_path(thread: SeededThread, run: Run) -> str:
    return f"/api/v1/threads/{thread.thread_id}/comments?sort=old&limit=200"


def counted_pages(thread: SeededThread, run: Run) -> list[str]:
    """This thread's page first, then the other seeded pages, then pages with no thread yet: three."""
    others = [t.page_url for t in run.threads if t is not thread]
    missing = [f"{ORIGIN}/news/page-{n}/" for n in range(COUNTED_PAGES)]
    return [thread.page_url, *others, *missing][:COUNTED_PAGES]


def counts_path(thread: SeededThread, run: Run) -> str:
    # What count.js builds (counts.js countUrls): site first, then one page= per element's key.
    query = [("site", SITE), *(("page", page) for page in counted_pages(thread, run))]
    return "/api/v1/embed/counts?" + urllib.parse.urlencode(query)


def lookup_path(thread: SeededThread, run: Run) -> str:
    # paths.js threadLookupPath (url, title; no data-thread or data-film on this page), then api.js's site.
    title = f"What did you think of Ballerina? ({thread.comments:,} comments)"
    return "/api/v1/embed/threads?" + urllib.parse.urlencode({"url": thread.page_url, "title": title, "site": SITE})


def expect_comments(limit: int) -> Callable[[bytes, dict[str, str], SeededThread], str | None]:
    def check(body: bytes, headers: dict[str, str], thread: SeededThread) -> str | None:
        top_level, _ = count_talkies_page(body)
        expected = min(thread.top_level, limit)
        return None if top_level == expected else f"{top_level} top-level comments, expected {expected}"

    return check


def cross_origin(
    inner: Callable[[bytes, dict[str, str], SeededThread], str | None],
) -> Callable[[bytes, dict[str, str], SeededThread], str | None]:
    """`inner`'s check, and the CORS header a browser needs before it lets the page read the answer."""

    def check(body: bytes, headers: dict[str, str], thread: SeededThread) -> str | None:
        if headers.get("access-control-allow-origin") != ORIGIN:
            return f"Access-Control-Allow-Origin is {headers.get('access-control-allow-origin')!r}, not {ORIGIN}"
        return inner(body, headers, thread)

    return check


def check_lookup(body: bytes, headers: dict[str, str], thread: SeededThread) -> str | None:
    found = json.loads(body)["id"]
    return None if found == thread.thread_id else f"the lookup found thread {found}, not {thread.thread_id}"


def check_counts(body: bytes, headers: dict[str, str], thread: SeededThread) -> str | None:
    counted = json.loads(body)["counts"][thread.page_url]["comments"]
    return None if counted == thread.comments else f"{counted} comments counted, expected {thread.comments}"


def check_scores(body: bytes, headers: dict[str, str], thread: SeededThread) -> str | None:
    return None if json.loads(body)["audience"]["count"] > 0 else "the film's scores have no ratings"


def check_page(*, signed_in: bool) -> Callable[[bytes, dict[str, str], SeededThread], str | None]:
    def check(body: bytes, headers: dict[str, str], thread: SeededThread) -> str | None:
        if b"<html" not in body:
            return "not an HTML page"
        if (SIGNED_IN_MARK in body) != signed_in:
            return "the page is not the signed-in reader's" if signed_in else "the page is a signed-in reader's"
        return None

    return check


def check_shell(body: bytes, headers: dict[str, str], thread: SeededThread) -> str | None:
    problem = check_page(signed_in=True)(body, headers, thread)
    if problem is None and b"data-reader-state=" not in body:
        return "not the signed-in readers' shell (talkies/web/reader_shell.py)"
    return problem


def shell_headers(run: Run) -> dict[str, str]:
    return {**HTML, "Cookie": f"{run.cookie}; talkies_js=1"}


def shown_ids(shell: bytes) -> str:
    """The ids site.js collects from the shell's comment cards."""
    return ",".join(re.findall(r'data-reader-part="comment-(\d+)"', shell.decode()))


def check_reader_state(body: bytes, headers: dict[str, str], thread: SeededThread) -> str | None:
    state = json.loads(body)
    return None if not state["reload"] and "account" in state["parts"] else "not the reader's parts"


def check_feed(body: bytes, headers: dict[str, str], thread: SeededThread) -> str | None:
    return None if b"<feed" in body and body.count(b"<entry") > 0 else "not an Atom feed with entries"


READS = [
    Read("fast_path", "first-party fast path (old, 200)", fast_path, check=expect_comments(200), isso="thread"),
    Read("nginx", "nginx, the fast path's bytes from a file", fast_path, server="nginx"),
    Read("asgi_floor", "granian, the same bytes from memory", fast_path, server="floor"),
    Read(
        "fast_path_cross_origin",
        "the fast path's page, cross-origin",
        fast_path,
        headers=lambda run: CROSS_ORIGIN,
        check=cross_origin(expect_comments(200)),
        isso="thread",
    ),
    Read(
        "embed_read",
        "embed read (best, 20, site, Origin)",
        lambda thread, run: f"/api/v1/threads/{thread.thread_id}/comments?sort={run.embed_sort}&limit=20&site={SITE}",
        headers=lambda run: CROSS_ORIGIN,
        check=cross_origin(expect_comments(20)),
        isso="embed",
    ),
    Read(
        "thread_lookup",
        "embed thread lookup",
        lookup_path,
        headers=lambda run: CROSS_ORIGIN,
        check=cross_origin(check_lookup),
    ),
    Read(
        "film_scores",
        "embed film score card",
        lambda thread, run: f"/api/v1/films/{FILM}/scores?site={SITE}",
        headers=lambda run: CROSS_ORIGIN,
        check=cross_origin(check_scores),
    ),
    Read(
        "counts",
        f"count.js, counts of {COUNTED_PAGES} pages",
        counts_path,
        headers=lambda run: CROSS_ORIGIN,
        check=cross_origin(check_counts),
        isso="count",
    ),
    Read(
        "story_page",
        "story page, anonymous",
        lambda thread, run: f"/stories/{thread.story_slug}/",
        headers=lambda run: HTML,
        check=check_page(signed_in=False),
    ),
    Read(
        "story_page_signed_in",
        "story page, signed-in reader (the shell)",
        lambda thread, run: f"/stories/{thread.story_slug}/",
        # A browser that runs site.js says so in a cookie: it gets the shell every signed-in reader shares.
        headers=shell_headers,
        check=check_shell,
    ),
    Read(
        "reader_state",
        "  + the reader's own parts (reader-state)",
        lambda thread, run: (
            f"/stories/{thread.story_slug}/reader-state/?shown={run.shown.get(thread.thread_id, '')}&featured="
        ),
        headers=lambda run: {"Accept": "application/json", "Cookie": f"{run.cookie}; talkies_js=1"},
        check=check_reader_state,
    ),
    Read(
        "story_page_signed_in_rendered",
        "story page, signed-in, no JavaScript",
        lambda thread, run: f"/stories/{thread.story_slug}/",
        headers=lambda run: {**HTML, "Cookie": run.cookie},
        check=check_page(signed_in=True),
    ),
    Read(
        "atom_feed",
        "Atom feed of the thread",
        lambda thread, run: f"/feeds/threads/{thread.thread_id}.atom",
        headers=lambda run: {"Accept": "application/atom+xml"},
        check=check_feed,
        isso="feed",
    ),
]
# Measured on the second server, once the site takes guest comments: its story page then carries the guest
# form and its CSRF token, which no shared page may hold.
GUEST_SITE_READ = Read(
    "story_page_guest_site",
    "story page, anonymous, site takes guests",
    lambda thread, run: f"/stories/{thread.story_slug}/",
    headers=lambda run: HTML,
    check=check_page(signed_in=False),
)
READ_LABELS = {read.key: read.label for read in [*READS, GUEST_SITE_READ]}
POST_LABEL = "guest comment POST (landed/s)"


@dataclass(frozen=True)
class IssoRequest:
    label: str
    path: Callable[[SeededThread], str]
    method: str = "GET"
    body: Callable[[SeededThread, list[SeededThread]], bytes] | None = None
    expected_status: int = 200


ISSO_READS = {
    "thread": IssoRequest("GET /?uri=…&limit=200", isso.thread_path),
    "embed": IssoRequest("embed.js: GET /?uri=…&sort=upvotes&limit=20&nested_limit=5", isso.embed_path),
    "feed": IssoRequest("GET /feed?uri=…", isso.feed_path),
    "count": IssoRequest(
        f"count.js: POST /count, {COUNTED_PAGES} URIs",
        lambda thread: "/count",
        method="POST",
        # The same three pages as Talkies' counts: this thread's, the other threads', pages with no comments.
        body=lambda thread, threads: json.dumps(
            [
                isso.thread_uri(thread),
                *(isso.thread_uri(t) for t in threads if t is not thread),
                *(f"/news/page-{n}/" for n in range(COUNTED_PAGES)),
            ][:COUNTED_PAGES]
        ).encode(),
    ),
}
ISSO_POST = IssoRequest(
    "POST /new?uri=… (guard off)",
    isso.new_comment_path,
    method="POST",
    body=lambda thread, threads: json.dumps({"text": "Loved the **flamethrower** scene.", "author": "Bench"}).encode(),
    expected_status=201,
)
