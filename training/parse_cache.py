"""Gold sentences parsed once by the real tag stage (gazetteer included), cached as parquet,
and rebuilt into Docs exactly as the classify stage rebuilds them, so every training and CV
script sees the features production sees."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import spacy

from claimflow.config import Settings
from claimflow.stages.classify import rebuild
from claimflow.training.evaluation import load_gold, parse_gold

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / "cache"
GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
TABLES = ("documents", "sentences", "entities", "tokens")


def read_jsonl(p):
    return [json.loads(line) for line in open(p, encoding="utf-8") if line.strip()]


def parse(name: str) -> dict[str, pd.DataFrame]:
    """Run speaker finding and the tag stage over one gold file; cache the four tables."""
    frames = dict(zip(TABLES, parse_gold(load_gold(GOLD / f"{name}.jsonl"), Settings()),
                      strict=True))
    CACHE.mkdir(exist_ok=True)
    for key, df in frames.items():
        df.to_parquet(CACHE / f"{name}_{key}.parquet")
    return frames


def load(name: str, vocab=None):
    """(records, docs, mentions) in gold order, rebuilt like the classify stage does."""
    if not all((CACHE / f"{name}_{k}.parquet").exists() for k in TABLES):
        parse(name)
    frames = {k: pd.read_parquet(CACHE / f"{name}_{k}.parquet") for k in TABLES}
    english, docs, ments = rebuild(vocab or spacy.blank("en").vocab, frames["sentences"],
                                   frames["tokens"], frames["entities"])
    index = {(r["doc_id"], r["sent_index"]): r for r in read_jsonl(GOLD / f"{name}.jsonl")}
    recs = [index[(d, s)] for d, s in zip(english["doc_id"], english["sent_index"], strict=True)]
    return recs, docs, ments


if __name__ == "__main__":
    for n in sys.argv[1:] or ["train", "seeds"]:
        parse(n)
