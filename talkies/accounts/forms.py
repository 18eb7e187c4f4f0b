from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.text import capfirst

from talkies.lib.errors import ServiceError
from talkies.lib.ratelimit import RateLimited, enforce_rate_limit

from .login_backoff import SignInDelayed, check_sign_in_allowed, clear_failed_sign_ins, record_failed_sign_in
from .lookalike_names import refuse_lookalike
from .models import User

NOTIFY_LABEL = "Email me when someone replies to me or mentions me"
NOTIFY_HELP = "Off unless you tick it. Every email has a one-click unsubscribe link."


class RegisterForm(UserCreationForm):
    """Sign-up for readers: a username, an email (for reply notifications) and a password twice."""

    email = forms.EmailField(help_text="We send reply notifications here; it is never shown to other readers.")
    notify_replies = forms.BooleanField(required=False, label=NOTIFY_LABEL, help_text=NOTIFY_HELP)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "notify_replies")

    def clean_username(self) -> str:
        username: str = super().clean_username()
        try:
            refuse_lookalike(username, field="username")
        except ServiceError as error:
            raise ValidationError(f"{capfirst(error.message)}.", code="lookalike") from error
        return username


class AccountSettingsForm(forms.ModelForm):
    notify_replies = forms.BooleanField(required=False, label=NOTIFY_LABEL, help_text=NOTIFY_HELP)
    notify_moderation = forms.BooleanField(
        required=False,
        label="Email me when a moderator holds or rejects one of my comments",
        help_text="You always see why on the page, beside the comment.",
    )

    class Meta:
        model = User
        fields = ("notify_replies", "notify_moderation")


class LimitedAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, counting each attempt against settings.RATE_LIMITS["login"] per account name
    tried and per client address, and refusing it before the password is checked once a limit is reached;
    and, past a run of wrong passwords for one name, making that name wait longer after each further one
    (login_backoff.py), until it signs in or its owner resets the password.

    Every attempt counts against the windows, a successful one too: counting only failures would let
    guesses sent in parallel all pass the check before any failure was counted. Past a limit even the right
    password is refused, so guessing cannot go on at speed; every refusal ends, so no account is locked for
    good, and the emailed reset link signs its owner in whatever the wait.
    """

    rate_limited: RateLimited | SignInDelayed | None = None

    def clean(self) -> dict[str, Any]:
        assert self.request is not None  # LoginView always passes it
        name = self.cleaned_data.get("username") or ""
        # Case-folded, so the variants of one name that a case-insensitive guess might try share a count.
        tried = f"login:{name.casefold()}" if name else None
        try:
            enforce_rate_limit(self.request, "login", actor=tried, field="username")
            if name:
                check_sign_in_allowed(name)
        except (RateLimited, SignInDelayed) as error:
            self.rate_limited = error
            raise ValidationError(f"{capfirst(error.message)}.", code="rate_limited") from error
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if name and error.code == "invalid_login":
                record_failed_sign_in(name)
            raise
        if name:
            clear_failed_sign_ins(name)
        return cleaned
