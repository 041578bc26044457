"""Train the shipped claim model on train.jsonl and write it to src/claimflow/data/model/.

Deterministic: fixed fold assignment and liblinear with a fixed seed.
Usage: PYTHONPATH=src python training/train.py [--out DIR]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from parse_cache import load

from claimflow.claims import linear as C

ap = argparse.ArgumentParser()
ap.add_argument("--out", default=str(C.DEFAULT_MODEL_DIR))
ap.add_argument("--seed", type=int, default=0)
args = ap.parse_args()
recs, docs, ments = load("train")
model, rep = C.train_model(docs, ments, [r["labels"] for r in recs], [r["doc_id"] for r in recs],
                           seed=args.seed)
model.save(Path(args.out))
print(json.dumps(rep, indent=1))
print("features", len(model.vocab))
