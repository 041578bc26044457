"""Linear model on train+train2+train3: grouped 5-fold OOF, learning curve, seeds, final fit.

Usage: PYTHONPATH=src python training/quality_linear.py [--extra]
Writes training/cache/quality_linear.npz (oof, seeds probs, learning curve); with --extra
(training/gold4/train4.jsonl added to every fold's training side and to the final fit)
training/cache/quality_linear_extra.npz.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from quality_data import (  # noqa: E402
    CACHE,
    apply_thresholds,
    extra_records,
    fold_train_rows,
    linear_features,
    nested_report,
    records,
    report_line,
    thresholds_of,
)

from claimflow.claims import linear as L  # noqa: E402
from claimflow.training import linear as TL  # noqa: E402
from claimflow.training import metrics as M  # noqa: E402

EXTRA = "--extra" in sys.argv[1:]
recs, srecs = records(), records(["seeds"])
feats, sfeats = linear_features("all", recs), linear_features("seeds", srecs)
more = extra_records() if EXTRA else []
more_feats = linear_features("train4", more) if EXTRA else []
more_Y = M.label_matrix([r["labels"] for r in more]) if EXTRA else np.zeros((0, 3))
groups = [r["doc_id"] for r in recs]
Y, SY = M.label_matrix([r["labels"] for r in recs]), M.label_matrix([r["labels"] for r in srecs])
folds = M.grouped_folds(groups, 5, 0, Y)
rng = np.random.RandomState(0)
curve = {}
oof_full = None
for frac in (0.25, 0.5, 0.75, 1.0):
    oof = np.zeros(Y.shape)
    for test in folds:
        tr = fold_train_rows(groups, test, frac)
        vocab, W, b = TL.fit_weights([feats[i] for i in tr] + more_feats,
                                     np.vstack([Y[tr], more_Y]), TL.DEFAULT_C, 2, 0)
        m = L.ClaimModel(vocab, W, b, dict.fromkeys(L.LABELS, 0.5))
        oof[test] = m.proba_from_features([feats[i] for i in test])
    r = nested_report(Y, oof, groups)
    curve[frac] = r
    print(report_line(f"linear CV, {int(frac*100)}% of train docs", r), flush=True)
    if frac == 1.0:
        oof_full = oof
th = thresholds_of(Y, oof_full)
vocab, W, b = TL.fit_weights(feats + more_feats, np.vstack([Y, more_Y]), TL.DEFAULT_C, 2, 0)
final = L.ClaimModel(vocab, W, b, th)
sp = final.proba_from_features(sfeats)
print(report_line("linear seeds (CV thresholds)", apply_thresholds(SY, sp, th)))
np.savez(CACHE / ("quality_linear_extra.npz" if EXTRA else "quality_linear.npz"),
         oof=oof_full, seeds=sp, th=json.dumps(th),
         curve=json.dumps({str(k): v for k, v in curve.items()}))
