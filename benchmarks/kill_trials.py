"""Kill trials: a claimflow command killed at a random moment leaves its output folder whole.

Each trial copies a previous committed result into a fresh output folder, starts a command
that rewrites it, and kills it (SIGKILL; SIGTERM in about one trial in four) after a random
delay spread over the length of an uninterrupted run, so kills land in every stage, in the
worker start-up and in the commit. Modes (``--mode``, run one after the other):

* ``stage``: one stage command (``ingest``, ``split``, ``tag`` or ``classify``) with
  ``--force`` over a finished folder;
* ``run``: the multi-stage ``claimflow run``, one process;
* ``processes``: ``claimflow run --processes 2``;
* ``dask``: ``claimflow run --engine dask --processes 2`` (a Dask LocalCluster; outputs are
  dataset folders).

Starting points (``--starts``, cycled): ``force`` re-runs the same raw folder with
``--force``; ``switch`` runs RAW over the finished result of another raw folder (RAW minus
its last file); ``fresh`` starts from an empty folder. After every kill the folder is checked
as a whole:

1. every parquet file (or dataset part) opens, matches its spec and reads in full;
2. ``manifest.json`` matches every output (``verify_folder``, the check every reader does);
3. ``claimflow stats OUT`` exits 0 and reports the row counts of the previous result or of
   the new one;
4. if the manifest is still the previous run's, the outputs are byte for byte the previous
   result; if it is a new run's, byte for byte an uninterrupted run of the new input;
5. no process of the killed run is alive ``--grace`` seconds after the kill: its
   descendants (watched until the kill), any process carrying the trial's environment
   marker, and any process whose command line names the output folder;
6. the next run (whichever input the folder now holds, without ``--force``: nothing to
   recompute) exits 0, leaves the outputs as they were and no staging folder or temp file.

Usage: python benchmarks/kill_trials.py [--mode stage,run,processes,dask] [--trials 20]
       [--starts force,switch] [--seed N] [--raw data/raw] [--copies 2] [--config TOML]
       [--grace 10] [--keep DIR]
``--trials`` is per mode. Prints one line per trial and a summary per mode; exit code 1 if
any trial failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
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
MODES = ("stage", "run", "processes", "dask")
STARTS = ("force", "switch")
STAGES = ("ingest", "split", "tag", "classify")
MARKER = "CLAIMFLOW_KILL_TRIAL"  # environment variable every process of a trial inherits
ENV = dict(os.environ)  # the subprocesses' environment (main() points it at a code snapshot)
ENV["COLUMNS"] = "200"  # `stats` tables unwrapped, for parsing


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


# --------------------------------------------------------------------------- commands
def engine_args(mode: str) -> list[str]:
    return {"processes": ["--processes", "2"],
            "dask": ["--engine", "dask", "--processes", "2"]}.get(mode, [])


def command(mode: str, raw: Path, out: Path, force: bool, stage: str = "") -> list[str]:
    """The claimflow command line of a trial (``stage``: which one in ``stage`` mode)."""
    base = [sys.executable, "-m", "claimflow"]
    tail = ["--config", str(CONFIG)] + (["--force"] if force else [])
    if mode != "stage":
        return [*base, "run", str(raw), "--out-dir", str(out), *tail, *engine_args(mode)]
    source, target = {
        "ingest": (raw, "documents.parquet"), "split": (out / "documents.parquet",
                                                        "sentences.parquet"),
        "tag": (out / "sentences.parquet", "entities.parquet"),
        "classify": (out / "sentences.parquet", "claims.parquet"),
    }[stage]
    return [*base, stage, str(source), "--out", str(out / target), *tail]


def start(cmd: list[str], marker: str = "") -> subprocess.Popen:
    env = {**ENV, MARKER: marker} if marker else ENV
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env)


def run_to_end(cmd: list[str], timeout: float = 900) -> float:
    t0 = time.perf_counter()
    proc = start(cmd)
    _, err = proc.communicate(timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[2:4])} failed ({proc.returncode}): "
                           f"{err.decode()[-1500:]}")
    return time.perf_counter() - t0


def claimflow_run(raw: Path, out: Path, force: bool = False,
                  processes: int = 1) -> subprocess.Popen:
    """``claimflow run RAW --out-dir OUT`` in a subprocess (kept for tests/runner/test_run.py)."""
    return start(command("processes" if processes > 1 else "run", raw, out, force))


# --------------------------------------------------------------------------- folder checks
def check_folder(out: Path) -> tuple[list[str], list[str], list[str]]:
    """(valid outputs, problems, leftover hidden temp files) of an output folder.

    Every parquet file or dataset folder must open, match its spec and read in full. The
    lock file is not a leftover (it stays, unlocked); staging folders and ``.NAME.PID.*``
    temporaries are."""
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


def digests(folder: Path) -> dict[str, str]:
    """sha256 of every output file, and of every part file of a dataset folder."""
    result = {}
    for path in sorted(folder.glob("*.parquet")):
        files = sorted(path.glob("part-*.parquet")) if path.is_dir() else [path]
        for f in files:
            result[str(f.relative_to(folder))] = hashlib.sha256(f.read_bytes()).hexdigest()
    return result


def same_files(out: Path, reference: Path) -> list[str]:
    """Names of outputs whose bytes differ from the reference run's (or are missing)."""
    mine, theirs = digests(out), digests(reference)
    return sorted({name.split("/")[0] for name in mine.keys() | theirs.keys()
                   if mine.get(name) != theirs.get(name)})


