"""Grouped folds, F1 and threshold search on the development gold data (doc ids and labels of
train*.jsonl), checked against scikit-learn's own scores."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import GOLD, load_jsonl
from sklearn.metrics import f1_score

from claimflow.contract.schemas import CLAIM_TYPES
from claimflow.training.metrics import (
    THRESHOLD_GRID,
    best_threshold,
    f1_at,
    grouped_folds,
    grouped_splits,
    label_matrix,
    nested_predictions,
    report,
)


@pytest.fixture(scope="module")
def gold():
    records = [r for name in ("train", "train2", "train3")
               for r in load_jsonl(GOLD / f"{name}.jsonl")]
    return [r["doc_id"] for r in records], label_matrix([r["labels"] for r in records])


@pytest.fixture(scope="module")
def scores(gold):
    """Probabilities that rank the gold labels imperfectly (a fixed-seed noisy score)."""
    _, Y = gold
    return np.clip(0.35 * Y + np.random.RandomState(0).uniform(0, 0.7, Y.shape), 0, 1)


def test_folds_keep_documents_whole_and_balance_labels(gold):
    groups, Y = gold
    splits = grouped_splits(groups, Y, 5, seed=0)
    tests = [test for _, test in splits]
    assert sorted(np.concatenate(tests).tolist()) == list(range(len(groups)))
    docs = [{groups[i] for i in test} for test in tests]
    assert all(not (a & b) for n, a in enumerate(docs) for b in docs[n + 1 :])
    for train, test in splits:
        assert not set(train) & set(test) and len(train) + len(test) == len(groups)
    sizes = np.array([len(t) for t in tests])
    positives = np.array([Y[t].sum(axis=0) for t in tests])
    assert sizes.max() <= 1.1 * sizes.min()
    assert (positives.max(axis=0) <= 1.2 * positives.min(axis=0)).all()


def test_folds_are_reproducible_per_seed(gold):
    groups, Y = gold
    same = [t.tolist() for t in grouped_folds(groups, 5, 0, Y)]
    assert same == [t.tolist() for t in grouped_folds(groups, 5, 0, Y)]
    assert same != [t.tolist() for t in grouped_folds(groups, 5, 1, Y)]


def test_f1_at_thresholds_equals_sklearn_f1(gold, scores):
    _, Y = gold
    thresholds = np.append(THRESHOLD_GRID, [0.0, 0.99, 1.5])
    for j in range(Y.shape[1]):
        expected = [f1_score(Y[:, j], scores[:, j] >= t, zero_division=0) for t in thresholds]
        assert np.allclose(f1_at(Y[:, j], scores[:, j], thresholds), expected)
    assert not f1_at(np.zeros(10, int), np.linspace(0, 1, 10)).any()


def test_best_threshold_maximises_f1_and_prefers_the_middle(gold, scores):
    _, Y = gold
    for j in range(Y.shape[1]):
        t = best_threshold(Y[:, j], scores[:, j])
        f1 = f1_at(Y[:, j], scores[:, j])
        assert t in THRESHOLD_GRID and f1[THRESHOLD_GRID == t][0] == f1.max()
    # every threshold ties on a perfect separation: the one closest to 0.5 is kept
    y = np.array([0, 0, 1, 1])
    assert best_threshold(y, np.array([0.0, 0.1, 0.9, 1.0])) == 0.5


def test_nested_thresholds_are_tuned_on_the_other_folds(gold, scores):
    groups, Y = gold
    P = nested_predictions(Y, scores, groups)
    for test in grouped_folds(groups, 5, 0, Y):
        other = np.setdiff1d(np.arange(len(Y)), test)
        thresholds = [best_threshold(Y[other, j], scores[other, j]) for j in range(Y.shape[1])]
        assert (P[test] == (scores[test] >= thresholds)).all()


def test_report_matches_sklearn(gold, scores):
    _, Y = gold
    P = (scores >= 0.5).astype(int)
    rep = report(Y, P)
    for j, label in enumerate(CLAIM_TYPES):
        assert rep[label]["f1"] == round(f1_score(Y[:, j], P[:, j]), 4)
        assert rep[label]["support"] == int(Y[:, j].sum())
    assert rep["macro_f1"] == round(np.mean([rep[lb]["f1"] for lb in CLAIM_TYPES]), 4)
