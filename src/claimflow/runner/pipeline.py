"""Stage runners: read inputs, call the stage's pure function batch by batch, write outputs.

Each runner streams its input in batches, writes row groups, stores a fingerprint of its
settings and code in the output, and skips work when the committed output carries the same
fingerprint and was computed from inputs with the same content (``force`` overrides).

Every runner works inside a :class:`~claimflow.contract.manifest.Transaction` on its output
folder: called alone (a stage command) it locks the folder, writes into the staging folder
and commits its outputs with a new ``manifest.json``; ``run_all`` passes one transaction to
every stage and commits once at the end.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from claimflow import __version__
from claimflow.actors.gazetteer import tagging_pipeline
from claimflow.claims.ensemble import classifier_version
from claimflow.config import Settings
from claimflow.contract.manifest import Transaction, transaction
from claimflow.contract.parquet import (
    TableWriter,
    check_file,
    iter_frames,
    read_fingerprint,
    read_table,
    row_count,
    write_table,
)
from claimflow.contract.schemas import CLAIMS, DOCUMENTS, ENTITIES, INGEST_REPORT, SENTENCES, TOKENS
from claimflow.nlp.models import senter_pipeline
from claimflow.runner.fingerprints import (
    classify_fingerprint,
    ingest_fingerprint,
    manifest_meta,
    raw_fingerprint,
    split_fingerprint,
    tag_fingerprint,
)
from claimflow.runner.results import Progress, StageResult, no_progress

log = logging.getLogger(__name__)


_row_count = row_count

# The settings sections each stage reads (the digest in its outputs' provenance).
STAGE_SECTIONS: dict[str, tuple[str, ...]] = {
    "ingest": ("ingest", "tag"), "split": ("nlp",), "tag": ("nlp", "tag"),
    "classify": ("classify",),
}


def stage_provenance(stage: str, settings: Settings, **extra) -> dict:
    """The ``claimflow.provenance`` metadata of a stage's outputs: claimflow's version, the
    stage, the digest of the settings sections it reads, and ``extra`` (the models it used).
    Stable values only (no paths, times or hosts): re-runs write identical bytes."""
    sections = STAGE_SECTIONS[stage]
    return {"claimflow_version": __version__, "stage": stage,
            "settings": {"sections": list(sections), "digest": settings.digest(*sections)},
            **extra}


def spacy_provenance(nlp) -> dict:
    """The spaCy pipeline actually loaded: package name and version from ``nlp.meta``."""
    import spacy

    meta = nlp.meta
    return {"name": f"{meta.get('lang', '')}_{meta.get('name', '')}",
            "version": str(meta.get("version", "")), "spacy_version": spacy.__version__}


def classify_provenance(settings: Settings, classifier) -> dict:
    """Provenance of claims: the stage's, plus the loaded classifier's own description."""
    return stage_provenance("classify", settings, **classifier.provenance())


def in_transaction(folder: Path, txn: Transaction | None, wait: bool,
                   body: Callable[[Transaction], StageResult]) -> StageResult:
    """Run ``body`` in ``txn``, or alone: lock ``folder``, run, commit."""
    if txn is not None:
        return body(txn)
    with transaction(folder, manifest_meta(), wait) as own:
        result = body(own)
        own.commit()
    return result


def inputs_of(txn: Transaction, *paths: Path) -> dict[str, str]:
    """Content hashes of the inputs a stage reads, keyed as the manifest names them."""
    return {txn.key(p): txn.input_hash(p) for p in paths}


def current(txn: Transaction, names: list[str], fp: str, inputs: dict[str, str],
            force: bool) -> bool:
    return not force and all(txn.is_current(n, fp, inputs) for n in names)


# --------------------------------------------------------------------------- ingest
def _ingest_state(txn: Transaction, raw_dir: Path, settings: Settings):
    raw_fp = raw_fingerprint(raw_dir)
    txn.meta["raw"] = {"path": str(Path(raw_dir).resolve()), "content": raw_fp}
    return ingest_fingerprint(raw_fp, settings), {"raw": raw_fp}


def ingest_is_current(txn: Transaction, raw_dir: Path, out: Path, settings: Settings,
                      force: bool = False) -> bool:
    """True when ``run_ingest`` would skip: its outputs match the inputs and settings."""
    fp, inputs = _ingest_state(txn, raw_dir, settings)
    return current(txn, [Path(out).name, INGEST_REPORT.filename], fp, inputs, force)


def run_ingest(
    raw_dir: Path, out: Path, settings: Settings, force: bool = False,
    progress: Progress = no_progress, report_line: Callable[[str], None] = log.warning,
    txn: Transaction | None = None, wait: bool = False,
) -> StageResult:
    out = Path(out)
    report_path = out.parent / INGEST_REPORT.filename
    raw_fingerprint(raw_dir)  # a missing raw folder is an error before anything is locked

    def body(txn: Transaction) -> StageResult:
        fp, inputs = _ingest_state(txn, raw_dir, settings)
        names = [out.name, INGEST_REPORT.filename]
        if current(txn, names, fp, inputs, force):
            return StageResult("ingest", [out, report_path], _row_count(out), skipped=True)
        # heavy imports only when there is work to do, so a no-op re-run stays fast
        from claimflow.actors.gazetteer import Gazetteer
        from claimflow.actors.speaker import find_speaker
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
        prov = stage_provenance("ingest", settings)
        write_table(documents, txn.staged(out.name), DOCUMENTS, fp, prov)
        write_table(report, txn.staged(INGEST_REPORT.filename), INGEST_REPORT, fp, prov)
        txn.record(out.name, DOCUMENTS.kind, fp, inputs)
        txn.record(INGEST_REPORT.filename, INGEST_REPORT.kind, fp, inputs)
        notes = report["status"].value_counts().to_dict() if len(report) else {}
        return StageResult("ingest", [out, report_path], len(documents), notes=notes)

    return in_transaction(out.parent, txn, wait, body)


# --------------------------------------------------------------------------- split
def run_split(
    documents: Path, out: Path, settings: Settings, force: bool = False,
    progress: Progress = no_progress, txn: Transaction | None = None, wait: bool = False,
) -> StageResult:
    out = Path(out)
    check_file(documents, DOCUMENTS)

    def body(txn: Transaction) -> StageResult:
        inputs = inputs_of(txn, documents)
        fp = split_fingerprint(documents, settings)
        if current(txn, [out.name], fp, inputs, force):
            return StageResult("split", [out], _row_count(out), skipped=True)
        from claimflow.stages.split import split_documents
        nlp = senter_pipeline(settings)
        tick = progress("split", _row_count(documents))
        prov = stage_provenance("split", settings, spacy=spacy_provenance(nlp))
        with TableWriter(txn.staged(out.name), SENTENCES, fp, provenance=prov) as writer:
            for batch in iter_frames(documents, DOCUMENTS, 200, ["doc_id", "text", "lang"]):
                writer.write(
                    split_documents(batch, nlp, settings.nlp.batch_size, settings.nlp.max_length)
                )
                tick(len(batch))
        txn.record(out.name, SENTENCES.kind, fp, inputs)
        return StageResult("split", [out], writer.rows)

    return in_transaction(out.parent, txn, wait, body)


# --------------------------------------------------------------------------- tag
def run_tag(
    sentences: Path, documents: Path, out: Path, settings: Settings, force: bool = False,
    progress: Progress = no_progress, txn: Transaction | None = None, wait: bool = False,
) -> StageResult:
    out = Path(out)
    tokens_out = out.parent / TOKENS.filename
    check_file(sentences, SENTENCES)
    check_file(documents, DOCUMENTS)

    def body(txn: Transaction) -> StageResult:
        inputs = inputs_of(txn, sentences, documents)
        fp = tag_fingerprint(read_fingerprint(sentences) or "", settings)
        if current(txn, [out.name, TOKENS.filename], fp, inputs, force):
            return StageResult("tag", [out, tokens_out], _row_count(out), skipped=True)
        from claimflow.actors.gazetteer import Gazetteer
        from claimflow.stages.tag import tag_sentences
        speakers = read_table(documents, DOCUMENTS, ["doc_id", "speaker", "speaker_code"])
        nlp = tagging_pipeline(settings)
        gazetteer = Gazetteer.load(settings.tag.actors_dir)
        tick = progress("tag", _row_count(sentences))
        prov = stage_provenance("tag", settings, spacy=spacy_provenance(nlp))
        with TableWriter(txn.staged(out.name), ENTITIES, fp, provenance=prov) as ents, \
                TableWriter(txn.staged(TOKENS.filename), TOKENS, fp, provenance=prov) as toks:
            for batch in iter_frames(sentences, SENTENCES, 4096):
                e, t = tag_sentences(
                    batch, speakers, nlp, gazetteer, settings.nlp.batch_size,
                    settings.nlp.processes,
                )
                ents.write(e)
                toks.write(t)
                tick(len(batch))
        txn.record(out.name, ENTITIES.kind, fp, inputs)
        txn.record(TOKENS.filename, TOKENS.kind, fp, inputs)
        return StageResult("tag", [out, tokens_out], ents.rows, notes={"tokens": toks.rows})

    return in_transaction(out.parent, txn, wait, body)


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
    force: bool = False, progress: Progress = no_progress, txn: Transaction | None = None,
    wait: bool = False,
) -> StageResult:
    out = Path(out)
    tokens = Path(entities).parent / TOKENS.filename
    for path, spec in ((sentences, SENTENCES), (entities, ENTITIES), (tokens, TOKENS),
                       (documents, DOCUMENTS)):
        check_file(path, spec)

    def body(txn: Transaction) -> StageResult:
        inputs = inputs_of(txn, sentences, entities, tokens, documents)
        fp = classify_fingerprint(read_fingerprint(entities) or "", documents, settings,
                                  classifier_version(settings))
        if current(txn, [out.name], fp, inputs, force):
            return StageResult("classify", [out], _row_count(out), skipped=True)
        rows, non_english = _classify(sentences, entities, tokens, documents,
                                      txn.staged(out.name), fp, settings, progress)
        txn.record(out.name, CLAIMS.kind, fp, inputs)
        return StageResult("classify", [out], rows,
                           notes={"non_english_sentences": non_english})

    return in_transaction(out.parent, txn, wait, body)


def _classify(sentences: Path, entities: Path, tokens: Path, documents: Path, out: Path,
              fp: str, settings: Settings, progress: Progress) -> tuple[int, int]:
    from claimflow.claims.ensemble import ClaimClassifier
    from claimflow.stages.classify import classify_sentences

    classifier = ClaimClassifier.cached(settings)
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

    prov = classify_provenance(settings, classifier)
    with TableWriter(out, CLAIMS, fp, provenance=prov) as writer:
        for doc_id, sents in iter_doc_groups(sentences, SENTENCES):
            non_english += int((sents["lang"] != "en").sum())
            buffer.append((sents, tok_groups.take(doc_id), ent_groups.take(doc_id)))
            buffered += len(sents)
            if buffered >= 2048:
                flush(writer)
        flush(writer)
    return writer.rows, non_english