def run_id(folder: Path) -> str | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["run_id"]
    except (OSError, ValueError, KeyError):
        return None


def manifest_rows(folder: Path) -> dict[str, int]:
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return {name: entry["rows"] for name, entry in data["outputs"].items()}


_ROW = re.compile(r"([a-z_]+\.parquet)\s*\S\s*([\d,]+)\s*\S")


def stats_rows(out: Path) -> tuple[dict[str, int] | None, str]:
    """Row counts ``claimflow stats OUT`` reports, or (None, its error)."""
    proc = subprocess.run([sys.executable, "-m", "claimflow", "stats", str(out)], cwd=ROOT,
                          capture_output=True, text=True, env=ENV, timeout=300)
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        return None, lines[-1] if lines else f"exit code {proc.returncode}"
    return {m[1]: int(m[2].replace(",", "")) for m in _ROW.finditer(proc.stdout)}, ""


# --------------------------------------------------------------------------- processes
def _descendants(pid: int) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def trial_processes(marker: str, out: Path) -> list:
    """Live processes of a trial: those carrying its environment marker or naming its folder."""
    import psutil

    found, me = [], os.getpid()
    for proc in psutil.process_iter(["pid", "cmdline", "status"]):
        if proc.pid == me or proc.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        try:
            if (proc.environ().get(MARKER) == marker
                    or any(str(out) in arg for arg in proc.info["cmdline"] or ())):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def survivors(children: list, marker: str, out: Path,
              grace: float) -> tuple[list[int], float]:
    """Pids of a killed run's processes still alive ``grace`` s after the kill (killed
    then), and how long the last one that did die took."""
    import psutil

    t0 = time.perf_counter()
    last_death = 0.0
    while True:
        alive = {p.pid: p for p in trial_processes(marker, out)}
        for p in children:
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    alive[p.pid] = p
            except psutil.Error:
                pass
        elapsed = time.perf_counter() - t0
        if not alive or elapsed >= grace:
            break
        last_death = elapsed
        time.sleep(0.1)
    for p in alive.values():
        try:
            p.kill()
        except psutil.Error:
            pass
    return sorted(alive), (last_death + 0.1 if last_death else 0.0)


