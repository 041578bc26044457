"""Stage runners: read inputs, call the stage's pure function batch by batch, write outputs.

Each runner streams its input in batches, writes row groups, stores a fingerprint of its
settings and code in the output, and skips work when the committed output carries the same
fingerprint and was computed from inputs with the same content (``force`` overrides).

Incremental runs: when the input changed, each stage recomputes only the documents whose
per-document key (the document's content chained with the stage's code, settings and
models, :func:`~claimflow.runner.fingerprints.document_keys`) is not in the committed
output's manifest entry; the other documents' rows are copied from the committed output.
Rows are written in document order into row groups of a fixed size, so the file is
byte-identical to a run from scratch. Ingest re-decodes only new and changed raw files.

Every runner works inside a :class:`~claimflow.contract.manifest.Transaction` on its output
folder: called alone (a stage command) it locks the folder, writes into the staging folder
and commits its outputs with a new ``manifest.json``; ``run_all`` passes one transaction to
every stage and commits once at the end.

spaCy, torch and the stage modules are imported inside the runners, only when there is work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from claimflow import __version__
from claimflow.config import Settings
from claimflow.contract.manifest import Transaction, transaction
from claimflow.contract.parquet import (
    SentenceRows,
    TableWriter,
    check_file,
    iter_frames,
    read_fingerprint,
    read_provenance,
    read_table,
    row_count,
    to_table,
    write_table,
)
from claimflow.contract.schemas import (
    CLAIMS,
    DOCUMENTS,
    ENTITIES,
    INGEST_REPORT,
    SENTENCES,
    TOKENS,
    TableSpec,
)
from claimflow.errors import ClaimflowError, escape_controls
from claimflow.runner.fingerprints import (
    check_raw_dir,
    classify_fingerprint,
    classify_static,
    document_hashes,
    document_keys,
    files_fingerprint,
    ingest_fingerprint,
    ingest_static,
    manifest_meta,
    raw_files,
    split_fingerprint,
    split_static,
    tag_fingerprint,
    tag_static,
)
from claimflow.runner.results import Progress, StageResult, no_progress

log = logging.getLogger(__name__)


def log_report_line(line: str) -> None:
    """The default sink of ingest's per-file lines: a log warning, control characters escaped."""
    log.warning("%s", escape_controls(line))


_row_count = row_count

# The settings sections each stage reads (the digest in its outputs' provenance).
STAGE_SECTIONS: dict[str, tuple[str, ...]] = {
    "ingest": ("ingest", "tag"), "split": ("nlp",), "tag": ("nlp", "tag"),
    "classify": ("classify",),
}
DOC_KEYS = "doc_keys"  # manifest entry field: doc_id -> per-document key
SPLIT_BATCH_CHARS = 5_000_000  # document characters split in one batch (or one document)


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


# --------------------------------------------------------------------------- incremental
class PreviousRows:
    """The rows of one document in a committed, doc-ordered output, read row group by row
    group as a run walks the documents in order (memory: about one row group)."""

    def __init__(self, path: Path, spec: TableSpec):
        check_file(path, spec)
        self.path = Path(path)
        self._file = pq.ParquetFile(path)
        self._ranges: dict[str, tuple[int, int]] = {}
        start, last, offset = 0, None, 0
        for batch in self._file.iter_batches(batch_size=65_536, columns=["doc_id"]):
            for doc_id in batch.column(0).to_pylist():
                if doc_id != last:
                    if last is not None:
                        self._add(last, start, offset)
                    start, last = offset, doc_id
                offset += 1
        if last is not None:
            self._add(last, start, offset)
        meta = self._file.metadata
        self._groups = [0]
        for i in range(meta.num_row_groups):
            self._groups.append(self._groups[-1] + meta.row_group(i).num_rows)
        self._cache: dict[int, pa.Table] = {}

    def _add(self, doc_id: str, start: int, stop: int) -> None:
        if doc_id in self._ranges:  # not doc-ordered: never reuse from such a file
            raise ValueError(f"rows of {doc_id} are not contiguous")
        self._ranges[doc_id] = (start, stop)

    def take(self, doc_id: str) -> pa.Table | None:
        """The document's rows (None: it has none)."""
        if doc_id not in self._ranges:
            return None
        start, stop = self._ranges[doc_id]
        pieces = []
        for g in range(len(self._groups) - 1):
            lo, hi = self._groups[g], self._groups[g + 1]
            if hi <= start or lo >= stop:
                continue
            if g not in self._cache:
                self._cache = {g: self._file.read_row_group(g)}  # keep one group
            table = self._cache[g]
            a, b = max(start, lo) - lo, min(stop, hi) - lo
            pieces.append(table.slice(a, b - a))
        return pa.concat_tables(pieces) if pieces else None


