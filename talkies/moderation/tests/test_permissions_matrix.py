"""Who may do what through the moderation API: every persona against every action, on Reel News.

The expectations follow talkies.moderation.permissions' table: readers (and critics, whose role grants
nothing here) may only report; editors work the queues and decide on comments but cannot sanction
authors; moderators, admins, superusers and the site's own API key may do everything. Staff of another
site, and another site's API key, get nothing of Reel News. Every refused request is also checked to
have changed nothing: comment statuses and flags, queue entries, author standings, reports and the
audit log are compared before and after.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from talkies.accounts.models import SiteMembership, User
from talkies.comments.models import Comment, Thread
from talkies.comments.services import comment_create
from talkies.embed.api_keys import api_key_create
from talkies.moderation.models import AuditEntry, AuthorStanding, PremoderationRule, QueueEntry, Report
from talkies.moderation.permissions import Moderator, Role
from talkies.moderation.services import REMOVED_NOTICE, moderate_comment

API = "/api/v1/moderation"
PASSWORD = "correct horse battery staple"


# --- The world every cell of the matrix starts from -----------------------------------------------


@dataclass
class World:
    site: Any
    other_site: Any
    author: User  # second_reader, whose comments are acted on and who is sanctioned
    published: Comment
    rejected: Comment  # rejected earlier by a moderator: the one to restore
    held: Comment
    held_too: Comment
    other_held: Comment  # pending on Other Reel: what its key should see instead


@pytest.fixture
def world(site, other_site, thread, second_reader, film) -> World:
    published = comment_create(thread=thread, author=second_reader, body="A fine film, all told.")
    rejected = comment_create(thread=thread, author=second_reader, body="Something a moderator took down.")
    setup = Moderator(site=site, role=Role.MODERATOR, key_name="setup")
    moderate_comment(comment=rejected, moderator=setup, action="reject", reason="Rude")
    # From here on every comment second_reader writes on Reel News is held for a moderator.
    PremoderationRule.objects.create(site=site, scope=PremoderationRule.Scope.USER, user=second_reader)
    held = comment_create(thread=thread, author=second_reader, body="Held for a moderator.")
    held_too = comment_create(thread=thread, author=second_reader, body="Also held for a moderator.")
    assert (held.status, held_too.status) == (Comment.Status.PENDING, Comment.Status.PENDING)

    other_thread = Thread.objects.create(site=other_site, key="https://other.example/b", film=film, title="Elsewhere")
    PremoderationRule.objects.create(site=other_site, scope=PremoderationRule.Scope.SITE)
    other_held = comment_create(thread=other_thread, author=second_reader, body="Held on Other Reel.")
    assert other_held.status == Comment.Status.PENDING
    return World(site, other_site, second_reader, published, rejected, held, held_too, other_held)


def snapshot(world: World) -> dict[str, Any]:
    """Everything on Reel News a moderation request could change."""
    site = world.site
    return {
        "comments": list(
            Comment.objects.filter(thread__site=site)
            .order_by("pk")
            .values_list("pk", "status", "is_featured", "is_spoiler", "moderation_notice", "body_source")
        ),
        "entries": list(
            QueueEntry.objects.filter(site=site)
            .order_by("pk")
            .values_list("comment_id", "status", "is_moderated", "is_reported", "report_count")
        ),
        "standings": list(AuthorStanding.objects.filter(site=site).order_by("pk").values()),
        "audit": AuditEntry.objects.filter(site=site).count(),
        "reports": Report.objects.count(),
    }


# --- The personas -----------------------------------------------------------------------------------


@dataclass
class Caller:
    """A persona's HTTP client, with the headers each of its requests carries."""

    client: Client
    headers: dict[str, str]
    user: User | None = None

    def get(self, url: str):
        return self.client.get(url, headers=self.headers)

    def post(self, url: str, data: dict[str, Any]):
        return self.client.post(url, data, content_type="application/json", headers=self.headers)


def session_caller(user: User | None) -> Caller:
    """A browser: checks CSRF, logged in as `user` (or nobody), holding the CSRF token of its session."""
    client = Client(enforce_csrf_checks=True)
    if user is None:
        return Caller(client, {})
    client.force_login(user)
    token = client.get("/api/v1/session").json()["csrf_token"]
    return Caller(client, {"X-CSRFToken": token}, user)


def key_caller(site) -> Caller:
    _, key = api_key_create(site=site, name="newsroom tools")
    return Caller(Client(enforce_csrf_checks=True), {"Authorization": f"Api-Key {key}"})


