"""Markdown to safe HTML for stories and comments.

markdown-it renders CommonMark with raw HTML disabled; nh3 (ammonia) then cleans the result against an
allow-list, so even a parser bug cannot let a script, event handler or `javascript:` URL through. Links
leave with rel="nofollow ugc noopener" and only http, https and mailto URLs survive.

Spoilers use the `>!hidden text!<` syntax popularised by Reddit. They render as
`<span class="spoiler" data-spoiler>` which the page keeps hidden until the reader asks.
"""

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h2", "h3", "h4", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class", "data-spoiler"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

# >!text!< on one line, not greedy, so two spoilers in one line stay two spoilers.
_SPOILER = re.compile(r"&gt;!(.+?)!&lt;")
_SPOILER_SOURCE = re.compile(r">!(.+?)!<")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "js-default" is CommonMark with raw HTML off; strikethrough and tables are the extras readers use.
    return MarkdownIt("js-default").enable(["strikethrough"])


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        filter_style_properties=set(),
        attribute_filter=_keep_only_spoiler_class,
    )


def _keep_only_spoiler_class(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        return "spoiler" if value == "spoiler" else None
    if attribute == "data-spoiler":
        return ""
    return value


def render_markdown(source: str) -> str:
    """Render and sanitise a body. The output is safe to insert into a page as HTML."""
    html = _parser().render(source)
    # markdown-it escapes `>` and `<`, so the spoiler markers arrive as entities inside text nodes.
    html = _SPOILER.sub(r'<span class="spoiler" data-spoiler>\1</span>', html)
    return _clean(html)


def strip_spoilers(source: str, placeholder: str = "[spoiler]") -> str:
    """The source with inline spoilers replaced, for feeds, previews and notification subjects."""
    return _SPOILER_SOURCE.sub(placeholder, source)


def contains_inline_spoiler(source: str) -> bool:
    return bool(_SPOILER_SOURCE.search(source))
