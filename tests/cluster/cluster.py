"""A Talkies cluster on this machine, started from the files in deploy/, and clients that talk to it.

What runs, each a real process: two web nodes (`talkies serve` as deploy/systemd/talkies-web@.service
starts it), the worker (talkies-worker.service), nginx with deploy/nginx/talkies.conf in front, on a fresh
PostgreSQL database and a Redis database. Paths in the deploy files that belong to an installation
(/srv/talkies, /var/lib/talkies, /etc/talkies/talkies.env, /var/cache/nginx, /var/log/nginx) are mapped to
this checkout and a temporary directory; everything else in them is used as written.

nginx runs three times from the same file, so that a test can reach one node through nginx:

- `balancer`: the file as shipped (both nodes in the upstream, the cache on);
- `via_a`, `via_b`: the upstream holding only node A or only node B, and the cache off, so that what a test
  reads there is the node's own answer, not nginx's copy of an earlier one.

Each instance adds two response headers for the tests (its wrapper's `add_header`, which the shipped file's
locations inherit because they set none): X-Talkies-Upstream (which node answered, nginx's
$upstream_addr) and X-Talkies-Cache ($upstream_cache_status).
"""

import getpass
import grp
import http.client
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "deploy"
NGINX_CONF = DEPLOY / "nginx" / "talkies.conf"
WEB_UNIT = DEPLOY / "systemd" / "talkies-web@.service"
WORKER_UNIT = DEPLOY / "systemd" / "talkies-worker.service"
ENV_EXAMPLE = DEPLOY / "talkies.env.example"
# The command the units run; the tests run the one installed beside the Python running them.
UNIT_TALKIES = "/srv/talkies/.venv/bin/talkies"
TALKIES = str(Path(sys.executable).parent / "talkies")


# --- The deploy files, read as an operator's machine would ---------------------------------------


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines, as systemd's EnvironmentFile= reads them (comments and blank lines skipped)."""
    env = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"{path}: {line!r} is not KEY=value"
        env[key.strip()] = value.strip().strip('"')
    return env


@dataclass
class Unit:
    exec_start: list[str]
    environment: dict[str, str]
    environment_file: str


def read_unit(path: Path, *, instance: str = "") -> Unit:
    """The [Service] lines that decide what a unit runs, with %i replaced by `instance`."""
    exec_start: list[str] = []
    environment: dict[str, str] = {}
    environment_file = ""
    section = ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
            continue
        if section != "[Service]" or not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        value = value.replace("%i", instance)
        if key == "ExecStart":
            exec_start = shlex.split(value)
        elif key == "Environment":
            for assignment in shlex.split(value):
                name, _, setting = assignment.partition("=")
                environment[name] = setting
        elif key == "EnvironmentFile":
            environment_file = value.removeprefix("-")
    assert exec_start, f"{path} has no ExecStart"
    return Unit(exec_start=exec_start, environment=environment, environment_file=environment_file)


def render_nginx(*, listen_port: int, nodes: list[int], state: Path, cache: bool = True) -> str:
    """deploy/nginx/talkies.conf with this machine's ports and directories.

    Each replacement must apply exactly once (or, for the upstream's servers, to the two lines shipped), so
    that an edit of the shipped file that this misses fails here instead of testing something else.
    """
    text = NGINX_CONF.read_text()
    server_line = re.compile(r"(\s*)server 127\.0\.0\.1:\d+( [^;]*)?;\n")
    lines = text.splitlines(keepends=True)
    upstream = [number for number, line in enumerate(lines) if server_line.fullmatch(line)]
    assert len(upstream) == 2, f"expected the two example nodes in {NGINX_CONF}'s upstream, found {len(upstream)}"
    indent, options = server_line.fullmatch(lines[upstream[0]]).groups()  # type: ignore[union-attr]
    lines[upstream[0]] = "".join(f"{indent}server 127.0.0.1:{port}{options or ''};\n" for port in nodes)
    lines[upstream[1]] = ""
    text = "".join(lines)

    def replace(old: str, new: str) -> None:
        nonlocal text
        assert text.count(old) == 1, f"{NGINX_CONF}: expected {old!r} once, found it {text.count(old)} times"
        text = text.replace(old, new)

    replace("    listen 80;\n", f"    listen 127.0.0.1:{listen_port};\n")
    replace("/var/cache/nginx/talkies ", f"{state / 'cache'} ")
    replace("/var/log/nginx/talkies.access.log", str(state / "access.log"))
    if not cache:
        replace("        proxy_cache talkies;\n", "        proxy_cache off;\n")
    return text