def reusable_rows(txn: Transaction, names: dict[str, TableSpec], keys: dict[str, str],
                  force: bool) -> tuple[set[str], dict[str, PreviousRows]]:
    """Documents whose rows every output in ``names`` can copy from its committed version
    (same per-document key in the manifest), and readers of those versions."""
    if force:
        return set(), {}
    previous: dict[str, PreviousRows] = {}
    reuse: set[str] | None = None
    for name, spec in names.items():
        found = txn.reusable(name)
        if found is None or not isinstance(found[1].get(DOC_KEYS), dict):
            return set(), {}
        path, entry = found
        try:
            previous[name] = PreviousRows(path, spec)
        except (ClaimflowError, ValueError, OSError, pa.ArrowException) as exc:
            log.info("%s: rows not reusable (%s)", path, exc)
            return set(), {}
        old = entry[DOC_KEYS]
        same = {d for d, k in keys.items() if old.get(d) == k}
        reuse = same if reuse is None else reuse & same
    return reuse or set(), previous


class FreshRows:
    """Rows of the recomputed documents, computed batch by batch as the merge reaches them.

    ``batches`` yields ``(doc_ids, frames)``: one frame (or arrow table of the output's
    schema) per output name, holding rows of consecutive documents in the order of
    ``order``, and the documents the batch completes. A long document's rows may come over
    several batches, the last of which names it; a document no batch named before a later
    one has no rows."""

    def __init__(self, batches: Iterator[tuple[list[str], dict[str, pd.DataFrame | pa.Table]]],
                 specs: dict[str, TableSpec], order: list[str]):
        self._batches = batches
        self._specs = specs
        self._position = {doc_id: i for i, doc_id in enumerate(order)}
        self._reached = -1  # every document up to this position is complete
        self._pending: dict[str, dict[str, list[pa.Table]]] = {}

    def pieces(self, doc_id: str) -> Iterator[tuple[str, pa.Table]]:
        """(output name, rows) of the document, in order, as soon as they are computed."""
        position = self._position[doc_id]
        while True:
            for name, tables in self._pending.pop(doc_id, {}).items():
                for table in tables:
                    yield name, table
            if position <= self._reached or not self._pull():
                if doc_id not in self._pending:
                    return

    def take(self, doc_id: str) -> dict[str, pa.Table]:
        """Every row of the document, per output name."""
        out: dict[str, list[pa.Table]] = {}
        for name, table in self.pieces(doc_id):
            out.setdefault(name, []).append(table)
        return {name: pa.concat_tables(tables) for name, tables in out.items()}

    def _pull(self) -> bool:
        got = next(self._batches, None)
        if got is None:
            self._reached = len(self._position)
            return False
        doc_ids, frames = got
        for name, frame in frames.items():
            if not isinstance(frame, pa.Table):
                frame = to_table(frame, self._specs[name])
            for d, table in _by_document(frame):
                self._pending.setdefault(d, {}).setdefault(name, []).append(table)
        for d in doc_ids:
            self._reached = max(self._reached, self._position[d])
        return True


def _by_document(table: pa.Table) -> Iterator[tuple[str, pa.Table]]:
    """Consecutive runs of equal doc_id in ``table``."""
    ids = table.column("doc_id")
    n = len(ids)
    if not n:
        return
    change = pc.not_equal(ids.slice(1), ids.slice(0, n - 1)).to_numpy(zero_copy_only=False)
    starts = [0, *(np.flatnonzero(change) + 1).tolist(), n]
    for start, stop in zip(starts, starts[1:], strict=False):
        yield ids[start].as_py(), table.slice(start, stop - start)


def write_merged(writers: dict[str, TableWriter], order: list[str], reuse: set[str],
                 previous: dict[str, PreviousRows], fresh: FreshRows) -> None:
    """Every document's rows, in document order: copied for ``reuse``, else computed."""
    for doc_id in order:
        if doc_id in reuse:
            for name, writer in writers.items():
                table = previous[name].take(doc_id)
                if table is not None:
                    writer.write_arrow(table)
        else:
            for name, table in fresh.pieces(doc_id):
                writers[name].write_arrow(table)


def kept_provenance(name: str, order: list[str], reuse: set[str],
                    previous: dict[str, PreviousRows]) -> dict | None:
    """The committed output's provenance when every document's rows are kept from it (a
    run that only dropped documents): those rows were made by it, and no model is loaded."""
    if order and len(reuse) == len(order) and name in previous:
        return read_provenance(previous[name].path)
    return None


def incremental_notes(order: list[str], reuse: set[str]) -> dict[str, int]:
    return {"documents_recomputed": len(order) - len(reuse), "documents_reused": len(reuse)}


def documents_keys(documents: Path) -> dict[str, str]:
    """doc_id -> hash of the document's row, in document order."""
    return document_hashes(batch for pf in check_file(documents, DOCUMENTS)
                           for batch in pf.iter_batches(batch_size=1024))


def stage_keys(documents: Path, settings: Settings, upto: str,
               classifier_version: str = "") -> dict[str, str]:
    """Per-document keys of stage ``upto`` (split, tag or classify), chained from the
    documents' rows through each earlier stage's code, settings and models."""
    keys = document_keys(split_static(settings), documents_keys(documents))
    if upto in ("tag", "classify"):
        keys = document_keys(tag_static(settings), keys)
    if upto == "classify":
        keys = document_keys(classify_static(settings, classifier_version), keys)
    return keys


# --------------------------------------------------------------------------- ingest
def _ingest_state(txn: Transaction, raw_dir: Path, settings: Settings):
    """(fingerprint, inputs, raw file stats) of an ingest of ``raw_dir``; files whose size
    and mtime the committed documents' entry recorded are not read again."""
    entry = txn.previous["outputs"].get(DOCUMENTS.filename) or {}
    known = entry.get("raw_files") if isinstance(entry.get("raw_files"), dict) else None
    files = raw_files(raw_dir, known, settings.ingest.follow_symlinks)
    raw_fp = files_fingerprint(files)
    txn.meta["raw"] = {"path": str(Path(raw_dir).resolve()), "content": raw_fp}
    return ingest_fingerprint(raw_fp, settings), {"raw": raw_fp}, files


def ingest_is_current(txn: Transaction, raw_dir: Path, out: Path, settings: Settings,
                      force: bool = False) -> bool:
    """True when ``run_ingest`` would skip: its outputs match the inputs and settings."""
    fp, inputs, _ = _ingest_state(txn, raw_dir, settings)
    return current(txn, [Path(out).name, INGEST_REPORT.filename], fp, inputs, force)


def run_ingest(
    raw_dir: Path, out: Path, settings: Settings, force: bool = False,
    progress: Progress = no_progress, report_line: Callable[[str], None] = log_report_line,
    txn: Transaction | None = None, wait: bool = False,
) -> StageResult:
    out = Path(out)
    report_path = out.parent / INGEST_REPORT.filename
    check_raw_dir(raw_dir)  # a missing raw folder is an error before anything is locked

    def body(txn: Transaction) -> StageResult:
        fp, inputs, files = _ingest_state(txn, raw_dir, settings)
        names = [out.name, INGEST_REPORT.filename]
        if current(txn, names, fp, inputs, force):
            return StageResult("ingest", [out, report_path], _row_count(out), skipped=True)
        # heavy imports only when there is work to do, so a no-op re-run stays fast
        from claimflow.stages.ingest import discover
        raw = list(discover(Path(raw_dir), settings.ingest))
        static = ingest_static(settings)
        kept = None if force else _kept_files(txn, files, static)
        documents, report, reused = _ingest_files(raw, kept, settings, progress)
        for row in report.itertuples(index=False):
            report_line(f"{row.path}: {row.status}: {row.reason}")
        prov = stage_provenance("ingest", settings)
        write_table(documents, txn.staged(out.name), DOCUMENTS, fp, prov)
        write_table(report, txn.staged(INGEST_REPORT.filename), INGEST_REPORT, fp, prov)
        txn.record(out.name, DOCUMENTS.kind, fp, inputs, static=static, raw_files=files)
        txn.record(INGEST_REPORT.filename, INGEST_REPORT.kind, fp, inputs)
        notes = report["status"].value_counts().to_dict() if len(report) else {}
        notes.update(files_recomputed=len(raw) - reused, files_reused=reused)
        return StageResult("ingest", [out, report_path], len(documents), notes=notes)

    return in_transaction(out.parent, txn, wait, body)


