from django import template
from django.core.exceptions import ObjectDoesNotExist

register = template.Library()


@register.filter
def comment_count(story) -> int:
    """The story's visible comments; 0 before its thread exists (the reverse one-to-one raises then)."""
    try:
        return story.thread.comment_count
    except ObjectDoesNotExist:
        return 0
