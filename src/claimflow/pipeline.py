"""Stage runners: read inputs, call the stage's pure function batch by batch, write outputs.

Each runner streams its input in batches, writes row groups atomically, stores a
fingerprint of its inputs and settings in the output, and skips work when an existing
output already carries the same fingerprint (``force`` overrides).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from claimflow import __version__
from claimflow.config import Settings
from claimflow.errors import ClaimflowError
from claimflow.io import (
    TableWriter,
    check_file,
    fingerprint,
    iter_frames,
    read_fingerprint,
    read_table,
    row_count,
    write_table,
)
from claimflow.schemas import CLAIMS, DOCUMENTS, ENTITIES, INGEST_REPORT, SENTENCES, TOKENS

log = logging.getLogger(__name__)

Progress = Callable[[str, int | None], Callable[[int], None]]


def _no_progress(_label: str, _total: int | None) -> Callable[[int], None]:
    return lambda _n: None


@dataclass
class StageResult:
    stage: str
    outputs: list[Path]
    rows: int = 0
    skipped: bool = False  # up to date, nothing recomputed
    notes: dict[str, int] = field(default_factory=dict)
    seconds: float | None = None  # wall time; None when timed together with other stages


def _timed(run: Callable[[], StageResult]) -> StageResult:
    t0 = time.perf_counter()
    result = run()
    result.seconds = time.perf_counter() - t0
    return result


def _up_to_date(outputs: list[Path], fp: str, force: bool) -> bool:
    return not force and all(p.exists() and read_fingerprint(p) == fp for p in outputs)


@lru_cache(maxsize=1)
def code_version() -> str:
    """claimflow's version plus a hash of its source and data files: changed code or
    lexicons invalidate earlier outputs, so a re-run never keeps stale results."""
    root = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".json", ".jsonl", ".csv", ".txt", ".j2"):
            digest.update(p.relative_to(root).as_posix().encode())
            digest.update(p.read_bytes())
    return digest.hexdigest()[:16]


def raw_fingerprint(raw_dir: Path) -> str:
    """Cheap fingerprint of a raw folder: every file's path, size and modification time."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise ClaimflowError(f"{raw_dir}: input folder not found")
    parts = []
    for p in sorted(raw_dir.rglob("*")):
        try:
            if p.is_file():
                st = p.stat()
                parts.append(f"{p.relative_to(raw_dir).as_posix()}|{st.st_size}|{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{p}|unreadable")
    return fingerprint(*parts)


_row_count = row_count


# --------------------------------------------------------------------------- ingest
def ingest_fingerprint(raw_dir: Path, settings: Settings) -> str:
    return fingerprint(code_version(), raw_fingerprint(raw_dir), settings.digest("ingest", "tag"))


def ingest_is_current(raw_dir: Path, out: Path, settings: Settings, force: bool = False) -> bool:
    """True when ``run_ingest`` would skip: its outputs match the inputs and settings."""
    return _up_to_date([out, out.parent / INGEST_REPORT.filename],
                       ingest_fingerprint(raw_dir, settings), force)


def run_ingest(
    raw_dir: Path, out: Path, settings: Settings, force: bool = False,
    progress: Progress = _no_progress, report_line: Callable[[str], None] = log.warning,
) -> StageResult:
    report_path = out.parent / INGEST_REPORT.filename
    fp = ingest_fingerprint(raw_dir, settings)
    if _up_to_date([out, report_path], fp, force):
        return StageResult("ingest", [out, report_path], _row_count(out), skipped=True)
    # heavy imports only when there is work to do, so a no-op re-run stays fast
    from claimflow.actors import Gazetteer, find_speaker
    from claimflow.stages.ingest import build_documents, discover
    files = list(discover(Path(raw_dir), settings.ingest))
    tick = progress("ingest", len(files))

    def counted():
        for f in files:
            yield f
            tick(1)

    documents, report = build_documents(counted(), settings.ingest)
    gazetteer = Gazetteer.load(settings.tag.actors_dir)
    if len(documents):
        found = [find_speaker(t, gazetteer) for t in documents["text"]]
        documents["speaker"] = [s for s, _ in found]
        documents["speaker_code"] = [c for _, c in found]
    for row in report.itertuples(index=False):
        report_line(f"{row.path}: {row.status}: {row.reason}")
    write_table(documents, out, DOCUMENTS, fp)
    write_table(report, report_path, INGEST_REPORT, fp)
    notes = report["status"].value_counts().to_dict() if len(report) else {}
    return StageResult("ingest", [out, report_path], len(documents), notes=notes)


