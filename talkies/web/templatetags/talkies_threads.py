from django import template
from django.core.exceptions import ObjectDoesNotExist

from talkies.stories.models import Story

register = template.Library()


@register.filter
def comment_count(story: Story) -> int:
    """The story's visible comments; 0 before its thread exists (the reverse one-to-one raises then)."""
    try:
        return story.thread.comment_count
    except ObjectDoesNotExist:
        return 0
