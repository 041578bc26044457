"""SIGKILL trials: ``claimflow run`` killed at random moments leaves its output folder whole.

Each trial starts ``claimflow run RAW --out-dir OUT`` (one process, or ``--processes 2``) in a
subprocess and kills it with SIGKILL after a random delay spread over the length of an
uninterrupted run, so kills land in every stage and in the commit. Three starting points:

* ``fresh``: an empty folder — after the kill it holds nothing or the whole new result;
* ``force``: a finished folder re-run with ``--force``;
* ``switch``: the finished result of another raw folder (RAW minus its last file), run on
  RAW — after the kill the folder holds exactly the previous result or exactly the new one.

After every kill the folder is checked as a whole: every parquet file opens, matches its
spec and reads in full; ``manifest.json`` matches every file (a commit the kill cut short is
completed first, as any reader does); the outputs are byte-identical to the previous result
or to an uninterrupted run of the new one, never a mix; and no worker process outlives its
killed parent. Then an uninterrupted run must complete and give files byte-identical to a
reference run.

Usage: python benchmarks/kill_trials.py [--trials 20] [--processes 1,2] [--seed N]
       [--modes fresh,force,switch] [--raw data/raw] [--config TOML] [--keep DIR]
Prints one line per trial and the counts; exit code 1 if any trial failed.
"""

from __future__ import annotations

import argparse
import itertools
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
LOCK = ".claimflow.lock"
MANIFEST = "manifest.json"
MODES = ("fresh", "force", "switch")
ENV = dict(os.environ)  # the subprocesses' environment (main() points it at a code snapshot)


def freeze_code(work: Path) -> Path:
    """Copy claimflow's source into ``work`` and run every trial from that copy: edits made to
    the working tree while the trials run would change the fingerprints (and maybe rows) and
    make the final runs differ from the reference for reasons that have nothing to do with
    the kills."""
    dest = work / "src"
    shutil.copytree(ROOT / "src" / "claimflow", dest / "claimflow",
                    ignore=shutil.ignore_patterns("__pycache__"))
    ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(dest), ENV.get("PYTHONPATH")]))
    return dest


def claimflow_run(raw: Path, out: Path, force: bool = False,
                  processes: int = 1) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "claimflow", "run", str(raw), "--out-dir", str(out),
           "--config", str(CONFIG)]
    if force:
        cmd.append("--force")
    if processes > 1:
        cmd += ["--processes", str(processes)]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=ENV)


def run_to_end(raw: Path, out: Path, force: bool = False, timeout: float = 900,
               processes: int = 1) -> float:
    t0 = time.perf_counter()
    proc = claimflow_run(raw, out, force, processes)
    _, err = proc.communicate(timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"claimflow run failed ({proc.returncode}): {err.decode()[-2000:]}")
    return time.perf_counter() - t0


def check_folder(out: Path) -> tuple[list[str], list[str], list[str]]:
    """(valid outputs, problems, leftover hidden temp files) of an output folder after a kill.

    Every parquet file must open, match its spec and read in full. The lock file is not a
    leftover (it stays, unlocked); staging folders and ``.NAME.PID.*.tmp`` files are."""
    from claimflow.contract.parquet import check_file
    from claimflow.contract.schemas import SPECS
    from claimflow.errors import SchemaError

    by_name = {spec.filename: spec for spec in SPECS.values()}
    valid, problems, temps = [], [], []
    if not out.exists():
        return valid, problems, temps
    for path in sorted(out.iterdir()):
        if path.name == LOCK or path.name == MANIFEST:
            continue
        if path.name.startswith("."):
            temps.append(path.name)  # staging folder or temp file: never read by claimflow
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