class _Kept:
    """The committed rows of raw files that are unchanged since the last ingest."""

    def __init__(self, documents: pd.DataFrame, report: pd.DataFrame, rels: set[str]):
        self.documents, self.report, self.rels = documents, report, rels


def _rel_of(path: str, rels) -> str:
    """The raw file a row's ``path`` comes from (a record's path is ``file#line``)."""
    if path in rels:
        return path
    head = path.rsplit("#", 1)[0]
    return head if head in rels else path


def _kept_files(txn: Transaction, files: dict[str, list], static: str) -> _Kept | None:
    """Rows of the committed documents and report for the raw files whose bytes, ingest
    settings and code are unchanged; only files all of whose documents were kept (a file
    that was skipped or was a duplicate is read again: its outcome may depend on others)."""
    docs_found = txn.reusable(DOCUMENTS.filename)
    report_found = txn.reusable(INGEST_REPORT.filename)
    if docs_found is None or report_found is None:
        return None
    docs_path, entry = docs_found
    before = entry.get("raw_files")
    if entry.get("static") != static or not isinstance(before, dict):
        return None
    unchanged = {rel for rel, stat in files.items()
                 if rel in before and before[rel][2] == stat[2] and stat[2] != "unreadable"}
    if not unchanged:
        return None
    documents = read_table(docs_path, DOCUMENTS)
    report = read_table(report_found[0], INGEST_REPORT)
    doc_rels = documents["path"].map(lambda p: _rel_of(p, before))
    report_rels = report["path"].map(lambda p: _rel_of(p, before))
    rejected = set(report_rels[report["status"] != "warning"])
    rels = (unchanged & set(doc_rels)) - rejected
    docs_kept, report_kept = doc_rels.isin(rels), report_rels.isin(rels)
    # plain arrays: a Series assigned to a frame left with no rows would bring its index
    # (and rows of NaN) along
    return _Kept(documents[docs_kept].assign(_rel=doc_rels[docs_kept].to_numpy()),
                 report[report_kept].assign(_rel=report_rels[report_kept].to_numpy()), rels)


def _ingest_files(raw: list, kept: _Kept | None, settings: Settings, progress: Progress
                  ) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """(documents, report, files reused): decode the raw files not in ``kept``, take the
    kept ones' rows, in the order a full ingest gives. Falls back to decoding every file
    when a new document collides with a kept one (same id, bytes or text)."""
    from claimflow.stages.ingest import build_documents

    fresh = raw if kept is None else [f for f in raw if f.rel not in kept.rels]
    tick = progress("ingest", len(fresh))

    def counted(files):
        for f in files:
            yield f
            tick(1)

    documents, report = build_documents(counted(fresh), settings.ingest)
    if kept is not None and _collide(documents, kept.documents):
        log.info("ingest: a new document repeats a kept one; reading every file again")
        documents, report = build_documents(counted(raw), settings.ingest)
        kept = None
    _add_speakers(documents, settings)
    if kept is None or not len(kept.documents):
        return documents, report, 0
    rels = [f.rel for f in raw]
    documents = _in_file_order(documents, kept.documents, rels)
    report = _in_file_order(report, kept.report, rels)
    return documents, report, len(kept.rels)


