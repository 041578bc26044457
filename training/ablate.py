from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from parse_cache import load

from claimflow.claims import linear as C

recs, docs, ments = load("train")
groups = [r["doc_id"] for r in recs]
Y = C.label_matrix([r["labels"] for r in recs])
shell = C.ClaimModel({}, np.zeros((0, 3)), np.zeros(3), dict.fromkeys(C.LABELS, .5))
feats = shell.features(docs, ments)
prefixes = sorted({f.split(":")[0] for fs in feats for f in fs})
print(prefixes)
def run(name, fs, c=0.3):
    oof = C.cross_validate(fs, Y, groups, [c]*3, 2)
    th = [C.best_threshold(Y[:, j], oof[:, j]) for j in range(3)]
    rt = C.report(Y, np.column_stack([oof[:, j] >= th[j] for j in range(3)]).astype(int))
    print(f"{name:30s} tuned macro={rt['macro_f1']} " + " ".join(f"{l}={rt[l]['f1']}" for l in C.LABELS))
if "--errors" not in sys.argv:
  run("all", feats)
for p in ([] if "--errors" in sys.argv else ["l", "b", "d", "cue", "cuet", "w", "root", "cd"]):
    run("-"+p, [[f for f in fs if f.split(":")[0] != p] for fs in feats])
if "--errors" not in sys.argv: run("only cue/cuet", [[f for f in fs if f.split(":")[0] in ("cue","cuet")] for fs in feats], 1.0)
if "--errors" not in sys.argv: run("only l", [[f for f in fs if f.split(":")[0] in ("l",)] for fs in feats], 1.0)

if "--errors" in sys.argv:
    oof = C.cross_validate(feats, Y, groups, [0.3]*3, 2)
    for j, l in enumerate(C.LABELS):
        print("=====", l)
        for i in range(len(Y)):
            p = oof[i, j] >= 0.5
            if p != bool(Y[i, j]):
                print(("FN" if Y[i, j] else "FP"), f"{oof[i,j]:.2f}", recs[i]["labels"], recs[i]["text"][:200])
