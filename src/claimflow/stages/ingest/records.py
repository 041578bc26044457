"""Ingest, record files -> documents: one document per JSONL object or CSV row ('id',
'text', optional 'title' and 'date')."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from collections.abc import Iterator

from claimflow.config import IngestSettings
from claimflow.stages.ingest.metadata import _Doc, _make_doc, _parse_date
from claimflow.stages.ingest.normalize import _clean_inline, _sanitize_id, _strip_ext
from claimflow.stages.ingest.report import SKIPPED, WARNING, ReportRow


def _record_documents(
    text: str, rel: str, ext: str, settings: IngestSettings, patterns
) -> Iterator[_Doc | ReportRow]:
    stem = _sanitize_id(_strip_ext(rel)) or rel
    seen = False
    for lineno, rec, err in _iter_records(text, ext):
        seen = True
        where = f"{rel}#{lineno}"
        if err is not None:
            yield ReportRow(rel if lineno == 0 else where, None, SKIPPED, err)
            continue
        raw_id = rec.get("id")
        rid = _sanitize_id(raw_id) if raw_id is not None else ""
        if not rid:
            rid = f"{stem}#{lineno}"
            yield ReportRow(where, rid, WARNING, f"line {lineno}: record has no id, using {rid!r}")
        body = rec.get("text")
        if not isinstance(body, str) or not body.strip():
            yield ReportRow(where, rid, SKIPPED, f"line {lineno}: record has no text")
            continue
        sha = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
        doc = _make_doc(rid, where, sha, body, settings, patterns)
        title = rec.get("title")
        if isinstance(title, str) and title.strip():
            doc.title = _clean_inline(title)
        raw_date = rec.get("date")
        if raw_date not in (None, ""):
            parsed = _parse_date(str(raw_date), settings)
            if parsed is None:
                yield ReportRow(
                    where, rid, WARNING, f"line {lineno}: unparseable date {str(raw_date)[:40]!r}"
                )
            else:
                doc.published = parsed
        yield doc
    if not seen:
        yield ReportRow(rel, stem, SKIPPED, "no records in file (only blank lines)")


def _iter_records(text: str, ext: str) -> Iterator[tuple[int, dict, str | None]]:
    """(line number, record, error) triples; line 0 with an error means the whole file failed."""
    if ext == ".jsonl":
        return _jsonl_records(text)
    return _csv_records(text)


def _jsonl_records(text: str) -> Iterator[tuple[int, dict, str | None]]:
    for i, line in enumerate(_iter_lines(text), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            yield i, {}, f"line {i}: not valid JSON, line skipped"
            continue
        if not isinstance(rec, dict):
            yield i, {}, f"line {i}: not a JSON object, line skipped"
            continue
        yield i, rec, None


def _iter_lines(text: str) -> Iterator[str]:
    """``text.split("\n")``, one line at a time (no list of every line)."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def _csv_records(text: str) -> Iterator[tuple[int, dict, str | None]]:
    """Rows keyed by the lower-cased header; blank rows skipped; a malformed row ends the file."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        yield 0, {}, "empty CSV file"
        return
    except csv.Error as exc:
        yield 0, {}, f"malformed CSV header ({exc})"
        return
    cols = [h.strip().lower() for h in header]
    if "text" not in cols:
        yield 0, {}, "CSV file has no 'text' column"
        return
    n = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield (
                reader.line_num,
                {},
                f"line {reader.line_num}: malformed CSV ({exc}); rest of file skipped",
            )
            return
        n += 1
        if not any(cell.strip() for cell in row):
            continue
        rec = {c: (row[i] if i < len(row) else None) for i, c in enumerate(cols) if c}
        yield reader.line_num, rec, None
