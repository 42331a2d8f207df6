"""Crisis signals: the built-in Danish and English list, tested against phrasings that must and
must not trigger, and an organisation's own words."""

import pytest

from brobyg.conversations.crisis import has_crisis_signals

TRIGGER = [
    "Jeg har tænkt på selvmord igen",
    "Jeg har haft selvmordstanker hele weekenden",
    "Nogle gange vil jeg bare tage mit eget liv",
    "Jeg har lyst til at dø",
    "jeg VIL IKKE LEVE mere",
    "Jeg orker ikke at leve",
    "Alle ville have det bedre uden mig",
    "Jeg har skåret... nej, jeg har lyst til at skade mig selv",
    "Jeg har selvskadet i nat",
    "Jeg overvejer at tage en overdosis",
    "I think about suicide a lot",
    "I feel suicidal tonight",
    "I want to kill myself",
    "Sometimes I just want to die.",
    "I don\u2019t want to live anymore",
    "there is no reason to live",
    "I started to self-harm again",
    "I might hurt   myself",
    "I want to end it all",
]

CALM = [
    "Jeg glæder mig til vores gåtur på torsdag",
    "Jeg døde næsten af grin over filmen",
    "Min kat er død, men jeg har det okay",
    "Jeg vil gerne lære at lave mad",
    "Kan vi mødes kl. 14?",
    "I'm dying to see the new film",
    "We killed time at the café",
    "That was a killer concert",
    "I want to live a good life",
    "Tak for i går, det hjalp at snakke",
]


@pytest.mark.parametrize("text", TRIGGER)
def test_it_finds_crisis_signals(text):
    assert has_crisis_signals(text)


@pytest.mark.parametrize("text", CALM)
def test_it_does_not_trigger_on_ordinary_words(text):
    assert not has_crisis_signals(text)


def test_an_organisation_adds_its_own_words():
    assert not has_crisis_signals("Jeg kan ikke mere, jeg giver op")
    assert has_crisis_signals("Jeg kan ikke mere, jeg giver op", "giver op\n")
    assert has_crisis_signals("Der er intet håbløshedsmål", "håbløs*")
    assert not has_crisis_signals("Jeg giver opskriften videre", "giver op")
