"""What every family of pages needs: the request's site, today, and a safe place to go back to."""

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from talkies.accounts.models import Site
from talkies.accounts.requests import SiteRequest


def current_site(request: SiteRequest) -> Site:
    if request.site is None:
        raise Http404("No publication is set up yet: run `talkies demo`, or add a Site in the admin.")
    return request.site


def today() -> datetime.date:
    return timezone.localdate()


def safe_next(request: SiteRequest, fallback: str) -> str:
    """The page a form came from (its `next` field), if it is on this site; else `fallback`.

    Checked because a `next` is attacker-controllable and would otherwise make us an open redirect.
    """
    target = request.POST.get("next", "").split("#", 1)[0]
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback
