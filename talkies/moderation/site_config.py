"""A site's moderation settings as the text signals take them, and a draft comment as they judge it.

The signals (talkies.moderation.signals, talkies.moderation.decisions) know nothing of the database:
this module reads the site's word lists, thresholds and bad domains, the film's characters and
synopsis, and the author's recent record, and hands them over as plain values.
"""

from typing import TYPE_CHECKING, Any

from talkies.accounts.models import Site
from talkies.catalogue.models import Film
from talkies.comments.screening import Draft

if TYPE_CHECKING:
    from .decisions import Decision, SignalConfig


def signal_config_for(site: Site, film: Film | None = None) -> "SignalConfig":
    raise NotImplementedError  # written once the signals land


def film_context(film: Film | None) -> dict[str, Any]:
    raise NotImplementedError


def assess_draft(draft: Draft) -> "Decision | None":
    return None
