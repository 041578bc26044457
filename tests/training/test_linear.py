"""Training the linear claim model with scikit-learn on gold sentences parsed by the real tag
stage; the saved no-pickle files give the runtime the probabilities scikit-learn computed."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import GOLD, load_jsonl, parse_sentences
from sklearn.pipeline import make_pipeline

from claimflow.claims.linear import LABELS, ClaimModel
from claimflow.training.linear import (
    DEFAULT_C,
    classifier,
    cross_validate,
    fit_weights,
    train_model,
    vectorizer,
)
from claimflow.training.metrics import THRESHOLD_GRID, grouped_splits, label_matrix

N_DOCS = 10  # the first documents of train.jsonl


@pytest.fixture(scope="module")
def gold():
    records = load_jsonl(GOLD / "train.jsonl")
    docs = list(dict.fromkeys(r["doc_id"] for r in records))[:N_DOCS]
    records = [r for r in records if r["doc_id"] in docs]
    parsed = parse_sentences({n: r["text"] for n, r in enumerate(records)})
    keep = [n for n in range(len(records)) if n in parsed]
    return ([parsed[n][0] for n in keep], [parsed[n][1] for n in keep],
            [records[n]["labels"] for n in keep], [records[n]["doc_id"] for n in keep])


@pytest.fixture(scope="module")
def features(gold):
    docs, mentions, labels, groups = gold
    shell = ClaimModel({}, np.zeros((0, 3)), np.zeros(3), dict.fromkeys(LABELS, 0.5))
    return shell.features(docs, mentions), label_matrix(labels), groups


def test_saved_model_gives_sklearn_probabilities(features, tmp_path):
    feats, Y, _ = features
    vocab, W, b = fit_weights(feats, Y, DEFAULT_C)
    ClaimModel(vocab, W, b, dict.fromkeys(LABELS, 0.5)).save(tmp_path)
    assert json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))["features"]
    runtime = ClaimModel.load(tmp_path)  # numpy only: allow_pickle=False
    for j, C in enumerate(DEFAULT_C):
        pipe = make_pipeline(vectorizer(2), classifier(C)).fit(feats, Y[:, j])
        expected = pipe.predict_proba(feats)[:, 1]
        assert np.allclose(runtime.proba_from_features(feats)[:, j], expected, atol=1e-5)


def test_vocabulary_holds_features_of_two_sentences_or_more(features):
    feats, Y, _ = features
    vocab, W, _ = fit_weights(feats, Y, DEFAULT_C, min_df=2)
    sets = [set(fs) for fs in feats]
    seen = {x: sum(x in fs for fs in sets) for x in vocab}
    assert vocab and min(seen.values()) >= 2 and "BIAS" not in vocab
    assert list(vocab) == sorted(vocab) and W.shape == (len(vocab), len(LABELS))
    assert (np.abs(W).max(axis=1) > 1e-6).all()


def test_cross_validation_predicts_each_fold_from_the_others(features):
    feats, Y, groups = features
    oof = cross_validate(feats, Y, groups, DEFAULT_C)
    train, test = grouped_splits(groups, Y, 5, 0)[0]
    vocab, W, b = fit_weights([feats[i] for i in train], Y[train], DEFAULT_C)
    fold_model = ClaimModel(vocab, W, b, dict.fromkeys(LABELS, 0.5))
    assert np.allclose(oof[test], fold_model.proba_from_features([feats[i] for i in test]),
                       atol=1e-5)


def test_train_model_saves_thresholds_and_report(gold, tmp_path):
    docs, mentions, labels, groups = gold
    model, rep = train_model(docs, mentions, labels, groups)
    model.save(tmp_path)
    saved = json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))
    assert set(saved["thresholds"]) == set(LABELS)
    assert all(t in THRESHOLD_GRID for t in saved["thresholds"].values())
    assert saved["meta"]["cv"]["cv_nested_thresholds"]["macro_f1"] == \
        rep["cv_nested_thresholds"]["macro_f1"]
    assert (tmp_path / "context.json").exists() == rep["document_context"]["kept"]
    reloaded = ClaimModel.load(tmp_path)
    feats = reloaded.features(docs, mentions)
    assert np.allclose(reloaded.proba_from_features(feats), model.proba_from_features(feats))