# --------------------------------------------------------------------------- trials
@dataclass
class TrialLog:
    trials: int = 0
    survived: int = 0
    killed: int = 0
    sigterm: int = 0
    previous_kept: int = 0   # killed before its commit: the previous result stayed whole
    new_committed: int = 0
    orphans: int = 0
    slowest_exit: float = 0.0  # s from the kill until the last process of the run was gone
    leftover_temps: int = 0
    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        self.lines.append(line)
        print(line, flush=True)

    def summary(self, mode: str) -> str:
        return (f"{mode}: survived {self.survived}/{self.trials}; killed mid-run "
                f"{self.killed} ({self.sigterm} by SIGTERM); previous result intact "
                f"{self.previous_kept}, new result committed {self.new_committed}; orphaned "
                f"processes {self.orphans} (slowest exit after the kill "
                f"{self.slowest_exit:.1f}s); temp files left after the next run "
                f"{self.leftover_temps}")


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


def corpus(raw: Path, work: Path, copies: int) -> Path:
    """RAW copied ``copies`` times, each copy's files ending with a distinct line (so ingest
    does not drop them as duplicates)."""
    if copies <= 1:
        return raw
    dest = work / "raw"
    for n in range(copies):
        for p in sorted(q for q in raw.rglob("*") if q.is_file()):
            target = dest / f"copy{n}" / p.relative_to(raw)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = p.read_bytes()
            if n and p.suffix in (".txt", ".md"):
                data += f"\n\nIssued as copy {n}.\n".encode()
            target.write_bytes(data)
    return dest


class References:
    """Uninterrupted runs of each (engine mode, raw folder), and how long they took."""

    def __init__(self, work: Path, raws: dict[str, Path]):
        self.work, self.raws = work, raws
        self.paths: dict[tuple[str, str], Path] = {}
        self.spans: dict[tuple[str, str], float] = {}

    def get(self, mode: str, which: str = "raw") -> Path:
        engine = "run" if mode == "stage" else mode
        key = (engine, which)
        if key not in self.paths:
            path = self.work / f"reference_{engine}_{which}"
            self.spans[key] = run_to_end(command(engine, self.raws[which], path, False))
            self.paths[key] = path
        return self.paths[key]

    def span(self, mode: str, which: str = "raw") -> float:
        self.get(mode, which)
        return self.spans[("run" if mode == "stage" else mode, which)]


def stage_spans(refs: References, raw: Path, work: Path) -> dict[str, float]:
    """How long each forced stage command takes over a finished folder."""
    spans = {}
    for stage in STAGES:
        out = work / f"span_{stage}"
        shutil.copytree(refs.get("stage"), out)
        spans[stage] = run_to_end(command("stage", raw, out, True, stage))
        shutil.rmtree(out)
    return spans


def watch_and_kill(proc: subprocess.Popen, delay: float,
                   sig: int) -> tuple[bool, list]:
    """Kill ``proc`` with ``sig`` after ``delay`` s unless it ends first; returns (killed,
    the descendants seen up to the kill)."""
    import psutil

    deadline = time.perf_counter() + delay
    seen: dict[int, psutil.Process] = {}
    while proc.poll() is None:
        for child in _descendants(proc.pid):
            seen.setdefault(child.pid, child)
        if time.perf_counter() >= deadline:
            os.kill(proc.pid, sig)
            proc.wait()
            proc.stderr.close()
            return True, list(seen.values())
        time.sleep(0.05)
    proc.stderr.close()
    return False, list(seen.values())


