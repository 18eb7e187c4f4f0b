"""CSRF tokens on pages everyone shares.

A page a reader nobody knows asks for (a story on a site that takes guests, with its comment and reply
forms) is the same for every such reader, so the page store and caches in front keep it
(talkies.pagecache). A CSRF token would make it one reader's: Django masks the token afresh in every
response and sets the cookie each time. So such a page carries an empty token field instead, and the
token is fetched when a form is sent:

- with JavaScript, site.js fetches `csrf_token_view` on submit, fills every empty field and sends the form
  as the reader meant it (the button they pressed included);
- without it, the post fails Django's check for want of a token, and `csrf_failure` answers with the same
  form filled in and a real token: the reader presses the button once more and nothing they typed is lost.

A request that fails for any other reason (another site's Origin or Referer) gets Django's own refusal,
which echoes nothing back.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE, get_token
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.http import require_GET

from talkies.lib.cookies import request_is_personal

from .reader_shell import is_shell_render

# The name Django's CsrfViewMiddleware reads the token from in a form.
TOKEN_FIELD = "csrfmiddlewaretoken"
# Refusals a reader's own form can meet when its page was shared: nothing to do with another site.
TOKEN_NOT_YET_FETCHED = {REASON_NO_CSRF_COOKIE, REASON_CSRF_TOKEN_MISSING}
# What an HTML form sends; its text fields are repeated, never a file.
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# A resubmission page repeats at most this much of what was posted (forms here are a few fields).
MAX_REPEATED_FIELDS = 20


def is_shared_render(request: HttpRequest) -> bool:
    """Whether this response is the page every reader nobody knows gets (so it carries no token)."""
    # A signed-in reader's shell (web/reader_shell.py) is shared by every signed-in reader the same way.
    return request.method in ("GET", "HEAD") and (not request_is_personal(request) or is_shell_render(request))


@require_GET
def csrf_token_view(request: HttpRequest) -> JsonResponse:
    """A token for the forms of a shared page, with the cookie it pairs with. Never kept by a cache."""
    response = JsonResponse({"token": get_token(request)})
    add_never_cache_headers(response)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form from a shared page sent without JavaScript is shown again with a token."""
    if reason not in TOKEN_NOT_YET_FETCHED or request.method != "POST" or request.content_type not in FORM_TYPES:
        return django_csrf_failure(request, reason)
    fields = [(name, value) for name, values in request.POST.lists() if name != TOKEN_FIELD for value in values][
        :MAX_REPEATED_FIELDS
    ]
    response = render(
        request,
        "web/csrf_resubmit.html",
        {"action": request.get_full_path(), "fields": fields, "body": request.POST.get("body", "")},
        status=403,
    )
    add_never_cache_headers(response)
    return response
