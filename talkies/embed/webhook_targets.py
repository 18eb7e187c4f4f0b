"""Where a webhook may be sent: public internet addresses only, unless the operator allows more.

Talkies sends webhook requests from inside the operator's network, so a webhook URL that named a loopback,
private or link-local address (a database's admin port, a cloud metadata service at 169.254.169.254)
would let whoever sets it reach what the internet cannot. Every address a webhook would connect to is
therefore checked: a literal address when the URL is saved, and at send time every address the host
resolves to, once; the request then goes to the address that was checked (PinnedHTTPConnection), so a
DNS answer that changes between the check and the connection (DNS rebinding) changes nothing.

WEBHOOK_ALLOWED_NETWORKS (docs/operating.md) lists networks that are allowed even so, for a receiver on
the operator's own network (and the test suite's on 127.0.0.1).
"""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class DisallowedTarget(Exception):
    """The webhook's host is, or resolves to, an address Talkies does not send to."""


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries and routes to (::ffff:127.0.0.1, 2002:7f00:1::), if any."""
    return address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)


def _allowed_by_operator(address: IPAddress) -> bool:
    return any(
        address.version == network.version and address in network
        for network in (ipaddress.ip_network(item, strict=False) for item in settings.WEBHOOK_ALLOWED_NETWORKS)
    )


def is_allowed_address(address: IPAddress) -> bool:
    """Whether a webhook may connect to `address`: a global unicast address, or one in an allowed network.

    `is_global` is false for loopback, private, link-local, shared (100.64/10), reserved, unspecified and
    documentation ranges alike; multicast is refused on its own, as some multicast ranges count as global.
    An IPv6 address that carries an IPv4 one (mapped, 6to4, Teredo) is judged by the IPv4 address too, as
    that is where it leads.
    """
    if _allowed_by_operator(address):
        return True
    if not address.is_global or address.is_multicast:
        return False
    embedded = _embedded_ipv4(address) if isinstance(address, ipaddress.IPv6Address) else None
    return embedded is None or is_allowed_address(embedded)


def literal_address(host: str) -> IPAddress | None:
    """The address a URL's host names literally ("10.0.0.1", "::1" without its brackets), else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def resolve(host: str, port: int) -> IPAddress:
    """Resolve `host` once and return the address to connect to, or raise DisallowedTarget if any of the
    addresses it resolves to is not allowed (a name that answers with a public and a private address is
    refused: which one a later lookup picks is not ours to decide). socket.gaierror if it does not resolve."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # The scope of a link-local IPv6 address ("%eth0") is cut off: such an address is refused anyway.
    addresses = [ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]) for *_, sockaddr in answers]
    if not addresses:
        raise socket.gaierror(socket.EAI_NONAME, "no address")
    if not all(is_allowed_address(address) for address in addresses):
        raise DisallowedTarget(host)
    return addresses[0]


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address resolved beforehand; Host still names the URL's host."""

    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self.address), self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class PinnedHTTPSConnection(PinnedHTTPConnection):
    """HTTPS to an address resolved beforehand: the certificate is verified against the URL's host name,
    which is also sent as SNI, exactly as if the name had been looked up by the connection itself."""

    default_port = http.client.HTTPS_PORT

    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, address=address, timeout=timeout)
        self.context = context

    def connect(self) -> None:
        super().connect()
        self.sock = self.context.wrap_socket(self.sock, server_hostname=self.host)


def open_connection(url: str, *, timeout: float) -> tuple[PinnedHTTPConnection, str]:
    """A connection to the webhook URL's host, resolved and checked once, and the path to request."""
    parts = urlsplit(url)
    host, https = parts.hostname or "", parts.scheme == "https"
    port = parts.port or (http.client.HTTPS_PORT if https else http.client.HTTP_PORT)
    address = resolve(host, port)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if https:
        context = ssl.create_default_context()
        return PinnedHTTPSConnection(host, port, address=address, timeout=timeout, context=context), path
    return PinnedHTTPConnection(host, port, address=address, timeout=timeout), path
