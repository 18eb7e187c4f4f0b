"""Email through the queue: `enqueue_email(message)` instead of `message.send()`.

Each email is its own task, so a failing address or mail server retries that one email and nothing else.
The email's Message-ID is chosen when it is queued and kept in the task, so every attempt sends the same
one. That matters in the one case where an email can go out twice: a worker that dies after the mail
server accepted the message but before it recorded the task as done. The next claim sends it again,
with the same Message-ID, which mail servers and clients use to drop the duplicate.
"""

import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection

from .models import Task
from .queue import enqueue, task


def _message_id() -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "talkies.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def enqueue_email(message: EmailMessage) -> Task:
    """Queue `message` to be sent by the worker (plain text, with any HTML alternative; no attachments)."""
    if message.attachments:
        raise ValueError("queued emails cannot carry attachments")
    headers = {"Message-ID": _message_id(), **message.extra_headers}
    alternatives = [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])]
    return enqueue(
        send_email,
        subject=str(message.subject),
        body=str(message.body),
        from_email=message.from_email,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers=headers,
        alternatives=alternatives,
    )


@task()
def send_email(*, alternatives: list[list[str]], **fields: Any) -> None:
    """Send one queued email; raises (and so is retried) if the mail server refuses or cannot be reached."""
    message = EmailMultiAlternatives(**fields, connection=get_connection(fail_silently=False))
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    message.send()
