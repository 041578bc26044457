"""Partitioned engines give the same rows as the stage-by-stage run (``sample_run``, the
session's one ``claimflow run`` on the samples, from tests/conftest.py)."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest
from typer.testing import CliRunner

from claimflow.cli import app
from claimflow.contract.parquet import parts, read_table
from claimflow.contract.schemas import CLAIMS, ENTITIES, SENTENCES, TOKENS

runner = CliRunner()
COMPARED = (SENTENCES, ENTITIES, TOKENS, CLAIMS)


def _same_rows(a_dir, b_dir):
    for spec in COMPARED:
        a = read_table(a_dir / spec.filename, spec)
        b = read_table(b_dir / spec.filename, spec)
        pd.testing.assert_frame_equal(a, b, obj=spec.kind, check_exact=False, rtol=0,
                                      atol=1e-5)


@pytest.mark.slow
def test_two_local_processes_give_the_same_rows_and_reruns_identical_bytes(
    sample_run, raw_dir, tmp_path
):
    args = ["run", str(raw_dir), "--out-dir", str(tmp_path), "--processes", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    # MiniLM batches differ with the partitioning: confidences may differ in the 7th decimal
    _same_rows(sample_run, tmp_path)
    first = {spec.kind: (tmp_path / spec.filename).read_bytes() for spec in COMPARED}
    result = runner.invoke(app, [*args, "--force"])
    assert result.exit_code == 0, result.output
    for spec in COMPARED:
        assert (tmp_path / spec.filename).read_bytes() == first[spec.kind], spec.kind


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_rows_as_partitioned_datasets(
    sample_run, raw_dir, tmp_path
):
    pytest.importorskip("dask.distributed")
    result = runner.invoke(
        app,
        ["run", str(raw_dir), "--out-dir", str(tmp_path), "--engine", "dask", "--processes", "2"],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / CLAIMS.filename).is_dir()
    assert parts(tmp_path / CLAIMS.filename)
    # dataset folders get the umask's mode like the output files, not mkdtemp's 0700
    umask = os.umask(0)
    os.umask(umask)
    for spec in COMPARED:
        mode = stat.S_IMODE((tmp_path / spec.filename).stat().st_mode)
        assert mode == 0o777 & ~umask, f"{spec.filename}: {mode:o}"
    _same_rows(sample_run, tmp_path)
    # the dataset folder is readable by plain pandas/pyarrow too
    assert len(pd.read_parquet(tmp_path / CLAIMS.filename)) == len(
        read_table(sample_run / CLAIMS.filename, CLAIMS)
    )


def test_partitions_keep_every_worker_busy_and_stay_bounded():
    from claimflow.runner.partitioned import PARTITION_DOCS, PARTITIONS_PER_WORKER, partition_size

    # 155 documents on 2 workers: enough partitions for both to the end, none empty
    size = partition_size(155, 2)
    assert -(-155 // size) >= 2 * PARTITIONS_PER_WORKER
    assert partition_size(10_000_000, 2) == PARTITION_DOCS  # memory bound by the cap
    assert partition_size(0, 2) == 1 and partition_size(5, 8) == 1