def _add_speakers(documents: pd.DataFrame, settings: Settings) -> None:
    if not len(documents):
        return
    from claimflow.actors.gazetteer import Gazetteer
    from claimflow.actors.speaker import find_speaker

    gazetteer = Gazetteer.load(settings.tag.actors_dir)
    none = [None] * len(documents)
    places = documents["place"] if "place" in documents else none
    outlets = documents["outlet"] if "outlet" in documents else none
    found = [find_speaker(t, gazetteer, place=p if isinstance(p, str) else None,
                          outlet=o if isinstance(o, str) else None)
             for t, p, o in zip(documents["text"], places, outlets, strict=True)]
    documents["speaker"] = [s for s, _ in found]
    documents["speaker_code"] = [c for _, c in found]


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _collide(fresh: pd.DataFrame, kept: pd.DataFrame) -> bool:
    """True when a new document has the id, bytes or text of a kept one: which of them is
    the duplicate depends on file order, so the kept one's row may no longer hold."""
    if not len(fresh) or not len(kept):
        return False
    return bool(set(fresh["doc_id"]) & set(kept["doc_id"])
                or set(fresh["sha256"]) & set(kept["sha256"])
                or set(map(_folded, fresh["text"])) & set(map(_folded, kept["text"])))


def _in_file_order(fresh: pd.DataFrame, kept: pd.DataFrame, rels: list[str]) -> pd.DataFrame:
    """``fresh`` and ``kept`` rows merged in the order of their raw files, each file's rows
    in their own order (as a full ingest emits them)."""
    known = set(rels) | set(kept["_rel"])
    fresh = fresh.assign(_rel=fresh["path"].map(lambda p: _rel_of(p, known)))
    both = pd.concat([kept, fresh], ignore_index=True)
    if not len(both):
        return fresh.drop(columns="_rel")
    order = {rel: i for i, rel in enumerate(sorted(set(both["_rel"])))}
    both = both.assign(_key=both["_rel"].map(order)).sort_values("_key", kind="stable")
    return both.drop(columns=["_rel", "_key"]).reset_index(drop=True)


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
        from claimflow.nlp.models import senter_pipeline
        from claimflow.stages.split import split_documents

        keys = stage_keys(documents, settings, "split")
        order = list(keys)
        reuse, previous = reusable_rows(txn, {out.name: SENTENCES}, keys, force)
        prov = kept_provenance(out.name, order, reuse, previous)
        nlp = None if prov is not None else senter_pipeline(settings)
        tick = progress("split", len(order) - len(reuse))

        def batches():
            for batch in _fresh_frames(documents, DOCUMENTS, reuse, 200,
                                       ["doc_id", "text", "lang"], SPLIT_BATCH_CHARS):
                sentences = split_documents(batch, nlp, settings.nlp.batch_size,
                                            settings.nlp.max_length)
                tick(len(batch))
                yield list(batch["doc_id"]), {out.name: sentences}

        prov = prov or stage_provenance("split", settings, spacy=spacy_provenance(nlp))
        with TableWriter(txn.staged(out.name), SENTENCES, fp, provenance=prov) as writer:
            write_merged({out.name: writer}, order, reuse, previous,
                         FreshRows(batches(), {out.name: SENTENCES}, order))
        txn.record(out.name, SENTENCES.kind, fp, inputs, **{DOC_KEYS: keys})
        return StageResult("split", [out], writer.rows, notes=incremental_notes(order, reuse))

    return in_transaction(out.parent, txn, wait, body)


