"""Fingerprints that decide whether a stage's outputs are current: code, settings, inputs."""

from __future__ import annotations

import hashlib
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


@lru_cache(maxsize=1)
def code_version() -> str:
    """claimflow's version plus a hash of its source and data files: changed code or
    lexicons invalidate earlier outputs, so a re-run never keeps stale results."""
    root = Path(__file__).resolve().parents[1]  # the claimflow package
    digest = hashlib.sha256(__version__.encode())
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".json", ".jsonl", ".csv", ".txt", ".j2"):
            digest.update(p.relative_to(root).as_posix().encode())
            digest.update(p.read_bytes())
    return digest.hexdigest()[:16]


def raw_fingerprint(raw_dir: Path) -> str:
    """Content fingerprint of a raw folder: every file's relative path and the sha256 of its
    bytes, so an edited, replaced, added or removed file changes it (sizes and times do not)."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise ClaimflowError(f"{raw_dir}: input folder not found")
    parts = []
    for p in sorted(raw_dir.rglob("*")):
        try:
            if p.is_file():
                parts.append(f"{p.relative_to(raw_dir).as_posix()}|{sha256_file(p)}")
        except OSError:
            parts.append(f"{p}|unreadable")
    return fingerprint(*parts)


# --------------------------------------------------------------------------- ingest
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

