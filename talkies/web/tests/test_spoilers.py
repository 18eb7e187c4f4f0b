"""Spoilers stay hidden until the reader asks: inline >!spans!< and whole comments."""

import re
from pathlib import Path

from django.conf import settings

from talkies.comments.services import comment_create

from .helpers import text_of

STYLESHEET = Path(settings.BASE_DIR) / "talkies" / "static" / "talkies" / "site.css"


def test_inline_spoiler_text_is_inside_a_hidden_spoiler_element_with_a_switch(client, story, thread, reader):
    comment_create(thread=thread, author=reader, body="Great film. Then >!Winston betrays everyone!< at the end.")

    page = client.get(story.get_absolute_url()).content.decode()

    spoiler = re.search(r'<span class="spoiler" data-spoiler="">(.*?)</label></span>', page, re.DOTALL)
    assert spoiler is not None
    inside = spoiler.group(1)
    assert '<input type="checkbox" class="spoiler-switch" aria-label="Spoiler hidden: show it">' in inside
    assert '<span class="spoiler-text">Winston betrays everyone</span>' in inside
    assert page.count("Winston betrays everyone") == 1  # nowhere else: not in a title, meta or preview


def test_the_stylesheet_keeps_spoiler_text_invisible_to_eyes_and_screen_readers_until_switched_on():
    css = STYLESHEET.read_text()

    # visibility: hidden both hides the text and removes it from the accessibility tree.
    assert re.search(r"\.spoiler-text \{ visibility: hidden; \}", css)
    assert re.search(r"\.spoiler-switch:checked \+ \.spoiler-text \{ visibility: visible;", css)


def test_a_whole_comment_spoiler_is_collapsed_in_a_disclosure(client, story, thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Eve survives.", is_spoiler=True)

    page = client.get(story.get_absolute_url()).content.decode()
    html = page.split(f'id="comment-{comment.pk}"')[1].split("</article>")[0]

    assert '<details class="spoiler-comment">' in html  # closed: no "open" attribute
    assert "Contains spoilers — show" in html
    body_position = html.index("Eve survives.")
    assert html.index("<details") < body_position < html.index("</details>")


def test_spoilers_in_a_story_body_get_the_same_switch(client, site, editor, film):
    import datetime

    from django.utils import timezone

    from talkies.stories.services import story_create

    story = story_create(
        site=site,
        kind="review",
        title="Spoiler review",
        body="The twist: >!it was all a dream!<.",
        published_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    page = client.get(story.get_absolute_url()).content.decode()

    assert '<span class="spoiler-text">it was all a dream</span>' in page


def test_spoiler_markup_is_only_added_to_sanitised_bodies(client, site, story, thread, reader):
    # A comment that *types* the spoiler markup gets it escaped by the markdown renderer, so the switch is
    # never wrapped around attacker-controlled HTML.
    comment_create(thread=thread, author=reader, body='<span class="spoiler" data-spoiler="">fake</span>')

    page = client.get(story.get_absolute_url()).content.decode()

    assert '<span class="spoiler-text">fake</span>' not in page
    assert '<span class="spoiler" data-spoiler="">fake</span>' in text_of(page)
