"""Markdown to safe HTML for stories and comments.

markdown-it renders CommonMark with raw HTML disabled; nh3 (ammonia) then cleans the result against an
allow-list, so even a parser bug cannot let a script, event handler or `javascript:` URL through. Links
leave with rel="nofollow ugc noopener" and only http, https and mailto URLs survive.

Spoilers use the `>!hidden text!<` syntax popularised by Reddit. They render as
`<span class="spoiler" data-spoiler>` which the page keeps hidden until the reader asks. The marker is
parsed by markdown-it itself (an inline rule), so it is recognised in text only: never inside code, a
link's title or URL, and `\\>!` escapes it. A line that starts with `>!` is a spoiler, not a blockquote.
"""

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock, blockquote
from markdown_it.rules_inline import StateInline

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h2", "h3", "h4", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class", "data-spoiler"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

SPOILER_OPEN, SPOILER_CLOSE = ">!", "!<"
# >!text!< on one line, not greedy, so two spoilers in one line stay two spoilers.
_SPOILER_SOURCE = re.compile(r">!(.+?)!<")


def _spoiler(state: StateInline, silent: bool) -> bool:
    """Inline rule: `>!text!<` on one line becomes a spoiler span whose text is parsed as markdown."""
    start = state.pos
    if not state.src.startswith(SPOILER_OPEN, start):
        return False
    content_start = start + len(SPOILER_OPEN)
    end = state.src.find(SPOILER_CLOSE, content_start, state.posMax)
    if end <= content_start or "\n" in state.src[content_start:end]:
        return False
    if not silent:
        outer_max = state.posMax
        state.push("spoiler_open", "span", 1).attrs = {"class": "spoiler", "data-spoiler": ""}
        state.pos, state.posMax = content_start, end
        state.md.inline.tokenize(state)
        state.push("spoiler_close", "span", -1)
        state.posMax = outer_max
    state.pos = end + len(SPOILER_CLOSE)
    return True


def _blockquote_unless_spoiler(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    # CommonMark reads any line starting with `>` as a quote, which would print a line-opening spoiler
    # in plain sight; declining here leaves the line to the paragraph rule and so to _spoiler.
    line_start = state.bMarks[start_line] + state.tShift[start_line]
    if state.src.startswith(SPOILER_OPEN, line_start):
        return False
    return blockquote(state, start_line, end_line, silent)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "js-default" is CommonMark with raw HTML off; strikethrough and tables are the extras readers use.
    md = MarkdownIt("js-default").enable(["strikethrough"])
    md.inline.ruler.before("emphasis", "spoiler", _spoiler)
    # `at` resets the rule's alternatives, so restate markdown-it's own: a quote may interrupt these.
    md.block.ruler.at(
        "blockquote", _blockquote_unless_spoiler, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    return md


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
    return _clean(_parser().render(source))


def strip_spoilers(source: str, placeholder: str = "[spoiler]") -> str:
    """The source with inline spoilers replaced, for feeds, previews and notification subjects."""
    return _SPOILER_SOURCE.sub(placeholder, source)


def contains_inline_spoiler(source: str) -> bool:
    return bool(_SPOILER_SOURCE.search(source))
