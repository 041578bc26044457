"""SIGKILL trials: ``claimflow run`` killed at random moments never corrupts its output folder.

Each trial starts ``claimflow run RAW --out-dir OUT`` in a subprocess and kills it with SIGKILL
after a random delay (spread over the length of an uninterrupted run). After every kill the
output folder must hold only complete, schema-valid parquet files (each opened, checked
against its spec and read in full); then an uninterrupted run must complete and give files
byte-identical to a reference run. Trials alternate between an empty output folder and a
finished one re-run with ``--force`` (a kill while replacing good files must keep them).

Usage: python benchmarks/kill_trials.py [--trials 20] [--seed N] [--raw data/raw] [--keep DIR]
Prints one line per trial and the counts; exit code 1 if any trial failed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pipelines" / "default.toml"
OUTPUT_KINDS = ("documents", "ingest_report", "sentences", "entities", "tokens", "claims")


def claimflow_run(raw: Path, out: Path, force: bool = False) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "claimflow", "run", str(raw), "--out-dir", str(out),
           "--config", str(CONFIG)]
    if force:
        cmd.append("--force")
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def run_to_end(raw: Path, out: Path, force: bool = False, timeout: float = 600) -> float:
    t0 = time.perf_counter()
    proc = claimflow_run(raw, out, force)
    _, err = proc.communicate(timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"claimflow run failed ({proc.returncode}): {err.decode()[-2000:]}")
    return time.perf_counter() - t0


def check_folder(out: Path) -> tuple[list[str], list[str], list[str]]:
    """(valid outputs, problems, leftover hidden temp files) of an output folder after a kill."""
    from claimflow.contract.parquet import check_file
    from claimflow.contract.schemas import SPECS
    from claimflow.errors import SchemaError

    by_name = {spec.filename: spec for spec in SPECS.values()}
    valid, problems, temps = [], [], []
    if not out.exists():
        return valid, problems, temps
    for path in sorted(out.iterdir()):
        if path.name.startswith("."):
            temps.append(path.name)  # atomic-write temp file: never read by claimflow
            continue
        spec = by_name.get(path.name)
        if spec is None:
            problems.append(f"{path.name}: unexpected file")
            continue
        try:
            for pf in check_file(path, spec):
                table = pf.read()  # every row group, every column: catches truncation
                if not table.schema.remove_metadata().equals(spec.schema):
                    problems.append(f"{path.name}: schema differs from the contract")
            valid.append(spec.kind)
        except (SchemaError, OSError, ValueError) as exc:
            problems.append(f"{path.name}: {exc}")
    return valid, problems, temps


def same_files(out: Path, reference: Path) -> list[str]:
    """Names of outputs whose bytes differ from the reference run's (or are missing)."""
    from claimflow.contract.schemas import SPECS

    diffs = []
    for kind in OUTPUT_KINDS:
        name = SPECS[kind].filename
        a, b = out / name, reference / name
        if not a.exists() or a.read_bytes() != b.read_bytes():
            diffs.append(name)
    return diffs


@dataclass
class TrialLog:
    trials: int = 0
    survived: int = 0
    lines: list[str] = field(default_factory=list)
    leftover_temps: int = 0

    def add(self, line: str) -> None:
        self.lines.append(line)
        print(line, flush=True)


def kill_trials(
    raw: Path, work: Path, trials: int, seed: int, reference: Path | None = None,
    resume_each: bool = True, span: float | None = None,
) -> TrialLog:
    """Run ``trials`` kill trials in ``work``; see the module docstring.

    With ``resume_each`` False (quicker, for the test suite), trials share one output folder
    ``work/shared``: each killed run resumes what the previous one left (with ``--force`` once
    the folder is complete), and the caller checks the final, uninterrupted run.
    """
    rng = random.Random(seed)
    work.mkdir(parents=True, exist_ok=True)
    if reference is None:
        reference = work / "reference"
        span = run_to_end(raw, reference)
    span = span or 8.0  # kill delays are spread over about one uninterrupted run
    log = TrialLog()
    log.add(f"uninterrupted run: {span:.1f}s; seed {seed}")
    shared = work / "shared"
    for n in range(1, trials + 1):
        if resume_each:
            out = work / f"trial{n:02d}"
            force = n % 2 == 0
            if force:  # a finished folder, re-run with --force
                shutil.copytree(reference, out)
        else:
            out = shared
            force = len(check_folder(out)[0]) == len(OUTPUT_KINDS)
        # most of the first seconds are imports and model loading: aim at the writes
        delay = rng.uniform(0.3, 1.05) * span
        t0 = time.perf_counter()
        proc = claimflow_run(raw, out, force)
        try:
            proc.wait(timeout=delay)
            what = f"finished before the kill ({time.perf_counter() - t0:.1f}s)"
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            what = f"killed at {delay:.1f}s"
        proc.stderr.close()
        valid, problems, temps = check_folder(out)
        if resume_each:
            try:
                run_to_end(raw, out)
            except RuntimeError as exc:
                problems.append(f"next run: {exc}")
            problems += [f"{name}: differs from an uninterrupted run"
                         for name in same_files(out, reference)]
            log.leftover_temps += len(check_folder(out)[2])
        log.trials += 1
        log.survived += not problems
        log.add(
            f"trial {n:2d}: {'--force, ' if force else ''}{what}; "
            f"valid after the kill: {', '.join(valid) or 'none'}; temp files: {len(temps)}; "
            f"{'OK' if not problems else 'FAIL: ' + '; '.join(problems)}"
        )
    return log


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--keep", type=Path, default=None, help="work folder to keep")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    work = args.keep or Path(tempfile.mkdtemp(prefix="claimflow-kill-"))
    try:
        log = kill_trials(args.raw.resolve(), work, args.trials, seed)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"kill trials survived: {log.survived}/{log.trials} (seed {seed}); "
          f"hidden temp files left behind by killed runs: {log.leftover_temps}")
    return 0 if log.survived == log.trials else 1


if __name__ == "__main__":
    sys.exit(main())
