"""The /moderate/ screen without JavaScript: queues, actions as forms, refusals for other roles."""

import pytest

from talkies.comments.models import Comment
from talkies.comments.services import comment_create
from talkies.moderation.models import AuditEntry, AuthorStanding, PremoderationRule, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(site, thread, reader):
    PremoderationRule.objects.create(site=site, scope=PremoderationRule.Scope.SITE)
    return comment_create(thread=thread, author=reader, body="Was the flamethrower scene real fire?")


def test_the_pending_queue_shows_a_held_comment_with_why_it_is_there(client, moderator, held):
    client.force_login(moderator)
    page = client.get("/moderate/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Was the flamethrower scene real fire?" in html
    assert "Every comment on the site" in html  # the rule that held it
    assert f'id="item-{held.pk}"' in html


def test_approving_from_the_screen_publishes_the_comment_and_logs_it(client, moderator, held, thread):
    client.force_login(moderator)
    answer = client.post(f"/moderate/comments/{held.pk}/act/", {"action": "approve", "next": "/moderate/"})
    assert answer.status_code == 302 and answer["Location"] == "/moderate/"
    held.refresh_from_db()
    thread.refresh_from_db()
    assert held.status == Comment.Status.APPROVED and thread.comment_count == 1
    entry = AuditEntry.objects.get(comment_id=held.pk, action="approve")
    assert (entry.actor_label, entry.status_before, entry.status_after) == ("moderator", "pending", "approved")


def test_rejecting_with_a_reason_tells_the_author(client, moderator, reader, held, story):
    client.force_login(moderator)
    answer = client.post(
        f"/moderate/comments/{held.pk}/act/",
        {"action": "reject", "reason": "personal attack"},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 200 and answer.json()["ok"] is True
    client.force_login(reader)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "A moderator rejected your comment: personal attack" in page


def test_a_reader_or_another_sites_moderator_is_refused_the_screen(client, reader, outsider, held):
    for who in (reader, outsider):
        client.force_login(who)
        assert client.get("/moderate/").status_code == 403
        assert client.post(f"/moderate/comments/{held.pk}/act/", {"action": "approve"}).status_code == 403
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING


def test_a_visitor_is_sent_to_log_in(client, held):
    answer = client.get("/moderate/")
    assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_a_reader_reports_a_comment_from_the_story_page(client, site, thread, reader, second_reader, story):
    comment = comment_create(thread=thread, author=reader, body="Buy cheap watches at example.com")
    client.force_login(second_reader)
    page = client.get(story.get_absolute_url()).content.decode()
    assert f'action="/comments/{comment.pk}/report/"' in page
    client.post(f"/comments/{comment.pk}/report/", {"reason": "spam", "next": story.get_absolute_url()})
    assert Report.objects.filter(comment=comment, reporter=second_reader, reason="spam").exists()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Reported — thank you" in page


def test_banning_from_the_screen_stops_the_author_commenting(client, moderator, reader, held, thread):
    client.force_login(moderator)
    client.post(f"/moderate/authors/{reader.pk}/act/", {"action": "ban", "reason": "spam"})
    assert AuthorStanding.objects.get(user=reader).is_banned
    client.force_login(reader)
    from talkies.lib.errors import PermissionDenied

    with pytest.raises(PermissionDenied, match="banned from commenting on Reel News: spam"):
        comment_create(thread=thread, author=reader, body="Let me back in")


def test_the_author_page_shows_history_and_audit(client, moderator, reader, held):
    client.force_login(moderator)
    page = client.get(f"/moderate/authors/{reader.pk}/").content.decode()
    assert "1 comment on Reel News" in page
    assert "hold" in page  # the rule's audit entry


def test_a_moderator_sets_rules_word_lists_and_thresholds_on_the_settings_page(client, moderator, site, thread, reader):
    client.force_login(moderator)
    assert client.get("/moderate/settings/").status_code == 200
    client.post("/moderate/settings/", {"form": "words", "banned": "Slur\nslur\n", "suspect": "idiot"})
    client.post("/moderate/settings/", {"form": "add_rule", "scope": "links", "approved_comments_needed": "1"})
    answer = client.post(
        "/moderate/settings/",
        {
            "form": "settings",
            "reports_to_queue": "3",
            "toxicity_threshold": "0.7",
            "toxicity_action": "report",
            "spam_threshold": "0",
            "spam_action": "premoderate",
            "spoiler_threshold": "0",
            "spoiler_action": "allow",
            "bad_domains": "spam.example",
        },
        follow=True,
    )
    assert "Saved." in answer.content.decode()
    from talkies.moderation.models import ListedWord, ModerationSettings

    assert set(ListedWord.objects.filter(site=site).values_list("word", "kind")) == {
        ("slur", "banned"),
        ("idiot", "suspect"),
    }
    assert PremoderationRule.objects.filter(site=site, scope="links").exists()
    saved = ModerationSettings.objects.get(site=site)
    assert (saved.reports_to_queue, saved.toxicity_threshold, saved.toxicity_action) == (3, 0.7, "report")
    assert AuditEntry.objects.filter(site=site, action__in=["word_lists", "rule_added", "settings"]).count() == 3

    held = comment_create(thread=thread, author=reader, body="See http://example.com")
    assert held.status == Comment.Status.PENDING
    rejected = comment_create(thread=thread, author=reader, body="what a S L U R")
    assert rejected.status == Comment.Status.REJECTED and "“S L U R”" in rejected.moderation_notice


def test_an_editor_may_work_the_queues_but_not_change_the_rules(client, editor):
    client.force_login(editor)
    assert client.get("/moderate/").status_code == 200
    assert client.get("/moderate/settings/").status_code == 403
    assert client.post("/moderate/settings/", {"form": "words", "banned": "x"}).status_code == 403


def test_a_guest_author_can_be_banned_from_the_screen(client, moderator, site, thread):
    from talkies.accounts.actors import Actor
    from talkies.lib.errors import PermissionDenied

    site.allow_guest_comments = True
    site.save()
    guest = Actor.guest("a" * 64)
    comment = comment_create(thread=thread, author=guest, body="Guest words", guest_name="Gus")
    client.force_login(moderator)
    page = client.get("/moderate/?queue=unmoderated").content.decode()
    assert f'action="/moderate/guests/{"a" * 64}/act/"' in page
    client.post(f"/moderate/guests/{'a' * 64}/act/", {"action": "ban", "reason": "spam"})
    assert AuthorStanding.objects.get(site=site, guest_key="a" * 64).is_banned
    with pytest.raises(PermissionDenied, match="banned"):
        comment_create(thread=thread, author=guest, body="Again", guest_name="Gus")
    assert comment.pk
