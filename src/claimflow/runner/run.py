"""All stages into one output folder: one after the other, or partitioned over workers."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

from claimflow.config import Settings
from claimflow.contract.manifest import Transaction, transaction
from claimflow.contract.schemas import CLAIMS, DOCUMENTS, ENTITIES, SENTENCES
from claimflow.runner.fingerprints import check_raw_dir, manifest_meta
from claimflow.runner.pipeline import (
    ingest_is_current,
    log_report_line,
    run_classify,
    run_ingest,
    run_split,
    run_tag,
)
from claimflow.runner.results import (
    Progress,
    StageResult,
    no_progress,
    timed,
    unfreeze_survivors,
)

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- all stages
def run_all(
    raw_dir: Path, out_dir: Path, settings: Settings, force: bool = False,
    progress: Progress = no_progress, report_line: Callable[[str], None] = log_report_line,
    engine: str = "local", scheduler: str | None = None, wait: bool = False,
) -> list[StageResult]:
    """ingest -> split -> tag -> classify into ``out_dir``; unchanged stages are skipped.

    With one process and the local engine the stages run one after the other, each
    streaming its input; when the raw folder changed, each stage recomputes only the new
    and changed documents and copies the other documents' rows (see
    :mod:`claimflow.runner.pipeline`). With ``settings.nlp.processes > 1`` or ``engine="dask"``,
    split+tag+classify run per partition of documents on worker processes (ingest is
    incremental there too; split+tag+classify run over every document again).

    The whole run is one transaction: the folder is locked (``wait``: wait for another run
    to finish instead of failing), every output is written into a staging folder and all of
    them are published with one ``manifest.json`` at the end, so a failed or killed run
    leaves the previous result as it was.
    """
    out_dir = Path(out_dir)
    check_raw_dir(raw_dir)  # a missing raw folder is an error before anything is locked
    try:
        with transaction(out_dir, manifest_meta(), wait) as txn:
            results = _run_stages(txn, raw_dir, out_dir, settings, force, progress,
                                  report_line, engine, scheduler)
            txn.commit()
    finally:
        unfreeze_survivors()
    return results


def _run_stages(txn: Transaction, raw_dir: Path, out_dir: Path, settings: Settings,
                force: bool, progress: Progress, report_line: Callable[[str], None],
                engine: str, scheduler: str | None) -> list[StageResult]:
    docs = out_dir / DOCUMENTS.filename
    sents = out_dir / SENTENCES.filename
    ents = out_dir / ENTITIES.filename
    claims = out_dir / CLAIMS.filename
    if engine == "dask" or settings.nlp.processes > 1:
        from claimflow.runner.partitioned import Executor, run_partitioned

        executor = Executor(engine, settings.nlp.processes, scheduler, warm=settings)
        with contextlib.ExitStack() as stack:
            if not ingest_is_current(txn, raw_dir, docs, settings, force):
                stack.enter_context(executor)  # workers load their models while we ingest
            results = [timed(lambda: run_ingest(raw_dir, docs, settings, force, progress,
                                                 report_line, txn=txn))]
            t0 = time.perf_counter()
            results += run_partitioned(txn.current(DOCUMENTS.filename), out_dir, settings,
                                       force, progress, engine=engine, scheduler=scheduler,
                                       executor=executor, txn=txn)
            results[1].seconds = time.perf_counter() - t0  # split+tag+classify together
        return results

    def cur(path: Path) -> Path:
        return txn.current(path.name)

    results = [timed(lambda: run_ingest(raw_dir, docs, settings, force, progress, report_line,
                                        txn=txn))]
    results.append(timed(lambda: run_split(cur(docs), sents, settings, force, progress,
                                           txn=txn)))
    results.append(timed(lambda: run_tag(cur(sents), cur(docs), ents, settings, force,
                                         progress, txn=txn)))
    results.append(timed(lambda: run_classify(cur(sents), cur(ents), cur(docs), claims,
                                              settings, force, progress, txn=txn),
                         release=False))  # the last stage: the caller decides
    return results
