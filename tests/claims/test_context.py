"""Document-context layer: features stay inside a document, and the shipped model reads a
sentence differently in a rebuttal than in a travel report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from claimflow.actors.gazetteer import Gazetteer
from claimflow.claims.batch import SentenceBatch
from claimflow.claims.context import ContextModel, context_features, doc_spans
from claimflow.config import load_settings
from claimflow.contract.schemas import CLAIM_TYPES
from claimflow.errors import ClaimflowError


def test_doc_spans_group_consecutive_ids():
    assert doc_spans(["a", "a", "b", "c", "c", "c"]) == [(0, 2), (2, 3), (3, 6)]
    assert doc_spans([]) == []


def test_context_features_never_look_across_documents():
    p = np.array([[0.9, 0.1, 0.0], [0.1, 0.5, 0.0], [0.3, 0.2, 0.6],  # doc a
                  [0.8, 0.8, 0.8]])                                   # doc b, alone
    X = context_features([p], p, ["a", "a", "a", "b"])
    own, mean_o, max_o, prev = X[:, :3], X[:, 3:6], X[:, 6:9], X[:, 9:12]
    assert np.allclose(1 / (1 + np.exp(-own)), np.clip(p, 1e-4, 1 - 1e-4))
    assert np.allclose(mean_o[0], (p[1] + p[2]) / 2)
    assert np.allclose(max_o[0], np.maximum(p[1], p[2]))
    assert np.allclose(max_o[2], np.maximum(p[0], p[1]))
    assert np.allclose(prev[0], 0) and np.allclose(prev[1], p[0]) and np.allclose(prev[2], p[1])
    # a one-sentence document has no context at all
    assert np.allclose(X[3, 3:], 0)


def test_context_model_roundtrip_and_shape_check(tmp_path):
    rng = np.random.default_rng(0)
    model = ContextModel(rng.normal(size=(15, 3)), rng.normal(size=3),
                         {"denial": 0.4, "accusation": 0.5, "demand": 0.6},
                         ("denial", "accusation", "demand"), n_models=2)
    model.save(tmp_path)
    again = ContextModel.load(tmp_path)
    a, b = rng.uniform(size=(5, 3)), rng.uniform(size=(5, 3))
    ids = ["x", "x", "y", "y", "y"]
    assert np.allclose(model.predict_proba([a, b], (a + b) / 2, ids),
                       again.predict_proba([a, b], (a + b) / 2, ids), atol=1e-5)
    with pytest.raises(ClaimflowError, match="expects 2 base models"):
        again.predict_proba([a], a, ids)
    with pytest.raises(ClaimflowError, match="shape"):
        ContextModel(np.zeros((12, 3)), np.zeros(3), {}, ("d", "a", "m"), n_models=2)
    assert ContextModel.load(tmp_path / "missing") is None
    (tmp_path / "context.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ClaimflowError, match="cannot load context model"):
        ContextModel.load(tmp_path)


REBUTTAL = [
    "The Foreign Ministry of Freedonia categorically rejects the baseless allegations made "
    "by the Sylvanian defence ministry.",
    "These claims are a fabrication with no basis in fact.",
]
TRAVEL = [
    "The Foreign Minister of Freedonia visited the port city on Tuesday.",
    "He met the mayor and toured the new container terminal.",
]
IMPLICIT = ("Radar records show beyond doubt that the Freedonian aircraft never left "
            "Freedonian airspace, the ministry said.")


def _denial_of_last(classifier, nlp, docs_sents):
    from claimflow.stages.classify import rebuild
    from claimflow.stages.tag import tag_sentences

    rows = [dict(doc_id=d, sent_id=k, start_char=0, end_char=len(t), text=t, lang="en")
            for d, sents in docs_sents.items() for k, t in enumerate(sents)]
    sentences = pd.DataFrame(rows)
    speakers = pd.DataFrame({"doc_id": list(docs_sents), "speaker": None, "speaker_code": None})
    entities, tokens = tag_sentences(sentences, speakers, nlp, Gazetteer.load())
    english, docs, ments = rebuild(nlp.vocab, sentences, tokens, entities)
    probs, _ = classifier.predict_proba(SentenceBatch(docs, ments, list(english["doc_id"])))
    j = CLAIM_TYPES.index("denial")
    last = english.groupby("doc_id", sort=False).tail(1).index
    return dict(zip(english.loc[last, "doc_id"], probs[last, j], strict=True))


def test_shipped_context_reads_a_sentence_by_its_document():
    from claimflow.actors.gazetteer import tagging_pipeline
    from claimflow.claims.ensemble import ClaimClassifier

    pytest.importorskip("torch")
    settings = load_settings(overrides={"classify.backend": "ensemble"})
    classifier = ClaimClassifier.load(settings)
    assert classifier.context is not None  # the shipped ensemble has a context layer
    nlp = tagging_pipeline(settings)
    p = _denial_of_last(classifier, nlp, {"rebuttal": REBUTTAL + [IMPLICIT],
                                          "travel": TRAVEL + [IMPLICIT]})
    # the same sentence is more of a denial inside a rebuttal than after a visit report
    assert p["rebuttal"] >= classifier.thresholds["denial"]
    assert p["rebuttal"] > p["travel"] + 0.1
    # without the layer the same sentence scores the same in both documents
    classifier.context = None
    q = _denial_of_last(classifier, nlp, {"rebuttal": REBUTTAL + [IMPLICIT],
                                          "travel": TRAVEL + [IMPLICIT]})
    assert q["rebuttal"] == pytest.approx(q["travel"])


def test_linear_backend_reads_the_document_when_cv_keeps_its_context_layer():
    """Trained with train4, the linear model's context layer raised grouped CV (0.770 alone,
    0.779 with it; without train4 it did not, and none shipped), so the linear backend scores
    the same sentence higher in a rebuttal than in a travel notice."""
    import json

    from claimflow.actors.gazetteer import tagging_pipeline
    from claimflow.claims.ensemble import ClaimClassifier
    from claimflow.claims.linear import DEFAULT_MODEL_DIR

    meta = json.loads((DEFAULT_MODEL_DIR / "model.json").read_text(encoding="utf-8"))["meta"]
    assert meta["cv"]["document_context"]["kept"]
    docs = {"rebuttal": REBUTTAL + [IMPLICIT], "travel": TRAVEL + [IMPLICIT]}
    settings = load_settings(overrides={"classify.backend": "linear"})
    classifier = ClaimClassifier.load(settings)
    assert classifier.context is not None
    p = _denial_of_last(classifier, tagging_pipeline(settings), docs)
    assert p["rebuttal"] > p["travel"]
