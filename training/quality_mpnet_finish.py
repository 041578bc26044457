"""Finish the fine-tuned all-mpnet-base-v2 (LoRA) as the scorer of ``backend =
"ensemble-mpnet"``: thresholds, ensemble weights, context layer and CV report from the
out-of-fold predictions of the folds that were run (``quality_encoder.py NAME --folds 0``:
one fine-tuned mpnet fold costs 50 min on this machine), written beside the all-data fit
(``quality_final.py NAME --step fit --out DIR``), then the int8 export.

Usage: PYTHONPATH=src python training/quality_mpnet_finish.py FIT_DIR --oof NAME
       [--out src/claimflow/data/encoder_mpnet] [--fp32-nodes REGEX]
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from quality_data import CACHE, nested_report, records, report_line, thresholds_of  # noqa: E402

from claimflow.claims import encoder as E  # noqa: E402
from claimflow.claims import linear as L  # noqa: E402
from claimflow.training import encoder as TE  # noqa: E402
from claimflow.training import metrics as M  # noqa: E402
from claimflow.training.context import fit_context  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("fit_dir", type=Path)
ap.add_argument("--oof", required=True, help="CACHE/quality_enc_<NAME>.npz of the CV folds")
ap.add_argument("--linear", default="quality_linear_extra.npz")
ap.add_argument("--out", type=Path, default=Path("src/claimflow/data/encoder_mpnet"))
ap.add_argument("--fp32-nodes", default=None, help="ONNX nodes kept fp32 ('' all-int8)")
ap.add_argument("--weights", default="0.5,0,0.5",
                help="ensemble weights of linear, MiniLM, mpnet (default: MiniLM left out)")
ap.add_argument("--minilm", default="quality_enc_lora_x.npz", help="MiniLM OOF cache")
args = ap.parse_args()

recs = records()
groups = np.array([r["doc_id"] for r in recs])
Y = M.label_matrix([r["labels"] for r in recs])
z = np.load(CACHE / f"quality_enc_{args.oof}.npz")
rows = np.flatnonzero(z["done"])
mp, lin = z["oof"][rows], np.load(CACHE / args.linear)["oof"][rows]
minilm = np.load(CACHE / args.minilm)["oof"][rows]
Yr, gr = Y[rows], list(groups[rows])
WEIGHTS = dict(zip(("linear", "encoder", "mpnet"), map(float, args.weights.split(",")),
                   strict=True))
ens = WEIGHTS["linear"] * lin + WEIGHTS["encoder"] * minilm + WEIGHTS["mpnet"] * mp
own = [lin] + ([minilm] if WEIGHTS["encoder"] > 0 else []) + [mp]
ctx, crep = fit_context(own, ens, gr, Yr, gr, L.LABELS, seed=0)
cv = {"mpnet": nested_report(Yr, mp, gr), "ensemble": nested_report(Yr, ens, gr),
      "ensemble_context": crep["cv_nested_thresholds"]}
for key, rep in cv.items():
    print(report_line(f"folds run, nested: {key}", rep))
model = E.EncoderClaimModel.load(args.fit_dir, runtime="torch")
model.thresholds = thresholds_of(Yr, mp)
if args.fp32_nodes is not None:
    model.hparams["onnx_fp32_nodes"] = args.fp32_nodes
model.meta = {
    "data": ("train+train2+train3 (3155 sentences, 228 docs) + train4 (645 sentences), "
             "seed 0"),
    "cv": cv,
    "cv_scope": (f"the {len(rows)} sentences of the CV folds that were run ({len(set(gr))} "
                 "documents; thresholds nested by document inside them)"),
    "ensemble_weights": WEIGHTS, "ensemble_thresholds": thresholds_of(Yr, ens),
    "train_seconds": model.meta.get("train_seconds"),
}
if args.out.exists():
    shutil.rmtree(args.out)
TE.save(model, args.out)
ctx.save(args.out)
print("wrote", args.out)
