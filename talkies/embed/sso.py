"""Single sign-on: the host site vouches for its reader with a signed payload, and Talkies keeps a local
account for them, trusted on that site only.
"""

import secrets

from django.db import IntegrityError, transaction

from talkies.accounts.lookalike_names import refuse_lookalike
from talkies.accounts.models import Site, User
from talkies.lib.errors import Unauthorized

from .models import EmbedSettings, SsoIdentity
from .tokens import BadToken, SsoUser, read_sso


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
    # The host site vouches for who the reader is, not that their name cannot pass for someone else's here.
    existing = SsoIdentity.objects.filter(site=site, external_id=vouched.id).values_list("user_id", flat=True)
    refuse_lookalike(vouched.name, field="name", user_id=existing.first())
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
