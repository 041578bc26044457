"""Encoder (claimflow.encoder) grouped 5-fold CV on train+train2+train3; OOF probabilities cached.

Usage: PYTHONPATH=src python training/quality_encoder.py NAME --set mode="full" --set lr=8e-5
       [--folds 0,1,2,3,4] [--frac 1.0] [--threads 2] [--extra]
Writes training/cache/quality_enc_NAME.npz (oof, mask of rows predicted, seconds).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from quality_data import CACHE, extra_records, nested_report, records, report_line  # noqa: E402

from claimflow.training import encoder as TE  # noqa: E402
from claimflow.training import metrics as M  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("name")
ap.add_argument("--set", action="append", default=[])
ap.add_argument("--folds", default="0,1,2,3,4")
ap.add_argument("--frac", type=float, default=1.0, help="fraction of training docs per fold")
ap.add_argument("--extra", action="store_true",
                help="add training/gold4/train4.jsonl to every fold's training side")
args = ap.parse_args()
hp = {k: json.loads(v) for k, v in (s.split("=", 1) for s in args.set)}
recs = records()
texts, groups = [r["text"] for r in recs], [r["doc_id"] for r in recs]
labels = [r["labels"] for r in recs]
Y = M.label_matrix(labels)
oof = np.full(Y.shape, np.nan)
secs = []
for f, test in enumerate(M.grouped_folds(groups, 5, 0, Y)):
    if str(f) not in args.folds.split(","):
        continue
    t0 = time.perf_counter()
    mask = np.ones(len(Y), bool)
    mask[test] = False
    tr_docs = sorted({groups[i] for i in np.flatnonzero(mask)})
    n_keep = int(round(args.frac * len(tr_docs)))
    keep = set(np.random.RandomState(1).permutation(tr_docs)[:n_keep])
    tr = [i for i in np.flatnonzero(mask) if groups[i] in keep]
    more = extra_records() if args.extra else []
    m = TE.fit([texts[i] for i in tr] + [r["text"] for r in more],
              [labels[i] for i in tr] + [r["labels"] for r in more], None, hp, seed=0,
              log=lambda s: print("   ", s, flush=True))
    oof[test] = m.predict_proba_texts([texts[i] for i in test], batch_size=64)
    secs.append(time.perf_counter() - t0)
    print(f"fold {f}: {len(tr)} train sents, {secs[-1]:.0f}s", flush=True)
    np.savez(CACHE / f"quality_enc_{args.name}.npz", oof=oof, done=~np.isnan(oof[:, 0]),
             secs=np.array(secs), hp=json.dumps(hp))  # checkpoint after every fold
done = ~np.isnan(oof[:, 0])
np.savez(CACHE / f"quality_enc_{args.name}.npz", oof=oof, done=done, secs=np.array(secs),
         hp=json.dumps(hp))
if done.all():
    print(report_line(f"{args.name} CV nested", nested_report(Y, oof, groups)))
else:
    from claimflow.training.metrics import best_threshold
    rows = np.flatnonzero(done)
    P = np.column_stack([oof[rows, j] >= best_threshold(Y[rows, j], oof[rows, j])
                         for j in range(3)]).astype(int)
    print(report_line(f"{args.name} folds {args.folds} (optimistic thr)", M.report(Y[rows], P)))
