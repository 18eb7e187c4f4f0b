"""Embedding fixtures: Reel News embedded on https://reelnews.example, Other Reel on https://otherreel.example."""

import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

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


@dataclass
class Receiver:
    """What the local server was sent, and the status it answers with."""

    status: int = 204
    delay: float = 0.0  # seconds before answering, like a slow receiver
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((dict(self.headers), body))
            time.sleep(state.delay)
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)  # loopback only
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/talkies"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
