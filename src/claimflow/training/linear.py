"""Fit the linear claim model: weights, grouped cross-validation, out-of-fold probabilities."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from claimflow.claims.linear import LABELS, ClaimModel, _matrix
from claimflow.nlp.docs import ActorMention
from claimflow.training.context import fit_context
from claimflow.training.metrics import (
    best_threshold,
    grouped_folds,
    label_matrix,
    nested_predictions,
    report,
)

DEFAULT_C = [0.3, 0.3, 0.3]



def _build_vocab(feats: list[list[str]], min_df: int) -> dict[str, int]:
    from collections import Counter

    df = Counter(x for fs in feats for x in set(fs))
    keep = sorted(x for x, c in df.items() if c >= min_df and x != "BIAS")
    return {x: i for i, x in enumerate(keep)}


def fit_weights(feats: list[list[str]], y: np.ndarray, C: float | list[float], min_df: int = 2,
                seed: int = 0):
    """One L2 logistic regression per label; returns (vocab, weights, bias)."""
    from sklearn.linear_model import LogisticRegression

    vocab = _build_vocab(feats, min_df)
    X = _matrix(feats, vocab)
    Cs = C if isinstance(C, list | tuple) else [C] * y.shape[1]
    W = np.zeros((len(vocab), y.shape[1]), dtype=np.float64)
    b = np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        clf = LogisticRegression(C=Cs[j], solver="liblinear", random_state=seed, max_iter=2000,
                                 class_weight="balanced")
        clf.fit(X, y[:, j])
        W[:, j] = clf.coef_[0]
        b[j] = clf.intercept_[0]
    # drop features with no weight anywhere to keep the artifact small
    keep = np.flatnonzero(np.abs(W).max(axis=1) > 1e-6)
    inv = sorted(vocab, key=vocab.__getitem__)
    vocab = {inv[k]: n for n, k in enumerate(keep)}
    return vocab, W[keep].astype(np.float32), b


def cross_validate(feats: list[list[str]], Y: np.ndarray, groups: list[str], C, min_df: int = 2,
                   seed: int = 0, k: int = 5) -> np.ndarray:
    """Out-of-fold probabilities (n, n_labels)."""
    oof = np.zeros(Y.shape, dtype=np.float64)
    for test in grouped_folds(groups, k, seed):
        mask = np.ones(len(feats), bool)
        mask[test] = False
        tr = [feats[i] for i in np.flatnonzero(mask)]
        vocab, W, b = fit_weights(tr, Y[mask], C, min_df, seed)
        m = ClaimModel(vocab, W, b, dict.fromkeys(LABELS, 0.5))
        oof[test] = m.proba_from_features([feats[i] for i in test])
    return oof


def out_of_fold(docs: list[Doc], mentions: list[list[ActorMention]], labels: list[list[str]],
                groups: list[str], seed: int = 0, C=None, min_df: int = 2,
                cues_dir: Path | None = None) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """Features, label matrix and grouped 5-fold out-of-fold probabilities."""
    shell = ClaimModel({}, np.zeros((0, 3)), np.zeros(3), dict.fromkeys(LABELS, 0.5),
                       cues_dir=cues_dir)
    feats = shell.features(docs, mentions)
    Y = label_matrix(labels)
    return feats, Y, cross_validate(feats, Y, groups, list(C or DEFAULT_C), min_df, seed)


def train_model(docs: list[Doc], mentions: list[list[ActorMention]], labels: list[list[str]],
                groups: list[str], seed: int = 0, C=None, min_df: int = 2,
                cues_dir: Path | None = None) -> tuple[ClaimModel, dict]:
    """Fit on all data; thresholds from grouped 5-fold out-of-fold probabilities. The
    document-context layer is fitted on those probabilities (``groups`` are the documents,
    in order) and kept only when it raises the cross-validated macro-F1."""
    C = list(C or DEFAULT_C)
    feats, Y, oof = out_of_fold(docs, mentions, labels, groups, seed, C, min_df, cues_dir)
    th = {lb: best_threshold(Y[:, j], oof[:, j]) for j, lb in enumerate(LABELS)}
    P05 = (oof >= 0.5).astype(int)
    Pth = np.column_stack([oof[:, j] >= th[lb] for j, lb in enumerate(LABELS)]).astype(int)
    Pn = nested_predictions(Y, oof, groups, seed)
    rep = {
        "cv_at_0.5": report(Y, P05),
        "cv_tuned_thresholds_optimistic": report(Y, Pth),
        "cv_nested_thresholds": report(Y, Pn),
        "thresholds": th,
        "C": C,
        "min_df": min_df,
        "seed": seed,
        "n_train": len(docs),
    }
    context, ctx_rep = fit_context([oof], oof, groups, Y, groups, LABELS, seed=seed)
    kept = ctx_rep["cv_nested_thresholds"]["macro_f1"] > rep["cv_nested_thresholds"]["macro_f1"]
    rep["document_context"] = {"kept": kept, **ctx_rep}
    vocab, W, b = fit_weights(feats, Y, C, min_df, seed)
    model = ClaimModel(vocab, W, b, th, {"cv": rep}, cues_dir, context if kept else None)
    return model, rep
