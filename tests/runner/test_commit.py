"""An output folder is one consistent, locked, verifiable result — whatever happens.

Each test reproduces one way the folder used to end up mixed or stale: two runs writing one
folder, a killed or failed run leaving new files beside old ones, a replaced or deleted
input going unnoticed, temporary files outliving a no-op run, and worker processes
outliving a killed ``--processes 2`` run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from fixtures_outputs import fixture_frames
from typer.testing import CliRunner

from claimflow.cli import app
from claimflow.contract.parquet import read_table, write_table
from claimflow.contract.schemas import CLAIMS, DOCUMENTS, ENTITIES, SENTENCES, SPECS, TOKENS

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = "manifest.json"
runner = CliRunner()
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and flock")
LINEAR = ["--set", "classify.backend=linear"]

# the inputs each output is computed from, as a run records them
_LINEAGE = {
    "documents": ["raw"], "ingest_report": ["raw"], "sentences": ["documents"],
    "entities": ["sentences", "documents"], "tokens": ["sentences", "documents"],
    "claims": ["sentences", "entities", "tokens", "documents"],
}
_ORDER = ("documents", "ingest_report", "sentences", "entities", "tokens", "claims")


def commit_frames(folder: Path, frames: dict[str, pd.DataFrame]) -> Path:
    """Write ``frames`` into ``folder`` as one committed result (as a run would)."""
    from claimflow.contract.manifest import content_hash, transaction

    with transaction(folder, {"claimflow_version": "test"}) as txn:
        hashes = {"raw": "r" * 32}
        for kind in _ORDER:
            if kind not in frames:
                continue
            spec = SPECS[kind]
            write_table(frames[kind], txn.staged(spec.filename), spec, f"fp-{kind}")
            hashes[kind] = content_hash(txn.staged(spec.filename))
            inputs = {SPECS[k].filename if k != "raw" else k: hashes[k]
                      for k in _LINEAGE[kind] if k in hashes}
            txn.record(spec.filename, kind, f"fp-{kind}", inputs)
        txn.commit()
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def one_line(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture
def committed(tmp_path) -> Path:
    return commit_frames(tmp_path / "out", fixture_frames())


def _fewer_claims() -> pd.DataFrame:
    return fixture_frames()["claims"].iloc[:-2]


# ----------------------------------------------------------------------------- readers
@pytest.mark.parametrize("command", ["show", "stats", "report"])
def test_readers_refuse_a_file_that_does_not_match_the_manifest(committed, tmp_path, command):
    before = runner.invoke(app, [command, str(committed), *(["-o", str(tmp_path / "r.html")]
                                                           if command == "report" else [])])
    assert before.exit_code == 0, before.output
    write_table(_fewer_claims(), committed / CLAIMS.filename, CLAIMS)  # another run's claims
    args = [command, str(committed)]
    if command == "report":
        args += ["-o", str(tmp_path / "r2.html")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    msg = one_line(result)
    assert "claims.parquet does not match manifest.json" in msg and "re-run" in msg
    assert "Traceback" not in result.output


def test_new_documents_beside_old_claims_are_refused_not_mixed(committed):
    """What an interrupted run of the old code left: new upstream files, old downstream."""
    frames = fixture_frames()
    write_table(frames["documents"].iloc[:2], committed / DOCUMENTS.filename, DOCUMENTS)
    write_table(frames["sentences"].iloc[:5], committed / SENTENCES.filename, SENTENCES)
    result = runner.invoke(app, ["stats", str(committed)])
    assert result.exit_code == 1
    assert "documents.parquet does not match manifest.json" in one_line(result)


def test_an_output_computed_from_another_input_is_named_stale(committed):
    """A stage re-run alone updates its output and the manifest; what was computed from its
    old output is now stale, and readers say which file."""
    from claimflow.contract.manifest import content_hash, transaction

    with transaction(committed, {}) as txn:
        sents = fixture_frames()["sentences"].iloc[:-1]
        write_table(sents, txn.staged(SENTENCES.filename), SENTENCES, "fp-other")
        txn.record(SENTENCES.filename, "sentences", "fp-other",
                   {"documents.parquet": content_hash(committed / DOCUMENTS.filename)})
        txn.commit()
    result = runner.invoke(app, ["show", str(committed)])
    assert result.exit_code == 1
    assert ("is stale: it was computed from another sentences.parquet"
            in one_line(result))


def test_a_file_not_in_the_manifest_is_refused(tmp_path):
    frames = fixture_frames()
    out = commit_frames(tmp_path / "out", {k: frames[k] for k in ("documents", "claims")})
    write_table(frames["sentences"], out / SENTENCES.filename, SENTENCES)
    result = runner.invoke(app, ["stats", str(out)])
    assert result.exit_code == 1
    assert "sentences.parquet is not in manifest.json" in one_line(result)


def test_manifest_lists_every_output_with_hash_rows_and_inputs(committed):
    from claimflow.contract.manifest import content_hash, read_manifest

    manifest = read_manifest(committed)
    assert manifest["run_id"] and set(manifest["outputs"]) == {
        s.filename for s in SPECS.values()}
    claims = manifest["outputs"][CLAIMS.filename]
    assert claims["sha256"] == content_hash(committed / CLAIMS.filename)
    assert claims["rows"] == len(fixture_frames()["claims"])
    assert set(claims["inputs"]) == {"sentences.parquet", "entities.parquet", "tokens.parquet",
                                     "documents.parquet"}


# ----------------------------------------------------------------------------- single stages
def test_stage_refuses_a_replaced_input_and_a_deleted_one(committed, tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    write_table(fixture_frames()["documents"].iloc[:1], foreign / DOCUMENTS.filename, DOCUMENTS)
    shutil.copy(foreign / DOCUMENTS.filename, committed / DOCUMENTS.filename)
    sents = str(committed / SENTENCES.filename)
    for stage, args in (("split", [str(committed / DOCUMENTS.filename)]), ("tag", [sents]),
                        ("classify", [sents])):
        out = committed / {"split": "sentences", "tag": "entities", "classify": "claims"}[stage]
        result = runner.invoke(app, [stage, *args, "-o", f"{out}.parquet"])
        assert result.exit_code == 1, (stage, result.output)
        assert "documents.parquet does not match manifest.json" in one_line(result), stage
    (committed / DOCUMENTS.filename).unlink()
    result = runner.invoke(app, ["tag", sents, "-o", str(committed / ENTITIES.filename)])
    assert result.exit_code == 1 and "documents.parquet" in one_line(result)
    assert "no such file" in one_line(result)


# ----------------------------------------------------------------------------- the lock
def _hold_lock(folder: Path, seconds: float) -> subprocess.Popen:
    code = textwrap.dedent(f"""
        import sys, time
        from claimflow.contract.lock import folder_lock
        with folder_lock({str(folder)!r}):
            print("locked", flush=True)
            time.sleep({seconds})
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


