"""`talkies moderation classify`: JSON lines in, one decision per line out, in order; bad lines named."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from talkies.catalogue.models import Character, Credit, Person
from talkies.moderation.models import ListedWord


@pytest.fixture
def cast(film):
    eve = Character.objects.create(name="Eve Macarro", slug="eve-macarro")
    ana = Person.objects.create(name="Ana de Armas", slug="ana-de-armas")
    Credit.objects.create(film=film, person=ana, role=Credit.Role.ACTOR, character=eve, billing_order=1)
    return film


def classify(lines, *args):
    out = io.StringIO()
    error = None
    try:
        call_command("moderation", "classify", *args, stdin=io.StringIO("".join(lines)), stdout=out)
    except CommandError as raised:
        error = raised
    return [json.loads(line) for line in out.getvalue().splitlines()], error


def test_it_prints_one_decision_per_line_in_order(site, cast):
    lines = [
        json.dumps({"text": "you are an idiot"}) + "\n",
        "\n",  # blank lines are skipped
        json.dumps({"text": "Eve Macarro dies at the end"}) + "\n",
        json.dumps({"text": "Watch Ballerina full movie free at 123movies"}) + "\n",
        json.dumps({"text": "Loved it, the snow fight is incredible"}),
    ]

    out, error = classify(lines, "--site", "reelnews", "--film", "ballerina")

    assert error is None
    assert [line["decision"] for line in out] == ["premoderate", "allow", "premoderate", "allow"]
    assert [line["suggest_spoiler"] for line in out] == [False, True, False, False]
    assert set(out[0]) == {"decision", "signals", "reasons", "suggest_spoiler"}
    assert set(out[0]["signals"]) == {"toxicity", "spam", "spoiler"}
    assert out[0]["signals"]["toxicity"] > 0.9
    assert any("idiot" in reason for reason in out[0]["reasons"])


def test_the_films_characters_come_from_the_catalogue(site, cast):
    line = [json.dumps({"text": "Eve Macarro dies at the end"})]

    with_film, _ = classify(line, "--site", "reelnews", "--film", "ballerina")
    without, _ = classify(line, "--site", "reelnews")

    assert with_film[0]["signals"]["spoiler"] > without[0]["signals"]["spoiler"]


def test_the_sites_word_lists_apply(site, film):
    ListedWord.objects.create(site=site, word="fuck", kind=ListedWord.Kind.BANNED)

    out, error = classify([json.dumps({"text": "f*ck this film"})], "--site", "reelnews")

    assert error is None
    assert out[0]["decision"] == "reject"
    assert "“f*ck”" in out[0]["reasons"][0]


def test_author_facts_on_a_line_are_used(site):
    body = "Great article, read my thoughts about it on my page"
    copier = {"text": body, "account_age_days": 0.1, "comments_last_hour": 30, "recent_bodies": [body, body, body]}

    out, error = classify([json.dumps({"text": body}) + "\n", json.dumps(copier)], "--site", "reelnews")

    assert error is None
    assert [line["decision"] for line in out] == ["allow", "premoderate"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("not json at all", "line 2: not JSON"),
        ('["a list"]', "line 2: expected a JSON object"),
        ('{"body": "no text field"}', 'line 2: no "text" field'),
        ('{"text": 42}', 'line 2: "text" must be a string, not int'),
        ('{"text": "ok", "comments_last_hour": "lots"}', "line 2: comments_last_hour must be a whole number"),
    ],
)
def test_a_bad_line_stops_with_its_line_number_and_keeps_what_was_printed(site, bad, message):
    lines = [json.dumps({"text": "first"}) + "\n", bad + "\n", json.dumps({"text": "never reached"}) + "\n"]

    out, error = classify(lines, "--site", "reelnews")

    assert error is not None and message in str(error)
    assert error.returncode == 1  # the console script exits non-zero
    assert len(out) == 1 and out[0]["decision"] == "allow"


def test_an_unknown_site_or_film_is_a_clear_error(site, film):
    _, error = classify([], "--site", "nowhere")
    assert error is not None and "no site with slug 'nowhere' (sites: reelnews)" in str(error)

    _, error = classify([], "--site", "reelnews", "--film", "nothing")
    assert error is not None and "no film with slug 'nothing' (films include: ballerina)" in str(error)


def test_the_site_is_required(site):
    with pytest.raises(CommandError, match="--site"):
        call_command("moderation", "classify", stdin=io.StringIO(""))


def test_the_digest_emails_the_sites_moderators_what_is_waiting(site, thread, reader, moderator, mailoutbox):
    import io

    from django.core.management import call_command

    from talkies.comments.services import comment_create
    from talkies.moderation.models import ModerationSettings, PremoderationRule
    from talkies.tasks.queue import run_pending_tasks

    moderator.email = "mod@example.com"
    moderator.save()
    ModerationSettings.objects.create(site=site, digest_emails=True)
    PremoderationRule.objects.create(site=site, scope="site")
    comment_create(thread=thread, author=reader, body="Held until someone reads it")
    out = io.StringIO()
    call_command("moderation", "digest", stdout=out)
    assert "1 queued for the worker" in out.getvalue()
    assert mailoutbox == []
    run_pending_tasks()
    (email,) = mailoutbox
    assert email.to == ["mod@example.com"] and "1 waiting" in email.subject
    assert "Held until someone reads it" in email.body and "/moderate/" in email.body