# --------------------------------------------------------------------------- fingerprints
def split_fingerprint(documents: Path, settings: Settings) -> str:
    return fingerprint(code_version(), read_fingerprint(documents) or "", settings.digest("nlp"))


def tag_fingerprint(sentences_fp: str, settings: Settings) -> str:
    return fingerprint(code_version(), sentences_fp, settings.digest("nlp", "tag"))


def classify_fingerprint(entities_fp: str, documents: Path, settings: Settings,
                         model_version: str) -> str:
    return fingerprint(code_version(), entities_fp, read_fingerprint(documents) or "",
                       settings.digest("classify"), model_version)


def model_version(model_dir: Path) -> str:
    """Content hash of a model folder: a retrained model invalidates earlier claims."""
    digest = hashlib.sha256()
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ClaimflowError(f"{model_dir}: claim model folder not found")
    for p in sorted(model_dir.rglob("*")):
        if p.is_file():
            digest.update(p.relative_to(model_dir).as_posix().encode())
            digest.update(p.read_bytes())
    return digest.hexdigest()[:16]


def classifier_version(settings: Settings) -> str:
    """Version of every model the configured classify backend uses."""
    version = model_version(settings.classify.model_dir)
    if settings.classify.backend == "ensemble":
        version += model_version(settings.classify.transformer_dir)
    return version


# --------------------------------------------------------------------------- split
def run_split(
    documents: Path, out: Path, settings: Settings, force: bool = False,
    progress: Progress = _no_progress,
) -> StageResult:
    check_file(documents, DOCUMENTS)
    fp = split_fingerprint(documents, settings)
    if _up_to_date([out], fp, force):
        return StageResult("split", [out], _row_count(out), skipped=True)
    from claimflow.stages.split import split_documents
    nlp = senter_pipeline(settings)
    tick = progress("split", _row_count(documents))
    with TableWriter(out, SENTENCES, fp) as writer:
        for batch in iter_frames(documents, DOCUMENTS, 200, ["doc_id", "text", "lang"]):
            writer.write(
                split_documents(batch, nlp, settings.nlp.batch_size, settings.nlp.max_length)
            )
            tick(len(batch))
    return StageResult("split", [out], writer.rows)


# --------------------------------------------------------------------------- tag
def run_tag(
    sentences: Path, documents: Path, out: Path, settings: Settings, force: bool = False,
    progress: Progress = _no_progress,
) -> StageResult:
    tokens_out = out.parent / TOKENS.filename
    check_file(sentences, SENTENCES)
    fp = tag_fingerprint(read_fingerprint(sentences) or "", settings)
    if _up_to_date([out, tokens_out], fp, force):
        return StageResult("tag", [out, tokens_out], _row_count(out), skipped=True)
    from claimflow.actors import Gazetteer
    from claimflow.stages.tag import tag_sentences
    speakers = read_table(documents, DOCUMENTS, ["doc_id", "speaker", "speaker_code"])
    nlp = tagging_pipeline(settings)
    gazetteer = Gazetteer.load(settings.tag.actors_dir)
    tick = progress("tag", _row_count(sentences))
    with TableWriter(out, ENTITIES, fp) as ents, TableWriter(tokens_out, TOKENS, fp) as toks:
        for batch in iter_frames(sentences, SENTENCES, 4096):
            e, t = tag_sentences(
                batch, speakers, nlp, gazetteer, settings.nlp.batch_size, settings.nlp.processes
            )
            ents.write(e)
            toks.write(t)
            tick(len(batch))
    return StageResult("tag", [out, tokens_out], ents.rows, notes={"tokens": toks.rows})


def senter_pipeline(settings: Settings):
    from claimflow.nlp import load_model, model_names

    return load_model(model_names(settings.nlp.model, settings.nlp.fallbacks), "senter")


def tagging_pipeline(settings: Settings):
    """The configured spaCy pipeline with the actor gazetteer added (cached per process)."""
    from claimflow.actors import Gazetteer
    from claimflow.nlp import load_model, model_names

    nlp = load_model(model_names(settings.nlp.model, settings.nlp.fallbacks), "tag")
    if "claimflow_actors" not in nlp.pipe_names and "entity_ruler" not in nlp.pipe_names:
        Gazetteer.load(settings.tag.actors_dir).add_to(nlp)
    return nlp


