"""Target choices the ranker trained on train + train2 + train3 makes (sentences written for
these tests, not taken from the gold files): the side of a reported exchange that is accused,
generic addressees, officials standing for their state, and the in-sentence speaker."""

from __future__ import annotations

import pytest

from claimflow.claims.attribution import (
    AttributionData,
    find_reported_speaker,
    find_target,
    sentence_speaker,
    target_candidates,
)
from claimflow.training.evaluation import GoldSentence

SENTENCES = {
    # a rebuttal that reports the charge made against the speaker's own government
    "charge": "The Special Rapporteur accused the Sri Lankan government of detaining "
              "journalists arbitrarily.",
    "partners": "The ministry urged its international partners to respond firmly to this "
                "unlawful act.",
    "diplomats": "The ministry accused Chinese diplomats of spreading disinformation about "
                 "the vote.",
    "quoted": "The Foreign Minister of Japan said that Pyongyang had violated the resolutions "
              "again.",
}


@pytest.fixture(scope="module")
def parsed():
    """Sentence key -> (Doc, mentions), through the real tag stage and docbridge."""
    import spacy

    from claimflow.config import Settings
    from claimflow.stages.classify import rebuild
    from claimflow.training.evaluation import parse_gold

    gold = [GoldSentence(f"d{k}", 0, text, (), None)
            for k, text in enumerate(SENTENCES.values())]
    _, sentences, entities, tokens = parse_gold(gold, Settings())
    english, docs, mentions = rebuild(spacy.blank("en").vocab, sentences, tokens, entities)
    by_doc = {d: (doc, ms) for d, doc, ms in zip(english["doc_id"], docs, mentions,
                                                 strict=True)}
    return {key: by_doc[f"d{k}"] for k, key in enumerate(SENTENCES)}


@pytest.fixture(scope="module")
def data():
    return AttributionData.load()


def test_reported_charge_against_own_government(parsed, data):
    """Hard case 1: "X accused the government of Y" has target the government, also in the
    government's own rebuttal (speaker Sri Lanka's foreign ministry)."""
    doc, ms = parsed["charge"]
    assert not data.hard_own
    text, code = find_target(doc, "accusation", ms, None, speaker_code="LKA-MFA", data=data)
    assert code is not None and code.split("-")[0] == "LKA"
    assert "Sri Lankan government" in text
    # the old rule (own state never a candidate) cannot find it
    cands = target_candidates(doc, "accusation", ms, None, speaker_code="LKA-MFA",
                              data=AttributionData(data.lexicon, data.parties, data.ranker,
                                                   hard_own=True))
    assert all((c.code or "").split("-")[0] != "LKA" for c in cands)


def test_generic_addressee_is_the_international_community(parsed, data):
    doc, ms = parsed["partners"]
    got = find_target(doc, "demand", ms, None, speaker_code="GEO-MFA", data=data)
    assert got == ("international community", None)


def test_officials_count_as_their_state(parsed, data):
    doc, ms = parsed["diplomats"]
    text, code = find_target(doc, "accusation", ms, None, speaker_code="JPN-MFA", data=data)
    assert text == "Chinese diplomats" and code == "CHN"


def test_quoted_speaker_is_not_the_target(parsed, data):
    doc, ms = parsed["quoted"]
    doc_speaker = {"speaker": "Ministry of Foreign Affairs of Japan", "speaker_code": "JPN-MFA"}
    speaker, speaker_code = sentence_speaker(find_reported_speaker(doc, ms, data), doc_speaker,
                                             ms, data)
    assert speaker is not None and "Foreign Minister" in speaker
    text, code = find_target(doc, "accusation", ms, None,
                             speaker_code=speaker_code or doc_speaker["speaker_code"], data=data)
    assert (text, code) == ("Pyongyang", "PRK")
