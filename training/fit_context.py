"""Fit the ensemble's document-context layer and write it next to the MiniLM adapter.

Stacking on out-of-fold probabilities of train.jsonl: the shipped linear model's (recomputed
through the real tag stage, same folds) and the MiniLM's (cached by finetune.py for the shipped
hyper-parameters, or recomputed). seeds.jsonl is not used.
Usage: PYTHONPATH=src python training/fit_context.py [--transformer-dir DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import spacy  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from parse_cache import GOLD  # noqa: E402

from claimflow.claims import encoder as T  # noqa: E402
from claimflow.claims import linear as C  # noqa: E402
from claimflow.config import load_settings  # noqa: E402
from claimflow.stages.classify import rebuild  # noqa: E402
from claimflow.training.context import fit_context  # noqa: E402
from claimflow.training.evaluation import _ordered, load_gold, parse_gold  # noqa: E402


def transformer_oof(model: T.TransformerClaimModel, gold, path: Path | None) -> np.ndarray:
    """Out-of-fold MiniLM probabilities in gold order (finetune.py's cache file, if given)."""
    hp = {k: v for k, v in model.hparams.items() if T.DEFAULT_HPARAMS.get(k) != v}
    if path is not None:
        print("transformer OOF from", path.name)
        return np.load(path, allow_pickle=False)
    return T.cross_validate_transformer([g.text for g in gold], [list(g.labels) for g in gold],
                                        [g.doc_id for g in gold], None, 0, verbose=True, **hp)


def linear_oof(settings=None):
    """The shipped linear model's out-of-fold probabilities on train.jsonl, through the real
    tag stage (same folds as training): (gold in pipeline order, Y, probabilities, groups)."""
    gold = load_gold(GOLD / "train.jsonl")
    documents, sentences, entities, tokens = parse_gold(gold, settings or load_settings())
    english, docs, mentions = rebuild(spacy.blank("en").vocab, sentences, tokens, entities)
    ordered = _ordered(gold, english)
    groups = [g.doc_id for g in ordered]
    _, Y, lin = C.out_of_fold(docs, mentions, [list(g.labels) for g in ordered], groups)
    return ordered, Y, lin, groups


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--transformer-dir", default=str(T.DEFAULT_MODEL_DIR))
    ap.add_argument("--oof", type=Path, help="cached out-of-fold MiniLM probabilities "
                    "(training/cache/oof_*.npy of the shipped hyper-parameters)")
    args = ap.parse_args()
    gold = load_gold(GOLD / "train.jsonl")
    ordered, Y, lin, groups = linear_oof()
    model = T.TransformerClaimModel.load(Path(args.transformer_dir))
    tr_gold_order = transformer_oof(model, gold, args.oof)
    row = {(g.doc_id, g.sent_index): i for i, g in enumerate(gold)}
    tr = tr_gold_order[[row[(g.doc_id, g.sent_index)] for g in ordered]]
    order = [list(model.labels).index(lb) for lb in C.LABELS]
    tr = tr[:, order]
    w = float(model.meta["ensemble_weight_transformer"])
    combined = (1 - w) * lin + w * tr
    for name, p in (("linear", lin), ("transformer", tr), ("ensemble average", combined)):
        r = T.threshold_report(Y, p, groups)["cv_nested_thresholds"]
        print(f"{name:18s} nested macro-F1 {r['macro_f1']:.4f} "
              + " ".join(f"{lb} {r[lb]['f1']:.3f}" for lb in C.LABELS))
    context, rep = fit_context([lin, tr], combined, groups, Y, groups, C.LABELS)
    r = rep["cv_nested_thresholds"]
    print(f"{'+ document context':18s} nested macro-F1 {r['macro_f1']:.4f} "
          + " ".join(f"{lb} {r[lb]['f1']:.3f}" for lb in C.LABELS))
    context.save(Path(args.transformer_dir))
    print("thresholds", json.dumps(rep["thresholds"]), "written to", args.transformer_dir)


if __name__ == "__main__":
    main()