def nginx_wrapper(*, state: Path, site_conf: Path) -> str:
    """The main configuration nginx's package would provide, for one instance living in `state`."""
    # As root, nginx's workers would otherwise switch to `nobody`, who cannot use this directory.
    user = f"user {getpass.getuser()} {grp.getgrgid(os.getgid()).gr_name};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {state / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 1;
daemon off;
pid {state / "nginx.pid"};
error_log {state / "error.log"} warn;
events {{
    worker_connections 1024;
}}
http {{
{temp}
    # For the tests only: which node answered, and what the cache made of the request.
    add_header X-Talkies-Upstream $upstream_addr always;
    add_header X-Talkies-Cache $upstream_cache_status always;
    include {site_conf};
}}
"""


# --- Processes -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Service:
    """A long-running process in a session of its own (so a signal reaches its children too)."""

    def __init__(self, name: str, argv: list[str], *, env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                argv, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the whole process group: the node dies as a crashed machine's would, mid-request."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.1, services=()):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        for service in services:
            if not service.alive():
                raise RuntimeError(f"{service.name} exited while waiting for {what}:\n{service.log()[-4000:]}")
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {s.name}\n{s.log()[-4000:]}" for s in services)
            raise TimeoutError(f"timed out waiting for {what}\n{logs}")
        time.sleep(interval)


# --- HTTP through nginx ----------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):  # type: ignore[no-untyped-def]
        return json.loads(self.body)

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Browser:
    """One reader's HTTP client: cookies, the CSRF token, and the address it connects from.

    `source` is a loopback address of its own (any of 127.0.0.0/8 works on Linux), so that rate limits per
    client address can tell browsers apart behind nginx; the default is 127.0.0.1.
    """

    port: int
    source: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""

    def at(self, port: int) -> "Browser":
        """The same browser (sharing its cookies) talking to another nginx instance."""
        other = Browser(port=port, source=self.source, cookies=self.cookies)
        other.csrf_token = self.csrf_token
        return other

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15, source_address=(self.source, 0))
        try:
            sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            result = Response(response.status, response.msg, response.read())
        finally:
            connection.close()
        for raw in result.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(raw).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return result

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def write(self, method: str, path: str, data: dict, headers: dict[str, str] | None = None) -> Response:
        """A JSON API write, as the site's scripts send it: session cookie and X-CSRFToken."""
        return self.request(
            method,
            path,
            body=json.dumps(data).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf_token, **(headers or {})},
        )

    def refresh_csrf_token(self) -> None:
        response = self.get("/api/v1/session")
        assert response.status == 200, response
        self.csrf_token = response.json()["csrf_token"]

    def log_in(self, username: str, password: str) -> None:
        self.refresh_csrf_token()
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf_token}
        ).encode()
        response = self.request(
            "POST", "/accounts/login/", body=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert response.status == 302 and "sessionid" in self.cookies, f"login failed: {response.status}"
        self.refresh_csrf_token()  # logging in rotates the token


# --- A live stream, as EventSource reads it --------------------------------------------------------


@dataclass
class LiveEvent:
    id: int
    kind: str
    data: dict
    connection: int  # which of the reader's connections carried it (0 first, 1 after a reconnect…)


class LiveReader:
    """Keeps a thread's SSE stream open through nginx on a background thread, as a browser's EventSource
    does: when the stream breaks it reconnects, sending the last event id it saw as Last-Event-ID.

    A browser waits the `retry:` the server asks for (2 s) before reconnecting; this waits RECONNECT_DELAY,
    which only makes the test quicker.
    """

    RECONNECT_DELAY = 0.2

    def __init__(self, port: int, path: str) -> None:
        self.port = port
        self.path = path
        self.events: list[LiveEvent] = []
        # One entry per connection: (Last-Event-ID sent or None, the upstream nginx chose, HTTP status).
        self.connections: list[tuple[int | None, str, int]] = []
        self.errors: list[str] = []
        self._live = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._connection: http.client.HTTPConnection | None = None
        self._thread = threading.Thread(target=self._run, name=f"live-reader {path}", daemon=True)

    def start(self, timeout: float = 10) -> "LiveReader":
        self._thread.start()
        if not self._live.wait(timeout):
            raise TimeoutError(f"the stream did not start: {self.errors}")
        return self

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            if self._connection is not None and self._connection.sock is not None:
                self._connection.sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    @property
    def last_event_id(self) -> int | None:
        with self._lock:
            return self.events[-1].id if self.events else None

    def comment_ids(self, kind: str = "comment.created") -> set[int]:
        with self._lock:
            return {event.data["comment"]["id"] for event in self.events if event.kind == kind}

    def wait_for_comment(self, comment_id: int, timeout: float) -> LiveEvent:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for event in self.events:
                    if event.kind == "comment.created" and event.data["comment"]["id"] == comment_id:
                        return event
            time.sleep(0.005)
        raise TimeoutError(f"comment {comment_id} did not arrive on the stream within {timeout} s")

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._read_one_connection()
            except Exception as error:  # any break is a reason to reconnect, as EventSource's is
                if not self._stop.is_set():
                    self.errors.append(f"{type(error).__name__}: {error}")
            if not self._stop.is_set():
                time.sleep(self.RECONNECT_DELAY)

    def _read_one_connection(self) -> None:
        last_id = self.last_event_id
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept": "text/event-stream"}
        if last_id is not None:
            headers["Last-Event-ID"] = str(last_id)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        with self._lock:
            self._connection = connection
        try:
            connection.request("GET", self.path, headers=headers)
            response = connection.getresponse()
            number = len(self.connections)
            self.connections.append((last_id, response.getheader("X-Talkies-Upstream", ""), response.status))
            if response.status != 200:
                response.read()
                raise ConnectionError(f"stream answered {response.status}")
            fields: dict[str, str] = {}
            while True:
                raw = response.readline()
                if not raw:
                    raise EOFError("the stream ended")
                line = raw.decode().rstrip("\r\n")
                if line.startswith("retry:"):
                    self._live.set()
                if line == "":
                    if "id" in fields and "data" in fields:
                        event = LiveEvent(
                            int(fields["id"]), fields.get("event", "message"), json.loads(fields["data"]), number
                        )
                        with self._lock:
                            self.events.append(event)
                    fields = {}
                elif not line.startswith(":"):
                    name, _, value = line.partition(":")
                    fields[name] = value.removeprefix(" ")
        finally:
            with self._lock:
                self._connection = None
            connection.close()


def iter_log(path: Path) -> Iterator[dict[str, str]]:
    """nginx's access log in the shipped `talkies` format, as dicts (request, status, upstream, cache)."""
    pattern = re.compile(
        r'"(?P<request>[^"]*)" (?P<status>\d+) \d+ upstream="(?P<upstream>[^"]*)" cache=(?P<cache>\S*)'
    )
    for line in path.read_text().splitlines():
        match = pattern.search(line)
        if match:
            yield match.groupdict()


# --- The whole cluster -----------------------------------------------------------------------------

DEMO_PASSWORD = "talkies-demo"
REACTION_POST = "what-did-you-think-of-ballerina"
# Settings the cluster changes from deploy/talkies.env.example, and why.
TEST_SETTINGS = {
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "CSRF_TRUSTED_ORIGINS": "",
    # The tests speak plain HTTP to nginx; production cookies are Secure (HTTPS only), plain HTTP is
    # redirected to HTTPS and browsers are told to insist on it (HSTS): all three are turned off.
    "SECURE_COOKIES": "false",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    # Each node on one CPU core's worth of processes: the machine runs two nodes, nginx, PostgreSQL…
    "WEB_WORKERS": "1",
    "LOG_LEVEL": "WARNING",
    # The failover test's writer posts as fast as nginx answers; the rate-limit test has votes to itself.
    "RATE_LIMIT_COMMENTS_PER_ACCOUNT": "",
    "RATE_LIMIT_COMMENTS_PER_IP": "",
    "RATE_LIMIT_VOTES_PER_ACCOUNT": "",
    "RATE_LIMIT_VOTES_PER_IP": "4/h",
}


@dataclass
class Cluster:
    state: Path
    database_url: str
    thread_id: int
    node_ports: dict[str, int]  # "a", "b"
    nginx_ports: dict[str, int]  # "balancer", "via_a", "via_b"
    services: dict[str, Service]
    worker_started: bool
    no_worker_flag: bool

    def browser(self, via: str = "balancer", source: str = "127.0.0.1") -> Browser:
        return Browser(port=self.nginx_ports[via], source=source)

    def upstream(self, node: str) -> str:
        """How nginx's $upstream_addr names a node."""
        return f"127.0.0.1:{self.node_ports[node]}"

    def access_log(self, nginx: str) -> list[dict[str, str]]:
        return list(iter_log(self.state / nginx / "access.log"))

    def query(self, sql: str, *params: object) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()  # type: ignore[arg-type]


def talkies_command(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TALKIES, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def unit_command(unit: Unit, state: Path) -> list[str]:
    assert unit.exec_start[0] == UNIT_TALKIES, f"units run {UNIT_TALKIES}, not {unit.exec_start[0]}"
    return [TALKIES, *unit.exec_start[1:]]


def unit_environment(unit: Unit, base: dict[str, str], state: Path) -> dict[str, str]:
    assert unit.environment_file == "/etc/talkies/talkies.env", unit.environment_file
    env = dict(base)
    for name, value in unit.environment.items():
        if name not in TEST_SETTINGS:  # systemd: the environment file overrides Environment=
            env[name] = value.replace("/var/lib/talkies", str(state / "var-lib-talkies"))
    return env


def environment(*, database_url: str, redis_url: str, site_url: str) -> dict[str, str]:
    """What the environment file gives every process, with the cluster's database, Redis and secret."""
    import secrets

    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    env.update(read_env_file(ENV_EXAMPLE))
    assert env.get("TRUSTED_PROXIES") == "127.0.0.1", "the example names nginx on this machine as the trusted proxy"
    env.update(TEST_SETTINGS)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SITE_URL=site_url,
        # This checkout's code, whatever the installed package points at.
        PYTHONPATH=str(REPO_ROOT),
    )
    return env


@contextmanager
def running_cluster(state: Path, *, nginx: str, postgres_admin_url: str, redis_url: str) -> Iterator[Cluster]:
    import secrets

    import psycopg
    import redis

    # The cluster owns this Redis database: counters, stored pages and sessions of an earlier run would
    # otherwise meet the same ids in this run's fresh database.
    redis.Redis.from_url(redis_url).flushdb()
    name = f"talkies_cluster_{secrets.token_hex(4)}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = urllib.parse.urlunsplit(urllib.parse.urlsplit(postgres_admin_url)._replace(path=f"/{name}"))
    services: dict[str, Service] = {}
    logs = state / "logs"
    logs.mkdir()
    try:
        nginx_ports = {name: free_port() for name in ("balancer", "via_a", "via_b")}
        node_ports = {"a": free_port(), "b": free_port()}
        env = environment(
            database_url=database_url, redis_url=redis_url, site_url=f"http://127.0.0.1:{nginx_ports['balancer']}"
        )
        migrated = talkies_command("migrate", "--no-input", env=env)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        # The demo loads while the nodes start (each collects its static files first).
        demo = subprocess.Popen(
            [TALKIES, "demo"], cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        no_worker_flag = "--no-worker" in talkies_command("serve", "--help", env=env).stdout
        for node, port in node_ports.items():
            unit = read_unit(WEB_UNIT, instance=str(port))
            argv = unit_command(unit, state)
            if not no_worker_flag:
                argv.remove("--no-worker")  # an older `talkies serve`, from before the worker had its own unit
            services[f"node_{node}"] = Service(
                f"node_{node}", argv, env=unit_environment(unit, env, state), log_dir=logs
            )
        worker_started = talkies_command("help", "worker", env=env).returncode == 0
        if worker_started:
            unit = read_unit(WORKER_UNIT)
            services["worker"] = Service(
                "worker", unit_command(unit, state), env=unit_environment(unit, env, state), log_dir=logs
            )
        output, _ = demo.communicate(timeout=180)
        assert demo.returncode == 0, f"talkies demo failed:\n{output}"
        for node, port in node_ports.items():
            wait_until(
                lambda port=port: _django_answers(port),
                timeout=60,
                what=f"node {node} on port {port}",
                services=[services[f"node_{node}"]],
            )
        for instance, port in nginx_ports.items():
            nodes = {"balancer": list(node_ports.values()), "via_a": [node_ports["a"]], "via_b": [node_ports["b"]]}
            services[instance] = _start_nginx(
                nginx, state / instance, port=port, nodes=nodes[instance], cache=instance == "balancer", logs=logs
            )
        thread_id = _reaction_thread(database_url)
        yield Cluster(
            state=state,
            database_url=database_url,
            thread_id=thread_id,
            node_ports=node_ports,
            nginx_ports=nginx_ports,
            services=services,
            worker_started=worker_started,
            no_worker_flag=no_worker_flag,
        )
    finally:
        for service in services.values():
            service.stop()
        with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _start_nginx(nginx: str, state: Path, *, port: int, nodes: list[int], cache: bool, logs: Path) -> Service:
    state.mkdir()
    site_conf = state / "talkies.conf"
    site_conf.write_text(render_nginx(listen_port=port, nodes=nodes, state=state, cache=cache))
    main_conf = state / "nginx.conf"
    main_conf.write_text(nginx_wrapper(state=state, site_conf=site_conf))
    argv = [nginx, "-p", str(state), "-c", str(main_conf), "-e", str(state / "error.log")]
    checked = subprocess.run([*argv, "-t", "-q"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, f"nginx -t refused {site_conf}:\n{checked.stderr}"
    service = Service(state.name, argv, env=dict(os.environ), log_dir=logs)
    wait_until(lambda: _listening(port), timeout=10, what=f"nginx {state.name} on port {port}", services=[service])
    return service


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def _django_answers(port: int) -> bool:
    """Whether a node's Django answers: the 404 of a thread that does not exist (no static file, whose
    synchronous file iterator Django would warn about under ASGI)."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/live/threads/0/", headers={"Host": "127.0.0.1"})
        status = connection.getresponse().status
        connection.close()
        return status == 404
    except OSError:
        return False


def _reaction_thread(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT t.id FROM comments_thread t JOIN stories_story s ON s.id = t.story_id WHERE s.slug = %s",
            (REACTION_POST,),
        ).fetchone()
    assert row is not None, "the demo has no reaction post thread"
    return row[0]
