"""SSO payloads that are signed but hostile: deeply nested, oversized, or carrying text no column can store.

A host site's secret can leak, or its server can pass a reader's profile through unchecked; either way the
payload is refused with a 401 naming `sso`, never a crash.
"""

import base64
import json
import time

import pytest

from talkies.accounts.models import User
from talkies.embed.tokens import MAX_SSO_LENGTH, encode_sso, sso_signature

from .conftest import SSO_SECRET
from .test_sso import exchange, signed


def signed_text(payload_text: str, secret: str = SSO_SECRET) -> str:
    """A payload signed exactly as given, for payloads json.dumps would never write."""
    encoded = base64.urlsafe_b64encode(payload_text.encode()).decode().rstrip("=")
    return f"{encoded}.{sso_signature(encoded, secret)}"


def test_a_deeply_nested_payload_is_refused_naming_sso(embedded, browser):
    response = exchange(browser, signed_text("[" * 1000 + "]" * 1000))

    assert response.status_code == 401, response.content
    assert response.json()["field"] == "sso"


def test_a_payload_nesting_a_value_deeply_is_refused_naming_sso(embedded, browser):
    nested = "[" * 1000 + "]" * 1000
    text = json.dumps({"id": "42", "name": "Sam", "exp": int(time.time()) + 600})[:-1] + f', "roles": {nested}}}'

    response = exchange(browser, signed_text(text))

    assert response.status_code == 401, response.content
    assert response.json()["field"] == "sso"


def test_brackets_inside_strings_do_not_count_as_nesting(embedded, browser):
    response = exchange(browser, signed(name="[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[Sam]]]]]"))

    assert response.status_code == 200, response.content
    assert User.objects.get(username="sso-reelnews-42").display_name.startswith("[[[[")


def test_an_oversized_payload_is_refused_before_it_is_read(embedded, browser):
    response = exchange(browser, signed(name="x" * MAX_SSO_LENGTH))

    assert response.status_code == 401, response.content
    assert response.json() == {"error": f"sso is longer than {MAX_SSO_LENGTH} characters", "field": "sso"}


@pytest.mark.parametrize("field", ["name", "email"])
@pytest.mark.parametrize("text", ["Sam\x00Host", "Sam\ud800Host"], ids=["NUL", "lone surrogate"])
def test_a_name_or_email_the_database_cannot_store_is_refused_naming_sso(embedded, browser, field, text):
    response = exchange(browser, encode_sso({**json.loads(base64_payload(signed())), field: text}, SSO_SECRET))

    assert response.status_code == 401, response.content
    assert response.json()["field"] == "sso"
    assert response.json()["error"].startswith(f"sso {field} contains")
    assert not User.objects.filter(username="sso-reelnews-42").exists()


def base64_payload(sso: str) -> str:
    encoded = sso.partition(".")[0]
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
