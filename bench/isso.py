"""Isso beside Talkies: a pinned Isso in its own virtual environment, seeded over its own HTTP API.

    venv = ensure_isso_venv()                      # bench/.isso-venv, created on first use
    with isso_server(venv, tmp, port) as server:   # temp SQLite db, no rate limit, no moderation
        server.wait_until_ready(f"{base_url}/config")
        seed_isso(base_url, thread, export_comments(talkies_db, thread))

Isso is served the way its documentation advises (`gunicorn -w 4 --preload isso.run`, ISSO_SETTINGS
naming the config file). Its thread read is `GET /?uri=<thread uri>&limit=200`: 200 top-level comments,
each with all its replies (no `nested_limit` means no limit), which is the same set of comments the
Talkies page holds. Isso keeps one level of nesting: a reply to a reply hangs under its top-level
comment, which changes the shape of the JSON but not what is in it.

Its other requests beside Talkies' (bench/full.py): what Isso's embed.js asks for a page of 20 by votes
(`embed_path`), its Atom feed of a thread (`feed_path`, on with `[rss] base`, as many entries as
Talkies' feed), the counts its count.js asks for (`POST /count`, a JSON list of URIs) and a new comment
(`POST /new?uri=…`).
"""

import json
import os
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.seed_threads import SeededThread
from bench.servers import ServerProcess

ISSO_VERSION = "0.14.0"
GUNICORN_VERSION = "27.0.1"
ISSO_WORKERS = 4  # as Isso's documentation runs it under gunicorn
VENV_DIR = Path(__file__).resolve().parent / ".isso-venv"
# Posting is Isso's slow path (markdown, a lock, a commit); a few at once keep its workers busy.
SEED_CONCURRENCY = 4
# Entries in a thread's Atom feed: as many as Talkies' (talkies.comments.feeds.FEED_SIZE).
FEED_SIZE = 50
# Isso's embed.js default for `data-isso-max-comments-nested`: the replies it asks for under each comment.
EMBED_NESTED_LIMIT = 5


@dataclass(frozen=True)
class ExportedComment:
    id: int
    parent_id: int | None
    text: str
    author: str


def ensure_isso_venv(venv: Path = VENV_DIR) -> Path:
    """The Isso virtual environment, created (or re-created for another pinned version) when needed."""
    marker = venv / f".installed-isso-{ISSO_VERSION}-gunicorn-{GUNICORN_VERSION}"
    if not marker.exists():
        print(f"installing isso {ISSO_VERSION} and gunicorn {GUNICORN_VERSION} in {venv}…", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             f"isso=={ISSO_VERSION}", f"gunicorn=={GUNICORN_VERSION}"],
            check=True,
        )  # fmt: skip
        marker.touch()
    return venv


def write_isso_config(directory: Path, port: int) -> Path:
    """A config for a benchmark, not for production: no guard (rate limit, reply rules), no moderation."""
    config = directory / "isso.cfg"
    config.write_text(
        f"""[general]
dbpath = {directory / "isso.db"}
host = http://127.0.0.1:{port}/
notify = stdout
gravatar = false

[moderation]
enabled = false

[guard]
enabled = false
ratelimit = 0
direct-reply = 0
require-author = false
require-email = false

[server]
listen = http://127.0.0.1:{port}/
public-endpoint = http://127.0.0.1:{port}

[rss]
base = http://127.0.0.1:{port}/
limit = {FEED_SIZE}
"""
    )
    return config


def isso_command(venv: Path, port: int) -> list[str]:
    return [
        str(venv / "bin" / "gunicorn"),
        "--workers", str(ISSO_WORKERS),
        "--bind", f"127.0.0.1:{port}",
        "--preload",
        "--log-level", "warning",
        "isso.run",
    ]  # fmt: skip


def isso_server(venv: Path, directory: Path, port: int) -> ServerProcess:
    """Isso on `port` with its config, database and log in `directory`; start it with `with`."""
    env = {**os.environ, "ISSO_SETTINGS": str(write_isso_config(directory, port))}
    return ServerProcess("isso", isso_command(venv, port), env=env, log_path=directory / "server.log")


def thread_uri(thread: SeededThread) -> str:
    return f"/bench/{thread.thread_id}/"


def thread_path(thread: SeededThread) -> str:
    return "/?" + urllib.parse.urlencode({"uri": thread_uri(thread), "limit": 200})


def embed_path(thread: SeededThread, *, limit: int = 20) -> str:
    """What Isso's embed.js asks with data-isso-sorting="upvotes" and data-isso-max-comments-top=`limit`."""
    query = {"uri": thread_uri(thread), "sort": "upvotes", "limit": limit, "nested_limit": EMBED_NESTED_LIMIT}
    return "/?" + urllib.parse.urlencode(query)


def feed_path(thread: SeededThread) -> str:
    return "/feed?" + urllib.parse.urlencode({"uri": thread_uri(thread)})


def new_comment_path(thread: SeededThread) -> str:
    return "/new?" + urllib.parse.urlencode({"uri": thread_uri(thread)})


def count_page(body: bytes) -> tuple[int, int]:
    """(top-level comments, all comments) in an Isso thread response."""
    replies = json.loads(body)["replies"]
    return len(replies), sum(1 + len(comment["replies"]) for comment in replies)


def export_comments(talkies_db: Path, thread: SeededThread) -> list[ExportedComment]:
    """The thread's comments from the Talkies database, parents before replies, oldest first."""
    with sqlite3.connect(f"file:{talkies_db}?mode=ro", uri=True) as db:
        rows = db.execute(
            """SELECT c.id, c.parent_id, c.body_source, COALESCE(NULLIF(u.display_name, ''), u.username, c.guest_name)
               FROM comments_comment c LEFT JOIN accounts_user u ON u.id = c.author_id
               WHERE c.thread_id = ? ORDER BY c.depth, c.created_at, c.id""",
            (thread.thread_id,),
        ).fetchall()
    return [ExportedComment(id=r[0], parent_id=r[1], text=r[2], author=r[3] or "Guest") for r in rows]


def seed_isso(base_url: str, thread: SeededThread, comments: list[ExportedComment]) -> None:
    """Post every comment through Isso's API (POST /new?uri=…), replies after the comments they answer."""
    new_url = base_url + new_comment_path(thread)
    isso_ids: dict[int, int] = {}

    def post(comment: ExportedComment) -> None:
        payload = {"text": comment.text, "author": comment.author, "title": thread.label}
        if comment.parent_id is not None:
            payload["parent"] = isso_ids[comment.parent_id]
        request = urllib.request.Request(
            new_url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            isso_ids[comment.id] = json.loads(response.read())["id"]

    # The first comment creates the thread; after that, each depth is posted at once, in parallel.
    post(comments[0])
    by_depth: dict[int, list[ExportedComment]] = {}
    depth_of: dict[int, int] = {}
    for comment in comments[1:]:
        depth_of[comment.id] = 0 if comment.parent_id is None else depth_of.get(comment.parent_id, 0) + 1
        by_depth.setdefault(depth_of[comment.id], []).append(comment)
    with ThreadPoolExecutor(SEED_CONCURRENCY) as pool:
        for depth in sorted(by_depth):
            list(pool.map(post, by_depth[depth]))
