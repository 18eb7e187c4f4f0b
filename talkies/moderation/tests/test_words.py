"""The word-list matcher: whole words through disguises, and the near misses that must stay clean."""

import pytest

from talkies.moderation.words import WordHit, find_listed_words, fold, listed_words_in

LIST = ["cunt", "ass", "dick", "cock", "fuck", "shit"]

HITS = [
    # (text, the listed word, the text as written)
    ("f*ck", "fuck", "f*ck"),
    ("f**k", "fuck", "f**k"),
    ("fuuuuck", "fuck", "fuuuuck"),
    ("f u c k", "fuck", "f u c k"),
    ("fück", "fuck", "fück"),
    ("sh1t", "shit", "sh1t"),
    ("a$$", "ass", "a$$"),
    ("F.U.C.K", "fuck", "F.U.C.K"),
    ("f-u-c-k this", "fuck", "f-u-c-k"),
    ("FUCK", "fuck", "FUCK"),
    ("fvck", "fuck", "fvck"),
    ("@ss", "ass", "@ss"),
    ("sh*t", "shit", "sh*t"),
    ("5hit", "shit", "5hit"),
    ("what a dick", "dick", "dick"),
    ("dicks", "dick", "dicks"),
    ("What a Dick.", "dick", "Dick"),
    ("Dick", "dick", "Dick"),
    ("Dick You Idiot", "dick", "Dick"),
    ("DICK VAN DYKE", "dick", "DICK"),
    ("c0ck", "cock", "c0ck"),
    ("Cunts", "cunt", "Cunts"),
    ("fuсk", "fuck", "fuсk"),  # a Cyrillic "с"
    ("f\u200buck", "fuck", "f\u200buck"),  # a zero-width space
    ("ｆｕｃｋ", "fuck", "ｆｕｃｋ"),  # full-width letters
    ("the movie was sh!t", "shit", "sh!t"),  # "!" stands for an i
    ("kiss my a s s", "ass", "a s s"),
]

MISSES = [
    "Scunthorpe",
    "assassin",
    "class",
    "Dick Van Dyke",
    "Philip K. Dick wrote it",
    "Moby Dick",
    "cocktail",
    # Shitake: whole-word matching leaves it alone (the word is not "shit"); "shit*" would catch it.
    "Shitake",
    "shiitake mushrooms",
    "passion",
    "Essex",
    "grass",
    "cockpit",
    "analysis",
    "bass",
    "was sad",
    "as soon as",
    "assess",
    "Hitchcock",
    "peacock",
    "shitting",  # an inflection: list it, or use a prefix entry
    "a**hole",  # masked, but "asshole" is not on the list
    "F.U.C.K.I.N.G",  # spelled out, the word is "fucking"
    "",
]


@pytest.mark.parametrize(("text", "word", "written"), HITS)
def test_it_finds_a_listed_word_through_its_disguise(text, word, written):
    hits = find_listed_words(text, LIST)

    assert [(hit.word, hit.matched) for hit in hits] == [(word, written)]
    assert text[hits[0].start : hits[0].end] == written


@pytest.mark.parametrize("text", MISSES)
def test_it_leaves_near_misses_alone(text):
    assert find_listed_words(text, LIST) == []


def test_it_reports_every_occurrence_in_order_with_its_position():
    text = "Shit. Absolute sh1t, and the cast are a bunch of F.U.C.K.I.N.G clowns, f*ck"

    hits = find_listed_words(text, LIST)

    assert [hit.matched for hit in hits] == ["Shit", "sh1t", "f*ck"]
    assert hits[0] == WordHit("shit", "Shit", 0, 4)
    assert listed_words_in(text, LIST) == ["shit", "fuck"]


def test_a_prefix_entry_finds_inflections_and_gives_up_the_whole_word_rule():
    assert [hit.matched for hit in find_listed_words("F.U.C.K.I.N.G clowns", ["fuck*"])] == ["F.U.C.K.I.N.G"]
    assert [hit.matched for hit in find_listed_words("a fucking mess, fuuucker", ["fuck*"])] == ["fucking", "fuuucker"]
    assert [hit.matched for hit in find_listed_words("Shitake risotto", ["shit*"])] == ["Shitake"]
    assert find_listed_words("a fucking mess", ["fuck"]) == []


def test_list_entries_are_matched_case_insensitively_and_may_carry_accents_or_spaces():
    assert listed_words_in("what a WANKER", ["Wanker"]) == ["Wanker"]
    assert listed_words_in("Ce film est une merde", [" merde "]) == ["merde"]
    assert listed_words_in("puta", ["púta"]) == ["púta"]


def test_entries_with_no_letters_are_ignored():
    assert find_listed_words("*** ...", ["***", "", "  "]) == []


def test_a_name_word_written_in_lower_case_is_found_even_beside_a_name():
    assert listed_words_in("Dick Van Dyke is a national treasure", LIST) == []
    assert listed_words_in("what a dick Van Dyke was to her", LIST) == ["dick"]


def test_folding_keeps_the_origin_of_every_character():
    folded = fold("Fück\u00ad!")

    assert folded.text == "fuck!"
    assert folded.span(0, 4) == (0, 4)
    assert folded.span(4, 5) == (5, 6)
