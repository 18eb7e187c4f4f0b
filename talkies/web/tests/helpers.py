"""Helpers for the page tests: making release dates, and reading what a rendered page contains."""

import datetime
import re
from html import unescape
from html.parser import HTMLParser

from django.test import Client

from talkies.catalogue.models import Film, ReleaseDate

PASSWORD = "correct horse battery staple"


def release(film: Film, date: datetime.date, region: str = "US", kind: str = ReleaseDate.Kind.THEATRICAL) -> None:
    ReleaseDate.objects.create(film=film, region=region, kind=kind, date=date)


# --- Reading the rendered page -----------------------------------------------------------------


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_in(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag the browser would build from `html`, with its attributes."""
    parser = _TagCollector()
    parser.feed(html)
    return parser.tags


def text_of(html: str) -> str:
    """The page's text with tags removed and whitespace collapsed, for asserting on what readers see."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(without_tags))


def page_queries(client: Client, url: str, assert_max_num_queries, bound: int) -> int:
    """How many queries a page costs once per-process caches (the site, the site's mean rating) are warm.

    `assert_max_num_queries` is pytest-django's django_assert_max_num_queries fixture: the request
    fails the test, listing every query, if it costs more than `bound`.
    """
    client.get(url)
    with assert_max_num_queries(bound) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)