def check_manifest(out: Path) -> list[str]:
    """Problems of the folder as a whole: files that do not match ``manifest.json`` (after
    completing a commit the kill interrupted, as every reader does), or outputs without one."""
    from claimflow.contract.manifest import verify_folder
    from claimflow.errors import ClaimflowError

    if not out.exists():
        return []
    try:
        manifest = verify_folder(out)
    except ClaimflowError as exc:
        return [f"manifest: {exc}"]
    outputs = [n for n in os.listdir(out) if n.endswith(".parquet")]
    if manifest is None and outputs:
        return [f"manifest: missing beside {', '.join(sorted(outputs))}"]
    return []


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


def _children(pid: int) -> list:
    try:
        import psutil
    except ImportError:  # no orphan check without psutil
        return []
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def orphans_after(children: list, timeout: float = 15.0) -> list[int]:
    """Pids of a killed run's descendants still alive after ``timeout`` (killed then)."""
    if not children:
        return []
    import psutil

    _, alive = psutil.wait_procs(children, timeout=timeout)
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass
    return [p.pid for p in alive]


@dataclass
class TrialLog:
    trials: int = 0
    survived: int = 0
    killed: int = 0
    previous_kept: int = 0   # killed with a previous result in place, which stayed whole
    orphans: int = 0
    lines: list[str] = field(default_factory=list)
    leftover_temps: int = 0

    def add(self, line: str) -> None:
        self.lines.append(line)
        print(line, flush=True)


def other_raw(raw: Path, work: Path) -> Path:
    """A second raw folder for ``switch`` trials: RAW without its last file (or, with one
    file, that file with a sentence added)."""
    files = sorted(p for p in raw.rglob("*") if p.is_file())
    dest = work / "raw_other"
    if dest.exists():
        return dest
    dest.mkdir(parents=True)
    keep = files[:-1] if len(files) > 1 else files
    for p in keep:
        target = dest / p.relative_to(raw)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(p, target)
    if len(files) == 1:
        with open(dest / files[0].relative_to(raw), "a", encoding="utf-8") as fh:
            fh.write("\nThe ministry rejects these claims.\n")
    return dest