def mode_trials(mode: str, raw: Path, work: Path, trials: int, seed: int,
                starts: tuple[str, ...] = STARTS, grace: float = 10.0,
                sigterm_share: float = 0.25) -> TrialLog:
    """``trials`` kill trials of one ``mode``; see the module docstring."""
    rng = random.Random(f"{seed}-{mode}")
    work = work / mode
    work.mkdir(parents=True, exist_ok=True)
    raws = {"raw": raw, "other": other_raw(raw, work.parent)}
    refs = References(work.parent, raws)
    log = TrialLog()
    if mode == "stage":
        starts = ("force",)  # a stage over another input's result is not one result
        spans = stage_spans(refs, raw, work)
        log.add(f"{mode}: forced stage runs " + ", ".join(f"{s} {t:.1f}s"
                                                          for s, t in spans.items()))
    else:
        log.add(f"{mode}: uninterrupted run {refs.span(mode):.1f}s; seed {seed}")
    for n in range(1, trials + 1):
        begin = starts[(n - 1) % len(starts)]
        stage = STAGES[(n - 1) % len(STAGES)] if mode == "stage" else ""
        new_ref = refs.get(mode)
        previous = {"force": new_ref, "switch": refs.get(mode, "other")}.get(begin)
        out = work / f"trial{n:02d}"
        if previous is not None:
            shutil.copytree(previous, out)
        span = spans[stage] if stage else refs.span(mode)
        delay = rng.uniform(0.05, 1.0) * span
        sig = signal.SIGTERM if rng.random() < sigterm_share else signal.SIGKILL
        marker = f"{os.getpid()}-{mode}-{n}"
        cmd = command(mode, raw, out, begin == "force", stage)
        t0 = time.perf_counter()
        killed, children = watch_and_kill(start(cmd, marker), delay, sig)
        if not killed:  # the machine got faster: aim the next kills within this run time
            took = time.perf_counter() - t0
            if stage:
                spans[stage] = min(spans[stage], took)
            else:
                refs.spans[(mode, "raw")] = min(refs.spans[(mode, "raw")], took)
        problems: list[str] = []
        orphans, exit_time = survivors(children, marker, out, grace) if killed else ([], 0.0)
        if orphans:
            problems.append(f"processes alive {grace:.0f}s after the kill: {orphans}")
        valid, bad, temps = check_folder(out)
        problems += bad + check_manifest(out)
        committed = run_id(out)
        state = "nothing committed"
        holds = None  # which input's result the folder holds
        if previous is not None and committed == run_id(previous):
            holds, state = ("raw" if begin == "force" else "other"), "previous result intact"
            problems += [f"{name}: differs from the previous result"
                         for name in same_files(out, previous)]
        elif committed is not None:
            holds, state = "raw", "new result committed"
            problems += [f"{name}: differs from an uninterrupted run"
                         for name in same_files(out, new_ref)]
        elif previous is not None:
            problems.append("the previous manifest is gone")
        rows, error = stats_rows(out)
        if rows is None:
            problems.append(f"claimflow stats failed: {error}")
        elif holds is not None:
            expected = manifest_rows(refs.get(mode, holds))
            if rows != expected:
                problems.append(f"stats reports rows {rows}, expected {expected}")
        if holds is not None:  # the next run: nothing to recompute, leftovers removed
            try:
                run_to_end(command(mode, raws[holds], out, False, stage))
            except RuntimeError as exc:
                problems.append(f"next run: {exc}")
            problems += [f"{name}: changed by the next run"
                         for name in same_files(out, refs.get(mode, holds))]
            left = check_folder(out)[2]
            log.leftover_temps += len(left)
            if left:
                problems.append(f"left after the next run: {', '.join(left)}")
        log.trials += 1
        log.killed += killed
        log.sigterm += killed and sig == signal.SIGTERM
        log.previous_kept += killed and state == "previous result intact"
        log.new_committed += state == "new result committed"
        log.orphans += len(orphans)
        log.slowest_exit = max(log.slowest_exit, exit_time)
        log.survived += not problems
        what = (f"{signal.Signals(sig).name} at {delay:.1f}s" if killed
                else f"finished before the kill ({time.perf_counter() - t0:.1f}s)")
        label = f"{mode}{'/' + stage if stage else ''}, {begin}"
        log.add(f"trial {n:2d} ({label}): {what}; {state}; valid: {len(valid)} outputs; "
                f"temp files after the kill: {len(temps)}; last process gone after "
                f"{exit_time:.1f}s; {'OK' if not problems else 'FAIL: ' + '; '.join(problems)}")
        shutil.rmtree(out, ignore_errors=True)
    log.add(log.summary(mode))
    return log


