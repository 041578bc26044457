"""Ingest, the pure part: raw files in, (documents, report) frames out.

Per file: skip what cannot be read, is compressed or of an unsupported type; decode (or take
the text layer of a PDF, the paragraphs of a DOCX); one document per text/Markdown/HTML/PDF/
DOCX file or per record; then drop too-short texts, reused ids and
duplicates (same bytes, or same text up to case and whitespace).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pandas as pd

from claimflow.config import IngestSettings
from claimflow.contract.schemas import DOCUMENTS, INGEST_REPORT
from claimflow.stages.ingest.decode import decode_bytes, sniff_container, stray_nul_note
from claimflow.stages.ingest.discovery import RawFile
from claimflow.stages.ingest.html import _extract_html, _strip_markdown
from claimflow.stages.ingest.metadata import _Doc, _make_doc, _parse_date
from claimflow.stages.ingest.normalize import _ext, _sanitize_id, _strip_ext, load_boilerplate
from claimflow.stages.ingest.paged import DOCX_EXTS, PAGED_EXTS, PDF_EXTS, extract_paged
from claimflow.stages.ingest.records import _record_documents
from claimflow.stages.ingest.report import DUPLICATE, SKIPPED, WARNING, ReportRow

TEXT_EXTS = {".txt", ".md", ".markdown"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
RECORD_EXTS = {".jsonl", ".csv"}
SUPPORTED_EXTS = TEXT_EXTS | HTML_EXTS | RECORD_EXTS | PDF_EXTS | DOCX_EXTS
_SPACES = re.compile(r"\s+")
COMPRESSED_EXTS = {".gz", ".tgz", ".zip", ".bz2", ".xz", ".7z", ".rar", ".zst", ".lz4"}


def build_documents(
    files: Iterable[RawFile],
    settings: IngestSettings,
    log_fn: Callable[[ReportRow], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(documents, report) frames with exactly DOCUMENTS.columns and INGEST_REPORT.columns.

    Pure: input order does not matter (files are processed sorted by ``rel``). ``log_fn`` is
    called once per report row, as it is produced, so a CLI can print one line per problem.
    """
    patterns = load_boilerplate(settings.boilerplate)
    report: list[ReportRow] = []

    def note(row: ReportRow) -> None:
        report.append(row)
        if log_fn is not None:
            log_fn(row)

    docs: list[_Doc] = []
    seen = _Seen()
    for f in sorted(files, key=lambda f: f.rel):
        for item in _file_documents(f, settings, patterns):
            if isinstance(item, ReportRow):
                note(item)
                continue
            rejected = _admit(item, settings, seen)
            if rejected is not None:
                note(rejected)
                continue
            for row in _warnings(item):
                note(row)
            docs.append(item)

    return _documents_frame(docs), _report_frame(report)


@dataclass
class _Seen:
    """The documents kept so far, by doc_id (-> path), by sha256 and by folded text (-> doc_id)."""

    by_id: dict[str, str] = field(default_factory=dict)
    by_sha: dict[str, str] = field(default_factory=dict)
    by_text: dict[bytes, str] = field(default_factory=dict)


def _admit(doc: _Doc, settings: IngestSettings, seen: _Seen) -> ReportRow | None:
    """Why ``doc`` is not kept (too short, doc_id taken, duplicate); else None, and ``doc`` is
    recorded in ``seen``."""
    if len(doc.text) < max(1, settings.min_chars):
        reason = (
            "no text after cleaning"
            if not doc.text
            else f"too short after cleaning ({len(doc.text)} chars < {settings.min_chars})"
        )
        return ReportRow(doc.path, doc.doc_id, SKIPPED, reason)
    if doc.doc_id in seen.by_id:
        return ReportRow(
            doc.path, doc.doc_id, SKIPPED, f"doc_id already used by {seen.by_id[doc.doc_id]}"
        )
    if doc.sha256 in seen.by_sha:
        return ReportRow(doc.path, doc.doc_id, DUPLICATE, f"duplicate of {seen.by_sha[doc.sha256]}")
    key = _text_key(doc.text)
    if key in seen.by_text:
        return ReportRow(doc.path, doc.doc_id, DUPLICATE, f"duplicate of {seen.by_text[key]}")
    seen.by_id[doc.doc_id] = doc.path
    seen.by_sha[doc.sha256] = doc.doc_id
    seen.by_text[key] = doc.doc_id
    return None


def _text_key(text: str) -> bytes:
    """Digest of ``text`` up to case and whitespace (a digest, not a copy of the text)."""
    folded = _SPACES.sub(" ", text.casefold()).strip()  # == " ".join(text.casefold().split())
    return hashlib.sha256(folded.encode("utf-8", "surrogatepass")).digest()


