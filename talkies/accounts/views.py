"""Register, confirm an email address, log in and out, reset a password, account settings, unsubscribe.

Logging in and out and password reset are Django's own views with our templates. Registering logs you in
and sends a link to confirm the address; reply notifications go only to confirmed addresses.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, PasswordResetConfirmView, PasswordResetView
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

from talkies.lib.ratelimit import RateLimited, actor_key, enforce_rate_limit

from .emails import send_verification_email
from .forms import AccountSettingsForm, LimitedAuthenticationForm, RegisterForm
from .login_backoff import clear_failed_sign_ins
from .requests import SignedInRequest
from .tokens import BadToken, user_for_unsubscribe_token, user_for_verification_token


class TalkiesLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = LimitedAuthenticationForm

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        refusal = form.rate_limited if isinstance(form, LimitedAuthenticationForm) else None
        if refusal is not None:
            response.status_code = refusal.status_code
            response["Retry-After"] = str(refusal.retry_after)
        return response


class TalkiesPasswordResetView(PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/emails/password_reset_email.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"

    def form_valid(self, form: Any) -> HttpResponse:
        # The link is built on SITE_URL rather than the request's Host header, which a client controls
        # (a forged Host would otherwise put an attacker's domain in a genuine reset email).
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class TalkiesPasswordResetConfirmView(PasswordResetConfirmView):
    """The emailed link's page. It signs the reader in once the new password is set and clears the failed
    sign-ins counted against their name: the way in that someone failing on purpose to make an account
    wait (login_backoff.py) cannot take from its owner, since only the owner gets the email."""

    template_name = "accounts/password_reset_confirm.html"
    post_reset_login = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        clear_failed_sign_ins(form.user.get_username())
        return response


def register(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""  # never bounce a new reader to another site
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    form = RegisterForm(request.POST or None)
    status, retry_after = 200, None
    if request.method == "POST":
        status = 400
        try:
            enforce_rate_limit(request, "register", actor=None, field="username")
        except RateLimited as error:
            form.add_error(None, error.message)  # the form is shown again with what was typed
            status, retry_after = error.status_code, error.retry_after
        else:
            if form.is_valid():
                with transaction.atomic():  # the account and the email it is owed, or neither
                    user = form.save()
                    send_verification_email(user)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, f"Welcome! We sent a link to {user.email}: open it to confirm your address.")
                return redirect(next_url or "home")
    response = render(request, "accounts/register.html", {"form": form, "next": next_url}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)  # as the API's 429s and sign-in's say it
    return response


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = user_for_verification_token(token)
    except BadToken as error:
        return render(request, "accounts/verify_email_failed.html", {"reason": str(error)}, status=400)
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return render(request, "accounts/verify_email_done.html", {"verified_user": user})


@login_required
def account_settings(request: SignedInRequest) -> HttpResponse:
    user = request.user
    # Unticking the only box posts nothing at all, so "was it a POST" must not be judged by the data.
    form = AccountSettingsForm(request.POST if request.method == "POST" else None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        on = form.cleaned_data["notify_replies"]
        messages.success(request, "Reply emails are on." if on else "Reply emails are off.")
        return redirect("account-settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
def resend_verification(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        if user.email_verified:
            messages.info(request, "Your email address is already confirmed.")
        else:
            try:
                enforce_rate_limit(request, "verification_email", actor=actor_key(user_id=user.pk), field="email")
            except RateLimited as error:
                messages.error(request, f"No email was sent: {error.message}.")
            else:
                send_verification_email(user)
                messages.success(request, f"We sent a new link to {user.email}.")
        return redirect("account-settings")
    return render(request, "accounts/resend_verification.html")


# The confirmation form on our page and a mail client's RFC 8058 one-click POST both arrive here without a
# CSRF token (a mail client has none to send). That is safe because the signed token in the URL is the
# credential, and the only thing it can do is turn emails off.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = user_for_unsubscribe_token(token)
    except BadToken as error:
        return render(request, "accounts/unsubscribe_failed.html", {"reason": str(error)}, status=400)
    if request.method == "POST":
        if user.notify_replies:
            user.notify_replies = False
            user.save(update_fields=["notify_replies"])
        return render(request, "accounts/unsubscribe_done.html", {"subscriber": user})
    # A GET only asks: link scanners and previews fetch links in emails, and must not unsubscribe anyone.
    return render(request, "accounts/unsubscribe_confirm.html", {"subscriber": user})
