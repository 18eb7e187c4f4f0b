"""Critics beside the audience for a list of films, in a fixed number of queries however many films."""

import datetime
from dataclasses import dataclass
from typing import Literal

from django.contrib.auth.models import AnonymousUser

from talkies.accounts.models import Site, User
from talkies.catalogue.models import Film
from talkies.lib.scoring import AudienceScore, critic_audience_divergence
from talkies.ratings.permissions import rating_opens_on, rating_refusal
from talkies.ratings.selectors import film_audience_scores, ratings_of_reader
from talkies.stories.selectors import CriticSide, critic_sides

Divergence = Literal["critics", "audience"]


@dataclass(frozen=True)
class FilmScorecard:
    """Everything the critic-vs-audience panel, its rating widget and the API's scores show for a film."""

    film: Film
    critic: CriticSide
    audience: AudienceScore
    # The reader's own rating (canonical 1–10), None when they have not rated or nobody is signed in.
    my_rating: int | None
    # The day rating opens on this site while that is still in the future; None when readers may rate.
    rating_opens_on: datetime.date | None
    # Why readers may not rate the film yet (a sentence), e.g. no announced release date; None when they may.
    rating_closed_because: str | None = None

    @property
    def divergence(self) -> Divergence | None:
        """'critics' or 'audience' when one side liked the film clearly more; None when they broadly agree
        or a side is not shown yet (the audience only once it has enough ratings)."""
        audience = self.audience.bayesian if self.audience.enough else None
        return critic_audience_divergence(critic=self.critic.figure, audience=audience)


def film_scorecards(
    *,
    site: Site,
    films: list[Film],
    reader: User | AnonymousUser | None = None,
    today: datetime.date,
    include_held: bool = False,
) -> list[FilmScorecard]:
    """A scorecard per film, in the order given, in three queries (critics, audience, the reader's ratings).

    `films` must have their release dates prefetched (rating windows are derived from them). Ratings held
    in a suspected review bomb are left out unless `include_held` asks for the "all ratings" view.
    """
    critic = critic_sides(site=site, films=films)
    audience = film_audience_scores(site=site, films=films, include_held=include_held)
    mine = ratings_of_reader(site=site, films=films, reader=reader) if reader is not None else {}
    cards = []
    for film in films:
        opens = rating_opens_on(site=site, film=film)
        cards.append(
            FilmScorecard(
                film=film,
                critic=critic[film.pk],
                audience=audience[film.pk],
                my_rating=mine.get(film.pk),
                rating_opens_on=opens if opens is not None and today < opens else None,
                rating_closed_because=rating_refusal(site=site, film=film, today=today),
            )
        )
    return cards
