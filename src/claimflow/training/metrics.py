"""Scores and folds shared by every model's training: grouped folds, F1, and thresholds
chosen on other folds."""

from __future__ import annotations

import numpy as np

from claimflow.contract.schemas import CLAIM_TYPES as LABELS


def _f1(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float]:
    tp = float((y & p).sum())
    prec = tp / max(p.sum(), 1)
    rec = tp / max(y.sum(), 1)
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def best_threshold(y: np.ndarray, prob: np.ndarray) -> float:
    """Threshold maximizing F1 on out-of-fold probabilities (grid, ties -> closest to 0.5)."""
    grid = np.round(np.arange(0.2, 0.81, 0.025), 3)
    scores = [(_f1(y.astype(bool), prob >= t)[2], -abs(t - 0.5), t) for t in grid]
    return float(max(scores)[2])


def grouped_folds(groups: list[str], k: int = 5, seed: int = 0) -> list[np.ndarray]:
    """Deterministic group k-fold: groups shuffled with ``seed`` then dealt by size."""
    rng = np.random.RandomState(seed)
    uniq = sorted(set(groups))
    rng.shuffle(uniq)
    sizes = {g: groups.count(g) for g in uniq}
    order = sorted(uniq, key=lambda g: -sizes[g])
    load = [0] * k
    assign = {}
    for g in order:
        j = int(np.argmin(load))
        assign[g] = j
        load[j] += sizes[g]
    ga = np.array([assign[g] for g in groups])
    return [np.flatnonzero(ga == j) for j in range(k)]


def nested_predictions(Y: np.ndarray, oof: np.ndarray, groups: list[str], seed: int = 0
                       ) -> np.ndarray:
    """0/1 predictions from out-of-fold probabilities with each fold's per-class thresholds
    chosen on the other folds (an honest estimate of tuned thresholds)."""
    P = np.zeros_like(Y)
    for test in grouped_folds(list(groups), 5, seed):
        mask = np.ones(len(Y), bool)
        mask[test] = False
        for j in range(Y.shape[1]):
            P[test, j] = oof[test, j] >= best_threshold(Y[mask, j], oof[mask, j])
    return P


def report(Y: np.ndarray, P: np.ndarray, labels=LABELS) -> dict:
    out = {}
    for j, lb in enumerate(labels):
        p, r, f = _f1(Y[:, j].astype(bool), P[:, j].astype(bool))
        out[lb] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                   "support": int(Y[:, j].sum())}
    out["macro_f1"] = round(float(np.mean([out[lb]["f1"] for lb in labels])), 4)
    return out


def label_matrix(labels: list[list[str]]) -> np.ndarray:
    return np.array([[lb in ls for lb in LABELS] for ls in labels], dtype=np.int64)