def _fresh_frames(path: Path, spec: TableSpec, reuse: set[str], rows: int,
                  columns: list[str] | None = None,
                  max_chars: int | None = None) -> Iterator[pd.DataFrame]:
    """Frames of about ``rows`` rows of the documents not in ``reuse``, in file order; with
    ``max_chars``, also of at most that many characters of ``text`` (or one document)."""
    pending: list[pd.DataFrame] = []
    size = chars = 0
    for batch in iter_frames(path, spec, rows, columns):
        if reuse:
            batch = batch[~batch["doc_id"].isin(reuse)]
        lengths = (batch["text"].str.len().tolist() if max_chars is not None
                   else [0] * len(batch))
        start = 0
        for i, n in enumerate(lengths):
            if max_chars is not None and size and chars + n > max_chars:
                if i > start:
                    pending.append(batch.iloc[start:i])
                    start = i
                yield pd.concat(pending, ignore_index=True)
                pending, size, chars = [], 0, 0
            size += 1
            chars += n
        if len(batch) > start:
            pending.append(batch.iloc[start:])
        if size >= rows:
            yield pd.concat(pending, ignore_index=True)
            pending, size, chars = [], 0, 0
    if pending:
        yield pd.concat(pending, ignore_index=True)


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
        from claimflow.actors.gazetteer import Gazetteer, tagging_pipeline
        from claimflow.stages.tag import iter_tagged

        keys = stage_keys(documents, settings, "tag")
        order = list(keys)
        specs = {out.name: ENTITIES, TOKENS.filename: TOKENS}
        reuse, previous = reusable_rows(txn, specs, keys, force)
        speakers = read_table(documents, DOCUMENTS, ["doc_id", "speaker", "speaker_code"])
        prov = kept_provenance(out.name, order, reuse, previous)
        nlp = None if prov is not None else tagging_pipeline(settings)
        gazetteer = Gazetteer.load(settings.tag.actors_dir)
        tick = progress("tag", _fresh_rows(sentences, SENTENCES, reuse))

        def batches():
            for doc_ids, batch in _fresh_groups(sentences, SENTENCES, reuse, 4096):
                # slice by slice: a long document's rows go to the writers as they come
                for e, t in iter_tagged(batch, speakers, nlp, gazetteer,
                                        settings.nlp.batch_size, settings.nlp.processes):
                    yield [], {out.name: to_table(e, ENTITIES),
                               TOKENS.filename: to_table(t, TOKENS)}
                tick(len(batch))
                yield doc_ids, {}

        prov = prov or stage_provenance("tag", settings, spacy=spacy_provenance(nlp))
        with TableWriter(txn.staged(out.name), ENTITIES, fp, provenance=prov) as ents, \
                TableWriter(txn.staged(TOKENS.filename), TOKENS, fp, provenance=prov) as toks:
            write_merged({out.name: ents, TOKENS.filename: toks}, order, reuse, previous,
                         FreshRows(batches(), specs, order))
        txn.record(out.name, ENTITIES.kind, fp, inputs, **{DOC_KEYS: keys})
        txn.record(TOKENS.filename, TOKENS.kind, fp, inputs, **{DOC_KEYS: keys})
        notes = {"tokens": toks.rows, **incremental_notes(order, reuse)}
        return StageResult("tag", [out, tokens_out], ents.rows, notes=notes)

    return in_transaction(out.parent, txn, wait, body)


def _fresh_rows(path: Path, spec: TableSpec, reuse: set[str]) -> int:
    """Rows of ``path`` that belong to documents not in ``reuse``."""
    if not reuse:
        return _row_count(path)
    ids = pa.concat_tables([pf.read(columns=["doc_id"]) for pf in check_file(path, spec)])
    keep = pc.invert(pc.is_in(ids.column("doc_id"), value_set=pa.array(sorted(reuse))))
    return int(pc.sum(keep.cast(pa.int64())).as_py() or 0)


def _fresh_groups(path: Path, spec: TableSpec, reuse: set[str], rows: int,
                  ) -> Iterator[tuple[list[str], pd.DataFrame]]:
    """(doc_ids, rows) of about ``rows`` rows of whole documents not in ``reuse``."""
    pending: list[pd.DataFrame] = []
    doc_ids: list[str] = []
    size = 0
    for doc_id, group in iter_doc_groups(path, spec, only_not=reuse):
        pending.append(group)
        doc_ids.append(doc_id)
        size += len(group)
        if size >= rows:
            yield doc_ids, pd.concat(pending, ignore_index=True)
            pending, doc_ids, size = [], [], 0
    if pending:
        yield doc_ids, pd.concat(pending, ignore_index=True)


