"""A film's scorecard: the site's critics beside its audience, with the reader's own rating.

Stories (critics) and ratings (the audience) sit on the same floor and must not import each other, so
the one place that sets them side by side is here, on the floor above them. The film page, the story
page, the API's film detail and /api/v1/films/{slug}/scores all read `selectors.film_scorecards`.
"""