@POSIX
def test_a_second_writer_fails_at_once_naming_the_holder(committed):
    holder = _hold_lock(committed, 30)
    try:
        before = snapshot(committed)
        t0 = time.monotonic()
        result = runner.invoke(app, ["split", str(committed / DOCUMENTS.filename),
                                     "-o", str(committed / SENTENCES.filename), "--force"])
        assert time.monotonic() - t0 < 10
        msg = one_line(result)
        assert result.exit_code == 1, result.output
        assert f"pid {holder.pid}" in msg and "in use by another claimflow run" in msg
        assert "--wait" in msg
        assert snapshot(committed) == before
    finally:
        holder.kill()
        holder.wait()


@POSIX
def test_wait_blocks_until_the_holder_is_done(tmp_path):
    from claimflow.contract.lock import folder_lock

    released = threading.Event()

    def hold():
        with folder_lock(tmp_path):
            ready.set()
            time.sleep(0.8)
            released.set()

    ready = threading.Event()
    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait(5)
    with folder_lock(tmp_path, wait=True) as info:
        assert released.is_set() and info["pid"] == os.getpid()
    thread.join()


# ----------------------------------------------------------------------------- kills
_KILL_SCRIPT = """
import os, signal, sys
from pathlib import Path
import claimflow.contract.manifest as manifest
from claimflow.contract.parquet import write_table
from claimflow.contract.schemas import SPECS
sys.path.insert(0, {tests!r})
from fixtures_outputs import fixture_frames

folder, when = Path({folder!r}), {when!r}
frames = fixture_frames()
renames = 0
real_replace = os.replace

def replace(src, dst):
    global renames
    real_replace(src, dst)
    if Path(dst).parent == folder and Path(dst).name.endswith(".parquet"):
        renames += 1
        if when == "mid-commit" and renames == 1:
            os.kill(os.getpid(), signal.SIGKILL)

manifest.os.replace = replace
ids = set(frames["documents"]["doc_id"].iloc[:2])
hashes = {{"raw": "new"}}
lineage = {lineage!r}
with manifest.transaction(folder, {{}}) as txn:
    for kind in {order!r}:
        spec = SPECS[kind]
        df = frames[kind]
        df = df[df["doc_id"].isin(ids)] if kind != "ingest_report" else df
        write_table(df, txn.staged(spec.filename), spec, "new")
        hashes[kind] = manifest.content_hash(txn.staged(spec.filename))
        txn.record(spec.filename, kind, "new",
                   {{SPECS[k].filename if k != "raw" else k: hashes[k] for k in lineage[kind]}})
    if when == "before-commit":
        os.kill(os.getpid(), signal.SIGKILL)
    txn.commit()
"""


