"""Fit the linear claim model: weights, grouped cross-validation, out-of-fold probabilities."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc

from claimflow.claims.linear import LABELS, ClaimModel
from claimflow.nlp.docs import ActorMention
from claimflow.training.context import fit_context
from claimflow.training.metrics import (
    best_threshold,
    grouped_splits,
    label_matrix,
    nested_predictions,
    report,
)

DEFAULT_C = [0.3, 0.3, 0.3]


def _present(features: list[str]) -> list[str]:
    """A sentence's feature names as the vectoriser's tokens ("BIAS" marks a sentence with
    none and is no feature)."""
    return [x for x in features if x != "BIAS"]


def vectorizer(min_df: int = 2) -> CountVectorizer:
    """Binary presence of each feature name kept in at least ``min_df`` training sentences;
    its vocabulary is sorted, as ``ClaimModel`` stores it."""
    return CountVectorizer(analyzer=_present, binary=True, min_df=min_df, dtype=np.float64)


def classifier(C: float, seed: int = 0) -> LogisticRegression:
    """One label's L2 logistic regression."""
    return LogisticRegression(C=C, solver="liblinear", random_state=seed, max_iter=2000,
                              class_weight="balanced")


def _per_label(C: float | Sequence[float], n_labels: int) -> list[float]:
    return list(C) if isinstance(C, list | tuple) else [C] * n_labels


def fit_weights(feats: list[list[str]], y: np.ndarray, C: float | list[float], min_df: int = 2,
                seed: int = 0):
    """One logistic regression per label over the vectorised features; returns (vocab,
    weights, bias) as ``ClaimModel`` stores them."""
    vec = vectorizer(min_df)
    X = vec.fit_transform(feats)
    Cs = _per_label(C, y.shape[1])
    W = np.zeros((X.shape[1], y.shape[1]), dtype=np.float64)
    b = np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        clf = classifier(Cs[j], seed).fit(X, y[:, j])
        W[:, j] = clf.coef_[0]
        b[j] = clf.intercept_[0]
    # drop features with no weight anywhere to keep the artifact small
    keep = np.flatnonzero(np.abs(W).max(axis=1) > 1e-6)
    names = vec.get_feature_names_out()[keep]
    return {str(x): n for n, x in enumerate(names)}, W[keep].astype(np.float32), b


def cross_validate(feats: list[list[str]], Y: np.ndarray, groups: list[str], C, min_df: int = 2,
                   seed: int = 0, k: int = 5) -> np.ndarray:
    """Out-of-fold probabilities (n, n_labels) of grouped k-fold CV (vocabulary and weights
    fitted on each fold's training part)."""
    from sklearn.model_selection import cross_val_predict
    from sklearn.pipeline import make_pipeline

    Cs = _per_label(C, Y.shape[1])
    splits = grouped_splits(groups, Y, k, seed)
    oof = np.zeros(Y.shape, dtype=np.float64)
    for j in range(Y.shape[1]):
        model = make_pipeline(vectorizer(min_df), classifier(Cs[j], seed))
        oof[:, j] = cross_val_predict(model, feats, Y[:, j], cv=splits,
                                      method="predict_proba")[:, 1]
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
    shell = ClaimModel({}, np.zeros((0, 3)), np.zeros(3), dict.fromkeys(LABELS, 0.5),
                       cues_dir=cues_dir)
    return train_from_features(shell.features(docs, mentions), label_matrix(labels), groups,
                               seed, C, min_df, cues_dir)


def train_from_features(feats: list[list[str]], Y: np.ndarray, groups: list[str],
                        seed: int = 0, C=None, min_df: int = 2, cues_dir: Path | None = None
                        ) -> tuple[ClaimModel, dict]:
    """``train_model`` on features already computed (``ClaimModel.features``) and the
    label matrix (``metrics.label_matrix``)."""
    C = list(C or DEFAULT_C)
    oof = cross_validate(feats, Y, groups, C, min_df, seed)
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
        "n_train": len(feats),
    }
    context, ctx_rep = fit_context([oof], oof, groups, Y, groups, LABELS, seed=seed)
    kept = ctx_rep["cv_nested_thresholds"]["macro_f1"] > rep["cv_nested_thresholds"]["macro_f1"]
    rep["document_context"] = {"kept": kept, **ctx_rep}
    vocab, W, b = fit_weights(feats, Y, C, min_df, seed)
    model = ClaimModel(vocab, W, b, th, {"cv": rep}, cues_dir, context if kept else None)
    return model, rep
