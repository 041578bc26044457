"""All stages into one output folder: one after the other, or partitioned over workers."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

from claimflow.config import Settings
from claimflow.contract.schemas import CLAIMS, DOCUMENTS, ENTITIES, SENTENCES
from claimflow.runner.pipeline import (
    ingest_is_current,
    run_classify,
    run_ingest,
    run_split,
    run_tag,
)
from claimflow.runner.results import Progress, StageResult, no_progress, timed

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- all stages
def run_all(
    raw_dir: Path, out_dir: Path, settings: Settings, force: bool = False,
    progress: Progress = no_progress, report_line: Callable[[str], None] = log.warning,
    engine: str = "local", scheduler: str | None = None,
) -> list[StageResult]:
    """ingest -> split -> tag -> classify into ``out_dir``; unchanged stages are skipped.

    With one process and the local engine the stages run one after the other, each
    streaming its input. With ``settings.nlp.processes > 1`` or ``engine="dask"``,
    split+tag+classify run per partition of documents on worker processes.
    """
    out_dir = Path(out_dir)
    docs = out_dir / DOCUMENTS.filename
    sents = out_dir / SENTENCES.filename
    ents = out_dir / ENTITIES.filename
    claims = out_dir / CLAIMS.filename
    if engine == "dask" or settings.nlp.processes > 1:
        from claimflow.runner.partitioned import Executor, run_partitioned

        executor = Executor(engine, settings.nlp.processes, scheduler, warm=settings)
        with contextlib.ExitStack() as stack:
            if not ingest_is_current(raw_dir, docs, settings, force):
                stack.enter_context(executor)  # workers load their models while we ingest
            results = [timed(lambda: run_ingest(raw_dir, docs, settings, force, progress,
                                                 report_line))]
            t0 = time.perf_counter()
            results += run_partitioned(docs, out_dir, settings, force, progress, engine=engine,
                                       scheduler=scheduler, executor=executor)
            results[1].seconds = time.perf_counter() - t0  # split+tag+classify together
        return results
    results = [timed(lambda: run_ingest(raw_dir, docs, settings, force, progress, report_line))]
    results.append(timed(lambda: run_split(docs, sents, settings, force, progress)))
    results.append(timed(lambda: run_tag(sents, docs, ents, settings, force, progress)))
    results.append(timed(
        lambda: run_classify(sents, ents, docs, claims, settings, force, progress)))
    return results

