"""The fast path remembers what it parses from a request (host, query string, Accept-Encoding); what it
remembers must follow the settings it was parsed under, and a remembered page must not change its answer."""

from django.test import override_settings

from talkies.pagecache.fast_path import accepts_gzip, host_name, request_host
from talkies.pagecache.keys import parse_page_request
from talkies.pagecache.store import CachedPage


def scope_for(host: bytes) -> dict:
    return {"type": "http", "headers": [(b"host", host)]}


def test_a_host_allowed_before_a_settings_change_is_judged_again_after_it() -> None:
    with override_settings(ALLOWED_HOSTS=["films.example"], USE_X_FORWARDED_HOST=False, SECURE_SSL_REDIRECT=False):
        assert request_host(scope_for(b"films.example:8000")) == "films.example"
        assert request_host(scope_for(b"evil.example")) is None
    with override_settings(ALLOWED_HOSTS=["evil.example"], USE_X_FORWARDED_HOST=False, SECURE_SSL_REDIRECT=False):
        assert request_host(scope_for(b"films.example:8000")) is None
        assert request_host(scope_for(b"evil.example")) == "evil.example"
    with override_settings(ALLOWED_HOSTS=["films.example"], USE_X_FORWARDED_HOST=True):
        assert host_name(b"films.example") is None  # Django must read X-Forwarded-Host itself


def test_a_request_without_a_host_goes_to_django() -> None:
    assert request_host({"type": "http", "headers": []}) is None


def test_remembered_parses_give_the_same_answers_as_fresh_ones() -> None:
    first = parse_page_request(7, b"sort=old&limit=20")
    assert first is not None and (first.sort, first.limit) == ("old", 20)
    assert parse_page_request(7, b"sort=old&limit=20") == first
    assert parse_page_request(8, b"sort=old&limit=20") != first
    assert parse_page_request(7, b"sort=old&sort=new") is None
    assert accepts_gzip(b"gzip, deflate") and not accepts_gzip(b"gzip;q=0") and not accepts_gzip(None)


def test_a_pages_prepared_headers_are_the_same_on_every_send() -> None:
    page = CachedPage.from_response([(b"content-type", b"application/json")], b"x" * 2000)
    plain, compressed = page.response_headers(compressed=False), page.response_headers(compressed=True)
    assert page.response_headers(compressed=False) is plain
    assert (b"content-length", b"2000") in plain and (b"content-encoding", b"gzip") not in plain
    assert (b"content-encoding", b"gzip") in compressed and (b"etag", page.gzip_etag) in compressed


def route_scope(path: str, headers: list[tuple[bytes, bytes]] | None = None, query: bytes = b"") -> dict:
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query,
        "scheme": "http",
        "headers": [(b"host", b"films.example"), *(headers or [])],
    }


def lookup(scope: dict):
    from talkies.pagecache.fast_path import header

    return lambda name: header(scope, name)


def test_a_remembered_route_request_follows_the_proxy_and_session_settings() -> None:
    from talkies.pagecache.routes import route_request

    behind_proxy = route_scope("/api/v1/embed/counts", [(b"x-forwarded-proto", b"https")], b"site=reel&page=a")
    with override_settings(SECURE_PROXY_SSL_HEADER=None):
        plain = route_request(behind_proxy, lookup(behind_proxy))
        assert plain is not None and plain.scheme == "http"
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        secure = route_request(behind_proxy, lookup(behind_proxy))
        assert secure is not None and secure.scheme == "https"

    story = "/stories/ballerina-review/"
    signed_in = route_scope(story, [(b"cookie", b"sid=abc; talkies_js=1")])
    with override_settings(SESSION_COOKIE_NAME="sessionid"):
        assert route_request(signed_in, lookup(signed_in)) is not None  # "sid" is no session: the page for all
    with override_settings(SESSION_COOKIE_NAME="sid"):
        found = route_request(signed_in, lookup(signed_in))
        assert found is not None and found.reader_shell  # the session's shell


def test_long_paths_and_cookies_are_answered_but_not_remembered() -> None:
    from talkies.pagecache import routes

    routes._remembered_route_request.cache_clear()
    long_path = "/stories/" + "x" * 600 + "/"
    scope = route_scope(long_path)
    assert routes.route_request(scope, lookup(scope)) is not None
    with_cookie = route_scope("/stories/a/", [(b"cookie", b"talkies_sort=new")])
    sorted_view = routes.route_request(with_cookie, lookup(with_cookie))
    assert sorted_view is not None and sorted_view.view_cookies
    assert routes._remembered_route_request.cache_info().currsize == 0
    plain = route_scope("/stories/a/")
    assert routes.route_request(plain, lookup(plain)) is routes.route_request(plain, lookup(plain))
    assert routes._remembered_route_request.cache_info().currsize == 1
