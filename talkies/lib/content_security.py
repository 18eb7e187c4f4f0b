"""The Content-Security-Policy of every page Talkies serves (django-csp builds and sends the header).

The site's own pages get the strict policy in settings.CONTENT_SECURITY_POLICY: scripts and styles only
from our origin or carrying the response's nonce, no inline style attributes. Django's admin is not
ours to rewrite and its change list carries an inline <style>, so under the admin's prefix styles may
also be inline; its scripts stay as strict as everywhere else.

A page the fast path stores (talkies.pagecache) is replayed with the header and the body Django sent,
so the nonce in both stays the same for everyone who gets those exact bytes. That is safe: what the
nonce guards against is markup injected into a response, and a stored page's bytes are fixed; any
change to the page renders it again, with a new nonce.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse


class SitePolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(reverse("admin:index")):
            parts.replace = {**(parts.replace or {}), "style-src": [SELF, UNSAFE_INLINE]}
        return parts
