"""Ensemble (linear + encoder average) and ensemble + document-context layer on the OOF
probabilities of train+train2+train3; error-pattern counts; optional seeds scoring.

Usage: PYTHONPATH=src python training/quality_stack.py ENC_NAME [--seeds ENC_SEEDS.npy]
       [--linear quality_linear_extra.npz]   (the linear OOF cache to stack with)
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from quality_data import CACHE, apply_thresholds, nested_report, records, report_line, thresholds_of  # noqa: E402

from claimflow.claims import linear as L  # noqa: E402
from claimflow.training import metrics as M  # noqa: E402
from claimflow.training.context import fit_context  # noqa: E402

NEG_OUTRAGE = re.compile(r"\b(not|no|never|nothing|nor|n't|cannot|neither|without|condemn\w*|"
                         r"outrag\w*|deplor\w*|unacceptable|indignation|strongly|protest\w*|"
                         r"regret\w*|firmly)\b|n't", re.I)
SHAM = re.compile(r"\b(sham|farce|illegal\w*|illegitimate|so-called|null and void|no legal|"
                  r"propaganda|unlawful|invalid|travesty|mock\w*)\b", re.I)


def error_patterns(recs, Y, P):
    """P: 0/1 predictions. Counts of the three error classes named in the brief."""
    d, a = 0, 1
    fp = (P[:, d] == 1) & (Y[:, d] == 0)
    txt = [r["text"] for r in recs]
    return {
        "denial_FP_total": int(fp.sum()),
        "denial_FP_negation_or_outrage": int(sum(fp[i] and bool(NEG_OUTRAGE.search(txt[i]))
                                                 for i in range(len(txt)))),
        "denial_missed_in_accusation (gold den+acc, no den)": int(
            ((Y[:, d] == 1) & (Y[:, a] == 1) & (P[:, d] == 0)).sum()),
        "of gold den+acc": int(((Y[:, d] == 1) & (Y[:, a] == 1)).sum()),
        "sham_illegal_act_labelled_denial": int(sum(fp[i] and bool(SHAM.search(txt[i]))
                                                    for i in range(len(txt)))),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("enc")
    ap.add_argument("--seeds", type=Path, help="final encoder's seeds probabilities (.npy)")
    ap.add_argument("--write-context", type=Path, help="directory to write context.json into")
    ap.add_argument("--linear", default="quality_linear.npz", help="linear OOF cache in CACHE")
    args = ap.parse_args()
    recs, srecs = records(), records(["seeds"])
    groups = [r["doc_id"] for r in recs]
    Y = M.label_matrix([r["labels"] for r in recs])
    SY = M.label_matrix([r["labels"] for r in srecs])
    lz = np.load(CACHE / args.linear)
    lin, lin_s = lz["oof"], lz["seeds"]
    enc = np.load(CACHE / f"quality_enc_{args.enc}.npz")["oof"]
    ens = 0.5 * lin + 0.5 * enc
    res = {}
    for name, p in (("linear", lin), (f"encoder {args.enc}", enc), ("ensemble avg", ens)):
        res[name] = (p, nested_report(Y, p, groups))
    lctx, lrep = fit_context([lin], lin, groups, Y, groups, L.LABELS)
    ctx, rep = fit_context([lin, enc], ens, groups, Y, groups, L.LABELS)
    for name, r in (("linear + context", lrep), ("ensemble + context", rep)):
        res[name] = (None, r["cv_nested_thresholds"])
    for name, (_, r) in res.items():
        print(report_line(f"CV {name}", r))
    # context OOF predictions (for error patterns): refit per fold like fit_context does
    from sklearn.linear_model import LogisticRegression

    from claimflow.claims.context import context_features
    X = context_features([lin, enc], ens, groups)
    coof = np.zeros(Y.shape)
    for test in M.grouped_folds(groups, 5, 0, Y):
        tr = np.setdiff1d(np.arange(len(Y)), test)
        for j in range(3):
            clf = LogisticRegression(C=1.0, max_iter=2000, random_state=0).fit(X[tr], Y[tr, j])
            coof[test, j] = clf.predict_proba(X[test])[:, 1]
    preds = {"ensemble + context": M.nested_predictions(Y, coof, groups),
             "ensemble avg": M.nested_predictions(Y, ens, groups),
             f"encoder {args.enc}": M.nested_predictions(Y, enc, groups),
             "linear": M.nested_predictions(Y, lin, groups)}
    unseen = np.array([not r["doc_id"].startswith("t") for r in recs])
    sub = [r for r, u in zip(recs, unseen, strict=True) if u]
    print("error patterns on train2+train3 (2068 sents):")
    for name, P in preds.items():
        print(f" after CV {name}:", json.dumps(error_patterns(sub, Y[unseen], P[unseen])))
    print("error patterns, all 3155 (CV):")
    for name, P in preds.items():
        print(f" CV {name}:", json.dumps(error_patterns(recs, Y, P)))
    if args.seeds:
        es = np.load(args.seeds)
        print(report_line("seeds linear (all-data fit)",
                          apply_thresholds(SY, lin_s, thresholds_of(Y, lin))))
        print(report_line(f"seeds encoder {args.enc}",
                          apply_thresholds(SY, es, thresholds_of(Y, enc))))
        se = 0.5 * lin_s + 0.5 * es
        print(report_line("seeds ensemble avg", apply_thresholds(SY, se, thresholds_of(Y, ens))))
        sc = ctx.predict_proba([lin_s, es], se, [r["doc_id"] for r in srecs])
        print(report_line("seeds ensemble + context", apply_thresholds(SY, sc, ctx.thresholds)))
        sl = lctx.predict_proba([lin_s], lin_s, [r["doc_id"] for r in srecs])
        print(report_line("seeds linear + context", apply_thresholds(SY, sl, lctx.thresholds)))
        sP = (sc >= np.array([ctx.thresholds[lb] for lb in L.LABELS])).astype(int)
        print(" seeds error patterns after:", json.dumps(error_patterns(srecs, SY, sP)))
    if args.write_context:
        ctx.save(args.write_context)
        print("wrote", args.write_context / "context.json")


if __name__ == "__main__":
    main()
