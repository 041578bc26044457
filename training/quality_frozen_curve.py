"""Learning curve of a frozen MiniLM: mean-pooled embeddings + one logistic regression per
class, grouped 5-fold CV on train+train2+train3 (the same folds and nested thresholds as
quality_linear.py), at 25/50/75/100% of each fold's training documents.

A cheap proxy for "does more data pay for the encoder" (a fine-tuned fold costs 12-17 min).
Usage: PYTHONPATH=src python training/quality_frozen_curve.py [--extra] [--base DIR --name N]
(--extra: training/gold4/train4.jsonl added to every fold's training side; --base: another
sentence-transformers folder, e.g. all-mpnet-base-v2 unpacked from its five PyPI parts)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).parent))
from quality_data import (  # noqa: E402
    CACHE,
    extra_records,
    fold_train_rows,
    nested_report,
    records,
    report_line,
)

from claimflow.claims.encoder import base_model_dir  # noqa: E402
from claimflow.training import metrics as M  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--extra", action="store_true")
ap.add_argument("--base", default=None, help="sentence-transformers folder (default: MiniLM)")
ap.add_argument("--name", default="minilm", help="cache name of the base")
args = ap.parse_args()


def embeddings(texts: list[str], name: str) -> np.ndarray:
    path = CACHE / f"quality_frozen_{args.name}_{name}.npy"
    if path.exists():
        return np.load(path, allow_pickle=False)
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(args.base or str(base_model_dir()), device="cpu")
    out = model.encode(texts, batch_size=64, normalize_embeddings=True)
    np.save(path, out)
    return out


recs = records()
X = embeddings([r["text"] for r in recs], "all")
more = extra_records() if args.extra else []
X_more = embeddings([r["text"] for r in more], "train4") if more else np.zeros((0, X.shape[1]))
Y_more = M.label_matrix([r["labels"] for r in more]) if more else np.zeros((0, 3))
groups = [r["doc_id"] for r in recs]
Y = M.label_matrix([r["labels"] for r in recs])
folds = M.grouped_folds(groups, 5, 0, Y)
for frac in (0.25, 0.5, 0.75, 1.0):
    oof = np.zeros(Y.shape)
    for test in folds:
        tr = fold_train_rows(groups, test, frac)
        for j in range(Y.shape[1]):
            lr = LogisticRegression(C=4.0, max_iter=2000).fit(
                np.vstack([X[tr], X_more]), np.concatenate([Y[tr, j], Y_more[:, j]]))
            oof[test, j] = lr.predict_proba(X[test])[:, 1]
    print(report_line(f"frozen {args.name} + LR, {int(frac * 100)}% of train docs"
                      + (" + train4" if more else ""),
                      nested_report(Y, oof, groups)), flush=True)