def kill_trials(
    raw: Path, work: Path, trials: int, seed: int, reference: Path | None = None,
    resume_each: bool = True, span: float | None = None, processes: tuple[int, ...] = (1,),
    modes: tuple[str, ...] = MODES,
) -> TrialLog:
    """Run ``trials`` kill trials in ``work``; see the module docstring.

    Trials cycle through ``processes`` x ``modes``. With ``resume_each`` False (quicker, for
    the test suite), trials share one output folder ``work/shared`` with one process: each
    killed run starts from what the previous one left (with ``--force`` once the folder is
    complete), and the caller checks the final, uninterrupted run.
    """
    rng = random.Random(seed)
    work.mkdir(parents=True, exist_ok=True)
    log = TrialLog()
    refs: dict[tuple[str, int], Path] = {}
    spans: dict[int, float] = {}

    def ref(which: str, procs: int) -> Path:
        """An uninterrupted run of ``which`` raw folder with ``procs`` processes."""
        if reference is not None and which == "raw" and procs == 1:
            return reference
        if (which, procs) not in refs:
            path = work / f"reference_{which}_{procs}"
            src = raw if which == "raw" else other_raw(raw, work)
            t = run_to_end(src, path, processes=procs)
            if which == "raw":
                spans[procs] = t
            refs[(which, procs)] = path
        return refs[(which, procs)]

    if reference is None or not resume_each:
        ref("raw", 1)
    schedule = list(itertools.product(processes, modes)) if resume_each else [(1, "")]
    for procs in (processes if resume_each else ()):
        ref("raw", procs)
    base = span or spans.get(1) or 8.0
    log.add(f"uninterrupted run: {base:.1f}s"
            + "".join(f", {p} processes {spans[p]:.1f}s" for p in spans if p != 1)
            + f"; seed {seed}")
    shared = work / "shared"
    for n in range(1, trials + 1):
        procs, mode = schedule[(n - 1) % len(schedule)]
        previous: Path | None = None
        if resume_each:
            out = work / f"trial{n:02d}"
            force = mode == "force"
            if mode == "force":
                previous = ref("raw", procs)
            elif mode == "switch":
                previous = ref("other", 1)
            if previous is not None:
                shutil.copytree(previous, out)
        else:
            out = shared
            force = len(check_folder(out)[0]) == len(OUTPUT_KINDS)
        delay = rng.uniform(0.3, 1.05) * (span or spans.get(procs) or base)
        t0 = time.perf_counter()
        proc = claimflow_run(raw, out, force, procs)
        children: list = []
        deadline = t0 + delay
        killed = False
        while True:  # watch the run's children until the kill, to check them after it
            if proc.poll() is not None:
                break
            if time.perf_counter() >= deadline:
                children = _children(proc.pid) or children
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                killed = True
                break
            children = _children(proc.pid) or children
            time.sleep(0.1)
        what = (f"killed at {delay:.1f}s" if killed
                else f"finished before the kill ({time.perf_counter() - t0:.1f}s)")
        proc.stderr.close()
        orphans = orphans_after(children) if killed else []
        valid, problems, temps = check_folder(out)
        problems += check_manifest(out)
        if orphans:
            problems.append(f"orphaned worker processes {orphans}")
        state = ""
        if resume_each:
            new = ref("raw", procs)
            if previous is not None and not same_files(out, previous):
                state = "previous result intact"
            elif not same_files(out, new):
                state = "new result committed"
            elif not valid:
                state = "nothing committed"
            else:
                problems.append("outputs are neither the previous result nor the new one: "
                                f"differ from previous in {same_files(out, previous or new)}, "
                                f"from new in {same_files(out, new)}")
            if killed and previous is not None and state == "previous result intact":
                log.previous_kept += 1
            try:
                run_to_end(raw, out, processes=procs)
            except RuntimeError as exc:
                problems.append(f"next run: {exc}")
            problems += [f"{name}: differs from an uninterrupted run"
                         for name in same_files(out, new)]
            log.leftover_temps += len(check_folder(out)[2])
        log.trials += 1
        log.killed += killed
        log.orphans += len(orphans)
        log.survived += not problems
        label = f"{mode or 'shared'}, {procs} proc{'s' if procs > 1 else ''}"
        log.add(
            f"trial {n:2d} ({label}): {'--force, ' if force else ''}{what}; "
            f"{state + '; ' if state else ''}valid after the kill: {', '.join(valid) or 'none'};"
            f" temp files: {len(temps)}; {'OK' if not problems else 'FAIL: ' + '; '.join(problems)}"
        )
    return log


def main() -> int:
    global CONFIG
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--processes", default="1,2",
                        help="comma-separated worker counts to cycle through (default 1,2)")
    parser.add_argument("--modes", default=",".join(MODES),
                        help=f"comma-separated starting points (default {','.join(MODES)})")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--keep", type=Path, default=None, help="work folder to keep")
    parser.add_argument("--config", type=Path, default=CONFIG,
                        help="settings of every run (default pipelines/default.toml)")
    args = parser.parse_args()
    CONFIG = args.config.resolve()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    work = args.keep or Path(tempfile.mkdtemp(prefix="claimflow-kill-"))
    processes = tuple(int(p) for p in args.processes.split(","))
    modes = tuple(m for m in args.modes.split(",") if m)
    try:
        freeze_code(work)
        log = kill_trials(args.raw.resolve(), work, args.trials, seed, processes=processes,
                          modes=modes)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"kill trials survived: {log.survived}/{log.trials} (seed {seed}); killed mid-run: "
          f"{log.killed}; previous result intact after the kill: {log.previous_kept}; "
          f"orphaned workers: {log.orphans}; hidden temp files left behind after the next "
          f"run: {log.leftover_temps}")
    return 0 if log.survived == log.trials else 1


if __name__ == "__main__":
    sys.exit(main())
