"""A frozen encoder with a logistic-regression head (``mode="frozen"``): grouped 5-fold CV on
train+train2+train3 (train4 on every training side), fp32 and through the int8 ONNX export
the pipeline runs (one export per fold), seeds scored by the all-data fit.

Usage: PYTHONPATH=src python training/quality_frozen.py NAME [--base all_mpnet_base_v2]
       [--C 4.0] [--int8] [--final DIR]
Writes training/cache/quality_enc_NAME.npz (oof: int8 with --int8, else fp32) and reports the
three-model ensemble with the linear model and the MiniLM (their cached OOF, same folds).
With --final, the all-data model goes to DIR (weights, config with the three weights,
thresholds and CV reports, context.json over the three models, int8 export): the third
member of ``backend = "ensemble-mpnet"``.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from quality_data import (  # noqa: E402
    CACHE,
    apply_thresholds,
    extra_records,
    nested_report,
    records,
    report_line,
    thresholds_of,
)
from quality_stack import fit_context  # noqa: E402

from claimflow.claims import linear as L  # noqa: E402
from claimflow.claims.encoder import EncoderClaimModel, _build, _trainable  # noqa: E402
from claimflow.training import encoder as TE  # noqa: E402
from claimflow.training import metrics as M  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("name")
ap.add_argument("--base", default="all_mpnet_base_v2")
ap.add_argument("--C", type=float, default=4.0)
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--int8", action="store_true", help="also score every fold through int8 ONNX")
ap.add_argument("--fp32-nodes", default=None,
                help="ONNX nodes the int8 export keeps fp32 (regex; '' all-int8; default: "
                     "the FFN down-projections)")
ap.add_argument("--final", type=Path, default=None, help="write the all-data model here")
ap.add_argument("--linear", default="quality_linear_extra.npz", help="linear OOF cache")
ap.add_argument("--minilm", default="quality_enc_lora_x.npz", help="MiniLM OOF cache")
ap.add_argument("--minilm-seeds", default="quality_seeds_lora_x.npy")
args = ap.parse_args()
hp = {"base_package": args.base, "mode": "frozen", "normalize": True, "frozen_C": args.C,
      "threads": args.threads}
if args.fp32_nodes is not None:
    hp["onnx_fp32_nodes"] = args.fp32_nodes

import torch  # noqa: E402

torch.set_num_threads(args.threads)
recs, more, srecs = records(), extra_records(), records(["seeds"])
texts = [r["text"] for r in recs]
groups = [r["doc_id"] for r in recs]
Y = M.label_matrix([r["labels"] for r in recs])
Ym = M.label_matrix([r["labels"] for r in more])
full_hp = {**TE.DEFAULT_HPARAMS, **hp}
tok, net = _build(full_hp)


def vectors(name, txts):
    path = CACHE / f"quality_pooled_{args.base}_{name}.npy"
    if path.exists():
        return np.load(path, allow_pickle=False)
    t0 = time.perf_counter()
    X = TE.pooled_vectors(net, tok, txts, None, full_hp)
    print(f"pooled {len(txts)} sentences in {time.perf_counter() - t0:.0f}s", flush=True)
    np.save(path, X)
    return X


X, Xm = vectors("all", texts), vectors("train4", [r["text"] for r in more])
Xs = vectors("seeds", [r["text"] for r in srecs])


def heads(rows):
    """Fit the head on the fold's training rows (+ train4); it is left in ``net``."""
    return TE.fit_head(net, np.vstack([X[rows], Xm]), np.vstack([Y[rows], Ym]), args.C)


def int8_scores(txts):
    model = EncoderClaimModel(net, tok, full_hp, state=_trainable(net))
    with tempfile.TemporaryDirectory() as tmp:
        TE.save(model, Path(tmp))
        return EncoderClaimModel.load(Path(tmp), runtime="onnx", threads=args.threads
                                      ).predict_proba_texts(txts)


oof, oof8 = np.zeros(Y.shape), np.full(Y.shape, np.nan)
for f, test in enumerate(M.grouped_folds(groups, 5, 0, Y)):
    lrs = heads(np.setdiff1d(np.arange(len(Y)), test))
    oof[test] = np.column_stack([lr.predict_proba(X[test])[:, 1] for lr in lrs])
    if args.int8:
        t0 = time.perf_counter()
        oof8[test] = int8_scores([texts[i] for i in test])
        print(f"fold {f} int8: {time.perf_counter() - t0:.0f}s for {len(test)} sentences",
              flush=True)
print(report_line(f"{args.name} CV fp32", nested_report(Y, oof, groups)))
if args.int8:
    print(report_line(f"{args.name} CV int8", nested_report(Y, oof8, groups)))
    print(f"mean |p_int8 - p_fp32| {np.abs(oof8 - oof).mean():.4f}")
heads(np.arange(len(Y)))  # the all-data head, for --final
own = oof8 if args.int8 else oof
np.savez(CACHE / f"quality_enc_{args.name}.npz", oof=own, oof_fp32=oof,
         done=np.ones(len(Y), bool))
WEIGHTS = {"linear": 1 / 3, "encoder": 1 / 3, "mpnet": 1 / 3}  # equal: nothing tuned
lin = np.load(CACHE / args.linear)["oof"]
enc = np.load(CACHE / args.minilm)["oof"]
ens = WEIGHTS["linear"] * lin + WEIGHTS["encoder"] * enc + WEIGHTS["mpnet"] * own
ctx, crep = fit_context([lin, enc, own], ens, groups, Y, groups, L.LABELS, seed=0)
cv = {"mpnet": nested_report(Y, own, groups), "ensemble": nested_report(Y, ens, groups),
      "ensemble_context": crep["cv_nested_thresholds"]}
for key, rep in cv.items():
    print(report_line(f"CV {key}", rep))
if args.final:  # heads(all rows) above left the all-data head in net
    model = EncoderClaimModel(net, tok, full_hp, state=_trainable(net))
    model.thresholds = thresholds_of(Y, own)
    model.meta = {
        "data": (f"train+train2+train3 (3155 sentences, 228 docs) + train4 ({len(more)} "
                 "sentences, training side only)"),
        "cv": cv, "cv_runtime": "onnx-int8" if args.int8 else "torch",
        "ensemble_weights": WEIGHTS, "ensemble_thresholds": thresholds_of(Y, ens),
    }
    TE.save(model, args.final)
    ctx.save(args.final)
    print("wrote", args.final)
    # seeds through the shipped runtime, each model's own all-data fit
    lin_s = np.load(CACHE / args.linear)["seeds"]
    enc_s = np.load(CACHE / args.minilm_seeds)
    mp_s = EncoderClaimModel.load(args.final, threads=args.threads).predict_proba_texts(
        [r["text"] for r in srecs])
    SY = M.label_matrix([r["labels"] for r in srecs])
    se = WEIGHTS["linear"] * lin_s + WEIGHTS["encoder"] * enc_s + WEIGHTS["mpnet"] * mp_s
    print(report_line("seeds mpnet alone", apply_thresholds(SY, mp_s, model.thresholds)))
    print(report_line("seeds ensemble", apply_thresholds(SY, se, thresholds_of(Y, ens))))
    sc = ctx.predict_proba([lin_s, enc_s, mp_s], se, [r["doc_id"] for r in srecs])
    print(report_line("seeds ensemble + context", apply_thresholds(SY, sc, ctx.thresholds)))
