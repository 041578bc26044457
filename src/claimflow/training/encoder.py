"""Cross-validate the fine-tuned encoder claim model."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from claimflow.claims.encoder import (
    DEFAULT_HPARAMS,
    LABELS,
    TransformerClaimModel,
    _build_base,
    _encode,
    _first_adapted,
    _fit,
    _lower_states,
    _predict_cached,
    _torch,
    _trainable_state,
)
from claimflow.errors import ClaimflowError


# ---------------------------------------------------------------------------- training
def _label_matrix(labels: list[list[str]]) -> np.ndarray:
    return np.array([[lb in ls for lb in LABELS] for ls in labels], dtype=np.int64)


def cross_validate_transformer(texts: list[str], labels: list[list[str]], groups: list[str],
                               contexts: list[str | None] | None = None, seed: int = 0,
                               k: int = 5, verbose: bool = False, **hparams) -> np.ndarray:
    """Out-of-fold probabilities (n, 3) over the same grouped folds as the linear model."""
    from claimflow.training.metrics import grouped_folds

    hp = {**DEFAULT_HPARAMS, **hparams}
    torch = _torch()
    enc = _encode(texts, contexts, hp)
    Y = _label_matrix(labels)
    oof = np.zeros(Y.shape, dtype=np.float64)
    torch.set_num_threads(int(hp["threads"]))
    base = _build_base({**hp, "lora_layers": []})
    start = _first_adapted(hp)
    cached = _lower_states(base, enc, start, torch)
    del base
    for f, test in enumerate(grouped_folds(list(groups), k, seed)):
        t0 = time.perf_counter()
        mask = np.ones(len(Y), bool)
        mask[test] = False
        tr = np.flatnonzero(mask)
        model = _fit([enc[i] for i in tr], Y[tr], hp, seed, cached=[cached[i] for i in tr])
        oof[test] = _predict_cached(model, [enc[i] for i in test], [cached[i] for i in test],
                                    start, torch)
        if verbose:
            print(f"  fold {f + 1}/{k}: {time.perf_counter() - t0:.1f}s", flush=True)
    return oof


def threshold_report(Y: np.ndarray, oof: np.ndarray, groups: list[str], seed: int = 0) -> dict:
    """Reports at 0.5 and with nested thresholds (each fold's thresholds tuned on the others'
    out-of-fold probabilities), plus the thresholds tuned on all out-of-fold probabilities."""
    from claimflow.training.metrics import best_threshold, nested_predictions, report

    th = {lb: best_threshold(Y[:, j], oof[:, j]) for j, lb in enumerate(LABELS)}
    Pn = nested_predictions(Y, oof, groups, seed)
    return {"cv_at_0.5": report(Y, (oof >= 0.5).astype(int)),
            "cv_nested_thresholds": report(Y, Pn), "thresholds": th}


def train_transformer(texts: list[str], labels: list[list[str]], groups: list[str],
                      contexts: list[str | None] | None = None, seed: int = 0,
                      cv: bool = True, verbose: bool = False, **hparams
                      ) -> tuple[TransformerClaimModel, dict]:
    """Grouped 5-fold CV (for thresholds and an honest report), then fit on all data.

    ``report["oof"]`` holds the out-of-fold probabilities (numpy, not stored in the artifact).
    """
    hp = {**DEFAULT_HPARAMS, **hparams}
    unknown = set(hparams) - set(DEFAULT_HPARAMS)
    if unknown:
        raise ClaimflowError(f"unknown transformer hyper-parameters: {sorted(unknown)}")
    if contexts is None:
        hp["use_context"] = False
    torch = _torch()
    Y = _label_matrix(labels)
    rep: dict[str, Any] = {"seed": seed, "n_train": len(texts), "hparams": hp}
    th = dict.fromkeys(LABELS, 0.5)
    if cv:
        t0 = time.perf_counter()
        oof = cross_validate_transformer(texts, labels, groups, contexts, seed,
                                         verbose=verbose, **hp)
        rep.update(threshold_report(Y, oof, groups, seed))
        rep["cv_seconds"] = round(time.perf_counter() - t0, 1)
        rep["oof"] = oof
        th = rep["thresholds"]
    t0 = time.perf_counter()
    model = _fit(_encode(texts, contexts, hp), Y, hp, seed)
    rep["train_seconds"] = round(time.perf_counter() - t0, 1)
    state = _trainable_state(model)
    meta = {"cv": {k: v for k, v in rep.items() if k != "oof"}}
    tm = TransformerClaimModel(state, hp, th, LABELS, meta, hp["threads"])
    del torch
    return tm, rep
