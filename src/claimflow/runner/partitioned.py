"""Partitioned execution of split -> tag -> classify: worker processes or a Dask cluster.

Documents are cut into partitions in file order; each partition runs through the same pure
stage functions on a worker, which loads the spaCy model once and reuses it. Results are
written in partition order, so the rows do not depend on the engine or the worker count.
The local engine writes single parquet files; the Dask engine writes each output as a
dataset folder of ``part-NNNNN.parquet`` files (readable by pandas, duckdb, polars, Dask).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pandas as pd
import pyarrow as pa

from claimflow.config import Settings
from claimflow.contract.manifest import Transaction, transaction
from claimflow.contract.parquet import (
    TableWriter,
    encode_provenance,
    iter_frames,
    remove_stale_temps,
    row_count,
    to_table,
)
from claimflow.contract.schemas import (
    CLAIMS,
    DOCUMENTS,
    ENTITIES,
    META_PROVENANCE,
    SENTENCES,
    TOKENS,
    TableSpec,
)
from claimflow.errors import ClaimflowError
from claimflow.runner.fingerprints import manifest_meta

log = logging.getLogger(__name__)

OUTPUTS: tuple[TableSpec, ...] = (SENTENCES, ENTITIES, TOKENS, CLAIMS)
PARTITION_DOCS = 64        # upper bound of documents per partition
PARTITIONS_PER_WORKER = 8  # enough partitions that no worker idles at the end


def partition_size(n_docs: int, workers: int, cap: int = PARTITION_DOCS) -> int:
    """Documents per partition: at most ``cap``, small enough to give every worker
    ``PARTITIONS_PER_WORKER`` partitions (a 155-document corpus cut in 64s leaves one of two
    workers idle for a third of the run)."""
    return max(1, min(cap, -(-n_docs // (max(1, workers) * PARTITIONS_PER_WORKER))))


def die_with_parent(parent: int) -> None:
    """Worker initializer: exit as soon as the process that started us is gone.

    A killed ``claimflow run`` cannot shut its pool down, and a worker blocked on the task
    queue (or loading models) would live on as an orphan. On Linux the kernel sends SIGKILL
    when the parent dies (``PR_SET_PDEATHSIG``); elsewhere, and as a second line, a daemon
    thread polls the parent pid.
    """
    import signal
    import sys
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            pass
    if os.getppid() != parent:  # the parent died before the line above ran
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def warm_up(settings: Settings) -> None:
    """Load every model a partition needs into this worker's caches."""
    from claimflow.actors.gazetteer import tagging_pipeline
    from claimflow.claims.ensemble import ClaimClassifier
    from claimflow.nlp.models import senter_pipeline

    senter_pipeline(settings)
    tagging_pipeline(settings)
    ClaimClassifier.cached(settings)


def partition_provenance(settings: Settings) -> dict[str, dict]:
    """Provenance of each output, as the stage-by-stage runners record it, from the models
    this process has loaded (cached: a worker describes what it really used)."""
    from claimflow.actors.gazetteer import tagging_pipeline
    from claimflow.claims.ensemble import ClaimClassifier
    from claimflow.nlp.models import senter_pipeline
    from claimflow.runner.pipeline import classify_provenance, spacy_provenance, stage_provenance

    tag = stage_provenance("tag", settings, spacy=spacy_provenance(tagging_pipeline(settings)))
    return {
        "sentences": stage_provenance(
            "split", settings, spacy=spacy_provenance(senter_pipeline(settings))),
        "entities": tag, "tokens": tag,
        "claims": classify_provenance(settings, ClaimClassifier.cached(settings)),
    }


