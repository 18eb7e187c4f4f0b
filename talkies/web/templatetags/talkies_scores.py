from django import template

from talkies.scorecard.selectors import FilmScorecard

register = template.Library()

DIVERGENCE_NOTES = {
    "critics": "Critics liked it more than readers.",
    "audience": "Readers liked it more than critics.",
}


@register.simple_tag
def divergence_note(scores: FilmScorecard) -> str:
    """The sentence to show when critic and audience disagree strongly (FilmScorecard.divergence), else ''."""
    return DIVERGENCE_NOTES.get(scores.divergence or "", "")
