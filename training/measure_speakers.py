"""Accuracy of the document speaker (``find_speaker``) against ``shared/gold/speakers.jsonl``.

A document is right when the predicted code is one of the gold ``speaker_codes`` (joint
statements list every issuer); "state part matches" is the looser count where the predicted
code's state (``AZE`` of ``AZE-MFA``) equals the state of one of the gold codes.  Documents are
built from the gold sentences exactly as the pipeline builds them (``gold_frames``).

Usage: .venv/bin/python training/measure_speakers.py [--misses] [--files train train2 train3]
(``--files train4``: the 42 documents of training/gold4, written after the finder was tuned;
``--files w4 w5 w6``: the held-out batches of training/gold5, never used to tune anything;
``--raw training/gold6``: a folder of raw statements, ``raw/`` plus ``speakers.jsonl`` whose
``file`` field names the raw file, ingested as the ingest stage does)
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from claimflow.actors.gazetteer import Gazetteer
from claimflow.actors.speaker import find_speaker
from claimflow.config import IngestSettings
from claimflow.stages.ingest import build_documents, discover
from claimflow.training.evaluation import gold_frames, load_gold

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
FILES = ("train", "train2", "train3")
GOLD4 = Path(__file__).resolve().parent / "gold4"  # "train4": never used to tune the finder
GOLD5 = Path(__file__).resolve().parent / "gold5"  # held-out batches w4, w5, w6


def _sentences_file(name: str) -> Path:
    if name == "train4":
        return GOLD4 / "train4.jsonl"
    held_out = GOLD5 / f"{name}.jsonl"
    return held_out if held_out.exists() else GOLD / f"{name}.jsonl"


def _speaker_files():
    yield GOLD / "speakers.jsonl"
    yield from sorted(GOLD4.glob("w*.speakers.jsonl"))
    yield from sorted(GOLD5.glob("w*.speakers.jsonl"))


def _state(code: str | None) -> str | None:
    return code.split("-")[0] if code else None


def _gold_documents(name: str):
    """(doc_id, text) of the gold documents of a sentence file, built as the pipeline does."""
    documents, _ = gold_frames(load_gold(_sentences_file(name)))
    return zip(documents["doc_id"], documents["text"], strict=True)


def _raw_documents(folder: Path, gold: dict
                   ) -> list[tuple[str, str, str | None, str | None]]:
    """(doc_id, text, dateline place, outlet) of a raw statement folder, normalised by the ingest
    stage (which cuts the dateline off the text, as in ``claimflow run``); the gold
    records of ``speakers.jsonl`` are added to ``gold`` under the ingested doc_id."""
    records = {}
    for line in open(folder / "speakers.jsonl", encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            records[r["file"]] = r
    documents, _ = build_documents(discover(folder / "raw", IngestSettings()), IngestSettings())
    out = []
    for doc_id, path, text, place, outlet in zip(
            documents["doc_id"], documents["path"], documents["text"], documents["place"],
            documents["outlet"], strict=True):
        if path in records:
            gold[doc_id] = records[path]
            out.append((doc_id, text, place if isinstance(place, str) else None,
                        outlet if isinstance(outlet, str) else None))
    return out


def measure(files=FILES, show_misses: bool = True,
            raw_dirs=()) -> dict[str, tuple[int, int, int]]:
    gaz = Gazetteer.load()
    gold = {}
    for path in _speaker_files():
        for line in open(path, encoding="utf-8"):
            if line.strip():
                r = json.loads(line)
                gold[r["doc_id"]] = r
    totals: dict[str, tuple[int, int, int]] = {}
    misses = []
    elapsed, n_docs = 0.0, 0
    sets = [(name, [(d, t, None, None) for d, t in _gold_documents(name)]) for name in files]
    for folder in raw_dirs:
        raw_gold: dict = {}
        sets.append((Path(folder).name, _raw_documents(Path(folder), raw_gold)))
        if raw_gold.keys() & gold.keys():  # one gold entry per doc id across the folders
            raise SystemExit(f"{folder}: doc ids also used elsewhere: "
                             f"{sorted(raw_gold.keys() & gold.keys())[:5]}")
        gold.update(raw_gold)
    for name, documents in sets:
        right = state_right = n = 0
        for doc_id, text, place, outlet in documents:
            if doc_id not in gold:
                continue
            t0 = time.perf_counter()
            speaker, code = find_speaker(text, gaz, place=place, outlet=outlet)
            elapsed += time.perf_counter() - t0
            n_docs += 1
            codes = gold[doc_id]["speaker_codes"]
            n += 1
            ok = code in codes
            right += ok
            state_right += _state(code) in {_state(c) for c in codes}
            if not ok:
                misses.append((name, doc_id, code, codes, gold[doc_id]["speaker"], text[:220]))
        totals[name] = (right, state_right, n)
    r = sum(v[0] for v in totals.values())
    s = sum(v[1] for v in totals.values())
    n = sum(v[2] for v in totals.values())
    totals["overall"] = (r, s, n)
    if show_misses:
        print(f"misses ({len(misses)}):")
        for name, doc_id, code, codes, speaker, head in misses:
            print(f"  {name}/{doc_id}: predicted {code} gold {codes} ({speaker})")
            print(f"      {head!r}")
        print()
    for key, (right, state_right, total) in totals.items():
        print(f"{key:8s} exact {right:3d}/{total:3d} = {right / max(total, 1):.3f}   "
              f"state part matches {state_right:3d}/{total:3d} = {state_right / max(total, 1):.3f}")
    print(f"speed: {1000 * elapsed / max(n_docs, 1):.1f} ms per document")
    return totals


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", nargs="*", default=None)
    ap.add_argument("--raw", nargs="+", default=[], metavar="FOLDER",
                    help="raw statement folders (raw/ + speakers.jsonl), e.g. training/gold6")
    ap.add_argument("--no-misses", action="store_true")
    args = ap.parse_args(argv)
    files = args.files if args.files is not None else ([] if args.raw else list(FILES))
    measure(files, not args.no_misses, args.raw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
