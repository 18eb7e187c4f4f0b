"""Live payloads and webhooks go to everyone: they never say what any one reader may do."""

import json

from talkies.comments.events import ThreadEvent, ThreadEventKind
from talkies.comments.services import comment_create
from talkies.embed.webhooks import CommentWebhookOut
from talkies.live.payloads import event_payload

VIEWER_FIELDS = {"can_edit", "can_remove", "can_report", "editable_until"}


def test_a_live_comment_payload_has_no_viewer_fields(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Live")
    event = ThreadEvent(
        kind=ThreadEventKind.COMMENT_CREATED,
        site_id=thread.site_id,
        thread_id=thread.pk,
        version=1,
        comment_id=comment.pk,
    )
    payload = event_payload(event)
    assert payload is not None
    assert payload["comment"]["id"] == comment.pk
    assert not VIEWER_FIELDS & set(payload["comment"])


def test_a_webhook_comment_has_no_viewer_fields_but_the_thread_and_username(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Hooked")
    data = json.loads(json.dumps(CommentWebhookOut.render(comment)))
    assert not VIEWER_FIELDS & set(data)
    assert data["thread"]["key"] == thread.key and data["author_username"] == reader.username
