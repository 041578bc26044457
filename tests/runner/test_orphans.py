"""Dask workers die with their parent: a killed `claimflow run --engine dask` leaves no
worker process behind.

Starts a real run on a two-worker LocalCluster, kills it (SIGKILL or SIGTERM) once both
workers exist, and waits for them to exit. The local process pool's case is
tests/runner/test_commit.py::test_workers_die_with_a_killed_parent;
``benchmarks/kill_trials.py --mode processes,dask`` kills at random moments instead.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process model"),
]

START_TIMEOUT = 120.0  # generous: the machine may be busy; not a speed check
EXIT_TIMEOUT = 30.0


def _workers(psutil, pid: int) -> list:
    """The run's worker processes: multiprocessing children started by spawn."""
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []
    found = []
    for child in children:
        try:
            if "spawn_main" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


def _alive(psutil, procs: list) -> list[int]:
    alive = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p.pid)
        except psutil.Error:
            continue
    return alive


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_dask_run_leaves_no_worker_alive(sig, raw_dir, tmp_path):
    psutil = pytest.importorskip("psutil")
    pytest.importorskip("dask.distributed")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "claimflow", "run", str(raw_dir), "--out-dir", str(out),
           "--set", "classify.backend=linear", "--processes", "2", "--engine", "dask"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    try:
        deadline = time.monotonic() + START_TIMEOUT
        workers: list = []
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            workers = _workers(psutil, proc.pid)
            time.sleep(0.05)
        if len(workers) < 2:
            ended = proc.poll() is not None
            pytest.fail(f"two workers never started (exit code {proc.poll()}): "
                        + (proc.stderr.read().decode()[-2000:] if ended else "timeout"))
        time.sleep(0.5)  # let them get into loading models
        workers = _workers(psutil, proc.pid) or workers
        proc.send_signal(sig)
        proc.wait()
        assert proc.returncode == -sig
        deadline = time.monotonic() + EXIT_TIMEOUT
        while _alive(psutil, workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        orphans = _alive(psutil, workers)
        for pid in orphans:
            os.kill(pid, signal.SIGKILL)
        assert orphans == [], f"workers outlived their killed parent: {orphans}"
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stderr.close()