def _warnings(doc: _Doc) -> list[ReportRow]:
    """Report rows for a kept document: its own notes, then a non-English language."""
    rows = [ReportRow(doc.path, doc.doc_id, WARNING, msg) for msg in doc.notes]
    if doc.lang != "en":
        if doc.lang == "und":
            reason = "language not identified: only sentence splitting applies"
        else:
            reason = f"not English (detected {doc.lang}): only sentence splitting applies"
        rows.append(ReportRow(doc.path, doc.doc_id, WARNING, reason))
    return rows


def _documents_frame(docs: list[_Doc]) -> pd.DataFrame:
    rows = [
        {
            "doc_id": d.doc_id,
            "path": d.path,
            "sha256": d.sha256,
            "title": d.title,
            "published": d.published,
            "place": d.place,
            "outlet": d.outlet,
            "doc_number": d.doc_number,
            "speaker": None,
            "speaker_code": None,
            "lang": d.lang,
            "text": d.text,
            "n_chars": len(d.text),
        }
        for d in docs
    ]
    df = pd.DataFrame(rows, columns=DOCUMENTS.columns)
    df["n_chars"] = df["n_chars"].astype("int64")
    for col in ("title", "published", "place", "outlet", "doc_number", "speaker", "speaker_code"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df


def _report_frame(rows: list[ReportRow]) -> pd.DataFrame:
    return pd.DataFrame(
        [(r.path, r.doc_id, r.status, r.reason) for r in rows], columns=INGEST_REPORT.columns
    ).astype(object)


# ----------------------------------------------------------------------------- per file


def _file_documents(f: RawFile, settings: IngestSettings, patterns) -> Iterator[_Doc | ReportRow]:
    rel = f.rel
    doc_id = _sanitize_id(_strip_ext(rel)) or rel
    data, error = f.read()  # this file's bytes, dropped when it is done
    if data is None:
        yield ReportRow(rel, doc_id, SKIPPED, error or "unreadable file")
        return
    ext = _ext(rel)
    why = _unsupported(ext, data)
    if why is not None:
        yield ReportRow(rel, doc_id, SKIPPED, why)
        return
    if ext in PAGED_EXTS:
        yield _paged_document(doc_id, rel, data, ext, settings, patterns)
        return
    sha = hashlib.sha256(data).hexdigest()
    text, why = decode_bytes(data)
    nul_note = stray_nul_note(data)
    del data
    if text is None:
        yield ReportRow(rel, doc_id, SKIPPED, why or "undecodable bytes")
        return
    if ext in RECORD_EXTS:
        if nul_note:
            yield ReportRow(rel, None, WARNING, nul_note)
        yield from _record_documents(text, rel, ext, settings, patterns)
        return
    doc = _text_document(doc_id, rel, sha, text, ext, settings, patterns)
    if nul_note:
        doc.notes.insert(0, nul_note)
    yield doc


def _unsupported(ext: str, data: bytes) -> str | None:
    """Why a file of this extension and leading bytes is not read (compressed, archive, PDF,
    unsupported type), else None."""
    if ext in COMPRESSED_EXTS:
        return "compressed file, not supported"
    if ext not in SUPPORTED_EXTS:
        what = f"({ext})" if ext else "(no extension)"
        return f"unsupported file type {what}"
    packed = sniff_container(data) if ext not in PAGED_EXTS else None
    if packed is not None:
        return f"{packed} despite the {ext} name, not supported"
    return None


def _paged_document(
    doc_id: str, rel: str, data: bytes, ext: str, settings: IngestSettings, patterns
) -> _Doc | ReportRow:
    """The document of a PDF or DOCX file (its text, then the same cleaning and metadata as
    a text file; the file's title property fills a gap), or why it cannot be read."""
    # a zip bomb in a .docx is stopped before it is unpacked
    got = extract_paged(ext, data, max_unpacked_bytes=int(settings.max_file_mb * 1024 * 1024 * 5))
    if got.text is None:
        return ReportRow(rel, doc_id, SKIPPED, got.reason or "unreadable file")
    sha = hashlib.sha256(data).hexdigest()
    doc = _make_doc(doc_id, rel, sha, got.text, settings, patterns)
    doc.notes[:0] = got.notes
    doc.title = doc.title or got.title
    return doc


def _text_document(
    doc_id: str, rel: str, sha: str, text: str, ext: str, settings: IngestSettings, patterns
) -> _Doc:
    """The document of a text, Markdown or HTML file; a page's own metadata fills the gaps."""
    if ext not in HTML_EXTS:
        if ext in {".md", ".markdown"}:
            text = _strip_markdown(text)
        return _make_doc(doc_id, rel, sha, text, settings, patterns)
    text, meta_title, meta_date, meta_site, html_note = _extract_html(text)
    doc = _make_doc(doc_id, rel, sha, text, settings, patterns)
    if html_note:
        doc.notes.append(html_note)
    doc.title = doc.title or meta_title
    doc.published = doc.published or _parse_date(meta_date, settings)
    doc.outlet = doc.outlet or meta_site
    return doc
