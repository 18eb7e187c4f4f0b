from django import forms
from django.contrib.auth.forms import UserCreationForm

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