def kill_trials(raw: Path, work: Path, trials: int, seed: int, reference: Path | None = None,
                resume_each: bool = False, span: float | None = None) -> TrialLog:
    """Short version for the test suite: ``trials`` one-process ``claimflow run`` share one
    output folder ``work/shared``, each killed run starting from what the previous one left
    (``--force`` once the folder is complete); the caller checks a final uninterrupted run
    against ``reference``. ``resume_each`` is accepted for compatibility and ignored."""
    rng = random.Random(seed)
    work.mkdir(parents=True, exist_ok=True)
    log = TrialLog()
    if reference is None or span is None:
        reference = reference or work / "reference"
        span = run_to_end(command("run", raw, reference, False))
    out = work / "shared"
    for n in range(1, trials + 1):
        force = len(check_folder(out)[0]) == len(OUTPUT_KINDS)
        delay = rng.uniform(0.3, 1.05) * span
        marker = f"{os.getpid()}-shared-{n}"
        killed, children = watch_and_kill(start(command("run", raw, out, force), marker),
                                          delay, signal.SIGKILL)
        orphans = survivors(children, marker, out, 15.0)[0] if killed else []
        valid, problems, temps = check_folder(out)
        problems += check_manifest(out)
        if orphans:
            problems.append(f"orphaned processes {orphans}")
        log.trials += 1
        log.killed += killed
        log.orphans += len(orphans)
        log.survived += not problems
        log.add(f"trial {n:2d} (shared): {'--force, ' if force else ''}"
                f"{f'killed at {delay:.1f}s' if killed else 'finished before the kill'}; "
                f"valid: {', '.join(valid) or 'none'}; temp files: {len(temps)}; "
                f"{'OK' if not problems else 'FAIL: ' + '; '.join(problems)}")
    return log


def main() -> int:
    global CONFIG
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", default=",".join(MODES),
                        help=f"comma-separated modes, run one after the other "
                             f"(default {','.join(MODES)})")
    parser.add_argument("--trials", type=int, default=20, help="trials per mode")
    parser.add_argument("--starts", default=",".join(STARTS),
                        help="comma-separated starting points to cycle: force, switch, fresh")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--copies", type=int, default=2,
                        help="copies of RAW in the trial corpus (default 2)")
    parser.add_argument("--grace", type=float, default=10.0,
                        help="seconds the killed run's processes get to exit (default 10)")
    parser.add_argument("--keep", type=Path, default=None, help="work folder to keep")
    parser.add_argument("--config", type=Path, default=CONFIG,
                        help="settings of every run (default pipelines/default.toml)")
    args = parser.parse_args()
    CONFIG = args.config.resolve()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    modes = [m for m in args.mode.split(",") if m]
    starts = tuple(s for s in args.starts.split(",") if s)
    unknown = [m for m in modes if m not in MODES] + [
        s for s in starts if s not in (*STARTS, "fresh")]
    if unknown:
        parser.error(f"unknown mode or start: {', '.join(unknown)}")
    work = args.keep or Path(tempfile.mkdtemp(prefix="claimflow-kill-"))
    logs = {}
    try:
        freeze_code(work)
        raw = corpus(args.raw.resolve(), work, args.copies)
        for mode in modes:
            logs[mode] = mode_trials(mode, raw, work, args.trials, seed, starts, args.grace)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"seed {seed}, config {CONFIG.name}, corpus {args.copies}x {args.raw.name}")
    for mode, log in logs.items():
        print(log.summary(mode))
    return 0 if all(log.survived == log.trials for log in logs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