def with_role(site, username: str, role: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    SiteMembership.objects.create(site=site, user=user, role=role)
    return user


PERSONAS = [
    "anonymous",
    "reader",
    "critic",
    "editor",
    "moderator",
    "admin",
    "superuser",
    "outsider",
    "site_key",
    "other_site_key",
]


@pytest.fixture
def make_caller(site, other_site, reader, editor, moderator, outsider) -> Callable[[str], Caller]:
    def make(persona: str) -> Caller:
        if persona == "anonymous":
            return session_caller(None)
        if persona == "critic":
            return session_caller(with_role(site, "critic", SiteMembership.Role.CRITIC))
        if persona == "admin":
            return session_caller(with_role(site, "siteadmin", SiteMembership.Role.ADMIN))
        if persona == "superuser":
            return session_caller(User.objects.create_superuser("boss", password=PASSWORD))
        if persona == "site_key":
            return key_caller(site)
        if persona == "other_site_key":
            return key_caller(other_site)
        return session_caller(
            {"reader": reader, "editor": editor, "moderator": moderator, "outsider": outsider}[persona]
        )

    return make


# --- The actions --------------------------------------------------------------------------------------


def comment_action(name: str, target: str, **extra: Any) -> Callable[[World, Caller], Any]:
    def do(world: World, caller: Caller):
        comment = getattr(world, target)
        return caller.post(f"{API}/comments/{comment.pk}", {"action": name, **extra})

    return do


def author_action(name: str, **extra: Any) -> Callable[[World, Caller], Any]:
    def do(world: World, caller: Caller):
        return caller.post(f"{API}/authors", {"action": name, "user_id": world.author.pk, **extra})

    return do


def reload(comment: Comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


def standing(world: World) -> AuthorStanding:
    return AuthorStanding.objects.get(site=world.site, user=world.author)


def check_queue(world: World, response) -> None:
    body = response.json()
    assert body["queue"] == "pending"
    assert [item["comment_id"] for item in body["items"]] == [world.held_too.pk, world.held.pk]


def check_counts(world: World, response) -> None:
    counts = response.json()["counts"]
    assert (counts["pending"], counts["rejected"]) == (2, 1)


def check_approved(world: World, response) -> None:
    assert response.json()["status"] == "approved"
    assert reload(world.held).status == Comment.Status.APPROVED


def check_rejected(world: World, response) -> None:
    comment = reload(world.published)
    assert (comment.status, comment.moderation_notice) == (
        Comment.Status.REJECTED,
        "A moderator rejected your comment: Off topic",
    )


def check_removed(world: World, response) -> None:
    comment = reload(world.published)
    assert (comment.status, comment.moderation_notice) == (Comment.Status.REJECTED, REMOVED_NOTICE)


def check_restored(world: World, response) -> None:
    assert reload(world.rejected).status == Comment.Status.APPROVED


def check_featured(world: World, response) -> None:
    assert response.json()["is_featured"] is True
    assert reload(world.published).is_featured


def check_spoiler(world: World, response) -> None:
    assert response.json()["is_spoiler"] is True
    assert reload(world.published).is_spoiler


def check_bulk(world: World, response) -> None:
    assert response.json() == {"done": [world.held.pk, world.held_too.pk], "failed": {}}
    assert {reload(c).status for c in (world.held, world.held_too)} == {Comment.Status.APPROVED}


def check_banned(world: World, response) -> None:
    assert response.json()["is_banned"] is True
    assert (standing(world).is_banned, standing(world).reason) == (True, "Spam")


def check_suspended(world: World, response) -> None:
    until = standing(world).suspended_until
    assert until is not None and until > timezone.now()


def check_shadow_banned(world: World, response) -> None:
    assert response.json()["is_shadow_banned"] is True
    assert standing(world).is_shadow_banned


def check_trusted(world: World, response) -> None:
    assert response.json()["is_trusted"] is True
    assert standing(world).is_trusted


def check_comment_audit(world: World, response) -> None:
    entries = response.json()
    assert [(e["action"], e["actor"], e["reason"]) for e in entries] == [("reject", "API key “setup”", "Rude")]


def check_author_audit(world: World, response) -> None:
    entries = response.json()
    assert {e["comment_id"] for e in entries} == {world.rejected.pk, world.held.pk, world.held_too.pk}
    assert sorted(e["action"] for e in entries) == ["hold", "hold", "reject"]


def check_reported(world: World, response) -> None:
    assert response.json() == {"comment_id": world.published.pk, "reported": True}
    assert Report.objects.filter(comment=world.published, reason="spam").count() == 1


def in_the_future() -> str:
    return (timezone.now() + datetime.timedelta(days=3)).isoformat()


@dataclass(frozen=True)
class Act:
    kind: str  # read, decide, sanction or report
    do: Callable[[World, Caller], Any]
    check: Callable[[World, Any], None]


ACTIONS: dict[str, Act] = {
    "list_queue": Act("read", lambda w, c: c.get(f"{API}/queues/pending"), check_queue),
    "counts": Act("read", lambda w, c: c.get(f"{API}/counts"), check_counts),
    "approve": Act("decide", comment_action("approve", "held"), check_approved),
    "reject": Act("decide", comment_action("reject", "published", reason="Off topic"), check_rejected),
    "remove": Act("decide", comment_action("remove", "published"), check_removed),
    "restore": Act("decide", comment_action("restore", "rejected"), check_restored),
    "feature": Act("decide", comment_action("feature", "published"), check_featured),
    "mark_spoiler": Act("decide", comment_action("mark_spoiler", "published"), check_spoiler),
    "bulk_approve": Act(
        "decide",
        lambda w, c: c.post(f"{API}/comments", {"comment_ids": [w.held.pk, w.held_too.pk], "action": "approve"}),
        check_bulk,
    ),
    "ban": Act("sanction", author_action("ban", reason="Spam"), check_banned),
    "suspend": Act("sanction", lambda w, c: author_action("suspend", until=in_the_future())(w, c), check_suspended),
    "shadow_ban": Act("sanction", author_action("shadow_ban"), check_shadow_banned),
    "trust": Act("sanction", author_action("trust"), check_trusted),
    "comment_audit": Act("read", lambda w, c: c.get(f"{API}/comments/{w.rejected.pk}/audit"), check_comment_audit),
    "author_audit": Act("read", lambda w, c: c.get(f"{API}/authors/{w.author.pk}/audit"), check_author_audit),
    "report": Act(
        "report",
        lambda w, c: c.post(f"/api/v1/comments/{w.published.pk}/report", {"reason": "spam"}),
        check_reported,
    ),
}

ALLOWED = 200
# What each persona is answered, by kind of action. A status other than 200 means refused.
EXPECTED: dict[str, dict[str, int]] = {
    # The moderation endpoints ask for a login (or a key) first; reporting asks for a login.
    "anonymous": {"read": 401, "decide": 401, "sanction": 401, "report": 401},
    "reader": {"read": 403, "decide": 403, "sanction": 403, "report": ALLOWED},
    "critic": {"read": 403, "decide": 403, "sanction": 403, "report": ALLOWED},
    "editor": {"read": ALLOWED, "decide": ALLOWED, "sanction": 403, "report": ALLOWED},
    "moderator": {"read": ALLOWED, "decide": ALLOWED, "sanction": ALLOWED, "report": ALLOWED},
    "admin": {"read": ALLOWED, "decide": ALLOWED, "sanction": ALLOWED, "report": ALLOWED},
    "superuser": {"read": ALLOWED, "decide": ALLOWED, "sanction": ALLOWED, "report": ALLOWED},
    # Staff of Other Reel are plain readers of Reel News: accounts are install-wide, roles are per site.
    "outsider": {"read": 403, "decide": 403, "sanction": 403, "report": ALLOWED},
    # A key is a newsroom's server, not a reader: reporting is for readers, so it is asked to log in.
    "site_key": {"read": ALLOWED, "decide": ALLOWED, "sanction": ALLOWED, "report": 401},
}


MATRIX = [
    pytest.param(
        persona,
        action,
        id=f"{persona}-{action}",
    )
    for persona in PERSONAS
    if persona != "other_site_key"
    for action in ACTIONS
]


@pytest.mark.parametrize(("persona", "action"), MATRIX)
def test_each_persona_may_do_exactly_what_its_role_allows(persona, action, world, make_caller):
    act = ACTIONS[action]
    caller = make_caller(persona)
    before = snapshot(world)

    response = act.do(world, caller)

    expected = EXPECTED[persona][act.kind]
    assert response.status_code == expected, response.content
    if expected == ALLOWED:
        act.check(world, response)
        if act.kind == "read":
            assert snapshot(world) == before
    else:
        assert response.json()["error"]
        assert snapshot(world) == before


# --- Another site's API key: it works its own site's queues, never Reel News' -----------------------

# A key acts for the site it belongs to, whatever host the request reached (talkies.moderation.api:
# "the site is the one the credential belongs to"). So a request naming a Reel News comment is a 404,
# and the requests that name no comment (queues, counts, an author) answer about Other Reel.
OTHER_KEY_NOT_FOUND = [a for a, act in ACTIONS.items() if act.kind == "decide"] + ["comment_audit"]


@pytest.mark.parametrize("action", OTHER_KEY_NOT_FOUND)
def test_another_sites_key_cannot_find_this_sites_comments(action, world, make_caller):
    before = snapshot(world)

    response = ACTIONS[action].do(world, make_caller("other_site_key"))

    if action == "bulk_approve":  # each comment fails on its own: none is one of Other Reel's
        assert response.status_code == 200, response.content
        assert response.json()["done"] == []
        assert all("on Other Reel" in why for why in response.json()["failed"].values())
    else:
        assert response.status_code == 404, response.content
        assert response.json()["field"] == "comment_id"
        assert "on Other Reel" in response.json()["error"]
    assert snapshot(world) == before


def test_another_sites_key_lists_its_own_queue_and_none_of_this_sites(world, make_caller):
    caller = make_caller("other_site_key")
    before = snapshot(world)

    queue = caller.get(f"{API}/queues/pending")
    counts = caller.get(f"{API}/counts")

    assert queue.status_code == counts.status_code == 200
    assert [item["comment_id"] for item in queue.json()["items"]] == [world.other_held.pk]
    assert counts.json()["counts"]["pending"] == 1 and counts.json()["counts"]["rejected"] == 0
    assert snapshot(world) == before


def test_another_sites_key_reads_none_of_this_sites_audit_about_an_author(world, make_caller):
    response = make_caller("other_site_key").get(f"{API}/authors/{world.author.pk}/audit")

    assert response.status_code == 200
    assert {e["comment_id"] for e in response.json()} == {world.other_held.pk}  # Other Reel's own hold


@pytest.mark.parametrize("action", [a for a, act in ACTIONS.items() if act.kind == "sanction"])
def test_another_sites_key_sanctions_only_on_its_own_site(action, world, make_caller, thread):
    before = snapshot(world)

    response = ACTIONS[action].do(world, make_caller("other_site_key"))

    assert response.status_code == 200, response.content
    assert AuthorStanding.objects.filter(site=world.other_site, user=world.author).exists()
    assert snapshot(world) == before  # no standing, no audit entry on Reel News
    PremoderationRule.objects.filter(site=world.site).delete()
    assert comment_create(thread=thread, author=world.author, body="Still welcome here.").status == "approved"


def test_another_sites_key_cannot_report(world, make_caller):
    before = snapshot(world)

    response = ACTIONS["report"].do(world, make_caller("other_site_key"))

    assert response.status_code == 401
    assert snapshot(world) == before


# --- Around the edges of the matrix -----------------------------------------------------------------


def test_a_session_write_without_its_csrf_token_is_refused_even_for_a_moderator(world, moderator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    before = snapshot(world)

    response = client.post(f"{API}/comments/{world.held.pk}", {"action": "approve"}, content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]
    assert snapshot(world) == before


def test_a_revoked_or_unknown_key_is_refused(world, site):
    before = snapshot(world)
    response = Client().post(
        f"{API}/comments/{world.held.pk}",
        {"action": "approve"},
        content_type="application/json",
        headers={"Authorization": "Api-Key tk_not-a-key"},
    )

    assert response.status_code == 401
    assert response.json()["field"] == "authorization"
    assert snapshot(world) == before


def test_an_inactive_moderator_is_refused(world, moderator, make_caller):
    caller = make_caller("moderator")
    User.objects.filter(pk=moderator.pk).update(is_active=False)
    before = snapshot(world)

    response = caller.post(f"{API}/comments/{world.held.pk}", {"action": "approve"})

    assert response.status_code in (401, 403)
    assert snapshot(world) == before


def test_the_audit_names_who_acted_through_the_api(world, make_caller, moderator):
    make_caller("moderator").post(f"{API}/comments/{world.held.pk}", {"action": "approve", "reason": "Fine"})
    make_caller("site_key").post(f"{API}/comments/{world.held_too.pk}", {"action": "approve"})

    by_comment = {e.comment_id: e for e in AuditEntry.objects.filter(action="approve")}
    assert (by_comment[world.held.pk].actor_label, by_comment[world.held.pk].actor_id) == ("moderator", moderator.pk)
    assert by_comment[world.held.pk].reason == "Fine"
    assert (by_comment[world.held_too.pk].actor_label, by_comment[world.held_too.pk].actor_id) == (
        "API key “newsroom tools”",
        None,
    )
