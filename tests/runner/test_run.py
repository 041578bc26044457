"""run_all under SIGKILL: a killed `claimflow run` never leaves a truncated or invalid parquet.

Kills real `claimflow run` subprocesses at random moments over a small corpus; after every
kill each parquet file in the output folder must open, match its spec and read in full; the
killed runs resume one another's leftovers, and a final run must give files byte-identical
to an uninterrupted run. ``benchmarks/kill_trials.py`` runs 20 trials per mode (stage, run,
--processes 2, --engine dask), each from a committed result.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("CLAIMFLOW_KILL_TRIALS", "4"))


def _kill_module():
    path = ROOT / "benchmarks" / "kill_trials.py"
    spec = importlib.util.spec_from_file_location("kill_trials", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["kill_trials"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def small_raw(tmp_path_factory, raw_dir):
    """Two seed statements (one English, one with a Russian part) and one JSONL record."""
    raw = tmp_path_factory.mktemp("kill_raw")
    for name in ("000_f4b2c18048fe893e.txt", "003_9a27125245b60c55.txt"):
        (raw / name).write_bytes((raw_dir / name).read_bytes())
    (raw / "r.jsonl").write_text(
        '{"id": "../r1", "text": "The Ministry rejects the claims made by the parliament."}\n',
        encoding="utf-8",
    )
    return raw


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="POSIX signals")
def test_sigkill_at_random_moments_never_corrupts_the_output(small_raw, tmp_path):
    from claimflow.config import load_settings
    from claimflow.runner.run import run_all

    kill = _kill_module()
    reference = tmp_path / "reference"
    run_all(small_raw, reference, load_settings(kill.CONFIG))  # in-process: models are cached
    valid, problems, temps = kill.check_folder(reference)
    assert not problems and not temps and len(valid) == 6
    seed = int(os.environ.get("CLAIMFLOW_KILL_SEED", "20240521"))
    work = tmp_path / "work"
    log = kill.kill_trials(small_raw, work, TRIALS, seed, reference=reference,
                           resume_each=False, span=7.0)
    assert log.trials == TRIALS
    assert log.survived == TRIALS, "\n".join(log.lines)
    # the next run completes and gives the same bytes as an uninterrupted run
    run_all(small_raw, work / "shared", load_settings(kill.CONFIG))
    assert kill.same_files(work / "shared", reference) == [], "\n".join(log.lines)
    assert kill.check_folder(work / "shared")[1] == []


@pytest.mark.slow
def test_small_batches_write_the_same_bytes_as_a_default_run(sample_run, raw_dir, tmp_path,
                                                             monkeypatch):
    """Memory bounds cut documents into batches (split by characters, tag by slices of
    sentences, classify by chunks of sentences); where the cuts fall never shows in the
    output."""
    from functools import partial

    from claimflow.config import load_settings
    from claimflow.runner import pipeline
    from claimflow.runner.run import run_all
    from claimflow.stages import classify, split, tag

    monkeypatch.setattr(pipeline, "SPLIT_BATCH_CHARS", 3_000)  # about one document each
    batches: list[list[int]] = []

    def recorded(documents, *args):
        batches.append(documents["text"].str.len().tolist())
        return split_documents(documents, *args)

    split_documents = split.split_documents
    monkeypatch.setattr(split, "split_documents", recorded)
    monkeypatch.setattr(tag, "iter_tagged", partial(tag.iter_tagged, slice_chars=500))
    monkeypatch.setattr(classify, "classify_sentences",
                        partial(classify.classify_sentences, chunk_sentences=5))
    sizes = [len(p.read_text(encoding="utf-8")) for p in raw_dir.glob("*.txt")]
    assert max(sizes) > 3_000 and len(sizes) > 1  # several batches, some of one document
    run_all(raw_dir, tmp_path, load_settings())
    assert len(batches) > 1 and all(sum(b) <= 3_000 or len(b) == 1 for b in batches)
    assert any(len(b) == 1 and b[0] > 3_000 for b in batches)  # a long one alone
    written = sorted(p.name for p in sample_run.glob("*.parquet"))
    assert len(written) == 6
    for name in written:
        assert (tmp_path / name).read_bytes() == (sample_run / name).read_bytes(), name


def test_ingest_speaker_uses_the_dateline_place_cut_off_the_text(tmp_path):
    """Ingest moves the dateline into ``place``; the document speaker still takes its state
    (a bare "the Ministry of Foreign Affairs" in Monrovia is Liberia's)."""
    import pandas as pd

    from claimflow.config import Settings
    from claimflow.runner.pipeline import run_ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "release.txt").write_text(
        "Monrovia, 28 January 2025 \u2014 The Ministry of Foreign Affairs has rejected as "
        "baseless the claims published on Monday by a foreign newspaper. The Ministry said "
        "the army had not crossed the border.\n", encoding="utf-8")
    out = tmp_path / "out" / "documents.parquet"
    run_ingest(raw, out, Settings())
    row = pd.read_parquet(out).iloc[0]
    assert row["place"] == "Monrovia"
    assert "Monrovia" not in row["text"]
    assert (row["speaker"], row["speaker_code"]) == ("Ministry of Foreign Affairs of Liberia",
                                                    "LBR-MFA")
