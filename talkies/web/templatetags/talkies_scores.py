from django import template

from talkies.lib.scoring import critic_audience_divergence

register = template.Library()

DIVERGENCE_NOTES = {
    "critics": "Critics liked it more than readers.",
    "audience": "Readers liked it more than critics.",
}


@register.simple_tag
def divergence_note(scores) -> str:
    """The sentence to show when critic and audience disagree strongly, else ''.

    Uses the critics' average once there are enough reviews, else the latest review; the audience side only
    once it has enough ratings to be shown at all.
    """
    critic = scores.critic.figure
    audience = scores.audience.bayesian if scores.audience.enough else None
    return DIVERGENCE_NOTES.get(critic_audience_divergence(critic=critic, audience=audience) or "", "")
