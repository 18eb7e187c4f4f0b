"""Every HTML page the site serves carries the strict Content-Security-Policy, and nothing inline in it
runs or styles without the response's nonce.

Today no page of ours needs a nonce at all: every script and stylesheet is a file from our origin, which
'self' allows. A nonce is added to the header (by django-csp) only when a template uses
request.csp_nonce, so stored pages stay byte-identical to a fresh render (talkies.pagecache)."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from talkies.catalogue.models import Film
from talkies.stories.models import Story

# Inline code a CSP without 'unsafe-inline' blocks (a script with src= is a file, allowed from 'self').
# <script type="application/ld+json"> and json_script's
# application/json are data, never run, so the policy does not apply to them.
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
STYLE = re.compile(r"<style\b([^>]*)>", re.I)
DATA_TYPES = ("application/ld+json", "application/json")
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


def demo_pages() -> list[str]:
    story = Story.objects.order_by("pk").first()
    film = Film.objects.order_by("pk").first()
    assert story is not None and film is not None
    return [
        "/",
        story.get_absolute_url(),
        film.get_absolute_url(),
        "/accounts/login/",
        "/embed/login/?site=reelnews&origin=https://reelnews.example",
        "/api/v1/docs",
    ]


def nonce_of(policy: str) -> str:
    match = re.search(r"script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'", policy)
    assert match, policy
    return match.group(1)


def test_every_page_has_a_nonce_policy_and_nothing_inline_without_the_nonce(demo):
    client = Client()
    for path in demo_pages():
        response = client.get(path)
        assert response.status_code in {200, 403}, path
        policy = response["Content-Security-Policy"]
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"):
            assert directive in policy, (path, policy)
        assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy, (path, policy)
        nonce = nonce_of(policy) if "'nonce-" in policy else "(no nonce: nothing inline may run)"
        html = response.content.decode()
        for attributes in SCRIPT.findall(html):
            if " src=" not in attributes and not any(kind in attributes for kind in DATA_TYPES):
                assert f'nonce="{nonce}"' in attributes, (path, attributes)
        for attributes in STYLE.findall(html):
            assert f'nonce="{nonce}"' in attributes, (path, attributes)
        assert not STYLE_ATTRIBUTE.search(html), (path, STYLE_ATTRIBUTE.search(html))
        assert not HANDLER_ATTRIBUTE.search(html), (path, HANDLER_ATTRIBUTE.search(html))
        assert "javascript:" not in html, path


def test_a_template_that_uses_the_nonce_gets_one_of_its_own_per_response(rf):
    from django.http import HttpResponse
    from django.template import Context, Template

    from talkies.lib.content_security import SitePolicyMiddleware

    def view(request):
        return HttpResponse(
            Template('<script nonce="{{ request.csp_nonce }}">1</script>').render(Context({"request": request}))
        )

    policies = [SitePolicyMiddleware(view)(rf.get("/"))["Content-Security-Policy"] for _ in range(2)]
    assert nonce_of(policies[0]) != nonce_of(policies[1])


def test_the_admin_may_style_inline_but_scripts_stay_strict(demo, admin_client):
    policy = admin_client.get("/admin/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
