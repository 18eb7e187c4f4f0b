"""Signed tokens for links in emails: confirming an address, and unsubscribing without logging in.

Both are Django signatures over the user's id (and, for confirmation, the address itself), each with its
own salt, so a token of one kind is worthless as the other and nobody can make one for another user.
"""

from django.conf import settings
from django.core import signing

from .models import User

VERIFY_SALT = "talkies.accounts.verify-email"
UNSUBSCRIBE_SALT = "talkies.accounts.unsubscribe"


class BadToken(Exception):
    """A link that is forged, garbled, expired, or for an account or address that no longer matches."""


def email_verification_token(user: User) -> str:
    # The address is signed too, so a link sent to an old address cannot confirm a new one.
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT, compress=False)


def user_for_verification_token(token: str) -> User:
    max_age = settings.EMAIL_VERIFICATION_MAX_AGE_DAYS * 24 * 60 * 60
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=max_age)
    except signing.SignatureExpired as e:
        raise BadToken("this link has expired: ask for a new one from your account page") from e
    except signing.BadSignature as e:
        raise BadToken("this link is not one we sent: check that it was copied whole") from e
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or user.email != data.get("e"):
        raise BadToken("this link is for an address this account no longer uses: ask for a new one")
    return user


def unsubscribe_token(user: User) -> str:
    # No expiry: an unsubscribe link must keep working for as long as the email sits in someone's inbox.
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=False)


def user_for_unsubscribe_token(token: str) -> User:
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as e:
        raise BadToken("this unsubscribe link is not one we sent: check that it was copied whole") from e
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise BadToken("this unsubscribe link is for an account that no longer exists")
    return user
