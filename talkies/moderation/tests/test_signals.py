"""The text signals and decide(): the interface, each built-in signal's judgement, and how a decision is made."""

import logging
import time

import pytest
from django.test import override_settings

from talkies.moderation.decisions import Action, SignalConfig, SignalRule, active_signals, decide
from talkies.moderation.signals import (
    AuthorFacts,
    FilmFacts,
    FunctionSignal,
    Signal,
    SignalContext,
    SignalResult,
    SiteFacts,
    SpamSignal,
    SpoilerSignal,
    ToxicitySignal,
    builtin_signals,
    load_signal,
    profanity,
)

BALLERINA = FilmFacts(
    title="Ballerina",
    characters=("Eve Macarro", "The Director", "Winston", "Charon", "John Wick"),
    cast=("Ana de Armas", "Anjelica Huston", "Ian McShane", "Lance Reddick", "Keanu Reeves", "Gabriel Byrne"),
    synopsis="Eve Macarro is still early in her training with the Ruska Roma, the crime family that also raised "
    "John Wick, when she finds a way to go after the breakaway band of killers that wrecked her life.",
)


def context(text, **facts):
    return SignalContext(text=text, film=facts.pop("film", BALLERINA), **facts)


def score(signal, text, **facts):
    return signal.assess(context(text, **facts)).score


# --- The interface ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("signal", builtin_signals(), ids=lambda signal: signal.name)
@pytest.mark.parametrize("text", ["", "   ", "ok", "Great film!", "x" * 2000, ">!the whole comment is hidden!<"])
def test_every_built_in_signal_returns_a_score_between_zero_and_one_with_reasons_in_words(signal, text):
    result = signal.assess(context(text))

    assert isinstance(signal, Signal)
    assert isinstance(result, SignalResult)
    assert 0.0 <= result.score <= 1.0
    assert all(isinstance(reason, str) and reason for reason in result.reasons)


def test_a_result_keeps_its_score_within_zero_and_one_whatever_a_signal_hands_back():
    assert SignalResult(7).score == 1.0
    assert SignalResult(-1).score == 0.0
    assert SignalResult(float("nan")).score == 0.0


def test_the_context_is_frozen_and_holds_no_orm_objects():
    facts = context("text")

    with pytest.raises(AttributeError):
        facts.text = "changed"  # type: ignore[misc]
    assert FilmFacts.from_mapping({"title": "Up", "characters": ["Carl"], "cast": None, "other": 1}) == FilmFacts(
        title="Up", characters=("Carl",)
    )
    assert FilmFacts.from_mapping(None) == FilmFacts()


def test_author_facts_from_json_name_the_field_that_is_wrong():
    assert AuthorFacts.from_mapping({"account_age_days": None, "recent_bodies": ["a"]}) == AuthorFacts(
        recent_bodies=("a",)
    )
    for bad, field in (
        ({"account_age_days": "old"}, "account_age_days"),
        ({"comments_last_hour": -1}, "comments_last_hour"),
        ({"approved_count": True}, "approved_count"),
        ({"recent_bodies": "one"}, "recent_bodies"),
    ):
        with pytest.raises(ValueError, match=field):
            AuthorFacts.from_mapping(bad)


# --- Toxicity: abuse of people, not opinions of films ----------------------------------------------------

ABUSE = [
    "you are garbage",
    "You're clearly too dumb to get it",
    "Keanu is a talentless idiot who should die",
    "I'll find you",
    "I know where you live",
    "people who liked this are morons",
    "@reel_fan you are the dumbest person on this site",
    "Ana de Armas is a fat cow",
    "kys",
    "Shut up, nobody asked you",
    "y0u are an 1d10t",
    "go back to where you came from",
    "what a pathetic little man you are",
    "I hope the director dies in a fire",
    "Your opinion is trash and so are you",
    "You are mentally ill and need help",
    "you have the personality of a wet sock",
    "the guy above me is a complete idiot",
]
CRITICISM = [
    "this movie is garbage",
    "the plot is shit",
    "Keanu's acting was wooden",
    "The director is a hack",
    "This franchise needs to die",
    "the characters are idiots, every one of them",
    "What a stupid ending",
    "The movie treats you like you're stupid",
    "The CGI looks like a potato",
    "Whoever greenlit this is an idiot",
    "Santino is an idiot, why would he betray John so openly?",
    "The villagers are all morons who run straight into bullets",
    "This makes you feel stupid for paying",
]
PRAISE = [
    "this fucking movie is a masterpiece",
    "Holy shit, what a ride",
    "Stupid fun in the best way",
    "Call me stupid but I loved it",
    "You'd be a fool to miss this one",
    "Shut up and take my money",
    "ana de armas absolutely murdered that role",
]