def _killed_writer(folder: Path, when: str) -> None:
    code = _KILL_SCRIPT.format(tests=str(ROOT / "tests"), folder=str(folder), when=when,
                               lineage=_LINEAGE, order=_ORDER)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr


@POSIX
def test_a_writer_killed_before_its_commit_leaves_the_previous_result(committed):
    before = snapshot(committed)
    _killed_writer(committed, "before-commit")
    assert snapshot(committed) == before
    frames = runner.invoke(app, ["stats", str(committed)])
    assert frames.exit_code == 0, frames.output
    from claimflow.outputs.views import load_outputs

    assert len(load_outputs(committed)["documents"]) == len(fixture_frames()["documents"])


@POSIX
def test_a_writer_killed_during_its_commit_is_completed_by_the_next_reader(committed):
    from claimflow.contract.manifest import read_manifest

    _killed_writer(committed, "mid-commit")
    assert list(committed.glob(".claimflow-commit.*"))  # half published
    from claimflow.outputs.views import load_outputs

    frames = load_outputs(committed)  # rolls the decided commit forward, then reads
    assert len(frames["documents"]) == 2
    assert set(frames["claims"]["doc_id"]) <= set(frames["documents"]["doc_id"])
    assert not list(committed.glob(".claimflow-*"))
    manifest = read_manifest(committed)
    assert manifest["outputs"][DOCUMENTS.filename]["rows"] == 2


def test_a_failed_writer_publishes_nothing(committed):
    from claimflow.contract.manifest import transaction

    before = snapshot(committed)
    with pytest.raises(RuntimeError), transaction(committed, {}) as txn:
        write_table(_fewer_claims(), txn.staged(CLAIMS.filename), CLAIMS)
        txn.record(CLAIMS.filename, "claims", "x", {})
        raise RuntimeError("stage failed")
    assert snapshot(committed) == before
    assert not [p for p in committed.iterdir() if p.name.startswith(".claimflow-")]


