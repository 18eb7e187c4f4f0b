"""A burst of wrong passwords against the real server: throttled, the right one refused until the wait ends.

`talkies serve --workers 2` runs as deployed (SQLite, no Redis: the counts live in the database both workers
share), with the windowed login limits off and a short growing wait (LOGIN_BACKOFF_*), so what refuses here
is the wait alone. 40 wrong passwords arrive four at a time; few of them may reach the password check, the
rest are answered 429 with Retry-After; the right password is then refused as well, and accepted once the
wait the server named has passed.
"""

import http.client
import re
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from talkies.live.tests.servers import port_of, server_environment, serving, talkies

PASSWORD = "the victim's long passphrase"
BURST, AT_ONCE, FAILURES_BEFORE_WAIT, WAIT_SECONDS = 40, 4, 3, 4

SETUP = f"""
from talkies.accounts.models import Site, User
Site.objects.create(slug="reelnews", name="Reel News")
User.objects.create_user(username="victim", password={PASSWORD!r})
print("ok")
"""


def request(port: int, method: str, path: str, *, body: str = "", headers: dict[str, str] | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
    finally:
        connection.close()


def sign_in(port: int, password: str) -> tuple[int, dict[str, str], str]:
    """One sign-in as a browser makes it: the form (for its CSRF cookie and token), then the POST."""
    _, headers, page = request(port, "GET", "/accounts/login/")
    cookie = re.search(r"csrftoken=([^;]+)", headers["set-cookie"])[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    form = urlencode({"username": "victim", "password": password, "csrfmiddlewaretoken": token})
    return request(
        port,
        "POST",
        "/accounts/login/",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"},
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("login-throttle")
    env = server_environment(
        data_dir,
        RATE_LIMIT_LOGINS_PER_ACCOUNT="",
        RATE_LIMIT_LOGINS_PER_IP="",
        LOGIN_BACKOFF_AFTER_FAILURES=str(FAILURES_BEFORE_WAIT),
        LOGIN_BACKOFF_FIRST_SECONDS=str(WAIT_SECONDS),
        LOGIN_BACKOFF_MAX_SECONDS=str(WAIT_SECONDS),
    )
    talkies("migrate", "--no-input", env=env)
    talkies("shell", "-c", SETUP, env=env)
    log_path = data_dir / "server.log"
    with serving(env, workers=2, log_path=log_path, serve_args=("--no-worker",)) as url:
        yield port_of(url), log_path


def test_a_burst_of_wrong_passwords_is_throttled_and_the_right_one_waits_for_its_turn(server):
    port, log_path = server

    with ThreadPoolExecutor(AT_ONCE) as pool:
        answers = list(pool.map(lambda n: sign_in(port, f"guess {n}"), range(BURST)))

    statuses = [status for status, _, _ in answers]
    assert set(statuses) <= {200, 429}, f"{statuses}:\n{log_path.read_text()[-3000:]}"
    checked = statuses.count(200)  # the form shown again: a password was checked and was wrong
    # The threshold's failures, plus at most the guesses already in flight when the wait began.
    assert checked <= FAILURES_BEFORE_WAIT + AT_ONCE, statuses
    for status, headers, page in answers:
        if status == 429:
            assert 1 <= int(headers["retry-after"]) <= WAIT_SECONDS
            assert "try again in" in page and 'href="/accounts/password-reset/"' in page

    status, headers, page = sign_in(port, PASSWORD)
    assert status == 429, page  # the right password too, while the name waits
    time.sleep(int(headers["retry-after"]))  # waiting out the wait the server named; nothing is timed

    status, headers, _ = sign_in(port, PASSWORD)
    assert status == 302
    assert "sessionid=" in headers["set-cookie"]
    print(f"{checked} of {BURST} guesses reached the password check; {statuses.count(429)} were refused")
