"""Webhooks go only to public addresses: checked when the URL is saved and, once per attempt, when it is sent."""

import socket
import ssl
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError

from talkies.embed import webhook_targets
from talkies.embed.models import Webhook, WebhookDelivery
from talkies.embed.webhooks import deliver, queue_event

PUBLIC_ADDRESS = "93.184.216.34"


@pytest.fixture(autouse=True)
def no_network_is_allowed_beyond_the_default(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []


def send_one(site, url: str) -> WebhookDelivery:
    hook = Webhook.objects.create(site=site, url=url, events=["comment.created"])
    (delivery,) = queue_event(site_id=site.pk, event="comment.created", data={}, hooks=[hook])
    deliver(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def answers(*addresses: str):
    """getaddrinfo's answer for `addresses`, as a resolver would give it."""
    return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 443)) for a in addresses]


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/hook",
        "http://[::1]:8080/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:6379/",
        "http://0.0.0.0/",
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://224.0.0.1/",
        "http://[fe80::1]/",
    ],
)
def test_a_literal_internal_address_is_refused_when_the_url_is_saved(site, url):
    with pytest.raises(ValidationError) as refused:
        Webhook(site=site, url=url, events=["comment.created"]).full_clean()
    assert "internal address" in str(refused.value.message_dict["url"])


def test_a_public_address_or_host_name_is_accepted_when_saved(site):
    Webhook(site=site, url=f"https://{PUBLIC_ADDRESS}/hook", events=["comment.created"]).full_clean()
    Webhook(site=site, url="https://hooks.example/hook", events=["comment.created"]).full_clean()


def test_an_allowed_network_may_be_saved(site, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.1.2.0/24"]
    Webhook(site=site, url="http://10.1.2.3/hook", events=["comment.created"]).full_clean()
    with pytest.raises(ValidationError):
        Webhook(site=site, url="http://10.1.3.3/hook", events=["comment.created"]).full_clean()


def test_a_host_name_that_resolves_to_loopback_is_refused_when_sent(site, receiver):
    port = urlsplit(receiver.url).port
    delivery = send_one(site, f"http://localhost:{port}/hooks/talkies")

    attempt = delivery.attempt_log.get()
    assert (attempt.response_code, attempt.error) == (None, "refused: private address")
    assert receiver.received == []
    assert delivery.status == "pending"  # retried later, as any failed attempt: the operator may allow it


def test_a_name_with_any_internal_address_among_its_answers_is_refused(site, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers(PUBLIC_ADDRESS, "10.0.0.7"))
    connected = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a))

    delivery = send_one(site, "https://hooks.example/hook")

    assert delivery.attempt_log.get().error == "refused: private address"
    assert connected == []


def test_dns_rebinding_cannot_change_where_the_request_goes(site, receiver, monkeypatch):
    """The name is resolved once, and the connection goes to the address that was checked, whatever a
    second lookup would answer (here: loopback)."""
    lookups = []

    def rebinding_resolver(host, port, *args, **kwargs):
        lookups.append(host)
        return answers(PUBLIC_ADDRESS if len(lookups) == 1 else "127.0.0.1")

    receiver_address = ("127.0.0.1", urlsplit(receiver.url).port)
    connected_to = []

    def connect(address, timeout=None, *args, **kwargs):
        # The pinned address is recorded, then the test's receiver stands in for the public server.
        connected_to.append(address)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.connect(receiver_address)
        return sock

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_resolver)
    monkeypatch.setattr(socket, "create_connection", connect)

    delivery = send_one(site, "http://hooks.example:8080/hooks/talkies?site=reelnews")

    assert lookups == ["hooks.example"]
    assert connected_to == [(PUBLIC_ADDRESS, 8080)]
    assert delivery.status == "delivered"
    headers, _ = receiver.received[0]
    assert headers["Host"] == "hooks.example:8080"  # the original host, not the address


def test_https_verifies_the_certificate_against_the_host_name_it_sends_as_sni(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers(PUBLIC_ADDRESS))
    connection, path = webhook_targets.open_connection("https://hooks.example/t?x=1", timeout=1)

    assert isinstance(connection, webhook_targets.PinnedHTTPSConnection)
    assert (str(connection.address), connection.port, path) == (PUBLIC_ADDRESS, 443, "/t?x=1")
    assert connection.context.verify_mode == ssl.CERT_REQUIRED and connection.context.check_hostname

    wrapped_for = []

    class RecordingContext:
        def wrap_socket(self, sock, server_hostname):
            wrapped_for.append(server_hostname)
            return sock

    listener = socket.create_server(("127.0.0.1", 0))
    ours = socket.socket()
    ours.connect(listener.getsockname())
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: ours)
    connection.context = RecordingContext()  # type: ignore[assignment]
    connection.connect()
    assert wrapped_for == ["hooks.example"]
    ours.close()
    listener.close()


def test_failures_are_logged_as_a_kind_never_as_the_errors_text(site, monkeypatch):
    def timing_out(*args, **kwargs):
        raise TimeoutError("timed out talking to 10.0.0.5:5432 (postgres)")

    monkeypatch.setattr(socket, "create_connection", timing_out)
    assert send_one(site, f"http://{PUBLIC_ADDRESS}/a").attempt_log.get().error == "timeout"

    def refusing(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused by 10.0.0.5")

    monkeypatch.setattr(socket, "create_connection", refusing)
    assert send_one(site, f"http://{PUBLIC_ADDRESS}/b").attempt_log.get().error == "connection failed"

    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: (_ for _ in ()).throw(socket.gaierror(-2, "nope")))
    assert send_one(site, "http://no-such-host.example/c").attempt_log.get().error == "host not found"


def test_an_error_status_is_logged_by_its_class(site, receiver, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    receiver.status = 503

    attempt = send_one(site, receiver.url).attempt_log.get()

    assert (attempt.response_code, attempt.error) == (503, "HTTP 5xx")


def test_a_redirect_is_not_followed(site, receiver, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    receiver.status = 302

    delivery = send_one(site, receiver.url)

    assert (delivery.response_code, delivery.attempt_log.get().error) == (302, "HTTP 3xx")
    assert len(receiver.received) == 1
