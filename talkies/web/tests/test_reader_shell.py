"""A signed-in reader's story page from the shared shell: the shell with their parts swapped in is their page.

The shell is what the fast path stores for every signed-in reader (web/reader_shell.py); the reader-state
request gives the parts that are theirs. Swapping those parts into the shell, as site.js does, must give
exactly the page Django renders for the reader (CSRF tokens aside: the shell's are fetched on submit).
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talkies.accounts.actors import Actor
from talkies.accounts.models import User
from talkies.comments.models import Comment
from talkies.comments.services import comment_create, comment_feature, comment_vote
from talkies.moderation.services import comment_report
from talkies.ratings.services import rating_set
from talkies.web.reader_shell import SHELL_RESPONSE_HEADER

SHELL = {"X-Talkies-Reader-Shell": "1"}
TOKEN_FIELD = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*"( data-csrf-from="[^"]*")?>')
VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "area", "col", "embed", "track", "base"}


class _PartFinder(HTMLParser):
    """The [start, end) character offsets of every element carrying data-reader-part, by part name."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0]
        for line in html.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.open: list[tuple[str, str | None, int]] = []
        self.found: list[tuple[str, int, int]] = []
        self.feed(html)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.open.append((tag, dict(attrs).get("data-reader-part"), self._offset()))

    def handle_endtag(self, tag):
        while self.open:
            open_tag, part, start = self.open.pop()
            if open_tag == tag:
                if part is not None:
                    end = self.html.index(">", self._offset()) + 1
                    self.found.append((part, start, end))
                return


def with_parts(html: str, parts: dict[str, str]) -> str:
    """`html` with each element named in `parts` replaced by its part, outermost first, as site.js does."""
    for name, part in parts.items():
        spans = [(start, end) for found, start, end in _PartFinder(html).found if found == name]
        assert spans, f"the shell has no part {name!r}"
        for start, end in sorted(spans, reverse=True):
            html = html[:start] + part.strip() + html[end:]
    return html


def comparable(html: str) -> str:
    html = TOKEN_FIELD.sub("<csrf>", html)
    html = re.sub(r' data-reader-state="[^"]*"', "", html)
    html = re.sub(r">\s+<", "><", html)  # whitespace between tags: a part is swapped in stripped
    return html.strip()


@pytest.fixture
def conversation(thread, reader, second_reader, moderator, film):
    """A thread where `reader` wrote a comment, voted on one, reported one, and rated the film."""
    an_hour_ago = timezone.now() - datetime.timedelta(minutes=30)
    others = [
        comment_create(thread=thread, author=second_reader, body=f"Comment {n} by someone else", created_at=an_hour_ago)
        for n in range(4)
    ]
    comment_create(thread=thread, author=second_reader, body="A reply", parent=others[0], created_at=an_hour_ago)
    mine = comment_create(thread=thread, author=reader, body="Mine, editable", created_at=an_hour_ago)
    comment_vote(comment=others[1], actor=Actor.of(reader), value=1)
    comment_report(comment=others[2], actor=Actor.of(reader), reason="spam")
    comment_feature(comment=others[3], featured=True, featured_by=moderator)
    rating_set(site=thread.site, film=film, user=reader, value=8)
    return {"others": others, "mine": mine}


def page_and_shell(client: Client, story) -> tuple[str, str, dict]:
    url = story.get_absolute_url()
    full = client.get(url)
    shell = client.get(url, headers=SHELL)
    assert full.status_code == shell.status_code == 200
    assert shell[SHELL_RESPONSE_HEADER] == "1" and SHELL_RESPONSE_HEADER not in full
    # As site.js asks: the page's query, and the comments the shell shows.
    html = shell.content.decode()
    shown = ",".join(re.findall(r'data-reader-part="comment-(\d+)"', html))
    featured = ",".join(re.findall(r'data-reader-part="featured-(\d+)"', html))
    state_url = reverse("story-reader-state", kwargs={"slug": story.slug})
    state = client.get(f"{state_url}?shown={shown}&featured={featured}")
    assert state.status_code == 200 and "no-store" in state["Cache-Control"]
    return full.content.decode(), shell.content.decode(), state.json()


def test_the_shell_with_the_readers_parts_is_the_readers_page(reader_client, story, conversation, reader):
    full, shell, state = page_and_shell(reader_client, story)
    assert "Signed in as <strong></strong>" in shell  # the shell's reader has no name, no votes, no rating
    assert 'value="" data-csrf-from=' in shell and not re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', shell)
    assert "data-reader-state=" in shell
    others, mine = conversation["others"], conversation["mine"]
    # Their name, their rating, and the comments where their view differs: theirs, voted on, reported.
    assert set(state["parts"]) == {
        "account",
        "rating-ballerina",
        f"comment-{mine.pk}",
        f"comment-{others[1].pk}",
        f"comment-{others[2].pk}",
    }
    assert comparable(shell) != comparable(full)
    assert comparable(with_parts(shell, state["parts"])) == comparable(full)