# ----------------------------------------------------------------------------- temp files
def test_leftovers_of_killed_writers_are_removed_by_the_next_writer(committed):
    leftovers = [committed / f".{CLAIMS.filename}.{os.getpid()}.abc.tmp",
                 committed / f".{TOKENS.filename}.999999999.abc.tmp",
                 committed / f".{MANIFEST}.123.tmp"]
    for p in leftovers:
        p.write_bytes(b"partial")
    from claimflow.contract.manifest import transaction

    (committed / ".claimflow-txn.deadbeef").mkdir()
    (committed / ".claimflow-txn.deadbeef" / CLAIMS.filename).write_bytes(b"partial")
    with transaction(committed, {}) as txn:
        txn.commit()  # a writer with nothing to write (every stage up to date)
    assert not [p.name for p in committed.iterdir()
                if p.name.startswith(".") and p.name != ".claimflow.lock"]


# ============================================================================ whole runs
@pytest.fixture(scope="module")
def tiny_raw(tmp_path_factory, raw_dir) -> dict[str, Path]:
    """Two raw folders: ``a`` with two statements, ``b`` with one other statement."""
    root = tmp_path_factory.mktemp("tiny_raw")
    names = sorted(p.name for p in raw_dir.glob("*.txt"))
    for folder, picks in (("a", names[:2]), ("b", names[2:3])):
        (root / folder).mkdir()
        for name in picks:
            shutil.copy(raw_dir / name, root / folder / name)
    return {"a": root / "a", "b": root / "b"}


def _cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimflow", *args], capture_output=True,
                          text=True, cwd=ROOT, **kw)


