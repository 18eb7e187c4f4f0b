"""Each process keeps a site's moderation settings, words and rules as one snapshot, read again only when
the site's ModerationConfigVersion changes: a change made anywhere applies to the very next comment."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talkies.comments.models import Comment
from talkies.comments.services import comment_create
from talkies.moderation import config_snapshot
from talkies.moderation.models import ListedWord, ModerationConfigVersion, ModerationSettings, PremoderationRule
from talkies.moderation.permissions import Moderator
from talkies.moderation.services import premoderation_rule_add, word_lists_set

CONFIG_TABLES = (ModerationSettings, ListedWord, PremoderationRule)


def post(thread, reader, body: str) -> Comment:
    return comment_create(thread=thread, author=reader, body=body)


def test_an_unchanged_site_is_screened_without_reading_its_settings_words_or_rules(site, thread, reader):
    ListedWord.objects.create(site=site, word="slur", kind=ListedWord.Kind.BANNED)
    post(thread, reader, "The first comment reads the snapshot.")
    with CaptureQueriesContext(connection) as queries:
        post(thread, reader, "The second one does not.")
    tables = [model._meta.db_table for model in CONFIG_TABLES]
    read = [q["sql"] for q in queries.captured_queries if any(f'"{table}"' in q["sql"] for table in tables)]
    assert read == []
    assert any(ModerationConfigVersion._meta.db_table in q["sql"] for q in queries.captured_queries)


def test_a_word_listed_after_the_snapshot_applies_to_the_next_comment(site, thread, reader):
    assert post(thread, reader, "A slur here is fine for now.").status == Comment.Status.APPROVED
    ListedWord.objects.create(site=site, word="slur", kind=ListedWord.Kind.BANNED)
    assert post(thread, reader, "A slur here is not.").status == Comment.Status.REJECTED
    ListedWord.objects.filter(site=site).delete()
    assert post(thread, reader, "A slur is fine again.").status == Comment.Status.APPROVED


def test_word_lists_replaced_in_bulk_apply_to_the_next_comment(site, thread, reader, moderator):
    post(thread, reader, "Before the lists.")
    word_lists_set(site=site, moderator=Moderator.of_user(moderator, site), banned=["gronk"], suspect=[])
    assert post(thread, reader, "What a gronk.").status == Comment.Status.REJECTED


def test_a_rule_or_a_settings_change_applies_to_the_next_comment(site, thread, reader, moderator):
    post(thread, reader, "Before the rule.")
    rule = premoderation_rule_add(site=site, moderator=Moderator.of_user(moderator, site), scope="site")
    held = post(thread, reader, "After the rule.")
    assert held.status == Comment.Status.PENDING
    assert held.queue_entry.flags[0]["detail"] == str(rule)
    rule.delete()
    assert post(thread, reader, "The rule is gone.").status == Comment.Status.APPROVED

    ModerationSettings.objects.create(site=site, bad_domains="spam.example")
    assert post(thread, reader, "Buy at spam.example today.").status == Comment.Status.PENDING


def test_a_change_made_by_another_process_is_seen_through_the_version_alone(site, thread, reader):
    """Another process's change reaches this one only through the database: rows written behind this
    process's back (no signal here), with the version changed in the same transaction."""
    post(thread, reader, "This process reads the snapshot.")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ListedWord._meta.db_table} (site_id, word, kind) VALUES (%s, 'gronk', 'banned')", [site.pk]
        )
    assert post(thread, reader, "Not seen yet: gronk.").status == Comment.Status.APPROVED  # the version is as it was
    ModerationConfigVersion.objects.update_or_create(site=site, defaults={"value": "written elsewhere"})
    assert post(thread, reader, "Seen now: gronk.").status == Comment.Status.REJECTED


def test_a_site_with_settings_words_and_rules_can_be_deleted(site, thread, reader, moderator):
    ListedWord.objects.create(site=site, word="slur", kind=ListedWord.Kind.BANNED)
    ModerationSettings.objects.create(site=site)
    PremoderationRule.objects.create(site=site, scope="site")
    post(thread, reader, "Held by the rule.")
    site_id = site.pk
    site.delete()
    assert not ModerationConfigVersion.objects.filter(site_id=site_id).exists()


@pytest.mark.django_db(transaction=True)
def test_a_site_deleted_in_a_committed_transaction_leaves_no_version_row(site):
    ListedWord.objects.create(site=site, word="slur", kind=ListedWord.Kind.BANNED)
    site_id = site.pk
    site.delete()  # committed at once: a version row written during the cascade would break the foreign key
    assert not ModerationConfigVersion.objects.filter(site_id=site_id).exists()
    assert config_snapshot.config_version(site_id) == ""
