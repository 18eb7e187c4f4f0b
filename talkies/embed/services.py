"""Embedding's reads and writes: a site's embed policy, threads keyed by page, SSO accounts, API keys.

Views, API endpoints and the management commands all go through these functions.
"""

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from talkies.accounts.models import Site, User
from talkies.accounts.selectors import SITE_CACHE_SECONDS, SITE_GENERATION_KEY
from talkies.catalogue.models import Film
from talkies.comments.models import Thread
from talkies.comments.selectors import visible_threads_q
from talkies.lib.errors import NotFound, ServiceError

from .models import ApiKey, EmbedSettings, SsoIdentity
from .page_urls import BadUrl, normalise_origin, normalise_page_url, origin_of
from .tokens import BadToken, SsoUser, read_sso

POLICY_CACHE_SECONDS = 60
EXPLICIT_ID = re.compile(r"[\w.~:/@+-]{1,300}")
# Keys Talkies gives its own threads; a page naming one would attach itself to a story's conversation.
RESERVED_KEY_PREFIXES = ("story:",)
API_KEY_PREFIX = "tk_"
KEY_MAX_LENGTH = 500  # Thread.key and Thread.url


class Unauthorized(ServiceError):
    """A credential (SSO payload, API key) that is missing, forged or expired: 401 naming its field."""

    status_code = 401


# --- A site's embed policy ------------------------------------------------------------------------


@dataclass(frozen=True)
class EmbedPolicy:
    origins: frozenset[str]
    create_threads_on_first_use: bool


NO_EMBEDDING = EmbedPolicy(origins=frozenset(), create_threads_on_first_use=False)


def _policy_key(site_id: int) -> str:
    return f"embed-policy:{site_id}"


def embed_policy(site: Site) -> EmbedPolicy:
    """Which origins may embed `site`, and whether pages open threads. Cached: every embed request asks.

    Saving the settings drops the cached copy (below); other processes with a local-memory cache see the
    change within POLICY_CACHE_SECONDS. The SSO secret is deliberately not in here, so it never sits in a
    shared cache.
    """
    policy = cache.get(_policy_key(site.pk))
    if policy is None:
        row = EmbedSettings.objects.filter(site=site).first()
        policy = (
            EmbedPolicy(origins=row.origins, create_threads_on_first_use=row.create_threads_on_first_use)
            if row is not None
            else NO_EMBEDDING
        )
        cache.set(_policy_key(site.pk), policy, POLICY_CACHE_SECONDS)
    return policy


@receiver([post_save, post_delete], sender=EmbedSettings, dispatch_uid="talkies.embed.forget_policy")
def _forget_policy(sender: type[EmbedSettings], instance: EmbedSettings, **kwargs: object) -> None:
    cache.delete(_policy_key(instance.site_id))


def site_for_slug(slug: str) -> Site | None:
    """The site named by an embed's ?site=, cached like accounts.selectors.site_for_host (same generation)."""
    generation = cache.get_or_set(SITE_GENERATION_KEY, 0)
    key = f"site-for-slug:{generation}:{slug}"
    site = cache.get(key)
    if site is None:
        site = Site.objects.filter(slug=slug).first()
        if site is not None:
            cache.set(key, site, SITE_CACHE_SECONDS)
    return site


def is_allowed_origin(site: Site, origin: str | None) -> bool:
    """Whether `origin` (an Origin header or a popup's origin parameter, any spelling) may embed `site`."""
    if not origin:
        return False
    try:
        return normalise_origin(origin) in embed_policy(site).origins
    except BadUrl:
        return False


# --- Threads keyed by page ------------------------------------------------------------------------


FILM_ID_FIELDS = {"imdb": "imdb_id", "tmdb": "tmdb_id"}


def film_from_ref(ref: str) -> Film:
    """`imdb:tt7181546`, `tmdb:245891` or a Talkies slug -> the film; ServiceError naming `film` if unknown."""
    scheme, colon, value = ref.strip().partition(":")
    if not colon:
        lookup = {"slug": scheme}
    elif scheme.lower() in FILM_ID_FIELDS and value.strip():
        lookup = {FILM_ID_FIELDS[scheme.lower()]: value.strip()}
    else:
        raise ServiceError("film", f"film {ref!r}: use imdb:<id>, tmdb:<id> or a Talkies film slug")
    film = Film.objects.filter(**lookup).first()
    if film is None:
        raise ServiceError("film", f"no film {ref!r} in the catalogue: check the id, or add the film first")
    return film