# --------------------------------------------------------------------------- classify
def iter_doc_groups(
    path: Path, spec, batch_rows: int = 20_000, columns: list[str] | None = None,
    only_not: set[str] | None = None,
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Rows of ``path`` grouped by consecutive ``doc_id``, streamed in file order; without
    the documents in ``only_not``."""
    pending: list[pd.DataFrame] = []  # rows of the last document seen, not yet complete
    pending_id = None
    for batch in iter_frames(path, spec, batch_rows, columns):
        if only_not:
            batch = batch[~batch["doc_id"].isin(only_not)]
            if not len(batch):
                continue
        ids = batch["doc_id"].to_numpy()
        if pending and (ids == pending_id).all():
            pending.append(batch)  # a long document: joined once, when it is complete
            continue
        if pending:
            batch = pd.concat([*pending, batch], ignore_index=True)
            ids = batch["doc_id"].to_numpy()
        pending_id = ids[-1]
        complete = batch[ids != pending_id]
        pending = [batch[ids == pending_id]]
        yield from complete.groupby("doc_id", sort=False)
    if pending:
        last = pd.concat(pending, ignore_index=True)
        pending.clear()  # the pieces go before the document is used
        yield pending_id, last


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
        from claimflow.claims.ensemble import classifier_version

        inputs = inputs_of(txn, sentences, entities, tokens, documents)
        version = classifier_version(settings)
        fp = classify_fingerprint(read_fingerprint(entities) or "", documents, settings,
                                  version)
        if current(txn, [out.name], fp, inputs, force):
            return StageResult("classify", [out], _row_count(out), skipped=True)
        keys = stage_keys(documents, settings, "classify", version)
        order = list(keys)
        reuse, previous = reusable_rows(txn, {out.name: CLAIMS}, keys, force)
        rows = _classify(sentences, entities, tokens, documents, txn.staged(out.name), fp,
                         settings, progress, order, reuse, previous)
        txn.record(out.name, CLAIMS.kind, fp, inputs, **{DOC_KEYS: keys})
        notes = {"non_english_sentences": _non_english(sentences),
                 **incremental_notes(order, reuse)}
        return StageResult("classify", [out], rows, notes=notes)

    return in_transaction(out.parent, txn, wait, body)


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _non_english(sentences: Path) -> int:
    langs = pa.concat_tables([pf.read(columns=["lang"])
                              for pf in check_file(sentences, SENTENCES)]).column("lang")
    return int(pc.sum(pc.not_equal(langs, "en").cast(pa.int64())).as_py() or 0)


def _classify(sentences: Path, entities: Path, tokens: Path, documents: Path, out: Path,
              fp: str, settings: Settings, progress: Progress, order: list[str],
              reuse: set[str], previous: dict[str, PreviousRows]) -> int:
    from claimflow.claims.ensemble import ClaimClassifier
    from claimflow.stages.classify import classify_sentences

    prov = kept_provenance(out.name, order, reuse, previous)
    classifier = None if prov is not None else ClaimClassifier.cached(settings)
    speakers = read_table(documents, DOCUMENTS, ["doc_id", "speaker", "speaker_code", "outlet"])
    fresh = set(order) - reuse
    # token and entity rows are read from disk a chunk of sentences at a time
    toks = SentenceRows(tokens, TOKENS, only=fresh).frame
    ents = SentenceRows(entities, ENTITIES, only=fresh).frame
    tick = progress("classify", _fresh_rows(sentences, SENTENCES, reuse))

    def classified(buffer: list[tuple[str, pd.DataFrame]]):
        doc_ids = [b[0] for b in buffer]
        sents = _joined([b[1] for b in buffer])
        buffer.clear()  # one copy of a long document's rows, not two
        claims = classify_sentences(sents, toks, ents, speakers, classifier)
        tick(len(sents))
        return doc_ids, {out.name: claims}

    def batches():
        buffer: list[tuple[str, pd.DataFrame]] = []
        buffered = 0
        for doc_id, sents in iter_doc_groups(sentences, SENTENCES, only_not=reuse):
            buffer.append((doc_id, sents))
            buffered += len(sents)
            if buffered >= 2048:
                yield classified(buffer)
                buffer, buffered = [], 0
        if buffer:
            yield classified(buffer)

    prov = prov or classify_provenance(settings, classifier)
    with TableWriter(out, CLAIMS, fp, provenance=prov) as writer:
        write_merged({out.name: writer}, order, reuse, previous,
                     FreshRows(batches(), {out.name: CLAIMS}, order))
    return writer.rows
