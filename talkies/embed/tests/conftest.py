"""Embedding fixtures: Reel News embedded on https://reelnews.example, Other Reel on https://otherreel.example."""

import pytest
from django.test import Client

from talkies.embed.models import EmbedSettings

ORIGIN = "https://reelnews.example"
OTHER_ORIGIN = "https://otherreel.example"
SSO_SECRET = "reelnews-sso-secret-for-tests-0123456789"
OTHER_SSO_SECRET = "otherreel-sso-secret-for-tests-0123456789"


@pytest.fixture
def embedded(site):
    EmbedSettings.objects.create(site=site, allowed_origins=f"{ORIGIN}\nhttp://localhost:8080", sso_secret=SSO_SECRET)
    return site


@pytest.fixture
def other_embedded(other_site):
    EmbedSettings.objects.create(site=other_site, allowed_origins=OTHER_ORIGIN, sso_secret=OTHER_SSO_SECRET)
    return other_site


@pytest.fixture
def browser() -> Client:
    """A client that checks CSRF like a browser, and sends no cookies of ours (they are third-party)."""
    return Client(enforce_csrf_checks=True)
