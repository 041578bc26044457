"""Target attribution on sentences written for these tests (not from the gold files)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import parse_sentences

from claimflow.claims import attribution as attribution
from claimflow.claims.attribution import (
    find_reported_speaker,
    find_target,
    sentence_speaker,
    target_candidates,
)

SENTENCES = {
    "accuse": "The ministry accused Moscow of violating the ceasefire.",
    "call_on": "We call on the Government of Ruritania to release the detainees.",
    "allegations": "The allegations made by the Committee are unfounded.",
    "positive": "The ministry condemned the attack by Armenia on the convoy supported by the "
                "European Union.",
    "location": "The ministry accused Armenia of shelling civilians in Nagorno-Karabakh.",
    "generic": "The de facto authorities must release the detainees immediately.",
    "bare": "These claims are false.",
    "claimant": "Seoul urged Tokyo to withdraw the textbook claims at once.",
    # a disputed region as the sentence's subject: the tagger alone calls it an ORG
    "region_subject": "Nagorno-Karabakh held illegal elections on Sunday, which Azerbaijan "
                      "condemns.",
}


@pytest.fixture(scope="module")
def parsed():
    """Sentence key -> (Doc, mentions), through the real tag stage and docbridge."""
    return parse_sentences(SENTENCES)


def _target(parsed, key, claim_type, speaker_code="AZE-MFA", **kw):
    doc, ms = parsed[key]
    return find_target(doc, claim_type, ms, None, speaker_code=speaker_code, **kw)


def test_model_is_plain_json():
    raw = json.loads(attribution.DEFAULT_RANKER.read_text(encoding="utf-8"))
    assert raw["weights"] and all(isinstance(v, float) for v in raw["weights"].values())


def test_accused_object(parsed):
    text, code = _target(parsed, "accuse", "accusation")
    assert text == "Moscow" and code == "RUS"


def test_called_upon_party(parsed):
    text, code = _target(parsed, "call_on", "demand")
    assert text is not None and "Ruritania" in text and "Government" in text


def test_author_of_denied_allegations(parsed):
    text, _ = _target(parsed, "allegations", "denial")
    assert text is not None and "Committee" in text


def test_positive_mention_not_chosen(parsed):
    text, code = _target(parsed, "positive", "accusation")
    assert code != "EU" and text != "European Union"
    assert text == "Armenia"


def test_location_without_code_not_a_candidate(parsed):
    doc, ms = parsed["location"]
    cands = target_candidates(doc, "accusation", ms, None, speaker_code="AZE-MFA")
    assert all("Karabakh" not in c.text for c in cands)
    assert _target(parsed, "location", "accusation")[0] == "Armenia"


def test_disputed_region_is_a_place_not_a_target(parsed):
    """The region is a place (``nonactors.jsonl``), even when it opens the sentence."""
    doc, ms = parsed["region_subject"]
    assert all(m.label == "LOC" and m.actor_code is None for m in ms if "Karabakh" in m.text)
    cands = target_candidates(doc, "accusation", ms, None, speaker_code="AZE-MFA")
    assert all("Karabakh" not in c.text for c in cands)
    text, _ = _target(parsed, "region_subject", "accusation")
    assert text is None or "Karabakh" not in text


def test_generic_party_noun_phrase(parsed):
    text, _ = _target(parsed, "generic", "demand", speaker_code=None)
    assert text is not None and "authorities" in text


def test_reported_charge_against_the_speakers_own_state_targets_it(parsed):
    """Hard case 1: reported speech is labelled by its content, so "the ministry accused
    Moscow" targets Moscow even in a statement issued by Moscow (a rebuttal that reports the
    charge against its issuer)."""
    assert _target(parsed, "accuse", "accusation", speaker_code="RUS-MFA")[1] == "RUS"
    assert _target(parsed, "accuse", "accusation", speaker_code="UKR-MFA")[1] == "RUS"


def test_context_and_document_fallback(parsed):
    doc, bare = parsed["bare"]
    # no in-sentence party: the context target, else the document's most frequent actor
    got = find_target(doc, "denial", bare, None, context_target=("Armenia", "ARM"),
                      speaker_code="AZE")
    assert got == ("Armenia", "ARM")
    got = find_target(doc, "denial", bare, None, speaker_code="AZE",
                      doc_actors=Counter({("Armenia", "ARM"): 5, ("Azerbaijan", "AZE"): 9}))
    assert got == ("Armenia", "ARM")


def test_subject_of_a_claim_verb_is_the_speaker(parsed):
    doc, ms = parsed["claimant"]
    assert find_reported_speaker(doc, ms) == ("Seoul", "KOR")
    # Tokyo is the party called upon, also in a Japanese statement reporting Seoul's demand
    assert find_target(doc, "demand", ms, None, speaker_code="KOR")[1] == "JPN"
    assert find_target(doc, "demand", ms, None, speaker_code="JPN-MFA")[1] == "JPN"
    doc, ms = parsed["call_on"]
    assert find_reported_speaker(doc, ms) is None  # "We call on ...": the issuer itself
    doc, ms = parsed["accuse"]
    assert find_reported_speaker(doc, ms) == ("The ministry", None)


@pytest.mark.parametrize(
    ("reported", "expected"),
    [
        # the issuing body named generically: the document's speaker, with its code
        (("the Ministry of Foreign Affairs", None), ("Ministry of Foreign Affairs of Türkiye",
                                                     "TUR-MFA")),
        (("the statement", None), ("Ministry of Foreign Affairs of Türkiye", "TUR-MFA")),
        (("the Foreign Ministry", None), ("Ministry of Foreign Affairs of Türkiye", "TUR-MFA")),
        # another body or a coded actor is kept
        (("the Committee to Protect Journalists", None),
         ("the Committee to Protect Journalists", None)),
        (("Seoul", "KOR"), ("Seoul", "KOR")),
        # a phrase that names no person or body is not a source
        (("the move", None), ("Ministry of Foreign Affairs of Türkiye", "TUR-MFA")),
    ],
)
def test_sentence_speaker_falls_back_to_the_issuer(reported, expected):
    doc_speaker = {"speaker": "Ministry of Foreign Affairs of Türkiye", "speaker_code": "TUR-MFA"}
    assert sentence_speaker(reported, doc_speaker, []) == expected
