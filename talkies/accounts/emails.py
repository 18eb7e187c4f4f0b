"""The emails accounts send: confirming an address. (Password reset mail is Django's own view.)

Queued (talkies.tasks), not sent in the request: call it in the transaction that creates or changes the
account, so the email is owed exactly when the account is saved.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from talkies.tasks.email import enqueue_email

from .models import User
from .tokens import email_verification_token


def absolute_url(path: str) -> str:
    """Links in emails point at SITE_URL: the email is read far from the request that sent it."""
    return f"{settings.SITE_URL}{path}"


def send_verification_email(user: User) -> None:
    link = absolute_url(reverse("verify-email", args=[email_verification_token(user)]))
    context = {"user": user, "link": link, "days": settings.EMAIL_VERIFICATION_MAX_AGE_DAYS}
    message = EmailMessage(
        subject="Confirm your email address",
        body=render_to_string("accounts/emails/verify_email.txt", context),
        to=[user.email],
    )
    enqueue_email(message)
