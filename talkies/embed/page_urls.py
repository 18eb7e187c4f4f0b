"""Origins and page URLs as the embed compares them: the one place that decides when two spellings match.

An origin is `scheme://host[:port]`, exactly what a browser sends in the Origin header and what
`location.origin` gives: lower-case scheme and host, no default port, no path. A page URL becomes a
thread key by the same rules plus: no fragment (it never reaches a server and names a spot on the same
page) and no tracking parameters (a link shared from a newsletter is the same page as one typed in).
Nothing here ever fetches a URL.
"""

from urllib.parse import SplitResult, urlsplit

SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that say where a visitor came from, never which page they are on.
TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga"})
TRACKING_PREFIXES = ("utm_",)


class BadUrl(ValueError):
    """A value that is not an http(s) origin or page URL; the message says what is wrong with it."""


def _split(value: str, *, what: str) -> SplitResult:
    value = value.strip()
    if any(c.isspace() or ord(c) < 32 for c in value):
        raise BadUrl(f"{what} {value!r} contains spaces or control characters")
    parts = urlsplit(value)
    if parts.scheme.lower() not in SCHEMES or not parts.netloc:
        raise BadUrl(f"{what} {value!r} is not an http:// or https:// address")
    if parts.username is not None or parts.password is not None:
        raise BadUrl(f"{what} {value!r} carries a user name or password: leave them out")
    if not parts.hostname:
        raise BadUrl(f"{what} {value!r} has no host name")
    try:
        parts.port  # noqa: B018 - urlsplit validates the port lazily, on access
    except ValueError as e:
        raise BadUrl(f"{what} {value!r} has a port that is not a number from 0 to 65535") from e
    return parts


def _origin(parts: SplitResult) -> str:
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address, which urlsplit gives without its brackets
        host = f"[{host}]"
    port = parts.port
    return f"{scheme}://{host}" if port is None or port == DEFAULT_PORTS[scheme] else f"{scheme}://{host}:{port}"


def normalise_origin(value: str) -> str:
    """`HTTPS://News.Example:443` -> `https://news.example`. BadUrl for anything with a path, query or
    fragment, so an allowed-origins list cannot hold an entry that no browser would ever send."""
    parts = _split(value, what="origin")
    if parts.path not in ("", "/") or parts.query or parts.fragment or value.strip().endswith(("?", "#")):
        raise BadUrl(f"origin {value.strip()!r} has a path, query or fragment: give only scheme://host[:port]")
    return _origin(parts)


def origin_of(url: str) -> str:
    """The origin of a page URL; BadUrl if it is not an http(s) URL."""
    return _origin(_split(url, what="url"))


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def normalise_page_url(url: str) -> str:
    """The thread key of a page URL: the origin normalised, the path as given ('/' when empty), the query
    without tracking parameters (the others keep their order and their exact encoding), no fragment."""
    parts = _split(url, what="url")
    kept = [p for p in parts.query.split("&") if p and not is_tracking_parameter(p.split("=", 1)[0])]
    query = "&".join(kept)
    return f"{_origin(parts)}{parts.path or '/'}{'?' + query if query else ''}"
