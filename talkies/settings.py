"""One settings file, driven by the environment.

A plain checkout runs with no configuration at all: SQLite in ./var, DEBUG on, a development secret key.
Production is `TALKIES_ENV=production`, which insists on a real SECRET_KEY and ALLOWED_HOSTS rather than
falling back to anything insecure.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from talkies.live import defaults as _live_defaults

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as e:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from e


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TALKIES_ENV = os.environ.get("TALKIES_ENV", "development")
PRODUCTION = TALKIES_ENV == "production"
DEBUG = envbool("DEBUG", not PRODUCTION)
# Set by the test suite (talkies/testing.py), which swaps in fast password hashing and in-memory caches.
TESTING = envbool("TALKIES_TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production Talkies refuses to start with a default key: "
            'generate one with `python -c "import secrets; print(secrets.token_urlsafe(50))"` '
            "and set it in the environment."
        )
    SECRET_KEY = "development-only-key-never-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set: list the host names Talkies answers to, comma-separated.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The site shown when the request's host matches no Site's domain (the demo publication by default).
TALKIES_DEFAULT_SITE = os.environ.get("TALKIES_DEFAULT_SITE", "reelnews")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Only for its static files: the API's docs page then loads Swagger UI from our origin (the
    # Content-Security-Policy allows no other), not from a CDN.
    "ninja",
    "talkies.tasks",
    "talkies.accounts",
    "talkies.catalogue",
    "talkies.stories",
    "talkies.ratings",
    "talkies.comments",
    "talkies.moderation",
    "talkies.web",
    "talkies.demo",
    "talkies.live",
    "talkies.embed",
    "talkies.pagecache",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (settings below), outside everything that renders, so every page has it.
    "talkies.lib.content_security.SitePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control for the pages the fast path stores; outside the session so it sees its cookies.
    "talkies.pagecache.cache_headers.CacheHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "talkies.accounts.middleware.CurrentSiteMiddleware",
    # The embed: ?site= on API requests, CORS for the allowed origins, Bearer tokens (talkies/embed).
    "talkies.embed.middleware.SiteParameterMiddleware",
    "talkies.embed.cors.EmbedCorsMiddleware",
    "talkies.embed.middleware.BearerTokenMiddleware",
    "talkies.accounts.middleware.ActorMiddleware",
    # A write the database stayed too busy for is answered 503 with Retry-After, not 500.
    "talkies.lib.writegate.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "talkies.urls"
WSGI_APPLICATION = "talkies.wsgi.application"
ASGI_APPLICATION = "talkies.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "talkies" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "talkies.accounts.context_processors.current_site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# SQLite by default: one file under ./var, WAL so readers never wait for the writer, a busy timeout so
# concurrent writers queue instead of failing, and IMMEDIATE transactions so a transaction that will
# write takes the write lock up front (no "database is locked" upgrade deadlocks under load).
DATA_DIR = Path(os.environ.get("TALKIES_DATA_DIR", BASE_DIR / "var"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Connections are never kept by Django itself (CONN_MAX_AGE 0): under ASGI each request's sync code runs
    # on a thread made for it, so a kept connection would be left behind with that thread (Django's docs
    # advise against persistent connections under ASGI; talkies/pagecache/fast_path.py relies on it too).
    # On PostgreSQL a psycopg pool per process reuses connections instead: closing one hands it back.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0, conn_health_checks=True)}
    DATABASE_POOL = {
        # Kept open while idle, so a quiet process still answers its first request without connecting.
        "min_size": envint("DATABASE_POOL_MIN_SIZE", 2),
        # Per process. By default a node's DATABASE_CONNECTIONS_PER_NODE (20) are shared among its web
        # workers (`talkies serve` tells each how many there are), so adding workers does not multiply
        # the connections PostgreSQL's max_connections (100 by default) must allow for; never fewer than 4.
        "max_size": envint(
            "DATABASE_POOL_MAX_SIZE",
            max(4, envint("DATABASE_CONNECTIONS_PER_NODE", 20) // max(1, envint("TALKIES_WEB_WORKERS", 2))),
        ),
        # How long a request waits for a free connection before it fails, rather than queueing forever.
        "timeout": envint("DATABASE_POOL_TIMEOUT_SECONDS", 10),
    }
    if not 0 <= DATABASE_POOL["min_size"] <= DATABASE_POOL["max_size"] or DATABASE_POOL["max_size"] < 1:
        raise ImproperlyConfigured(
            f"DATABASE_POOL_MIN_SIZE ({DATABASE_POOL['min_size']}) and DATABASE_POOL_MAX_SIZE "
            f"({DATABASE_POOL['max_size']}) must satisfy 0 <= min <= max and max >= 1: lower the minimum "
            "or raise the maximum."
        )
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = DATABASE_POOL
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            # Django's backend, keeping each process's connections open between requests (see its module).
            "ENGINE": "talkies.lib.sqlite",
            "NAME": str(DATA_DIR / "talkies.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                # The busy timeout, in seconds: how long a write waits for another process's transaction to
                # release the write lock before it fails (and is answered 503, never 500; talkies.lib.writegate).
                # Writes queue in each process first (WRITE_CONCURRENCY below), so this wait is only ever
                # for the few writers the other processes let through, and normally milliseconds.
                "timeout": 10,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA cache_size=-20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Writes queue in each process before they reach the database (talkies.lib.writegate): at most this many
# writing requests run at once per process. SQLite writes one transaction at a time, so two per process
# keep the write lock busy without a crowd sleeping in its busy handler; PostgreSQL takes more, within the
# process's connection pool (leaving two connections for reads).
WRITE_CONCURRENCY = envint(
    "WRITE_CONCURRENCY",
    max(1, DATABASE_POOL["max_size"] - 2) if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" else 2,
)
# Writes waiting for their turn, per process, and for how long; past either they are answered 503 with
# Retry-After (WRITE_RETRY_AFTER_SECONDS), as a write the database stayed too busy for is.
WRITE_QUEUE_LENGTH = envint("WRITE_QUEUE_LENGTH", 100)
WRITE_WAIT_SECONDS = envint("WRITE_WAIT_SECONDS", 5)
WRITE_RETRY_AFTER_SECONDS = envint("WRITE_RETRY_AFTER_SECONDS", 2)
# Reads Django renders (what the page store could not answer) queue the same way, in a gate of their own:
# rendering is CPU work under one interpreter lock, so more at once only costs memory (talkies.lib.writegate
# says how much). On SQLite one at a time renders as many pages a second as two did (bench/full.py --quick:
# 105-110 reader-state/s either way) with a peak ~6 MB lower per node. PostgreSQL's queries wait on the
# network, so a few more overlap usefully there.
READ_CONCURRENCY = envint(
    "READ_CONCURRENCY", 4 if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" else 1
)
READ_QUEUE_LENGTH = envint("READ_QUEUE_LENGTH", 1000)
READ_WAIT_SECONDS = envint("READ_WAIT_SECONDS", 15)

# --- Cache ----------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and not TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Redis is shared by every process and node, and counts atomically (INCR).
    RATELIMIT_USE_CACHE = "default"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "talkies"},
        # An in-memory cache is one per worker process, so each would allow the full rate: rate limits count
        # in the database every process shares instead (the table is accounts' migration 0003).
        "ratelimit": {
            "BACKEND": "talkies.lib.dbcounters.DatabaseCounterCache",
            "LOCATION": "talkies_rate_limit_counts",
        },
    }
    # Tests count in the in-memory cache, which conftest.py empties before each test; counts in the database
    # would outlive the tests that flush it (live servers, browsers). The database counters have their own
    # tests, and talkies/lib/tests/test_ratelimit_across_processes.py runs the deployed setup.
    RATELIMIT_USE_CACHE = "default" if TESTING else "ratelimit"

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "talkies@localhost")
if os.environ.get("EMAIL_FILE_PATH"):
    # For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: a directory to write emails to.
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
# How long the link in a "confirm your email" message works.
EMAIL_VERIFICATION_MAX_AGE_DAYS = envint("EMAIL_VERIFICATION_MAX_AGE_DAYS", 3)

# --- Background work (talkies/tasks, docs/operating.md "Background work") ----------------------------------
# Emails and webhook deliveries are queued in the database in the transaction that causes them and sent by
# `talkies worker` (which `talkies serve` starts). Tests run each task in-process when its transaction
# commits, through the same queue, so mail.outbox and the delivery log fill without a worker.
TASKS_RUN_IMMEDIATELY = envbool("TASKS_RUN_IMMEDIATELY", TESTING)
# How long a worker holds a task it is running before another may take it (its worker is presumed dead):
# longer than any task takes, an email (EMAIL_TIMEOUT) or a webhook attempt.
TASKS_CLAIM_SECONDS = envint("TASKS_CLAIM_SECONDS", 300)
# Done tasks are deleted after this many days; failed ones stay until deleted in the admin.
TASKS_KEEP_DONE_DAYS = envint("TASKS_KEEP_DONE_DAYS", 7)
# A mail server that stops answering must not hold a task (and its claim) for ever.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)

# --- Embedding (docs/embedding.md) --------------------------------------------------------------------
# How long the token an embed gets from the sign-in popup or SSO works before the reader signs in again.
EMBED_TOKEN_MAX_AGE_SECONDS = envint("EMBED_TOKEN_MAX_AGE_SECONDS", 10 * 60)
# Webhooks are sent only to public addresses (talkies/embed/webhook_targets.py); networks listed here
# (comma-separated, e.g. 10.1.2.0/24 for a receiver on the operator's own network) are allowed as well.
WEBHOOK_ALLOWED_NETWORKS = envlist("WEBHOOK_ALLOWED_NETWORKS")
for _network in WEBHOOK_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as e:
        raise ImproperlyConfigured(
            f"WEBHOOK_ALLOWED_NETWORKS: {_network!r} is not an IP address or network; list them like "
            "10.1.2.0/24,fd00:1::/64"
        ) from e

# --- Idempotency-Key on API writes (talkies/lib/idempotency.py, docs/api.md) ------------------------
# How long the answer to a write sent with an Idempotency-Key is kept for the client's retries.
IDEMPOTENCY_KEY_HOURS = envint("IDEMPOTENCY_KEY_HOURS", 24)
# At most this many keys are kept per actor (account, guest, API key or address); past it, their oldest go.
IDEMPOTENCY_KEYS_PER_ACTOR = envint("IDEMPOTENCY_KEYS_PER_ACTOR", 1000)

# --- Live streams (docs/live-updates.md) --------------------------------------------------------------
# Open Server-Sent Events streams allowed per client address (as the rate limits see it: client_ip, so
# TRUSTED_PROXIES are honoured; an IPv6 client by its /64) and per web worker process. Past either a new
# stream is refused (429 per address, 503 per process) with Retry-After, before any work is done for it.
LIVE_STREAMS_PER_ADDRESS = envint("LIVE_STREAMS_PER_ADDRESS", _live_defaults.STREAMS_PER_ADDRESS)
LIVE_STREAMS_PER_PROCESS = envint("LIVE_STREAMS_PER_PROCESS", _live_defaults.STREAMS_PER_PROCESS)
LIVE_STREAM_IDLE_SECONDS = envint("LIVE_STREAM_IDLE_SECONDS", _live_defaults.STREAM_IDLE_SECONDS)
LIVE_STREAM_RETRY_AFTER_SECONDS = envint("LIVE_STREAM_RETRY_AFTER_SECONDS", _live_defaults.REFUSED_RETRY_AFTER_SECONDS)
if (
    min(LIVE_STREAMS_PER_ADDRESS, LIVE_STREAMS_PER_PROCESS, LIVE_STREAM_IDLE_SECONDS, LIVE_STREAM_RETRY_AFTER_SECONDS)
    < 1
):
    raise ImproperlyConfigured(
        "LIVE_STREAMS_PER_ADDRESS, LIVE_STREAMS_PER_PROCESS, LIVE_STREAM_IDLE_SECONDS and "
        "LIVE_STREAM_RETRY_AFTER_SECONDS must each be 1 or more"
    )

# --- Rate limits on public writes ------------------------------------------------------------------
# Each is "count/period" limits, comma-separated (period s, m, h or d, optionally with a multiplier such
# as 10m); an empty value turns that limit off. Counted in the cache RATELIMIT_USE_CACHE names (above), so
# shared by every process: in Redis when REDIS_URL is set, else in the database. Guests count as accounts by
# their guest token.
RATE_LIMITS = {
    "comment": {
        "account": os.environ.get("RATE_LIMIT_COMMENTS_PER_ACCOUNT", "5/m,30/h"),
        "ip": os.environ.get("RATE_LIMIT_COMMENTS_PER_IP", "10/m,60/h"),
    },
    "vote": {
        "account": os.environ.get("RATE_LIMIT_VOTES_PER_ACCOUNT", "30/m,300/h"),
        "ip": os.environ.get("RATE_LIMIT_VOTES_PER_IP", "60/m,600/h"),
    },
    "guest_token": {"account": "", "ip": os.environ.get("RATE_LIMIT_GUEST_TOKENS_PER_IP", "10/m,50/h")},
    "register": {"account": "", "ip": os.environ.get("RATE_LIMIT_REGISTRATIONS_PER_IP", "5/h,20/d")},
    # Threads that embedded pages open on first use (only new threads count).
    "embed_thread": {"account": "", "ip": os.environ.get("RATE_LIMIT_EMBED_THREADS_PER_IP", "20/m,200/h")},
    "verification_email": {
        "account": os.environ.get("RATE_LIMIT_VERIFICATION_EMAILS_PER_ACCOUNT", "3/h"),
        "ip": os.environ.get("RATE_LIMIT_VERIFICATION_EMAILS_PER_IP", "10/h"),
    },
    # Rating a film, changing the rating or withdrawing it.
    "rating": {
        "account": os.environ.get("RATE_LIMIT_RATINGS_PER_ACCOUNT", "20/m,200/h"),
        "ip": os.environ.get("RATE_LIMIT_RATINGS_PER_IP", "60/m,600/h"),
    },
    # Sign-in attempts, per account name tried and per address, so passwords cannot be guessed at speed.
    # Every refusal ends with its window, so no account is ever locked out for good; repeated failures also
    # meet the growing waits of LOGIN_BACKOFF_* below.
    "login": {
        "account": os.environ.get("RATE_LIMIT_LOGINS_PER_ACCOUNT", "5/5m,20/h"),
        "ip": os.environ.get("RATE_LIMIT_LOGINS_PER_IP", "20/5m,100/h"),
    },
    # Readers reporting comments to the moderators.
    "report": {
        "account": os.environ.get("RATE_LIMIT_REPORTS_PER_ACCOUNT", "10/h"),
        "ip": os.environ.get("RATE_LIMIT_REPORTS_PER_IP", "30/h"),
    },
    # Asking, before posting, whether a comment looks like a spoiler (nothing is saved; it runs a signal).
    "spoiler_check": {"account": "", "ip": os.environ.get("RATE_LIMIT_SPOILER_CHECKS_PER_IP", "30/m,300/h")},
}
# Growing waits after failed sign-ins to one account name (talkies/accounts/login_backoff.py): from this
# many failures in a row on, each one makes the name wait, FIRST seconds, doubling up to MAX; the count is
# forgotten FORGET seconds after the last failure, at a successful sign-in, or when the password is reset.
LOGIN_BACKOFF_AFTER_FAILURES = envint("LOGIN_BACKOFF_AFTER_FAILURES", 5)
LOGIN_BACKOFF_FIRST_SECONDS = envint("LOGIN_BACKOFF_FIRST_SECONDS", 30)
LOGIN_BACKOFF_MAX_SECONDS = envint("LOGIN_BACKOFF_MAX_SECONDS", 15 * 60)
LOGIN_BACKOFF_FORGET_SECONDS = envint("LOGIN_BACKOFF_FORGET_SECONDS", 24 * 60 * 60)
# Proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed; see docs/operating.md.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as e:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network; list them like 127.0.0.1,10.0.0.0/8"
        ) from e
# django-ratelimit asks this function for the client address (an IPv6 client is counted by its /64).
RATELIMIT_IP_META_KEY = "talkies.lib.ratelimit.client_ip"
# A cache outage should not silence every reader: while the cache is unreachable, limits are not applied.
RATELIMIT_FAIL_OPEN = True

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A form sent without JavaScript from a page every anonymous reader shares (it carries no token) is shown
# again with one, rather than refused (talkies.web.forms_csrf).
CSRF_FAILURE_VIEW = "talkies.web.forms_csrf.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Scripts and styles only from our origin or with the response's nonce (templates write
# nonce="{{ request.csp_nonce }}"); nothing inline without it, no plugins, no <base>, never framed (as
# X_FRAME_OPTIONS), forms post only to us. The embed's sign-in popup is opened by other sites as a window,
# not a frame, so it needs no exception. The admin allows inline styles (talkies/lib/content_security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if PRODUCTION:
    # HTTPS only: plain HTTP is redirected, browsers are told to remember it (HSTS), and cookies are
    # Secure. Behind a proxy that terminates TLS, SECURE_PROXY_SSL_HEADER=true makes Django believe the
    # proxy's X-Forwarded-Proto; a deployment that really serves plain HTTP (a test cluster on loopback)
    # turns the redirect off with SECURE_SSL_REDIRECT=false. docs/operating.md, Security.
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    if envbool("SECURE_PROXY_SSL_HEADER", False):
        # Only when the proxy sets the header itself, always: else any client could claim HTTPS.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- I18n, static ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "talkies" / "static"]
if DEBUG or TESTING:
    # Development serves static files from the app folders; an empty STATIC_ROOT keeps WhiteNoise from warning
    # at every start that it is missing (production fills it with collectstatic).
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Logging: one line per event, to stderr -------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