@pytest.fixture(scope="module")
def tiny_run(tiny_raw, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiny_run") / "out"
    result = runner.invoke(app, ["run", str(tiny_raw["a"]), "-o", str(out), *LINEAR],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
@POSIX
def test_concurrent_runs_on_one_folder_second_is_refused(tiny_raw, raw_dir, tmp_path):
    out = tmp_path / "out"
    big = subprocess.Popen([sys.executable, "-m", "claimflow", "run", str(raw_dir), "-o",
                            str(out), *LINEAR], cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (out / ".claimflow.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        small = _cli("run", str(tiny_raw["b"]), "-o", str(out), *LINEAR)
        big_err = big.communicate(timeout=600)[1]
    finally:
        big.kill()
    assert big.returncode == 0, big_err
    assert small.returncode == 1, small.stderr
    assert f"pid {big.pid}" in " ".join(small.stderr.split())
    from claimflow.outputs.views import load_outputs

    frames = load_outputs(out)  # one verified result: the big run's, whole
    assert len(frames["documents"]) == len(list(raw_dir.glob("*.*")))
    assert set(frames["sentences"]["doc_id"]) == set(frames["documents"]["doc_id"])


_KILL_IN_CLASSIFY = """
import os, signal, sys
import claimflow.stages.classify as classify
def die(*a, **k):
    os.kill(os.getpid(), signal.SIGKILL)
classify.classify_sentences = die
from claimflow.cli import app
sys.argv = ["claimflow", *sys.argv[1:]]
app()
"""


@pytest.mark.slow
@POSIX
def test_a_run_killed_in_its_last_stage_leaves_the_previous_result(tiny_run, tiny_raw,
                                                                   tmp_path):
    out = tmp_path / "out"
    shutil.copytree(tiny_run, out)
    before = snapshot(out)
    proc = subprocess.run([sys.executable, "-c", _KILL_IN_CLASSIFY, "run", str(tiny_raw["b"]),
                           "-o", str(out), *LINEAR], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    # ingest, split and tag of the new raw folder ran; nothing of them may show
    assert snapshot(out) == before
    stats = _cli("stats", str(out))
    assert stats.returncode == 0, stats.stderr
    # the next run cleans the staging folder up and commits the new result whole
    again = _cli("run", str(tiny_raw["b"]), "-o", str(out), *LINEAR)
    assert again.returncode == 0, again.stderr
    assert not [p for p in out.iterdir() if p.name.startswith(".claimflow-")]
    from claimflow.outputs.views import load_outputs

    docs = load_outputs(out)["documents"]
    assert len(docs) == 1


@pytest.mark.slow
def test_a_failed_run_leaves_the_previous_result(tiny_run, tiny_raw, tmp_path, monkeypatch):
    import claimflow.stages.classify as classify
    from claimflow.errors import ClaimflowError

    out = tmp_path / "out"
    shutil.copytree(tiny_run, out)
    before = snapshot(out)

    def fail(*_a, **_k):
        raise ClaimflowError("classifier broke")

    monkeypatch.setattr(classify, "classify_sentences", fail)
    result = runner.invoke(app, ["run", str(tiny_raw["b"]), "-o", str(out), *LINEAR])
    assert result.exit_code == 1 and "classifier broke" in result.output
    assert snapshot(out) == before
    assert runner.invoke(app, ["show", str(out)]).exit_code == 0


@pytest.mark.slow
def test_replaced_or_deleted_input_is_detected(sample_run, tiny_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(sample_run, out)
    shutil.copy(tiny_run / DOCUMENTS.filename, out / DOCUMENTS.filename)  # a foreign one
    sents, ents = str(out / SENTENCES.filename), str(out / ENTITIES.filename)
    tag = runner.invoke(app, ["tag", sents, "-o", ents])
    assert tag.exit_code == 1 and "up to date" not in tag.output
    assert "documents.parquet does not match manifest.json" in one_line(tag)
    (out / DOCUMENTS.filename).unlink()
    tag = runner.invoke(app, ["tag", sents, "-o", ents])
    assert tag.exit_code == 1 and "up to date" not in tag.output
    assert "documents.parquet" in one_line(tag)


@pytest.mark.slow
def test_run_recomputes_a_replaced_input_and_ends_consistent(sample_run, tiny_run, raw_dir,
                                                             tmp_path):
    out = tmp_path / "out"
    shutil.copytree(sample_run, out)
    reference = snapshot(sample_run)
    shutil.copy(tiny_run / DOCUMENTS.filename, out / DOCUMENTS.filename)
    result = runner.invoke(app, ["run", str(raw_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    for name, data in reference.items():
        if name.endswith(".parquet"):
            assert (out / name).read_bytes() == data, name
    from claimflow.outputs.views import load_outputs

    assert len(load_outputs(out)["documents"]) == len(read_table(
        sample_run / DOCUMENTS.filename, DOCUMENTS))


@pytest.mark.slow
def test_temp_files_are_removed_by_a_run_with_every_stage_up_to_date(sample_run, raw_dir,
                                                                     tmp_path):
    out = tmp_path / "out"
    shutil.copytree(sample_run, out)
    temps = [out / f".{CLAIMS.filename}.999999999.x.tmp", out / f".{TOKENS.filename}.1.y.tmp"]
    for p in temps:
        p.write_bytes(b"partial")
    result = runner.invoke(app, ["run", str(raw_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert not [p for p in temps if p.exists()]


@pytest.mark.slow
@POSIX
def test_workers_die_with_a_killed_parent(tiny_raw, tmp_path):
    psutil = pytest.importorskip("psutil")
    proc = subprocess.Popen([sys.executable, "-m", "claimflow", "run", str(tiny_raw["a"]),
                             "-o", str(tmp_path / "out"), "--processes", "2", *LINEAR],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(proc.pid)
    workers: list = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        workers = [c for c in parent.children(recursive=True)
                   if "resource_tracker" not in " ".join(c.cmdline())]
        if len(workers) >= 2:
            break
        time.sleep(0.1)
    assert len(workers) >= 2, "the run never started its workers"
    time.sleep(1.0)  # the workers are loading their models now
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(workers, timeout=15)
    for p in alive:  # do not leak them into the rest of the session
        p.kill()
    assert not alive, f"orphaned workers: {[p.pid for p in alive]}"
