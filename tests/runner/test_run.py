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
