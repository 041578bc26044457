"""Grouped 5-fold CV over settings; prints macro-F1. Usage: python training/cv.py"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from parse_cache import load

from claimflow.claims import linear as C

recs, docs, ments = load("train")
groups = [r["doc_id"] for r in recs]
Y = C.label_matrix([r["labels"] for r in recs])
shell = C.ClaimModel({}, np.zeros((0, 3)), np.zeros(3), dict.fromkeys(C.LABELS, .5))
t0 = time.perf_counter(); feats = shell.features(docs, ments); print("featurize", time.perf_counter()-t0)
for c in [0.1, 0.3, 1.0]:
    for md in [1, 2]:
        oof = C.cross_validate(feats, Y, groups, [c]*3, md)
        r5 = C.report(Y, (oof >= .5).astype(int))
        th = [C.best_threshold(Y[:, j], oof[:, j]) for j in range(3)]
        rt = C.report(Y, np.column_stack([oof[:, j] >= th[j] for j in range(3)]).astype(int))
        print(f"C={c} min_df={md} @0.5 macro={r5['macro_f1']} "
              + " ".join(f"{l}={r5[l]['f1']}" for l in C.LABELS)
              + f" | tuned macro={rt['macro_f1']} " + " ".join(f"{l}={rt[l]['f1']}" for l in C.LABELS))