@pytest.mark.parametrize("text", ABUSE)
def test_abuse_aimed_at_a_person_scores_above_the_default_threshold(text):
    assert score(ToxicitySignal(), text) >= SignalConfig.defaults().rules["toxicity"].threshold


@pytest.mark.parametrize("text", CRITICISM + PRAISE)
def test_harsh_words_about_a_film_or_for_it_score_below_the_default_threshold(text):
    assert score(ToxicitySignal(), text) < SignalConfig.defaults().rules["toxicity"].threshold


def test_the_same_insult_is_abuse_at_an_actor_and_not_at_their_character():
    toxicity = ToxicitySignal()

    assert score(toxicity, "Ana de Armas is ugly") > 0.8
    assert score(toxicity, "Eve Macarro is an idiot for trusting him") < 0.5


def test_a_named_participant_is_a_person_even_without_you():
    toxicity = ToxicitySignal()

    assert score(toxicity, "Priya is a moron", participants=("Priya",)) > score(toxicity, "Priya is a moron")
    assert score(toxicity, "Priya is a moron", participants=("Priya",)) >= 0.9


def test_a_quoted_threat_counts_for_less_than_a_threat():
    toxicity = ToxicitySignal()

    quoted = score(toxicity, '"I will find you, and I will kill you" is the best line in the trailer')

    assert quoted < 0.5 < score(toxicity, "I will find you, and I will kill you")


def test_slurs_are_found_through_disguises_and_give_a_reason():
    result = ToxicitySignal().assess(context("typical f@ggot take"))

    assert result.score > 0.9
    assert any("slur" in reason for reason in result.reasons)


def test_the_fast_path_gives_the_models_own_probabilities():
    texts = ["you are garbage", "what a lovely film", "", "the plot is shit and so are you"]

    assert profanity.probabilities(texts) == pytest.approx(profanity.model_probabilities(texts), abs=1e-9)


# --- Spam -----------------------------------------------------------------------------------------------


def test_piracy_pitches_and_shortened_links_are_spam_and_say_why():
    spam = SpamSignal()

    result = spam.assess(context("Watch Ballerina full movie free online HD >>> https://ballerina-hd.stream/watch"))

    assert result.score > 0.8
    assert any("free" in reason for reason in result.reasons)
    assert score(spam, "here it is bit.ly/3xYz") > 0.5


def test_spam_without_links_is_found_by_what_it_asks_for():
    spam = SpamSignal()

    assert score(spam, "I made $7,400 last month working from home, message me on WhatsApp") > 0.8
    assert score(spam, "watch it free on 123movies") > 0.8


def test_a_link_to_a_bad_domain_of_the_site_is_spam_even_from_a_trusted_author():
    trusted = AuthorFacts(account_age_days=900, approved_count=400)

    site = SiteFacts(bad_domains=("spam-films.example",))

    result = SpamSignal().assess(
        context("Good review, see https://www.spam-films.example/x", author=trusted, site=site)
    )

    assert result.score > 0.9
    assert "bad-domains" in result.reasons[0]


def test_the_same_text_posted_across_threads_by_a_new_account_is_spam():
    body = "Great article, everyone should read my thoughts on my page too"
    copier = AuthorFacts(account_age_days=0.1, comments_last_hour=25, recent_bodies=(body, body, body))

    assert score(SpamSignal(), body, author=copier) > 0.8
    assert score(SpamSignal(), body) < 0.5


def test_a_busy_reader_is_not_a_spammer_for_posting_a_lot():
    busy = AuthorFacts(account_age_days=400, comments_last_hour=45, recent_bodies=("Great review",), approved_count=3)

    assert score(SpamSignal(), "Great review, thanks for this", author=busy) < 0.45


def test_ordinary_comments_with_an_everyday_link_are_not_spam():
    spam = SpamSignal()

    for text in (
        "Here's the trailer: https://www.youtube.com/watch?v=0FSwsrFpkbw",
        "I streamed it for free with my library card",
        "The crypto subplot in Chapter 4 makes no sense",
        "Watched it in 4K on the big screen, 10/10",
        "John Wick (2014), Chapter 2 (2017), Parabellum (2019) and Chapter 4 (2023) in that order",
    ):
        assert score(spam, text) < 0.45, text


# --- Spoilers -------------------------------------------------------------------------------------------


def test_an_ending_given_away_with_a_character_name_is_a_likely_spoiler():
    result = SpoilerSignal().assess(context("Eve kills the Chancellor at the end and Winston lets her go"))

    assert result.score > 0.8
    assert any("Eve" in reason for reason in result.reasons)


