"""Fit the document-context layer on out-of-fold probabilities."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from claimflow.claims.context import ContextModel, context_features


def fit_context(own: Sequence[np.ndarray], combined: np.ndarray, doc_ids: Sequence[str],
                Y: np.ndarray, groups: Sequence[str], labels: Sequence[str], C: float = 1.0,
                seed: int = 0) -> tuple[ContextModel, dict]:
    """Fit on out-of-fold base probabilities; thresholds and report from grouped 5-fold CV of
    the context model itself (nested: each fold's thresholds tuned on the other folds)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    from claimflow.training.metrics import (
        best_threshold,
        grouped_splits,
        nested_predictions,
        report,
    )

    X = context_features(own, combined, doc_ids)
    splits = grouped_splits(groups, Y, 5, seed)
    oof = np.zeros(Y.shape)
    W = np.zeros((X.shape[1], Y.shape[1]))
    b = np.zeros(Y.shape[1])
    for j in range(Y.shape[1]):
        clf = LogisticRegression(C=C, max_iter=2000, random_state=seed)
        oof[:, j] = cross_val_predict(clf, X, Y[:, j], cv=splits, method="predict_proba")[:, 1]
        clf.fit(X, Y[:, j])
        W[:, j], b[j] = clf.coef_[0], clf.intercept_[0]
    nested = nested_predictions(Y, oof, list(groups), seed)
    thresholds = {lb: best_threshold(Y[:, j], oof[:, j]) for j, lb in enumerate(labels)}
    rep = {
        "cv_at_0.5": report(Y, (oof >= 0.5).astype(int), labels),
        "cv_nested_thresholds": report(Y, nested, labels),
        "thresholds": thresholds,
        "C": C,
    }
    return ContextModel(W, b, thresholds, labels, len(own), {"cv": rep}), rep
