"""Markdown to safe HTML for stories and comments.

markdown-it renders CommonMark with raw HTML disabled; nh3 (ammonia) then cleans the result against an
allow-list, so even a parser bug cannot let a script, event handler or `javascript:` URL through. Links
leave with rel="nofollow ugc noopener" and only http, https and mailto URLs survive.

Spoilers use the `>!hidden text!<` syntax popularised by Reddit. They render as
`<span class="spoiler" data-spoiler>` which the page keeps hidden until the reader asks. The marker is
parsed by markdown-it itself (an inline rule), so it is recognised in text only: never inside code, a
link's title or URL, and `\\>!` escapes it. A line that starts with `>!` is a spoiler, not a blockquote.

Every parse here is linear in the body's length, whatever a hostile reader writes: a body of `>!` × 5,000
with no `!<`, or `[` × 10,000, used to cost seconds of CPU (each marker searched to the end of the text).
The spoiler searches remember where they last looked, and link labels may nest at most
MAX_LINK_LABEL_NESTING brackets deep (see _link_label_end).
"""

import re
import types
import weakref
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it import helpers as markdown_it_helpers
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
# Brackets nested deeper than this inside a link's text end the attempt to read a link there: the text
# stays text. No reader nests brackets 8 deep in a link, and the bound is what keeps label parsing linear.
MAX_LINK_LABEL_NESTING = 8


def spoiler_spans(line: str) -> list[tuple[int, int]]:
    """The (start, end) of each `>!text!<` of one line, markers included, left to right.

    The rule markdown rendering applies: a spoiler runs from `>!` to the first `!<` after it and holds at
    least one character. Linear: once no `!<` follows a `>!`, none follows any later one either.
    """
    spans = []
    position = 0
    while (start := line.find(SPOILER_OPEN, position)) != -1:
        content_start = start + len(SPOILER_OPEN)
        end = line.find(SPOILER_CLOSE, content_start)
        if end == -1:
            break
        if end == content_start:  # `>!!<` is no spoiler; look again from its second character
            position = start + 1
            continue
        spans.append((start, end + len(SPOILER_CLOSE)))
        position = end + len(SPOILER_CLOSE)
    return spans


# Per inline parse (one paragraph's source): (needle, search limit) -> (searched from, found at).
_FIND_MEMORY: "weakref.WeakKeyDictionary[StateInline, dict[tuple[str, int], tuple[int, int]]]" = (
    weakref.WeakKeyDictionary()
)


def _find_remembered(state: StateInline, needle: str, start: int) -> int:
    """`state.src.find(needle, start, state.posMax)`, remembering the last answer per needle and limit.

    Inline rules try every `>!` of a paragraph; without memory a paragraph of `>!` × 5,000 searches its
    whole rest 5,000 times. A search from a later start that the last answer already covers (the found
    position is still ahead, or nothing was found to the limit) has the same answer.
    """
    memory = _FIND_MEMORY.setdefault(state, {})
    key = (needle, state.posMax)
    remembered = memory.get(key)
    if remembered is not None:
        searched_from, found = remembered
        if searched_from <= start and (found == -1 or start <= found):
            return found
    found = state.src.find(needle, start, state.posMax)
    memory[key] = (start, found)
    return found


def _spoiler(state: StateInline, silent: bool) -> bool:
    """Inline rule: `>!text!<` on one line becomes a spoiler span whose text is parsed as markdown."""
    start = state.pos
    if not state.src.startswith(SPOILER_OPEN, start):
        return False
    content_start = start + len(SPOILER_OPEN)
    end = _find_remembered(state, SPOILER_CLOSE, content_start)
    if end <= content_start:
        return False
    line_end = _find_remembered(state, "\n", content_start)
    if line_end != -1 and line_end < end:
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


def _link_label_end(state: StateInline, start: int, disable_nested: bool = False) -> int:
    """Where the link label opened by the `[` at `start` closes, or -1; markdown-it's parseLinkLabel with
    a bound on nesting.

    Unbounded, every unclosed `[` scans the rest of its paragraph, so `[` × 10,000 costs 50 million
    steps. A scan now also gives up once MAX_LINK_LABEL_NESTING brackets are open inside it: at most that
    many scans can be passing over any one character, so the work is linear in the text's length.
    """
    saved_position = state.pos
    state.pos = start + 1
    level = 1
    label_end = -1
    while state.pos < state.posMax:
        character = state.src[state.pos]
        if character == "]":
            level -= 1
            if level == 0:
                label_end = state.pos
                break
        before = state.pos
        state.md.inline.skipToken(state)
        if character == "[":
            if before == state.pos - 1:  # a plain `[`, not the start of some other token
                level += 1
                if level > MAX_LINK_LABEL_NESTING:
                    break
            elif disable_nested:
                break
    state.pos = saved_position
    return label_end


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
    # markdown-it's link and image rules find labels through md.helpers: this parser's own namespace
    # swaps in the bounded label parser without touching markdown-it's module for anyone else.
    md.helpers = types.SimpleNamespace(  # type: ignore[assignment]
        parseLinkLabel=_link_label_end,
        parseLinkDestination=markdown_it_helpers.parseLinkDestination,
        parseLinkTitle=markdown_it_helpers.parseLinkTitle,
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
    if SPOILER_OPEN not in source:
        return source
    lines = []
    for line in source.split("\n"):
        spans = spoiler_spans(line)
        if spans:
            pieces, kept_from = [], 0
            for start, end in spans:
                pieces += [line[kept_from:start], placeholder]
                kept_from = end
            line = "".join(pieces) + line[kept_from:]
        lines.append(line)
    return "\n".join(lines)


def contains_inline_spoiler(source: str) -> bool:
    return SPOILER_OPEN in source and any(spoiler_spans(line) for line in source.split("\n"))


# The exact markup render_markdown emits for `>!text!<` once nh3 has cleaned it. Spoilers never nest (a
# spoiler ends at the first `!<`), so the first closing </span> after one ends it.
SPOILER_HTML = re.compile(r'<span class="spoiler" data-spoiler="">(.*?)</span>', re.DOTALL)


def html_without_spoilers(html: str, placeholder: str = "[spoiler]") -> str:
    """A body rendered by render_markdown, with each inline spoiler replaced: for feeds, which must not
    render a body again (that is the write's work, done once) but must not show a spoiler either."""
    return SPOILER_HTML.sub(placeholder, html)
