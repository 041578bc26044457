"""Scores and folds shared by every model's training (scikit-learn): grouped folds, per-class
F1, and per-class thresholds chosen on other folds."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import precision_recall_curve, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold

from claimflow.contract.schemas import CLAIM_TYPES as LABELS

# candidate thresholds: a coarse grid keeps thresholds tuned on ~2,500 sentences from
# chasing single scores (the nested estimate is higher than with every score as a cut)
THRESHOLD_GRID = np.round(np.arange(0.2, 0.81, 0.025), 3)


def grouped_splits(groups: Sequence[str], Y: np.ndarray | None = None, k: int = 5,
                   seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) indices of grouped k-fold CV: no document in two folds, and folds
    balanced in sentences and in each combination of labels (``Y``, the label matrix)
    through scikit-learn's ``StratifiedGroupKFold``, groups shuffled with ``seed``."""
    groups = np.asarray(list(groups))
    strata = (np.zeros(len(groups), dtype=np.int64) if Y is None
              else np.asarray(Y) @ (1 << np.arange(np.asarray(Y).shape[1])))
    folds = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        # a rare combination of labels cannot be in every fold: balanced as far as it goes
        warnings.filterwarnings("ignore", "The least populated class", UserWarning)
        return list(folds.split(np.zeros(len(groups)), strata, groups))


def grouped_folds(groups: Sequence[str], k: int = 5, seed: int = 0,
                  Y: np.ndarray | None = None) -> list[np.ndarray]:
    """Test indices of each fold of ``grouped_splits``."""
    return [test for _, test in grouped_splits(groups, Y, k, seed)]


def f1_at(y: np.ndarray, prob: np.ndarray, thresholds: np.ndarray = THRESHOLD_GRID
          ) -> np.ndarray:
    """F1 of ``prob >= t`` for each t, read off the precision-recall curve."""
    y = np.asarray(y).astype(bool)
    if not y.any():
        return np.zeros(len(thresholds))
    precision, recall, cuts = precision_recall_curve(y, prob)
    # predictions at t are those at the first curve cut >= t; past the last, none at all
    k = np.searchsorted(cuts, thresholds, side="left")
    p = np.append(precision[:-1], 0.0)[k]
    r = np.append(recall[:-1], 0.0)[k]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(p + r > 0, 2 * p * r / (p + r), 0.0)


def best_threshold(y: np.ndarray, prob: np.ndarray) -> float:
    """Threshold of ``THRESHOLD_GRID`` maximizing F1 on out-of-fold probabilities (ties ->
    closest to 0.5, then the higher)."""
    f1 = f1_at(y, prob)
    order = np.lexsort((THRESHOLD_GRID, -np.abs(THRESHOLD_GRID - 0.5), f1))
    return float(THRESHOLD_GRID[order[-1]])


def nested_predictions(Y: np.ndarray, oof: np.ndarray, groups: Sequence[str], seed: int = 0
                       ) -> np.ndarray:
    """0/1 predictions from out-of-fold probabilities with each fold's per-class thresholds
    chosen on the other folds (an honest estimate of tuned thresholds)."""
    P = np.zeros_like(Y)
    for test in grouped_folds(groups, 5, seed, Y):
        mask = np.ones(len(Y), bool)
        mask[test] = False
        for j in range(Y.shape[1]):
            P[test, j] = oof[test, j] >= best_threshold(Y[mask, j], oof[mask, j])
    return P


def report(Y: np.ndarray, P: np.ndarray, labels=LABELS) -> dict:
    """Per-class precision, recall, F1 and support, and the macro-F1 (rounded to 4 places)."""
    precision, recall, f1, support = precision_recall_fscore_support(
        np.asarray(Y), np.asarray(P), average=None, labels=range(len(labels)),
        zero_division=0)
    out = {lb: {"precision": round(float(precision[j]), 4),
                "recall": round(float(recall[j]), 4), "f1": round(float(f1[j]), 4),
                "support": int(support[j])}
           for j, lb in enumerate(labels)}
    out["macro_f1"] = round(float(np.mean([out[lb]["f1"] for lb in labels])), 4)
    return out


def label_matrix(labels: list[list[str]]) -> np.ndarray:
    return np.array([[lb in ls for lb in LABELS] for ls in labels], dtype=np.int64)
