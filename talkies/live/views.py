"""GET /live/threads/<id>/: a thread's live events, as Server-Sent Events."""

from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.views.decorators.http import require_GET

from talkies.accounts.models import Site
from talkies.comments.api import visible_threads_q
from talkies.comments.models import Thread
from talkies.moderation.permissions import Moderator, can_moderate_comments

from .db_thread import in_live_db_thread
from .stream import moderation_stream, thread_stream


@require_GET
async def thread_events(request: HttpRequest, thread_id: int) -> HttpResponseBase:
    """Stream thread `thread_id` of this site. Another site's thread, or a draft's, is a 404.

    Resumes after the browser's Last-Event-ID (sent when EventSource reconnects) or `?since=<event id>`;
    a page opening its stream passes `?version=<thread version it was rendered at>` so nothing that
    happened while it loaded is lost.
    """
    site = getattr(request, "site", None)
    if site is None:
        raise Http404("No publication is set up yet.")
    # In the streams' database thread, which hands its connection back at once: Django's own async ORM would
    # leave the connection with this request until the reader leaves (Django closes it when the response
    # ends), one connection per open page.
    visible = Thread.objects.filter(visible_threads_q(site), pk=thread_id)
    if not await in_live_db_thread(visible.exists):
        raise Http404(f"No thread {thread_id} on {site.name}.")
    if not isinstance(request, ASGIRequest):
        # Under WSGI every open stream would hold a worker thread for good (and Django would buffer an
        # async stream whole, never sending it). 204 tells EventSource to stop trying; pages still work.
        return HttpResponse(status=204, headers={"X-Talkies-Live": "off: serve with `talkies serve` (ASGI)"})

    after_id = _whole_number(request.headers.get("Last-Event-ID") or request.GET.get("since"))
    after_version = _whole_number(request.GET.get("version"))
    stream = thread_stream(thread_id=thread_id, after_id=after_id, after_version=after_version)
    response = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    # nginx buffers proxied responses by default, which would hold events back until a buffer fills.
    response["X-Accel-Buffering"] = "no"
    return response


@require_GET
async def moderation_events(request: HttpRequest) -> HttpResponseBase:
    """Stream this site's moderation arrivals to a moderator's screen: `moderation.pending` and
    `moderation.reported` events carrying a comment id. Refused (403) to anyone who may not moderate."""
    site = getattr(request, "site", None)
    if site is None:
        raise Http404("No publication is set up yet.")
    user = await request.auser()
    moderator = await sync_to_async(_moderator_then_hang_up)(user, site)
    if not can_moderate_comments(moderator, site):
        return HttpResponse("Only this site's moderators may follow its queues.", status=403, content_type="text/plain")
    if not isinstance(request, ASGIRequest):
        return HttpResponse(status=204, headers={"X-Talkies-Live": "off: serve with `talkies serve` (ASGI)"})
    after_id = _whole_number(request.headers.get("Last-Event-ID") or request.GET.get("since"))
    response = StreamingHttpResponse(
        moderation_stream(site_id=site.pk, after_id=after_id), content_type="text/event-stream; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


def _moderator_then_hang_up(user: Any, site: Site) -> Moderator:
    """The request's moderator, if any; then this request's database connection is closed, or Django
    would keep it (opened to read the session) until the stream ends.

    Runs in the request's sync thread, where `auser()` read the session: `connection` must be looked up
    there, since Django's connections belong to a thread (looking it up in the event loop and closing it
    here is the DatabaseError "created in a thread can only be used in that same thread").
    """
    try:
        return Moderator.of_user(user if user.is_authenticated else None, site)
    finally:
        connection.close()


def _whole_number(value: str | None) -> int | None:
    """A non-negative integer from a header or query parameter; anything else is ignored as absent."""
    value = (value or "").strip()
    # ASCII digits only (str.isdigit accepts "²"), and few enough to fit the database's 64-bit integers.
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value)
