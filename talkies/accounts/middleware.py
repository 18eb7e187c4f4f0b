from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .requests import SiteRequest
from .selectors import site_for_host


class CurrentSiteMiddleware:
    """Attach the publication this request is for as `request.site` (by host, else the default site)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SiteRequest) -> HttpResponse:
        request.site = site_for_host(request.get_host().split(":")[0])
        return self.get_response(request)
