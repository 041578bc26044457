"""Incremental runs on a growing archive: the cost of adding one statement.

Builds an archive of ``5 * copies`` statements (the samples varied as ``bench.py`` varies
them), times a full ``claimflow run``, adds one new statement, times the re-run, and runs
from scratch over the final folder to check that the re-run's outputs are the same bytes
(and the same rows). Prints JSON.

Usage: python benchmarks/incremental.py [--copies 24] [--copies 240 ...] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUTS = ("documents.parquet", "ingest_report.parquet", "sentences.parquet",
           "entities.parquet", "tokens.parquet", "claims.parquet")


def _bench():
    """benchmarks/bench.py as a module (corpus building and ``claimflow run`` timing)."""
    spec = importlib.util.spec_from_file_location("claimflow_bench", HERE / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("claimflow_bench", module)
    spec.loader.exec_module(module)
    return module


def build_archive(bench, copies: int, dest: Path) -> tuple[Path, Path]:
    """An archive of ``copies`` varied copies of the samples, and one more statement (the
    first sample of copy ``copies``) to add to it; the copy's text does not depend on how
    many copies are built."""
    seeds = sorted(bench.RAW.glob("*.txt"))
    per_copy = sum(bench.words(p.read_text(encoding="utf-8")) for p in seeds)
    staging = dest.with_name(dest.name + "-next")
    bench.build_corpus((copies + 1) * per_copy / bench.BASE_WORDS, staging)
    extra = sorted(staging.rglob(f"doc{copies:05d}_*.txt"))
    if len(list(staging.rglob("*.txt"))) != (copies + 1) * len(seeds) or not extra:
        raise SystemExit("corpus builder gave an unexpected number of statements")
    new = extra[0]
    for path in extra:
        if path != new:
            path.unlink()
    held = dest.with_name(dest.name + "-new") / new.relative_to(staging)
    held.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(new, held)
    if dest.exists():
        shutil.rmtree(dest)
    staging.rename(dest)
    return dest, held


def run(bench, corpus: Path, out: Path) -> dict:
    """``claimflow run`` (no --force) in a child process: wall time, the child's CPU time
    (user + system; steadier than wall time on a shared machine) and its peak RSS."""
    cmd = [*bench.CLAIMFLOW, "run", str(corpus), "--out-dir", str(out)]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=bench.ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"claimflow run failed: {proc.stderr.read().decode()[-2000:]}")
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024}


def compare(a: Path, b: Path) -> dict:
    """Which outputs are byte-identical and hold the same rows; for claims also the rows
    equal but for ``confidence``, and the largest confidence difference (the MiniLM
    member's scores vary in the 7th decimal with the make-up of its batches)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    same_bytes = {n: (a / n).read_bytes() == (b / n).read_bytes() for n in OUTPUTS}
    same_rows = {n: pq.read_table(a / n).equals(pq.read_table(b / n)) for n in OUTPUTS}
    mine, theirs = pq.read_table(a / "claims.parquet"), pq.read_table(b / "claims.parquet")
    others = [c for c in mine.column_names if c != "confidence"]
    aligned = mine.num_rows == theirs.num_rows and mine.select(others).equals(
        theirs.select(others))
    diff = (pc.max(pc.abs(pc.subtract(mine["confidence"], theirs["confidence"]))).as_py()
            if aligned else None)
    return {"byte_identical": same_bytes, "same_rows": same_rows,
            "all_byte_identical": all(same_bytes.values()),
            "all_same_rows": all(same_rows.values()),
            "claims_same_but_confidence": aligned, "claims_max_confidence_diff": diff,
            "claims_rows_confidence_differs": (
                int(pc.sum(pc.not_equal(mine["confidence"], theirs["confidence"])
                           .cast("int64")).as_py() or 0) if aligned else None)}


def measure_incremental(workdir: Path, copies: int = 24, adds: int = 3) -> dict:
    """Full run of a ``5 * copies`` statement archive vs the re-run after adding one: the
    median of ``adds`` trials (the statement is taken out again between trials), since a
    few-second run varies by a tenth on a shared machine."""
    bench = _bench()
    workdir = Path(workdir)
    corpus, new = build_archive(bench, copies, workdir / f"archive{copies}")
    out = workdir / f"archive{copies}-out"
    scratch = workdir / f"archive{copies}-scratch"
    for folder in (out, scratch):
        shutil.rmtree(folder, ignore_errors=True)
    statements = len(list(corpus.rglob("*.txt")))
    full = run(bench, corpus, out)
    target = corpus / new.relative_to(new.parents[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    trials = []
    for trial in range(adds):
        if trial:  # take it out again (an incremental run of its own, not timed)
            shutil.move(target, new)
            run(bench, corpus, out)
        shutil.move(new, target)
        trials.append(run(bench, corpus, out))
    added = sorted(trials, key=lambda t: t["seconds"])[len(trials) // 2]  # the median
    noop = run(bench, corpus, out)
    fresh = run(bench, corpus, scratch)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {
        "statements": statements,
        "added": 1,
        "full_run_seconds": round(full["seconds"], 2),
        "add_one_seconds": round(added["seconds"], 2),
        "add_one_trials_seconds": [round(t["seconds"], 2) for t in trials],
        "ratio": round(added["seconds"] / full["seconds"], 4),
        "full_run_cpu_seconds": round(full["cpu_seconds"], 2),
        "add_one_cpu_seconds": round(added["cpu_seconds"], 2),
        "cpu_ratio": round(added["cpu_seconds"] / full["cpu_seconds"], 4),
        "noop_rerun_seconds": round(noop["seconds"], 2),
        "scratch_run_seconds": round(fresh["seconds"], 2),
        "scratch_run_cpu_seconds": round(fresh["cpu_seconds"], 2),
        "peak_rss_mb_full": round(full["peak_rss_mb"], 1),
        "peak_rss_mb_add_one": round(added["peak_rss_mb"], 1),
        "manifest_kb": round((out / "manifest.json").stat().st_size / 1024, 1),
        "documents": manifest["outputs"]["documents.parquet"]["rows"],
        **compare(out, scratch),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, action="append",
                    help="copies of the 5 samples (24 = 120 statements; repeatable)")
    ap.add_argument("--workdir", type=Path, default=HERE / "out" / "incremental")
    ap.add_argument("--adds", type=int, default=3,
                    help="add-one trials; the median is reported (default 3)")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    for copies in args.copies or [24]:
        print(json.dumps(measure_incremental(args.workdir, copies, args.adds)), flush=True)


if __name__ == "__main__":
    main()