def process_partition(documents: pd.DataFrame, settings: Settings) -> dict[str, pa.Table]:
    """split -> tag -> classify for one partition; pure apart from cached model loading.

    Each table's schema metadata carries the worker's ``claimflow.provenance``."""
    from claimflow.actors.gazetteer import Gazetteer, tagging_pipeline
    from claimflow.claims.ensemble import ClaimClassifier
    from claimflow.nlp.models import senter_pipeline
    from claimflow.stages.classify import classify_sentences
    from claimflow.stages.split import split_documents
    from claimflow.stages.tag import tag_sentences

    nlp = settings.nlp
    sentences = split_documents(documents, senter_pipeline(settings), nlp.batch_size,
                                nlp.max_length)
    speakers = documents[["doc_id", "speaker", "speaker_code", "outlet"]]
    entities, tokens = tag_sentences(
        sentences, speakers, tagging_pipeline(settings), Gazetteer.load(settings.tag.actors_dir),
        nlp.batch_size, 1,
    )
    claims = classify_sentences(sentences, tokens, entities, speakers,
                                ClaimClassifier.cached(settings))
    frames = {"sentences": sentences, "entities": entities, "tokens": tokens, "claims": claims}
    prov = partition_provenance(settings)
    tables = {}
    for spec in OUTPUTS:
        table = to_table(frames[spec.kind], spec)
        meta = {**table.schema.metadata, META_PROVENANCE: encode_provenance(prov[spec.kind])}
        tables[spec.kind] = table.replace_schema_metadata(meta)
    return tables


def _provenance_of(table: pa.Table) -> bytes:
    return (table.schema.metadata or {}).get(META_PROVENANCE, b"")


def _partitions(documents: Path, size: int) -> Iterator[pd.DataFrame]:
    cols = ["doc_id", "text", "lang", "speaker", "speaker_code", "outlet"]
    yield from iter_frames(documents, DOCUMENTS, size, cols)


def _ordered_results(
    submit: Callable[[pd.DataFrame], object], result: Callable[[object], dict],
    parts: Iterator[pd.DataFrame], in_flight: int,
) -> Iterator[tuple[int, dict[str, pa.Table]]]:
    """Keep ``in_flight`` partitions running; yield results in submission order."""
    queue: deque[tuple[int, object]] = deque()
    for part in parts:
        queue.append((len(part), submit(part)))
        if len(queue) >= in_flight:
            n, fut = queue.popleft()
            yield n, result(fut)
    while queue:
        n, fut = queue.popleft()
        yield n, result(fut)


class _DatasetWriter:
    """A dataset folder of part files, swapped into place atomically on close."""

    def __init__(self, path: Path, spec: TableSpec, fingerprint: str,
                 provenance: dict | None = None):
        self.path, self.spec, self.fp, self.rows = Path(path), spec, fingerprint, 0
        self.provenance = provenance
        self.path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(self.path)
        # mkdir, not mkdtemp: the folder gets the umask's mode like every output file, not
        # 0700 (the name is unique: pid plus random suffix)
        suffix = f"{os.getpid()}.{uuid.uuid4().hex[:12]}"
        self._tmp = self.path.with_name(f".{self.path.name}.{suffix}")
        self._tmp.mkdir()
        self._n = 0

    def write_arrow(self, table: pa.Table) -> None:
        with TableWriter(self._tmp / f"part-{self._n:05d}.parquet", self.spec, self.fp,
                         provenance=self.provenance) as w:
            w.write_arrow(table)
        self._n += 1
        self.rows += table.num_rows

    def close(self) -> None:
        if self._n == 0:
            self.write_arrow(self.spec.schema.empty_table())
        old = None
        if self.path.exists():
            old = self.path.with_name(f".{self.path.name}.{os.getpid()}.old")
            os.replace(self.path, old)
        os.replace(self._tmp, self.path)
        if old is not None:
            shutil.rmtree(old) if old.is_dir() else old.unlink()

    def abort(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)


class _FileWriter(TableWriter):
    def __init__(self, path: Path, spec: TableSpec, fingerprint: str,
                 provenance: dict | None = None):
        if Path(path).is_dir():  # replace a dataset folder left by a Dask run
            shutil.rmtree(path)
        super().__init__(path, spec, fingerprint, provenance=provenance)


