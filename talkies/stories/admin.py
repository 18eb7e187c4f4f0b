"""The story admin: a form over stories.services, so an editor's story is checked and derived as the API's is.

Validation asks the services' own checks, so a refusal is shown beside its field; writes go through the
services once the story and its reviews are all valid, so a bad critic score saves nothing at all.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from talkies.lib.critic_scores import CriticScoreError, parse_critic_score
from talkies.lib.errors import ServiceError

from .models import CriticReview, Story
from .services import critic_review_create, critic_review_update, story_check_new, story_create, story_update_body


class CriticReviewForm(forms.ModelForm):
    class Meta:
        model = CriticReview
        fields = ["film", "critic", "critic_name", "score_text", "verdict"]

    def clean_score_text(self) -> str:
        score = self.cleaned_data["score_text"]
        try:
            parse_critic_score(score)
        except CriticScoreError as e:
            raise ValidationError(str(e)) from e
        return score


class CriticReviewInline(admin.StackedInline):
    model = CriticReview
    form = CriticReviewForm
    extra = 0
    autocomplete_fields = ["film"]
    readonly_fields = ("score_value", "score_max", "normalised")


class StoryForm(forms.ModelForm):
    class Meta:
        model = Story
        fields = [
            "site",
            "kind",
            "title",
            "slug",
            "dek",
            "body_source",
            "author",
            "published_at",
            "films",
            "related",
            "call_to_action",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            # story_create makes the slug from the title with its spoilers left out; a slug filled in by
            # the browser as the title is typed would spell them out in the story's address.
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "Leave empty to make one from the title (spoilers are left out)."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance._state.adding and not self.errors:
            try:
                story_check_new(
                    site=cleaned["site"],
                    kind=cleaned["kind"],
                    title=cleaned["title"],
                    slug=cleaned["slug"],
                    dek=cleaned["dek"],
                    call_to_action=cleaned["call_to_action"],
                )
            except ServiceError as e:
                self.add_error(e.field if e.field in self.fields else None, e.message)
        return cleaned


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    form = StoryForm
    list_display = ("title", "site", "kind", "published_at", "author")
    list_filter = ("site", "kind")
    search_fields = ("title", "dek")
    autocomplete_fields = ["films"]
    filter_horizontal = ("related",)
    inlines = [CriticReviewInline]

    def save_model(self, request: HttpRequest, obj: Story, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        if change:
            # The services have no say in the plain fields; the body is theirs to render and sanitise.
            super().save_model(request, obj, form, change)
            if "body_source" in form.changed_data:
                story_update_body(story=obj, body=data["body_source"])
            return
        story = story_create(
            site=data["site"],
            kind=data["kind"],
            title=data["title"],
            body=data["body_source"],
            author=data["author"],
            published_at=data["published_at"],
            films=data["films"],
            slug=data["slug"],
            dek=data["dek"],
            call_to_action=data["call_to_action"],
        )
        # The admin goes on with `obj` (the form's instance): its related stories, its reviews, the
        # change log and the redirect all need the row story_create wrote.
        for field in Story._meta.concrete_fields:
            setattr(obj, field.attname, getattr(story, field.attname))
        obj._state.adding, obj._state.db = False, story._state.db

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        if formset.model is not CriticReview:
            return super().save_formset(request, form, formset, change)
        for review in formset.save(commit=False):
            fields = {
                "film": review.film,
                "critic_name": review.critic_name,
                "score": review.score_text,
                "critic": review.critic,
                "verdict": review.verdict,
            }
            if review.pk is None:
                critic_review_create(story=form.instance, **fields)
            else:
                critic_review_update(review=review, **fields)
        for review in formset.deleted_objects:
            review.delete()
