"""All-gold data for the quality experiments: train+train2+train3 (CV) and seeds (test).

Linear features go through the real tag stage (evaluation.parse_gold -> classify.rebuild ->
ClaimModel.features), exactly like `claimflow train`; cached in training/cache/quality_*.json.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from claimflow.claims import linear as L
from claimflow.training import metrics as M

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
CACHE = Path(__file__).parent / "cache"
TRAIN_FILES = ("train", "train2", "train3")
# written for this project by the gold README's method (training/gold4/README.md); added to
# the training side of every fold, never scored, so CV stays comparable
EXTRA = Path(__file__).parent / "gold4" / "train4.jsonl"


def read_jsonl(p):
    return [json.loads(line) for line in open(p, encoding="utf-8") if line.strip()]


def records(names=TRAIN_FILES):
    out = []
    for n in names:
        out += read_jsonl(GOLD / f"{n}.jsonl")
    return out


def fold_train_rows(groups, test, frac: float = 1.0) -> list[int]:
    """The training rows of a fold (every row outside ``test``), cut to a share ``frac`` of
    its documents (a fixed random order, seed 1) for the learning curves."""
    mask = np.ones(len(groups), bool)
    mask[test] = False
    tr_docs = sorted({groups[i] for i in np.flatnonzero(mask)})
    keep = set(np.random.RandomState(1).permutation(tr_docs)[: int(round(frac * len(tr_docs)))])
    return [i for i in np.flatnonzero(mask) if groups[i] in keep]


def extra_records() -> list[dict]:
    return read_jsonl(EXTRA)


def contexts_of(recs):
    out, prev_doc, prev = [], None, None
    for r in recs:
        if r["doc_id"] != prev_doc:
            prev_doc, prev = r["doc_id"], None
        out.append(prev)
        prev = r["text"]
    return out


def linear_features(name: str, recs) -> list[list[str]]:
    """Per record (same order as recs): the linear model's features from the real tag stage."""
    path = CACHE / f"quality_feats_{name}.json"
    if path.exists():
        return json.loads(path.read_text())
    import spacy

    from claimflow.config import load_settings
    from claimflow.stages.classify import rebuild
    from claimflow.training.evaluation import GoldSentence, parse_gold

    gold = [GoldSentence(r["doc_id"], r["sent_index"], r["text"], tuple(r["labels"]),
                         r.get("target")) for r in recs]
    _, sentences, entities, tokens = parse_gold(gold, load_settings())
    english, docs, mentions = rebuild(spacy.blank("en").vocab, sentences, tokens, entities)
    shell = L.ClaimModel({}, np.zeros((0, 3)), np.zeros(3), dict.fromkeys(L.LABELS, 0.5))
    feats = shell.features(docs, mentions)
    by_key = {(d, int(s)): f for d, s, f in zip(english["doc_id"], english["sent_index"], feats,
                                                 strict=True)}
    missing = [(r["doc_id"], r["sent_index"]) for r in recs
               if (r["doc_id"], r["sent_index"]) not in by_key]
    print(f"{name}: {len(recs)} records, {len(missing)} without features (not English/parsed)",
          file=sys.stderr)
    out = [by_key.get((r["doc_id"], r["sent_index"]), ["BIAS"]) for r in recs]
    CACHE.mkdir(exist_ok=True)
    path.write_text(json.dumps(out))
    return out


def report_line(name, r, labels=L.LABELS):
    return (f"{name:40s} macro {r['macro_f1']:.3f} | "
            + " ".join(f"{lb} {r[lb]['f1']:.3f}" for lb in labels))


def nested_report(Y, P, groups, seed=0):
    return M.report(Y, M.nested_predictions(Y, P, groups, seed))


def apply_thresholds(Y, P, th):
    t = np.array([th[lb] for lb in L.LABELS])
    return M.report(Y, (P >= t).astype(int))


def thresholds_of(Y, P):
    return {lb: M.best_threshold(Y[:, j], P[:, j]) for j, lb in enumerate(L.LABELS)}
