"""Every output records what produced it in ``claimflow.provenance`` (runner.pipeline,
runner.partitioned, contract.parquet): claimflow version, stage, settings digest, the spaCy
model loaded, and for claims the backend, model hashes, base weights and thresholds.

``sample_run`` (tests/conftest.py) is the session's one ``claimflow run`` with default
settings (the ensemble backend); tests copy it before writing."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from claimflow import __version__
from claimflow.cli import app
from claimflow.config import Settings
from claimflow.contract.parquet import read_provenance, write_table
from claimflow.contract.schemas import (
    CLAIMS,
    DOCUMENTS,
    ENTITIES,
    INGEST_REPORT,
    META_FINGERPRINT,
    META_PROVENANCE,
    SENTENCES,
    TOKENS,
)

HASH16 = re.compile(r"[0-9a-f]{16}")
STAGES = {DOCUMENTS: "ingest", INGEST_REPORT: "ingest", SENTENCES: "split", ENTITIES: "tag",
          TOKENS: "tag", CLAIMS: "classify"}
PARTITIONED = (SENTENCES, ENTITIES, TOKENS, CLAIMS)


def _raw(path: Path) -> bytes:
    return pq.read_schema(path).metadata[META_PROVENANCE]


def test_provenance_is_canonical_json_and_rewrites_identical_bytes(tmp_path):
    frame = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start_char": [0], "end_char": [1],
                          "text": ["x"], "lang": ["en"]})
    prov = {"stage": "split", "b": [1, 2], "a": {"z": 0.5, "y": None}}
    first = write_table(frame, tmp_path / "a.parquet", SENTENCES, "fp", prov).read_bytes()
    again = write_table(frame, tmp_path / "a.parquet", SENTENCES, "fp", prov).read_bytes()
    assert first == again
    assert _raw(tmp_path / "a.parquet") == (
        b'{"a":{"y":null,"z":0.5},"b":[1,2],"stage":"split"}')
    assert read_provenance(tmp_path / "a.parquet") == prov


@pytest.mark.slow
def test_every_output_names_its_stage_settings_and_spacy_model(sample_run):
    from claimflow.nlp.models import load_model, model_names

    settings = Settings()
    nlp = load_model(model_names(settings.nlp.model, settings.nlp.fallbacks), "tag")
    for spec, stage in STAGES.items():
        raw = _raw(sample_run / spec.filename)
        # no absolute paths, host names or times: re-runs elsewhere write the same bytes
        assert str(sample_run).encode() not in raw and str(Path.home()).encode() not in raw
        prov = json.loads(raw)
        assert prov["claimflow_version"] == __version__ and prov["stage"] == stage, spec.kind
        sections = prov["settings"]["sections"]
        assert prov["settings"]["digest"] == settings.digest(*sections)
        if stage in ("split", "tag"):
            assert prov["spacy"]["name"] == f"{nlp.meta['lang']}_{nlp.meta['name']}"
            assert prov["spacy"]["version"] == nlp.meta["version"]


@pytest.mark.slow
def test_claims_name_the_ensemble_its_models_and_thresholds(sample_run):
    from claimflow.claims.ensemble import ClaimClassifier, model_version

    settings = Settings()
    classifier = ClaimClassifier.cached(settings)
    prov = read_provenance(sample_run / CLAIMS.filename)
    assert prov["stage"] == "classify" and prov["settings"]["sections"] == ["classify"]
    assert prov["backend"] == "ensemble-mpnet"
    assert prov["thresholds"] == classifier.thresholds
    assert prov["document_context"] is settings.classify.document_context
    assert set(prov["models"]) == {"linear", "cues", "target_model", "encoder",
                                   "encoder_mpnet"}
    assert all(HASH16.fullmatch(v) for v in prov["models"].values())
    assert prov["models"]["encoder_mpnet"] == model_version(settings.classify.mpnet_dir)
    assert "".join(prov["models"][k] for k in ("linear", "cues", "target_model", "encoder",
                                               "encoder_mpnet")) == classifier.version
    # the shipped weights leave the MiniLM out: the linear model and the mpnet scorer
    assert [k for k in prov["weights"]] == ["linear", "member1"]
    assert prov["mpnet_runtime"] == "onnx-int8"
    assert prov["mpnet_onnx_sha256"] == json.loads(
        (settings.classify.mpnet_dir / "encoder.int8.json").read_text())["sha256"]
    assert prov["base_model"]["mpnet_package"] == "all_mpnet_base_v2"
    assert re.fullmatch(r"[0-9a-f]{64}", prov["base_model"]["sha256"])


@pytest.mark.slow
def test_partitioned_runner_writes_the_same_metadata_as_the_stage_runners(sample_run, tmp_path):
    from claimflow.runner.partitioned import run_partitioned

    shutil.copy(sample_run / DOCUMENTS.filename, tmp_path / DOCUMENTS.filename)
    run_partitioned(tmp_path / DOCUMENTS.filename, tmp_path, Settings(), force=True)
    for spec in PARTITIONED:
        ours = pq.read_schema(tmp_path / spec.filename).metadata
        theirs = pq.read_schema(sample_run / spec.filename).metadata
        assert ours[META_PROVENANCE] == theirs[META_PROVENANCE], spec.kind
        assert ours[META_FINGERPRINT] == theirs[META_FINGERPRINT], spec.kind


@pytest.mark.slow
def test_a_linear_rerun_records_the_linear_backend(sample_run, raw_dir, tmp_path):
    from claimflow.claims.ensemble import ClaimClassifier

    out = tmp_path / "out"
    shutil.copytree(sample_run, out)
    result = CliRunner().invoke(
        app, ["run", str(raw_dir), "--out-dir", str(out), "--set", "classify.backend=linear"],
        catch_exceptions=False)
    assert result.exit_code == 0, result.output
    prov = read_provenance(out / CLAIMS.filename)
    default = Settings()
    settings = default.model_copy(update={"classify": default.classify.model_copy(
        update={"backend": "linear"})})
    assert prov["backend"] == "linear"
    assert "encoder" not in prov["models"] and prov["base_model"] is None
    assert prov["thresholds"] == ClaimClassifier.cached(settings).thresholds
    assert prov["settings"]["digest"] == settings.digest("classify")
    # the upstream stages were current: their files (and provenance) are unchanged
    assert _raw(out / SENTENCES.filename) == _raw(sample_run / SENTENCES.filename)