def run_partitioned(
    documents: Path, out_dir: Path, settings: Settings, force: bool = False,
    progress=None, engine: str = "local", scheduler: str | None = None,
    partition_docs: int = PARTITION_DOCS, executor: Executor | None = None,
    txn: Transaction | None = None, wait: bool = False,
):
    """split+tag+classify of ``documents`` into ``out_dir``, in ``txn`` (or in a transaction
    of its own, committed at the end, when None)."""
    if engine not in ("local", "dask"):
        raise ClaimflowError(f"unknown engine {engine!r} (use 'local' or 'dask')")
    if txn is not None:
        return _run_partitioned(txn, documents, settings, force, progress, engine, scheduler,
                                partition_docs, executor)
    with transaction(out_dir, manifest_meta(), wait) as own:
        results = _run_partitioned(own, documents, settings, force, progress, engine,
                                   scheduler, partition_docs, executor)
        own.commit()
    return results


def _run_partitioned(txn, documents, settings, force, progress, engine, scheduler,
                     partition_docs, executor):
    from claimflow.claims.ensemble import classifier_version
    from claimflow.runner.fingerprints import (
        classify_fingerprint,
        split_fingerprint,
        tag_fingerprint,
    )
    from claimflow.runner.results import StageResult

    split_fp = split_fingerprint(documents, settings)
    tag_fp = tag_fingerprint(split_fp, settings)
    version = classifier_version(settings)
    fps = {
        "sentences": split_fp, "entities": tag_fp, "tokens": tag_fp,
        "claims": classify_fingerprint(tag_fp, documents, settings, version),
    }
    names = {spec.kind: spec.filename for spec in OUTPUTS}
    paths = {k: txn.target(n) for k, n in names.items()}
    stages = {"sentences": "split", "entities": "tag", "tokens": "tag", "claims": "classify"}
    docs_key = txn.key(documents)
    doc_hash = txn.input_hash(documents)

    def lineage(hashes: dict[str, str | None]) -> dict[str, dict[str, str | None]]:
        """The inputs each output is computed from, as the manifest records them."""
        sents = {names["sentences"]: hashes["sentences"]}
        tagged = {names["entities"]: hashes["entities"], names["tokens"]: hashes["tokens"]}
        return {
            "sentences": {docs_key: doc_hash},
            "entities": {**sents, docs_key: doc_hash},
            "tokens": {**sents, docs_key: doc_hash},
            "claims": {**sents, **tagged, docs_key: doc_hash},
        }

    committed = lineage({k: txn.committed_hash(n) for k, n in names.items()})
    if not force and all(txn.is_current(names[k], fps[k], committed[k]) for k in names):
        return [StageResult(stages[k], [paths[k]], row_count(paths[k]), skipped=True)
                for k in ("sentences", "entities", "claims")]

    writer_cls = _DatasetWriter if engine == "dask" else _FileWriter
    writers: dict = {}
    provenance: dict[str, bytes] = {}

    def open_writers(prov: dict[str, bytes]) -> None:
        """Writers carrying the provenance the workers report (the models they loaded)."""
        provenance.update(prov)
        for spec in OUTPUTS:
            writers[spec.kind] = writer_cls(txn.staged(spec.filename), spec, fps[spec.kind],
                                            json.loads(prov[spec.kind]))

    n_docs = row_count(documents)
    tick = progress(f"run/{engine}", n_docs) if progress else (lambda n: None)
    executor = executor or Executor(engine, settings.nlp.processes, scheduler, settings)
    try:
        with executor as (submit, result, width):
            parts = _partitions(documents, partition_size(n_docs, width, partition_docs))
            for n, tables in _ordered_results(submit(settings), result, parts, 2 * width):
                prov = {kind: _provenance_of(table) for kind, table in tables.items()}
                if not writers:
                    open_writers(prov)
                elif prov != provenance:
                    raise ClaimflowError(
                        "workers loaded different models or settings; provenance differs: "
                        + ", ".join(k for k in prov if prov[k] != provenance.get(k))
                    )
                for kind, table in tables.items():
                    writers[kind].write_arrow(table)
                tick(n)
        if not writers:  # no documents: describe the models this process loads
            open_writers({k: encode_provenance(v)
                          for k, v in partition_provenance(settings).items()})
    except BaseException:
        for w in writers.values():
            w.abort()
        raise
    for w in writers.values():
        w.close()
    written = lineage({k: txn.input_hash(txn.staged(n)) for k, n in names.items()})
    for kind, name in names.items():
        txn.record(name, kind, fps[kind], written[kind])
    notes = {"engine": engine, "workers": settings.nlp.processes}
    return [
        StageResult("split", [paths["sentences"]], writers["sentences"].rows, notes=notes),
        StageResult("tag", [paths["entities"], paths["tokens"]], writers["entities"].rows),
        StageResult("classify", [paths["claims"]], writers["claims"].rows),
    ]


