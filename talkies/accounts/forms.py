from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import User


class RegisterForm(UserCreationForm):
    """Sign-up for readers: a username, an email (for reply notifications) and a password twice."""

    email = forms.EmailField(help_text="We send reply notifications here; it is never shown to other readers.")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
