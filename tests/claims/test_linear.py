"""Behaviour of the shipped claim model, cues and attribution on sentences written here."""

from __future__ import annotations

import pandas as pd
import pytest
from examples import SINGLE_TYPE

from claimflow.actors.gazetteer import Gazetteer, tagging_pipeline
from claimflow.claims.attribution import find_reported_speaker, find_target
from claimflow.claims.batch import SentenceBatch
from claimflow.claims.cues import CueMatcher
from claimflow.claims.linear import ClaimModel
from claimflow.config import Settings
from claimflow.stages.classify import rebuild
from claimflow.stages.tag import tag_sentences


@pytest.fixture(scope="module")
def env():
    nlp = tagging_pipeline(Settings())  # the tag stage's pipeline: model + actor gazetteer
    model = ClaimModel.load()
    cues = CueMatcher.load(nlp.vocab)
    return nlp, model, cues


def _prep(nlp, texts):
    """Run the real tag stage, then rebuild Docs exactly like the classify stage does."""
    sentences = pd.DataFrame({
        "doc_id": [f"t{k}" for k in range(len(texts))], "sent_id": 0, "start_char": 0,
        "end_char": [len(t) for t in texts], "text": texts, "lang": "en",
    })
    speakers = pd.DataFrame({"doc_id": sentences["doc_id"], "speaker": None,
                             "speaker_code": None})
    entities, tokens = tag_sentences(sentences, speakers, nlp, Gazetteer.load())
    _, docs, ments = rebuild(nlp.vocab, sentences, tokens, entities)
    return docs, ments


def _labels(env, texts):
    nlp, model, _ = env
    docs, ments = _prep(nlp, texts)
    return model.predict(SentenceBatch(docs, ments, ["d"] * len(docs)))


def test_classifier_api_shapes(env):
    nlp, model, _ = env
    assert model.labels == ("denial", "accusation", "demand")
    assert set(model.thresholds) == set(model.labels)
    docs, ments = _prep(nlp, ["The talks were held in Vienna.", "We urge Freedonia to stop."])
    p = model.predict_proba(SentenceBatch(docs, ments, ["d", "d"]))
    assert p.shape == (2, 3) and ((p >= 0) & (p <= 1)).all()


@pytest.mark.parametrize(
    "text,label",
    SINGLE_TYPE,
)
def test_classifier_single_types(env, text, label):
    assert label in _labels(env, [text])[0]


def test_classifier_two_types(env):
    text = ("The ministry urges Sylvania to stop its illegal occupation of the border districts "
            "and to end its aggression.")
    got = set(_labels(env, [text])[0])
    assert {"demand", "accusation"} <= got


@pytest.mark.parametrize(
    "text",
    [
        "The court rejected the appeal.",
        "The ministry calls for tenders for the new embassy building.",
        "We will ensure the rights of all residents.",
        "The minister thanked his counterpart for the hospitality.",
    ],
)
def test_classifier_hard_negatives(env, text):
    assert _labels(env, [text])[0] == []


def test_classifier_reported_speech_is_labelled(env):
    text = ("The ministry said that the claims in the Sylvanian report are baseless and "
            "distorted.")
    assert "denial" in _labels(env, [text])[0]
    nlp, _, _ = env
    docs, ments = _prep(nlp, [text])
    sp = find_reported_speaker(docs[0], ments[0])
    assert sp is not None and sp[0].lower().endswith("ministry")


def test_cues_trigger_offsets_are_substrings(env):
    nlp, _, cues = env
    texts = [
        "The government categorically rejects the unfounded claims of the opposition.",
        "We call on the Sylvanian side to refrain from provocative actions.",
        "Freedonia committed war crimes against civilians.",
    ]
    docs, _ = _prep(nlp, texts)
    expected = ["denial", "demand", "accusation"]
    for doc, text, lab in zip(docs, texts, expected, strict=True):
        trig = cues.triggers(doc)
        assert trig.get(lab), (text, trig)
        for spans in trig.values():
            for s, e in spans:
                assert 0 <= s < e <= len(text)
                assert doc.text[s:e] == text[s:e] and text[s:e].strip()
    assert "call on" in docs[1].text[slice(*cues.triggers(docs[1])["demand"][0])]


def test_attribution_target_called_upon(env):
    nlp, _, _ = env
    text = "The ministry calls on Japan to withdraw the textbooks."
    docs, ments = _prep(nlp, [text])
    target, _ = find_target(docs[0], "demand", ments[0], None)
    assert target == "Japan"


def test_attribution_target_carried_forward(env):
    nlp, _, _ = env
    docs, ments = _prep(nlp, ["These allegations are completely unfounded."])
    assert find_target(docs[0], "denial", ments[0], None,
                       context_target=("Sylvania", "SYL")) == ("Sylvania", "SYL")


def test_model_roundtrip(env, tmp_path):
    nlp, model, _ = env
    model.save(tmp_path)
    again = ClaimModel.load(tmp_path)
    docs, ments = _prep(nlp, ["Sylvania must release the detained journalists at once."])
    batch = SentenceBatch(docs, ments, ["d"])
    assert (abs(again.predict_proba(batch) - model.predict_proba(batch)) < 1e-6).all()


def test_trigger_falls_back_to_the_models_key_words(env):
    """No cue pattern fires on these, yet each has a claim: the trigger shown is the lexicon
    word the linear model weighs most for that type; a neutral sentence has none."""
    nlp, model, cues = env
    texts = [
        "Officials in Sylvania have rejected such criticism of the trials.",
        "Freedonia's envoy later said his words had been misinterpreted.",
        "The monitors saw police detain dozens of demonstrators in the capital.",
        "The talks were held in Vienna on Monday, the ministry said.",
    ]
    docs, ments = _prep(nlp, texts)
    labels = model.predict(SentenceBatch(docs, ments, ["d"] * len(docs)))
    expected = [("denial", "rejected"), ("denial", "misinterpreted"), ("accusation", "detain")]
    for doc, text, got, (label, word) in zip(docs, texts, labels, expected, strict=False):
        assert label in got, (text, got)
        assert not cues.triggers(doc).get(label), text  # no pattern: the fallback is needed
        start, end = model.key_span(doc, label)
        assert text[start:end] == word
    assert all(model.key_span(docs[3], lb) is None for lb in model.labels)
