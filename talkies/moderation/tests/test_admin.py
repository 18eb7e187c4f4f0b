"""The admin: moderation decisions as actions through the services; the audit log read-only."""

import pytest

from talkies.accounts.models import User
from talkies.comments.models import Comment
from talkies.comments.services import comment_create
from talkies.moderation.models import AuditEntry, PremoderationRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, site):
    admin = User.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    return client


def test_approving_from_the_admin_goes_through_the_service_and_the_audit_log(staff_client, site, thread, reader):
    PremoderationRule.objects.create(site=site, scope=PremoderationRule.Scope.SITE)
    held = comment_create(thread=thread, author=reader, body="Held")
    answer = staff_client.post(
        "/admin/comments/comment/", {"action": "moderate_approve", "_selected_action": [held.pk]}, follow=True
    )
    assert answer.status_code == 200
    held.refresh_from_db()
    thread.refresh_from_db()
    assert held.status == Comment.Status.APPROVED and thread.comment_count == 1
    assert AuditEntry.objects.filter(comment_id=held.pk, action="approve", actor_label="boss").exists()


def test_the_audit_log_cannot_be_changed_or_deleted_from_the_admin(staff_client, site, thread, reader):
    PremoderationRule.objects.create(site=site, scope=PremoderationRule.Scope.SITE)
    held = comment_create(thread=thread, author=reader, body="Held")
    entry = AuditEntry.objects.get(comment_id=held.pk)
    page = staff_client.get(f"/admin/moderation/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert staff_client.post(f"/admin/moderation/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="tampered")
    with pytest.raises(PermissionError):
        entry.save()


def test_banning_a_comments_author_from_the_admin_is_logged(staff_client, site, thread, reader):
    from talkies.moderation.models import AuthorStanding

    comment = comment_create(thread=thread, author=reader, body="Rude")
    staff_client.post("/admin/comments/comment/", {"action": "authors_ban", "_selected_action": [comment.pk]})
    assert AuthorStanding.objects.get(site=site, user=reader).is_banned
    assert AuditEntry.objects.filter(site=site, action="ban", subject_user_id=reader.pk, actor_label="boss").exists()
