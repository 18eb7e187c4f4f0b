from talkies.accounts.models import User
from talkies.comments.models import Comment, Thread
from talkies.comments.services import comment_create


def test_staff_close_a_thread_through_the_service_from_the_admin(client, thread, reader):
    boss = User.objects.create_superuser("boss", password="x")
    client.force_login(boss)
    before = Thread.objects.get(pk=thread.pk).version
    response = client.post("/admin/comments/thread/", {"action": "close_threads", "_selected_action": [thread.pk]})
    assert response.status_code == 302
    closed = Thread.objects.get(pk=thread.pk)
    assert closed.is_closed and closed.version == before + 1  # cached pages and live streams hear of it


def test_comments_are_read_only_in_the_admin_but_can_be_featured(client, thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Nice")
    boss = User.objects.create_superuser("boss", password="x")
    client.force_login(boss)
    assert client.get(f"/admin/comments/comment/{comment.pk}/change/").status_code == 200  # view only
    response = client.post(f"/admin/comments/comment/{comment.pk}/change/", {"status": "rejected"})
    assert response.status_code == 403
    # The moderation app gives the comments admin its decisions as actions (talkies.moderation.admin).
    client.post("/admin/comments/comment/", {"action": "moderate_feature", "_selected_action": [comment.pk]})
    assert Comment.objects.get(pk=comment.pk).is_featured