def thread_key(*, url: str, explicit_id: str | None) -> str:
    """The explicit id when there is one (an empty one is none), else the page URL normalised."""
    if not explicit_id:
        return normalise_page_url(url)
    if not EXPLICIT_ID.fullmatch(explicit_id) or explicit_id.startswith(RESERVED_KEY_PREFIXES):
        raise ServiceError(
            "thread", "thread must be 1-300 letters, digits or ._~:/@+- and must not start with 'story:'"
        )
    return explicit_id


def page_thread_resolve(
    *,
    site: Site,
    url: str,
    explicit_id: str | None = None,
    film_ref: str | None = None,
    title: str = "",
    create: bool,
    relink_film: bool = False,
    before_create: Callable[[], None] | None = None,
) -> tuple[Thread, bool]:
    """The thread of a page of `site` and whether it was created now.

    The page must be on one of the site's allowed origins (only its URL is looked at; it is never fetched).
    `create` opens the thread when there is none; otherwise a missing thread is NotFound naming `url`. The
    film is linked to a new thread, or to one without a film; `relink_film` (API keys) replaces it.
    `before_create` runs just before a thread is created, and may raise to prevent it (a rate limit).
    Idempotent: the key is unique per site, so concurrent first uses create one thread between them.
    """
    try:
        page_origin = origin_of(url)
        key = thread_key(url=url, explicit_id=explicit_id)
        canonical_url = normalise_page_url(url)
    except BadUrl as e:
        raise ServiceError("url", str(e)) from e
    if page_origin not in embed_policy(site).origins:
        raise ServiceError("url", f"url is on {page_origin}, which is not an allowed origin of {site.name}")
    if len(key) > KEY_MAX_LENGTH or len(canonical_url) > KEY_MAX_LENGTH:
        raise ServiceError("url", "url is too long (the maximum is 500 characters)")
    if len(title) > 300:
        raise ServiceError("title", "title is too long (the maximum is 300 characters)")
    film = film_from_ref(film_ref) if film_ref else None

    visible = Thread.objects.select_related("site", "film", "story").filter(visible_threads_q(site))
    thread = visible.filter(key=key).first()
    created = False
    if thread is None:
        if not create:
            raise NotFound("url", f"no thread for this page on {site.name} yet, and pages do not open threads here")
        if before_create is not None:
            before_create()
        try:
            with transaction.atomic():
                thread = Thread.objects.create(site=site, key=key, url=canonical_url, title=title.strip(), film=film)
            created = True
        except IntegrityError:  # another request opened it first (or it is a hidden story thread)
            thread = visible.filter(key=key).first()
            if thread is None:
                raise NotFound("url", f"no thread for this page on {site.name}") from None
    if film is not None and thread.film_id != film.pk and (thread.film_id is None or relink_film):
        thread.film = film
        thread.save(update_fields=["film"])
    if created:  # re-read with the relations thread_out shows
        thread = visible.get(pk=thread.pk)
    return thread, created


# --- Counts for count.js --------------------------------------------------------------------------

MAX_COUNTED_PAGES = 100


@dataclass(frozen=True)
class PageCount:
    comments: int
    ratings: int | None


