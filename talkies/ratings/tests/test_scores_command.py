import pytest
from django.core.management import CommandError, call_command

from talkies.ratings.models import FilmScore
from talkies.ratings.services import rating_set


def test_it_reports_no_drift_when_scores_match(site, film, reader, second_reader, capsys):
    rating_set(site=site, film=film, user=reader, value=8)
    rating_set(site=site, film=film, user=second_reader, value=3)
    call_command("scores", "check")
    assert "no drift" in capsys.readouterr().out


def test_it_finds_and_repairs_a_tampered_score(site, film, reader, second_reader, capsys):
    rating_set(site=site, film=film, user=reader, value=8)
    rating_set(site=site, film=film, user=second_reader, value=3)
    FilmScore.objects.filter(site=site, film=film).update(count=5, total=99)

    with pytest.raises(CommandError, match="1 film score"):
        call_command("scores", "check")
    assert "stored count=5 total=99" in capsys.readouterr().out

    call_command("scores", "check", "--repair")
    score = FilmScore.objects.get(site=site, film=film)
    assert (score.count, score.total) == (2, 11)
    assert score.histogram == [0, 0, 1, 0, 0, 0, 0, 1, 0, 0]
    call_command("scores", "check")


def test_it_notices_ratings_that_have_no_score_row(site, film, reader):
    rating_set(site=site, film=film, user=reader, value=6)
    FilmScore.objects.all().delete()
    with pytest.raises(CommandError):
        call_command("scores", "check")
    call_command("scores", "check", "--repair")
    assert FilmScore.objects.get(site=site, film=film).count == 1