class Executor:
    """Context manager giving (submit-factory, result, width) for the chosen engine.

    With ``warm`` settings, local worker processes start and load their models as soon as
    the executor is entered (the caller can ingest meanwhile). Entering twice is allowed:
    the second ``with`` reuses what the first started; the outermost one shuts it down.
    """

    def __init__(self, engine: str, processes: int, scheduler: str | None,
                 warm: Settings | None = None):
        self.engine, self.processes, self.scheduler = engine, max(1, processes), scheduler
        self.warm = warm
        self._pool = self._client = self._cluster = None
        self._depth = 0
        self._handles = None

    # Each worker is one core: BLAS/OpenMP pools of N threads per worker would fight over
    # the same cores. Worker processes inherit these at start.
    _ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

    def __enter__(self):
        self._depth += 1
        if self._handles is None:
            self._handles = self._start()
        return self._handles

    def _start(self):
        self._saved_env = {k: os.environ.get(k) for k in self._ONE_THREAD}
        if self.processes > 1 or self.engine == "dask":
            os.environ.update({k: "1" for k in self._ONE_THREAD})
        if self.engine == "local":
            if self.processes == 1:
                return (lambda s: (lambda part: process_partition(part, s))), (lambda r: r), 1
            self._pool = ProcessPoolExecutor(
                self.processes, mp_context=get_context("spawn"),
                initializer=die_with_parent, initargs=(os.getpid(),),
            )
            pool = self._pool
            if self.warm is not None:  # one model-loading task per worker, started now
                for _ in range(self.processes):
                    pool.submit(warm_up, self.warm)
            return (
                (lambda s: (lambda part: pool.submit(process_partition, part, s))),
                (lambda fut: fut.result()),
                self.processes,
            )
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ClaimflowError(
                "the dask engine needs dask.distributed: pip install 'claimflow[dask]'"
            ) from None
        if self.scheduler:
            self._client = Client(self.scheduler)
        else:
            # Workers die with this process through dask's own mechanism: each worker
            # process reads a pipe whose write end only this process holds and exits at
            # once on EOF, however this process ends (distributed.process.AsyncProcess);
            # the nannies and the scheduler live in this process. Measured by
            # benchmarks/kill_trials.py --mode dask and tests/runner/test_orphans.py.
            self._cluster = LocalCluster(
                n_workers=self.processes, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR,
            )
            self._client = Client(self._cluster)
        client = self._client
        width = max(1, len(client.scheduler_info().get("workers", {})) or self.processes)
        return (
            (lambda s: (lambda part: client.submit(process_partition, part, s, pure=False))),
            (lambda fut: fut.result()),
            width,
        )

    def __exit__(self, *exc):
        self._depth -= 1
        if self._depth > 0 or self._handles is None:
            return False
        self._handles = None
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        return False