def test_opinions_of_the_ending_and_questions_are_not_spoilers():
    spoiler = SpoilerSignal()

    for text in ("The ending was rushed and stupid", "Does the Director survive? I go tonight", "I cried at the end"):
        assert score(spoiler, text) < 0.45, text


def test_an_actors_real_death_is_news_not_a_spoiler():
    spoiler = SpoilerSignal()

    assert score(spoiler, "RIP Lance Reddick, he died a week before Chapter 4 came out") < 0.45
    assert score(spoiler, "Charon dies at the end") > 0.45


def test_tagged_spoilers_and_spoiler_free_comments_count_for_less():
    spoiler = SpoilerSignal()
    untagged = "Charon dies at the end"

    assert score(spoiler, untagged) > 0.45
    assert score(spoiler, f"Loved it. >!{untagged}!<") < 0.2
    assert score(spoiler, "No spoilers, but the final fight is incredible") < 0.45


# --- decide() -------------------------------------------------------------------------------------------


def test_a_banned_word_rejects_and_the_reason_names_the_word_as_written():
    config = SignalConfig(banned_words=("fuck",), suspect_words=("hack",))

    # "f*cking" is another word (whole words only), so only the suspect word counts here.
    assert decide(context("What a f*cking hack job"), config).decision == Action.REPORT == "report"

    decision = decide(context("f*ck this, what a hack"), config)
    assert decision.decision == "reject"
    assert decision.banned_words == ["fuck"]  # as listed; the reason quotes it as written
    assert decision.suspect_words == ["hack"]
    assert "“f*ck”" in decision.reasons[0]


def test_a_suspect_word_reports():
    decision = decide(context("The director is a hack"), SignalConfig(suspect_words=("hack",)))

    assert decision.decision == "report"
    assert decision.suspect_words == ["hack"]


def test_the_strongest_action_wins():
    config = SignalConfig(
        rules={"toxicity": SignalRule(0.5, Action.REPORT), "spam": SignalRule(0.45, Action.PREMODERATE)}
    )

    decision = decide(context("you idiot, watch it free at 123movies"), config)

    assert decision.decision == "premoderate"
    assert decision.signals["toxicity"] >= 0.5 and decision.signals["spam"] >= 0.45
    assert any(reason.startswith("toxicity:") for reason in decision.reasons)


def test_the_spoiler_signal_suggests_the_flag_and_never_rejects_even_when_configured_to():
    text = "Eve kills the Chancellor at the end"

    suggested = decide(context(text), SignalConfig.defaults())
    configured = decide(context(text), SignalConfig(rules={"spoiler": SignalRule(0.3, Action.REJECT)}))

    assert suggested.decision == "allow" and suggested.suggest_spoiler
    assert configured.decision == "report" and configured.suggest_spoiler


def test_an_ordinary_comment_is_allowed_with_every_score():
    decision = decide(context("Saw it last night with my sister, we loved the snow fight"), SignalConfig.defaults())

    assert decision.decision == "allow"
    assert set(decision.signals) == {"toxicity", "spam", "spoiler"}
    assert decision.reasons == [] and not decision.suggest_spoiler


def test_the_configs_bad_domains_reach_the_spam_signal():
    config = SignalConfig.defaults()
    with_domains = SignalConfig(rules=config.rules, bad_domains=("cheap-tix.example",))

    assert decide(context("tickets at cheap-tix.example"), with_domains).decision == "premoderate"
    assert decide(context("tickets at cheap-tix.example"), config).decision == "allow"


def test_a_config_is_frozen_all_the_way_down():
    config = SignalConfig.defaults()

    with pytest.raises(TypeError):
        config.rules["toxicity"] = SignalRule(0.1, Action.REJECT)  # type: ignore[index]
    with pytest.raises(ValueError, match="between 0 and 1"):
        SignalRule(1.5, Action.REPORT)


class ShoutingSignal:
    """A newsroom's own signal, as it would write one: capitals count."""

    name = "shouting"

    def assess(self, context: SignalContext) -> SignalResult:
        letters = [c for c in context.text if c.isalpha()]
        share = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
        return SignalResult(share, ["written in capitals"] if share > 0.8 else [])


def mentions_the_sequel(context: SignalContext) -> SignalResult:
    return SignalResult(1.0 if "sequel" in context.text.lower() else 0.0, ["talks about the sequel"])


def broken_signal(context: SignalContext) -> SignalResult:
    raise RuntimeError("the newsroom's model is not there")


