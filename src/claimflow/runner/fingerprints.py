"""Fingerprints that decide whether a stage's outputs are current: code, settings, inputs.

Two levels: a stage's fingerprint covers its whole input (equal: the stage is skipped), and
per-document keys (the document's content + the stage's settings, models and code) let a
run over a changed folder recompute only the new and changed documents.
"""

from __future__ import annotations

import hashlib
import json
import time
from functools import lru_cache
from pathlib import Path

from claimflow import __version__
from claimflow.config import Settings
from claimflow.contract.manifest import sha256_file
from claimflow.contract.parquet import (
    fingerprint,
    read_fingerprint,
)
from claimflow.errors import ClaimflowError

_CHUNK = 1 << 20
# a file modified this close to the moment it was hashed may change again within the same
# mtime tick: its stat is not trusted next time (git's "racy clean" rule)
_RACY_NS = 2_000_000_000


@lru_cache(maxsize=1)
def code_version() -> str:
    """claimflow's version plus a hash of its source and data files: changed code or
    lexicons invalidate earlier outputs, so a re-run never keeps stale results."""
    root = Path(__file__).resolve().parents[1]  # the claimflow package
    digest = hashlib.sha256(__version__.encode())
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".json", ".jsonl", ".csv", ".txt", ".j2"):
            digest.update(p.relative_to(root).as_posix().encode())
            with open(p, "rb") as fh:  # in chunks: data files can be large
                while chunk := fh.read(_CHUNK):
                    digest.update(chunk)
    return digest.hexdigest()[:16]


def check_raw_dir(raw_dir: Path) -> Path:
    """``raw_dir``, or a one-line error when it is not a folder."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise ClaimflowError(f"{raw_dir}: input folder not found")
    return raw_dir


def raw_files(raw_dir: Path, known: dict[str, list] | None = None,
              follow_symlinks: bool = False) -> dict[str, list]:
    """Every file ingest considers under ``raw_dir`` (the same walk: links inside it
    followed, links leading out of it neither followed nor read unless ``follow_symlinks``):
    relative path -> ``[size, mtime_ns, sha256]``, or ``[None, None, why]`` for an entry
    ingest skips before reading (an outside link, a broken link, a loop).

    A file whose size and mtime equal those in ``known`` (the stats an earlier run
    recorded) keeps the recorded hash without being read; any other file is hashed, in
    chunks. ``mtime_ns`` is None for a file modified just before it was hashed, so it is
    hashed again next time. An unreadable file has hash ``"unreadable"``.
    """
    raw_dir = check_raw_dir(raw_dir)
    known = known or {}
    racy = time.time_ns() - _RACY_NS
    out: dict[str, list] = {}
    from claimflow.stages.ingest.discovery import walk_files

    for rel, p, why in walk_files(raw_dir, follow_symlinks):
        if why is not None:
            out[rel] = [None, None, why]
            continue
        try:
            st = p.stat()
            seen = known.get(rel)
            if seen and seen[1] is not None and [st.st_size, st.st_mtime_ns] == seen[:2]:
                out[rel] = list(seen)
                continue
            sha = sha256_file(p)
            out[rel] = [st.st_size, st.st_mtime_ns if st.st_mtime_ns < racy else None, sha]
        except OSError:
            out[rel] = [None, None, "unreadable"]
    return out


def raw_fingerprint(raw_dir: Path, known: dict[str, list] | None = None,
                    follow_symlinks: bool = False) -> str:
    """Content fingerprint of a raw folder: every file's relative path and the sha256 of its
    bytes, so an edited, replaced, added or removed file changes it (sizes and times do not;
    they only spare re-hashing files ``known`` from an earlier run, see :func:`raw_files`)."""
    return files_fingerprint(raw_files(raw_dir, known, follow_symlinks))


def files_fingerprint(files: dict[str, list]) -> str:
    return fingerprint(*(f"{rel}|{stat[2]}" for rel, stat in files.items()))


# --------------------------------------------------------------------------- ingest
def ingest_static(settings: Settings) -> str:
    """What ingest's result for one raw file depends on besides its bytes."""
    return fingerprint(code_version(), settings.digest("ingest", "tag"))


def ingest_fingerprint(raw_fp: str, settings: Settings) -> str:
    """``raw_fp``: :func:`raw_fingerprint` of the raw folder."""
    return fingerprint(code_version(), raw_fp, settings.digest("ingest", "tag"))


def manifest_meta() -> dict:
    """What every manifest says about the claimflow that wrote it."""
    return {"claimflow_version": __version__, "code_version": code_version()}


# --------------------------------------------------------------------------- fingerprints
def split_fingerprint(documents: Path, settings: Settings) -> str:
    return fingerprint(code_version(), read_fingerprint(documents) or "", settings.digest("nlp"))


def tag_fingerprint(sentences_fp: str, settings: Settings) -> str:
    return fingerprint(code_version(), sentences_fp, settings.digest("nlp", "tag"))


def classify_fingerprint(entities_fp: str, documents: Path, settings: Settings,
                         model_version: str) -> str:
    return fingerprint(code_version(), entities_fp, read_fingerprint(documents) or "",
                       settings.digest("classify"), model_version)


# --------------------------------------------------------------------------- per document
def split_static(settings: Settings) -> str:
    return fingerprint(code_version(), "split", settings.digest("nlp"))


def tag_static(settings: Settings) -> str:
    return fingerprint(code_version(), "tag", settings.digest("nlp", "tag"))


def classify_static(settings: Settings, model_version: str) -> str:
    return fingerprint(code_version(), "classify", settings.digest("classify"), model_version)


def document_hashes(batches) -> dict[str, str]:
    """doc_id -> hash of the document's whole row, in table order; ``batches``: pyarrow
    record batches of DOCUMENTS. Every column a later stage reads is covered."""
    out: dict[str, str] = {}
    for batch in batches:
        names = batch.schema.names
        for row in batch.to_pylist():
            blob = json.dumps([row[n] for n in names], default=str, ensure_ascii=False)
            digest = hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()
            out[row["doc_id"]] = digest
    return out


def document_keys(static: str, upstream: dict[str, str]) -> dict[str, str]:
    """Per-document keys of a stage: its ``static`` fingerprint (code, settings, models)
    chained with each document's key one stage earlier, so any upstream change shows."""
    return {doc_id: fingerprint(static, key)[:16] for doc_id, key in upstream.items()}
