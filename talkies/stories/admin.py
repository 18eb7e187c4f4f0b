from django.contrib import admin

from talkies.lib.markdown import render_markdown

from .models import CriticReview, Story


class CriticReviewInline(admin.StackedInline):
    model = CriticReview
    extra = 0
    autocomplete_fields = ["film"]
    readonly_fields = ("score_value", "score_max", "normalised")


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("title", "site", "kind", "published_at", "author")
    list_filter = ("site", "kind")
    search_fields = ("title", "dek")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["films"]
    filter_horizontal = ("related",)
    inlines = [CriticReviewInline]

    def save_model(self, request, obj, form, change):
        # body_html is derived, never typed: render it the same way stories.services does.
        obj.body_html = render_markdown(obj.body_source)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        from talkies.lib.critic_scores import CriticScoreError, parse_critic_score

        for review in formset.save(commit=False):
            if isinstance(review, CriticReview):
                try:
                    parsed = parse_critic_score(review.score_text)
                except CriticScoreError as e:
                    self.message_user(request, str(e), level="error")
                    continue
                review.score_text = parsed.text
                review.score_value, review.score_max, review.normalised = (
                    parsed.value,
                    parsed.maximum,
                    parsed.normalised,
                )
            review.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