# --------------------------------------------------------------------------- classify
def iter_doc_groups(
    path: Path, spec, batch_rows: int = 20_000, columns: list[str] | None = None
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Rows of ``path`` grouped by consecutive ``doc_id``, streamed in file order."""
    pending: pd.DataFrame | None = None
    for batch in iter_frames(path, spec, batch_rows, columns):
        if pending is not None:
            batch = pd.concat([pending, batch], ignore_index=True)
        ids = batch["doc_id"].to_numpy()
        last = ids[-1]
        complete = batch[ids != last]
        pending = batch[ids == last]
        yield from complete.groupby("doc_id", sort=False)
    if pending is not None and len(pending):
        yield pending["doc_id"].iloc[0], pending


class _Aligned:
    """Pull the groups of one doc_id from a second doc-ordered file, in step with the first."""

    def __init__(self, groups: Iterator[tuple[str, pd.DataFrame]], empty: pd.DataFrame):
        self._groups = groups
        self._head = next(groups, None)
        self._empty = empty

    def take(self, doc_id: str) -> pd.DataFrame:
        if self._head is not None and self._head[0] == doc_id:
            group = self._head[1]
            self._head = next(self._groups, None)
            return group
        return self._empty


def run_classify(
    sentences: Path, entities: Path, documents: Path, out: Path, settings: Settings,
    force: bool = False, progress: Progress = _no_progress,
) -> StageResult:
    tokens = entities.parent / TOKENS.filename
    for path, spec in ((sentences, SENTENCES), (entities, ENTITIES), (tokens, TOKENS)):
        check_file(path, spec)
    fp = classify_fingerprint(read_fingerprint(entities) or "", documents, settings,
                              classifier_version(settings))
    if _up_to_date([out], fp, force):
        return StageResult("classify", [out], _row_count(out), skipped=True)
    from claimflow.stages.classify import Classifier, classify_sentences

    classifier = Classifier.cached(settings)
    speakers = read_table(documents, DOCUMENTS, ["doc_id", "speaker", "speaker_code", "outlet"])
    tok_groups = _Aligned(iter_doc_groups(tokens, TOKENS), pd.DataFrame(columns=TOKENS.columns))
    ent_groups = _Aligned(
        iter_doc_groups(entities, ENTITIES), pd.DataFrame(columns=ENTITIES.columns)
    )
    tick = progress("classify", _row_count(sentences))
    non_english = 0
    buffer: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = []
    buffered = 0

    def flush(writer: TableWriter) -> None:
        nonlocal buffer, buffered
        if not buffer:
            return
        sents = pd.concat([b[0] for b in buffer], ignore_index=True)
        toks = pd.concat([b[1] for b in buffer], ignore_index=True)
        ents = pd.concat([b[2] for b in buffer], ignore_index=True)
        writer.write(classify_sentences(sents, toks, ents, speakers, classifier))
        tick(len(sents))
        buffer, buffered = [], 0

    with TableWriter(out, CLAIMS, fp) as writer:
        for doc_id, sents in iter_doc_groups(sentences, SENTENCES):
            non_english += int((sents["lang"] != "en").sum())
            buffer.append((sents, tok_groups.take(doc_id), ent_groups.take(doc_id)))
            buffered += len(sents)
            if buffered >= 2048:
                flush(writer)
        flush(writer)
    return StageResult("classify", [out], writer.rows, notes={"non_english_sentences": non_english})


# --------------------------------------------------------------------------- all stages
def run_all(
    raw_dir: Path, out_dir: Path, settings: Settings, force: bool = False,
    progress: Progress = _no_progress, report_line: Callable[[str], None] = log.warning,
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
        from claimflow.engine import Executor, run_partitioned

        executor = Executor(engine, settings.nlp.processes, scheduler, warm=settings)
        with contextlib.ExitStack() as stack:
            if not ingest_is_current(raw_dir, docs, settings, force):
                stack.enter_context(executor)  # workers load their models while we ingest
            results = [_timed(lambda: run_ingest(raw_dir, docs, settings, force, progress,
                                                 report_line))]
            t0 = time.perf_counter()
            results += run_partitioned(docs, out_dir, settings, force, progress, engine=engine,
                                       scheduler=scheduler, executor=executor)
            results[1].seconds = time.perf_counter() - t0  # split+tag+classify together
        return results
    results = [_timed(lambda: run_ingest(raw_dir, docs, settings, force, progress, report_line))]
    results.append(_timed(lambda: run_split(docs, sents, settings, force, progress)))
    results.append(_timed(lambda: run_tag(sents, docs, ents, settings, force, progress)))
    results.append(_timed(
        lambda: run_classify(sents, ents, docs, claims, settings, force, progress)))
    return results