def page_counts(*, site: Site, pages: list[str]) -> dict[str, PageCount]:
    """Comment and rating counts for pages named by URL (normalised) or explicit id, in two queries.

    A URL is anything starting with http:// or https://; the rest are explicit ids. Pages with no thread,
    or values that are neither, count 0 rather than failing the whole request.
    """
    from talkies.ratings.models import FilmScore

    if len(pages) > MAX_COUNTED_PAGES:
        raise ServiceError("page", f"ask for at most {MAX_COUNTED_PAGES} pages at once, not {len(pages)}")
    keys: dict[str, str] = {}
    for page in pages:
        try:
            keys[page] = normalise_page_url(page) if page.lower().startswith(("http://", "https://")) else page
        except BadUrl:
            continue
    threads = {
        key: (count, film_id)
        for key, count, film_id in Thread.objects.filter(
            visible_threads_q(site), key__in=set(keys.values())
        ).values_list("key", "comment_count", "film_id")
    }
    film_ids = {film_id for _count, film_id in threads.values() if film_id is not None}
    # Shown ratings: every rating minus those held in a suspected review bomb, as the score panel counts them.
    ratings = {
        film_id: count - held
        for film_id, count, held in FilmScore.objects.filter(site=site, film_id__in=film_ids).values_list(
            "film_id", "count", "held_count"
        )
    }
    counts = {}
    for page in pages:
        comment_count, film_id = threads.get(keys.get(page, ""), (0, None))
        counts[page] = PageCount(comments=comment_count, ratings=None if film_id is None else ratings.get(film_id, 0))
    return counts


# --- SSO ------------------------------------------------------------------------------------------


def sso_sign_in(*, site: Site, sso: str) -> User:
    """The local account for the host site's user vouched for by `sso`, created or updated to match.

    Trusted for `site` only: the identity is keyed by (site, the host's id), and the account gets no
    usable password, so it can act only through tokens issued for this site.
    """
    secret = EmbedSettings.objects.filter(site=site).values_list("sso_secret", flat=True).first()
    if not secret:
        raise Unauthorized("sso", f"{site.name} does not use SSO: set an SSO secret in its embed settings")
    try:
        vouched = read_sso(sso, secret=secret)
    except BadToken as e:
        raise Unauthorized("sso", str(e)) from e
    with transaction.atomic():
        identity = SsoIdentity.objects.select_related("user").filter(site=site, external_id=vouched.id).first()
        if identity is None:
            try:
                return _create_sso_user(site, vouched)
            except IntegrityError:  # the same reader's first sign-in, twice at once: the other one won
                identity = SsoIdentity.objects.select_related("user").get(site=site, external_id=vouched.id)
        user = identity.user
        if (user.display_name, user.email) != (vouched.name, vouched.email):
            _copy_profile(user, vouched)
            user.save(update_fields=["display_name", "email"])
    if not user.is_active:
        raise Unauthorized("sso", "this account has been deactivated")
    return user


def _create_sso_user(site: Site, vouched: SsoUser) -> User:
    with transaction.atomic():  # a savepoint, so a lost race leaves the outer transaction usable
        user = User(username=_free_sso_username(site, vouched.id))
        user.set_unusable_password()
        _copy_profile(user, vouched)
        user.save()
        SsoIdentity.objects.create(site=site, external_id=vouched.id, user=user)
    return user


def _copy_profile(user: User, vouched: SsoUser) -> None:
    user.display_name = vouched.name
    user.email = vouched.email


def _free_sso_username(site: Site, external_id: str) -> str:
    """sso-<site>-<id>, or with a random suffix if someone already holds that name (never their account)."""
    username = f"sso-{site.slug}-{external_id}"[:140]
    while User.objects.filter(username=username).exists():
        username = f"sso-{site.slug}-{external_id}"[:140] + "-" + secrets.token_hex(3)
    return username


# --- API keys -------------------------------------------------------------------------------------


def hash_api_key(key: str) -> str:
    # A plain SHA-256 is right here, unlike for passwords: the key is 256 random bits, so there is nothing
    # to guess, and a fast hash keeps the per-request lookup cheap.
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_create(*, site: Site, name: str) -> tuple[ApiKey, str]:
    """A new key for `site`'s servers: the ApiKey row (holding only a hash) and the key, shown this once."""
    name = name.strip()
    if not name:
        raise ServiceError("name", "name is empty: say what will use the key, e.g. wp")
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(site=site, name=name[:80], prefix=key[:10], key_hash=hash_api_key(key))
    return api_key, key


def api_key_authenticate(key: str) -> ApiKey | None:
    """The live key matching `key`, its use recorded; None for an unknown or revoked key."""
    api_key = ApiKey.objects.select_related("site").filter(key_hash=hash_api_key(key), revoked_at=None).first()
    if api_key is not None:
        now = timezone.now()
        # Recorded at most once a minute: a busy integration should not write on every call.
        if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() > 60:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key
