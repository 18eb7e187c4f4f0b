"""Hostile input through render_markdown, checked by parsing the output as a browser would.

Asserting on substrings alone would pass for `<scr<script>ipt>`; every safety check here walks the
parsed tags and attributes instead.
"""

import re
import sys
from html.parser import HTMLParser

import pytest

from talkies.lib import markdown
from talkies.lib.markdown import ALLOWED_TAGS, contains_inline_spoiler, render_markdown, strip_spoilers

SAFE_SCHEMES = {"http", "https", "mailto"}
# A scheme as the WHATWG URL parser reads it: after dropping leading C0 controls and spaces and every
# tab and newline, letters then letters, digits, +, - or . up to the first colon.
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_IGNORED = re.compile(r"[\t\n\r]")


class _Tags(HTMLParser):
    """Every start tag with its attributes, plus the text outside and inside spoiler spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.visible: list[str] = []
        self.hidden: list[str] = []
        self._open_spans: list[bool] = []  # for each open <span>: is it a spoiler?

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "span":
            self._open_spans.append(attributes.get("class") == "spoiler")

    def handle_endtag(self, tag):
        if tag == "span" and self._open_spans:
            self._open_spans.pop()

    def handle_data(self, data):
        (self.hidden if any(self._open_spans) else self.visible).append(data)


def parsed(html: str) -> _Tags:
    tags = _Tags()
    tags.feed(html)
    tags.close()
    return tags


def scheme_of(url: str) -> str | None:
    match = _SCHEME.match(_URL_IGNORED.sub("", url.lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08 ")))
    return match.group(1).lower() if match else None


def assert_safe(html: str) -> None:
    for tag, attributes in parsed(html).tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> got through: {html}"
        for name, value in attributes.items():
            assert not name.startswith("on"), f"event handler {name} on <{tag}>: {html}"
            assert name not in {"style", "src", "srcdoc", "formaction"}, f"{name} on <{tag}>: {html}"
            if name == "href":
                assert scheme_of(value or "") in SAFE_SCHEMES | {None}, f"unsafe link {value!r}: {html}"
        if tag == "a":
            assert attributes.get("rel") == "nofollow ugc noopener", html


def spoiler_spans(html: str) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in parsed(html).tags if tag == "span" and attrs.get("class") == "spoiler"]


HOSTILE = {
    "script tag": "<script>alert(1)</script>",
    "script in inline code": "`<script>alert(1)</script>`",
    "script in a fenced block": "```\n<script>alert(1)</script>\n```",
    "img onerror": '<img src=x onerror="alert(1)">',
    "svg onload": "<svg onload=alert(1)>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style block": "<style>body { display: none }</style>",
    "javascript: link": "[x](javascript:alert(1))",
    "JAVASCRIPT: link": "[x](JAVASCRIPT:alert(1))",
    "javascript: with an encoded tab": "[x](java&#x09;script:alert(1))",
    "javascript: with a decimal tab": "[x](java&#9;script:alert(1))",
    "javascript: with an encoded letter": "[x](&#106;avascript:alert(1))",
    "javascript: after a space": "[x]( javascript:alert(1))",
    "javascript: autolink": "<javascript:alert(1)>",
    "javascript: reference link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "vbscript: link": "[x](vbscript:msgbox(1))",
    "raw html javascript: link": '<a href="javascript:alert(1)">x</a>',
    "raw html mixed-case link": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "raw html link with a tab": '<a href="java&#x09;script:alert(1)">x</a>',
    "raw html onclick": "<a href='https://example.com' onclick='alert(1)'>x</a>",
    "data: link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data: image": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "image from anywhere": "![x](https://tracker.example/pixel.png)",
    "quote breaking out of a url": '[x](http://a.example/" onmouseover="alert(1))',
    "quote breaking out of a title": '[x](http://a.example/ "t\\" onmouseover=\\"alert(1)")',
    "markup breaking out of a url": '[x](https://a.example/"><script>alert(1)</script>)',
    "tag breaking out of text": '"><script>alert(1)</script>',
    "spoiler inside a link title": '[x](http://a.example/ ">!s onmouseover=alert(1) !<")',
    "forged spoiler span": '<span class="spoiler" onclick="alert(1)">x</span>',
    "html inside a spoiler": ">!<img src=x onerror=alert(1)>!<",
    "spoiler as a javascript: link text": "[>!x!<](javascript:alert(1))",
    "nested spoilers": ">!a >!b!< c!<",
}


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_renders_without_scripts_handlers_or_unsafe_links(source):
    assert_safe(render_markdown(source))


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "[x](java&#x09;script:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_no_output_mentions_a_dangerous_scheme_as_a_link(source):
    hrefs = [attrs.get("href") or "" for tag, attrs in parsed(render_markdown(source)).tags if tag == "a"]
    assert all(scheme_of(href) in SAFE_SCHEMES | {None} for href in hrefs)


def test_raw_html_is_shown_as_text_rather_than_dropped():
    html = render_markdown("I typed <b>bold</b>")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert ("b", {}) not in parsed(html).tags


def test_a_link_leaves_with_nofollow_ugc_noopener():
    html = render_markdown('[the review](https://reelnews.example/review "Our critic")')
    assert parsed(html).tags[1] == (
        "a",
        {"href": "https://reelnews.example/review", "title": "Our critic", "rel": "nofollow ugc noopener"},
    )


def test_a_mailto_link_is_kept():
    html = render_markdown("[write to us](mailto:letters@reelnews.example)")
    assert ("a", {"href": "mailto:letters@reelnews.example", "rel": "nofollow ugc noopener"}) in parsed(html).tags


def test_a_bare_autolink_becomes_a_link():
    html = render_markdown("<https://reelnews.example>")
    assert ("a", {"href": "https://reelnews.example", "rel": "nofollow ugc noopener"}) in parsed(html).tags


def test_everyday_formatting_survives():
    html = render_markdown("**loved** it, *mostly*, ~~not~~ the ending\n\n- one\n- two\n\n> quoted")
    tags = [tag for tag, _ in parsed(html).tags]
    for tag in ("strong", "em", "s", "ul", "li", "blockquote"):
        assert tag in tags, html


def test_an_inline_spoiler_renders_as_a_hidden_span():
    html = render_markdown("Great film, but >!Winston dies!< at the end.")
    assert '<span class="spoiler" data-spoiler="">Winston dies</span>' in html
    assert "Winston" not in "".join(parsed(html).visible)


def test_two_spoilers_on_one_line_stay_two():
    html = render_markdown("First >!Eve wins!< then >!Charon returns!< too")
    assert len(spoiler_spans(html)) == 2
    assert "too" in "".join(parsed(html).visible)


def test_a_spoiler_at_the_start_of_a_line_is_hidden_not_quoted():
    # `>` opens a blockquote in CommonMark; `>!` must open a spoiler instead, or the secret is printed.
    for source in (">!Winston dies!<", "Careful.\n\n>!Winston dies!< at the end", "- >!Winston dies!<"):
        html = render_markdown(source)
        assert "Winston" not in "".join(parsed(html).visible), html
        assert len(spoiler_spans(html)) == 1, html
        assert "blockquote" not in html


def test_a_spoiler_inside_a_real_quote_is_still_hidden():
    html = render_markdown("> she said >!Winston dies!<")
    assert "blockquote" in html
    assert "Winston" not in "".join(parsed(html).visible)


def test_a_spoiler_can_hold_formatting():
    html = render_markdown("Spoiler: >!the **dog** lives!<")
    assert '<span class="spoiler" data-spoiler="">the <strong>dog</strong> lives</span>' in html


def test_nested_spoiler_markers_close_at_the_first_end_marker():
    html = render_markdown("Note >!a >!b!< c!<")
    tags = parsed(html)
    assert len(spoiler_spans(html)) == 1
    assert "a &gt;!b" in html  # the inner opener is plain text inside the one spoiler
    assert "".join(tags.hidden) == "a >!b"


def test_spoiler_markers_in_code_are_shown_literally():
    # Readers explain the syntax with `>!text!<`; turning that example into a spoiler would hide it.
    html = render_markdown("Write `>!text!<` to hide a spoiler")
    assert "<code>&gt;!text!&lt;</code>" in html
    assert spoiler_spans(html) == []


def test_spoiler_markers_in_a_link_title_do_not_break_the_link():
    html = render_markdown('[review](https://reelnews.example/ ">!s!<")')
    links = [attrs for tag, attrs in parsed(html).tags if tag == "a"]
    assert links == [{"href": "https://reelnews.example/", "title": ">!s!<", "rel": "nofollow ugc noopener"}]
    assert "".join(parsed(html).visible).strip() == "review"


def test_an_escaped_marker_is_not_a_spoiler():
    assert spoiler_spans(render_markdown("\\>!not a spoiler!<")) == []


def test_a_spoiler_does_not_span_lines():
    html = render_markdown("Note >!one\ntwo!<")
    assert spoiler_spans(html) == []


def test_strip_spoilers_replaces_each_spoiler_with_a_placeholder():
    assert strip_spoilers("Eve >!wins!< and >!Charon lives!<.") == "Eve [spoiler] and [spoiler]."
    assert strip_spoilers(">!everything!<", placeholder="…") == "…"
    assert strip_spoilers("No secrets here") == "No secrets here"


def test_it_knows_when_a_body_contains_a_spoiler():
    assert contains_inline_spoiler("ends with >!a twist!<")
    assert not contains_inline_spoiler("ends with a twist")
    assert not contains_inline_spoiler(">!!<")  # an empty spoiler hides nothing


# --- Hostile bodies cost work in proportion to their length ----------------------------------------------
# Counted, not timed: the number of searches and token skips a render makes, at two sizes.


def _str_find_calls(function, *args) -> int:
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "c_call" and getattr(arg, "__name__", "") == "find":
            calls += 1

    sys.setprofile(count)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return calls


def _skip_token_calls(body: str) -> int:
    parser = markdown._parser()
    calls = 0
    original = parser.inline.skipToken

    def counting(state):
        nonlocal calls
        calls += 1
        return original(state)

    parser.inline.skipToken = counting  # type: ignore[method-assign]
    try:
        markdown.render_markdown(body)
    finally:
        del parser.inline.skipToken
    return calls


def test_spoiler_markers_that_never_close_are_not_each_searched_to_the_end():
    # `>!(.+?)!<` searched from every `>!` to the end of the line: quadratic in the markers.
    # One search per marker would be 1,500 to 3,000 here; a line's own searches (markdown-it's, one per
    # line) are bounded by that line, so the multi-line body may make one per line.
    for body, lines in ((">!" * 3000, 1), (">!a\n" * 1500, 1500), ("x >! y " * 1500, 1)):
        assert _str_find_calls(markdown.render_markdown, body) < lines + 50, body[:12]
        assert _str_find_calls(markdown.strip_spoilers, body) < 5000
        assert _str_find_calls(markdown.contains_inline_spoiler, body) < 5000


@pytest.mark.parametrize("unit", ["[", "![", "[a", "[]("])
def test_link_labels_that_never_close_cost_linear_work(unit):
    small, large = _skip_token_calls(unit * 1000), _skip_token_calls(unit * 4000)
    assert large <= 5 * small, f"{unit!r}: {small} token skips for 1,000, {large} for 4,000"


def test_brackets_nested_in_a_link_still_make_a_link_up_to_the_bound():
    nested = "[" * (markdown.MAX_LINK_LABEL_NESTING - 1) + "deep" + "]" * (markdown.MAX_LINK_LABEL_NESTING - 1)
    assert '<a href="https://example.com/"' in markdown.render_markdown("[a [b] c](https://example.com/)")
    assert '<a href="https://example.com/"' in markdown.render_markdown(f"[{nested}](https://example.com/)")
    too_deep = "[" * markdown.MAX_LINK_LABEL_NESTING + "deep" + "]" * markdown.MAX_LINK_LABEL_NESTING
    assert "<a " not in markdown.render_markdown(f"[{too_deep}](https://example.com/)")


@pytest.mark.parametrize(
    ("source", "stripped"),
    [
        ("a >!b!< c >!d!< e", "a [spoiler] c [spoiler] e"),
        ("no >!close here", "no >!close here"),
        (">!!< is empty, >!this!< is not", ">!!< is empty, [spoiler] is not"),
        (">!across\nlines!<", ">!across\nlines!<"),
        ("line one >!x!<\nline two >!y!<", "line one [spoiler]\nline two [spoiler]"),
    ],
)
def test_strip_spoilers_follows_the_rule_rendering_uses(source, stripped):
    assert markdown.strip_spoilers(source) == stripped
    assert markdown.contains_inline_spoiler(source) == (source != stripped)
    assert ('class="spoiler"' in markdown.render_markdown(source)) == (source != stripped)


def test_html_without_spoilers_replaces_each_rendered_spoiler():
    html = markdown.render_markdown("So >!Winston **betrays** her!< and >!then!< fin")
    assert markdown.html_without_spoilers(html) == "<p>So [spoiler] and [spoiler] fin</p>\n"