@override_settings(MODERATION_EXTRA_SIGNALS=[f"{__name__}.ShoutingSignal", f"{__name__}.mentions_the_sequel"])
def test_a_newsroom_adds_signals_by_dotted_path_and_they_run_after_the_built_in_ones():
    names = [signal.name for signal in active_signals()]

    config = SignalConfig(rules={"shouting": SignalRule(0.9, Action.REPORT)})

    decision = decide(context("WHEN IS THE SEQUEL OUT"), config)

    assert names == ["toxicity", "spam", "spoiler", "shouting", "mentions_the_sequel"]
    assert decision.signals["shouting"] == 1.0
    assert decision.decision == "report"  # the sequel signal has no rule: the default reports at 0.8
    assert "shouting: written in capitals" in decision.reasons


@override_settings(MODERATION_EXTRA_SIGNALS=lambda: [ShoutingSignal()])
def test_the_setting_may_be_a_callable_returning_signals():
    assert [signal.name for signal in active_signals()][-1] == "shouting"


def test_a_signal_that_fails_is_logged_and_left_out(caplog):
    signals = [*builtin_signals(), FunctionSignal("broken", broken_signal)]

    with caplog.at_level(logging.ERROR, logger="talkies.moderation.decisions"):
        decision = decide(context("fine film"), SignalConfig.defaults(), signals=signals)

    assert decision.decision == "allow"
    assert "broken" not in decision.signals
    assert "broken" in caplog.text


def test_loading_a_signal_that_is_not_there_says_what_was_asked_for():
    with pytest.raises(ImportError, match="nothere"):
        load_signal(f"{__name__}.nothere")
    with pytest.raises(ImportError, match="dotted path"):
        load_signal("ShoutingSignal")
    with pytest.raises(TypeError, match="neither a signal"):
        load_signal(f"{__name__}.BALLERINA")
    assert load_signal(ShoutingSignal()).name == "shouting"


def test_deciding_on_a_10000_character_comment_stays_fast():
    hostile = ("you idiot watch free online full movie f u c k " * 250)[:10_000]
    decide(context("warm the model up"), SignalConfig.defaults())

    started = time.perf_counter()
    decision = decide(context(hostile), SignalConfig.defaults())

    assert decision.decision == "premoderate"
    assert time.perf_counter() - started < 2.0


def test_server_processes_score_with_the_exported_table_and_never_import_scikit_learn(tmp_path):
    """The model is read once by a subprocess into DATA_DIR/cache/; a process that loads the table has no
    scikit-learn in it (about 100 MB a process), and scores as the package's own predict_proba does."""
    import json
    import os
    import subprocess
    import sys

    script = (
        "import json, sys, django; django.setup();"
        "from talkies.moderation.signals import profanity;"
        "texts = ['you are a stupid idiot', 'this movie is garbage', 'Loved the flamethrower fight'];"
        "print(json.dumps({'p': profanity.probabilities(texts), 'sklearn': 'sklearn' in sys.modules}))"
    )
    env = {**os.environ, "TALKIES_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "talkies.settings"}
    env.pop("TALKIES_TESTING", None)
    env.setdefault("SECRET_KEY", "test-only")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["sklearn"] is False
    assert list((tmp_path / "cache").glob("profanity-model-*.table"))
    texts = ["you are a stupid idiot", "this movie is garbage", "Loved the flamethrower fight"]
    assert answer["p"] == pytest.approx(profanity.model_probabilities(texts), abs=1e-9)


def test_serve_writes_the_table_once_before_its_web_workers_start(tmp_path):
    """`talkies serve` prepares the table in its set-up step; otherwise every web worker would export it at
    once on a fresh data directory, each in a subprocess holding scikit-learn (bench/full.py saw 500 MB)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "TALKIES_DATA_DIR": str(tmp_path), "DEBUG": "1"}
    env.pop("TALKIES_TESTING", None)
    subprocess.run([sys.executable, "-m", "talkies.cli", "--prepare-serve"], env=env, check=True, capture_output=True)
    assert list((tmp_path / "cache").glob("profanity-model-*.table"))


def test_a_cut_short_profanity_table_is_refused_not_misread(tmp_path):
    """A table cut off mid-write (a full disk) must not give words the wrong weights: it is refused, and
    _load_table then falls back to the package's own model."""
    from talkies.moderation.signals import profanity

    whole = tmp_path / "whole.table"
    profanity.export_table(whole)
    table = profanity._read_table(whole)
    assert table.width == 1 + len(table.folds) and len(table.values) == table.width * len(table.rows)
    cut = tmp_path / "cut.table"
    cut.write_bytes(whole.read_bytes()[:-8])
    with pytest.raises(ValueError, match="cut short"):
        profanity._read_table(cut)
