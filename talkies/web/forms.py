"""Forms for the standalone pages. They only parse input; the services decide what is allowed."""

from django import forms

from talkies.lib.errors import ServiceError
from talkies.ratings.models import RATING_MAX, RATING_MIN


class ServiceErrorsMixin:
    """Show a ServiceError beside the field it names, or above the form when that field is not one the
    reader can see (a hidden field, or something else such as the thread being closed)."""

    def add_service_error(self, error: ServiceError) -> None:
        field = self.fields.get(error.field)  # type: ignore[attr-defined]
        visible = field is not None and not field.widget.is_hidden
        message = error.message
        if visible and field.label and message.startswith(f"{error.field} "):
            # The services name a field as the API spells it ("guest_name is empty"); beside the field, the
            # reader knows it by its label ("Your name is empty").
            message = field.label + message.removeprefix(error.field)
        self.add_error(error.field if visible else None, message)  # type: ignore[attr-defined]


class CommentForm(ServiceErrorsMixin, forms.Form):
    # Length and emptiness are the service's rules (they depend on the site's settings), so the form
    # accepts anything and lets comment_create explain what is wrong.
    body = forms.CharField(required=False, strip=False, widget=forms.Textarea)
    is_spoiler = forms.BooleanField(required=False)
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # Only shown to, and only read from, readers posting as guests.
    guest_name = forms.CharField(required=False, strip=False, label="Your name")


class CommentEditForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 8}))
    is_spoiler = forms.BooleanField(required=False, label="The whole comment contains spoilers")


class RatingForm(forms.Form):
    value = forms.TypedChoiceField(
        coerce=int,
        choices=[(v, str(v)) for v in range(RATING_MIN, RATING_MAX + 1)],
        error_messages={"required": "choose a rating first", "invalid_choice": "choose a rating from the stars"},
    )


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(coerce=int, choices=[(1, "up"), (-1, "down"), (0, "withdraw")])
