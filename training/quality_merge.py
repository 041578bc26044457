"""Merge the out-of-fold caches of CV folds run in separate processes into one.

    PYTHONPATH=src python training/quality_merge.py mpnet_x mpnet_x_f0 mpnet_x_b mpnet_x_c

reads ``CACHE/quality_enc_<part>.npz`` of every part (each holds NaN rows for the folds it
did not run), writes ``CACHE/quality_enc_<name>.npz`` and prints the nested CV report of
the merged rows beside the linear model and the MiniLM on the same rows.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from quality_data import CACHE, nested_report, records, report_line  # noqa: E402

from claimflow.training import metrics as M  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("name")
ap.add_argument("parts", nargs="+")
ap.add_argument("--linear", default="quality_linear_extra.npz")
ap.add_argument("--minilm", default="quality_enc_lora_x.npz")
args = ap.parse_args()

caches = [np.load(CACHE / f"quality_enc_{p}.npz") for p in args.parts]
oof = caches[0]["oof"].copy()
for z in caches[1:]:
    clash = ~np.isnan(oof[:, 0]) & ~np.isnan(z["oof"][:, 0])
    if clash.any():
        sys.exit(f"{clash.sum()} rows are in more than one part")
    oof = np.where(np.isnan(oof), z["oof"], oof)
done = ~np.isnan(oof[:, 0])
secs = np.concatenate([z["secs"] for z in caches])
np.savez(CACHE / f"quality_enc_{args.name}.npz", oof=oof, done=done, secs=secs,
         hp=caches[-1]["hp"])
recs = records()
Y = M.label_matrix([r["labels"] for r in recs])
groups = [r["doc_id"] for r in recs]
rows = np.flatnonzero(done)
lin = np.load(CACHE / args.linear)["oof"]
minilm = np.load(CACHE / args.minilm)["oof"]
print(f"{len(rows)} of {len(Y)} rows; seconds per fold {np.round(secs).astype(int).tolist()}")
for label, p in ((args.name, oof), ("MiniLM", minilm), ("linear", lin),
                 ("linear + " + args.name, 0.5 * lin + 0.5 * oof)):
    print(report_line(label, nested_report(Y[rows], p[rows], [groups[i] for i in rows])))