def test_a_featured_comment_the_reader_voted_on_is_swapped_in_both_places(reader_client, story, conversation, reader):
    featured = conversation["others"][3]
    comment_vote(comment=featured, actor=Actor.of(reader), value=-1)
    full, shell, state = page_and_shell(reader_client, story)
    assert {f"comment-{featured.pk}", f"featured-{featured.pk}"} <= set(state["parts"])
    assert comparable(with_parts(shell, state["parts"])) == comparable(full)


def test_a_reader_with_a_held_comment_gets_the_whole_thread(reader_client, story, conversation, reader, thread):
    held = comment_create(thread=thread, author=reader, body="Waiting for a moderator")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    full, shell, state = page_and_shell(reader_client, story)
    assert "Waiting for a moderator" not in shell and "thread" in state["parts"]
    assert comparable(with_parts(shell, state["parts"])) == comparable(full)


def test_a_moderator_gets_the_whole_thread(client, story, conversation, moderator):
    client.force_login(moderator)
    full, shell, state = page_and_shell(client, story)
    assert "thread" in state["parts"]
    assert comparable(with_parts(shell, state["parts"])) == comparable(full)


def test_a_reader_with_nothing_of_their_own_gets_only_their_name(client, story, conversation):
    client.force_login(User.objects.create_user(username="newcomer", password="x"))
    full, shell, state = page_and_shell(client, story)
    assert set(state["parts"]) == {"account"}
    assert comparable(with_parts(shell, state["parts"])) == comparable(full)


def test_a_session_that_signed_out_is_told_to_reload_without_it(client, story):
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    state = client.get(reverse("story-reader-state", kwargs={"slug": story.slug}))
    assert state.json() == {"reload": True, "parts": {}}
    assert state.cookies[settings.SESSION_COOKIE_NAME].value == ""  # deleted


def test_without_the_shell_header_or_signed_out_django_renders_the_page_as_ever(reader_client, story):
    assert SHELL_RESPONSE_HEADER not in Client().get(story.get_absolute_url(), headers=SHELL)  # nobody signed in
    page = reader_client.get(story.get_absolute_url())
    assert SHELL_RESPONSE_HEADER not in page and b"data-reader-state" not in page.content


def test_the_shell_leaves_the_readers_flash_message_for_their_next_page(reader_client, story, conversation):
    from django.contrib.messages.storage.session import SessionStorage

    # A message kept in the session (the fallback storage's second home) must outlive the shell's render:
    # the shell shows no messages, and must not use up the reader's.
    session = reader_client.session
    session[SessionStorage.session_key] = '[["__json_message",0,25,"Your comment was posted."]]'
    session.save()
    shell = reader_client.get(story.get_absolute_url(), headers=SHELL)
    assert b"Your comment was posted." not in shell.content
    assert reader_client.session[SessionStorage.session_key] == '[["__json_message",0,25,"Your comment was posted."]]'


def test_the_readers_replies_and_votes_on_replies_are_theirs_too(reader_client, story, conversation, reader, thread):
    others = conversation["others"]
    reply = comment_create(thread=thread, author=reader, body="My reply", parent=others[0])
    their_reply = Comment.objects.get(parent=others[0], author__username="second")
    comment_vote(comment=their_reply, actor=Actor.of(reader), value=-1)
    full, shell, state = page_and_shell(reader_client, story)
    assert {f"comment-{reply.pk}", f"comment-{their_reply.pk}"} <= set(state["parts"])
    assert comparable(with_parts(shell, state["parts"])) == comparable(full)


def test_ids_the_shell_did_not_show_give_nothing_away(reader_client, story, thread, reader, second_reader, site):
    from talkies.comments.services import thread_for_story
    from talkies.stories.services import story_create

    hidden = comment_create(thread=thread, author=second_reader, body="Held for a moderator")
    comment_vote(comment=hidden, actor=Actor.of(reader), value=1)  # voted on before a moderator held it
    Comment.objects.filter(pk=hidden.pk).update(status=Comment.Status.PENDING)
    comment_vote(
        comment=comment_create(thread=thread, author=second_reader, body="Voted"), actor=Actor.of(reader), value=1
    )
    elsewhere = story_create(site=site, kind="news", title="Another story", body="", films=[])
    other = comment_create(thread=thread_for_story(story=elsewhere), author=reader, body="On another story")
    state_url = reverse("story-reader-state", kwargs={"slug": story.slug})
    parts = reader_client.get(f"{state_url}?shown={hidden.pk},{other.pk},x,-1,{'9' * 30},%C2%B2").json()["parts"]
    assert set(parts) == {"account"}
