"""Ingest: raw statement files -> one clean document row each, plus a report of what was skipped.

``discover`` is the only function that touches the filesystem; ``build_documents`` is pure
(bytes in, frames out), so it can be tested on in-memory input.

Per file: decode robustly (UTF-8 with/without BOM, UTF-16 with BOM, else charset-normalizer
with a cp1252 preference on ties), extract HTML main text with trafilatura, the text layer of
a PDF (pypdf) or the paragraphs of a DOCX (python-docx), normalise (NFC, newlines, control
chars, trailing spaces), strip boilerplate lines (patterns in ``settings.boilerplate``), pull
metadata out of the text (dateline date and place from any of the opening lines, a date-only
line, document number, headline title, the credited outlet), drop repeated headlines and
truncated teasers, identify the language per paragraph, and drop duplicates.

Modules, each importing only those listed before it: ``report`` (report rows), ``normalize``
(text and id cleanup, boilerplate patterns), ``discovery`` (walk and read the raw folder),
``decode`` (bytes -> text), ``paged`` (PDF/DOCX bytes -> text), ``html`` (HTML main text,
Markdown), ``metadata`` (text -> document with its metadata), ``records`` (JSONL/CSV records
-> documents), ``documents`` (``build_documents`` and the frames).
"""

from __future__ import annotations

from claimflow.stages.ingest.decode import decode_bytes, sniff_container
from claimflow.stages.ingest.discovery import RawFile, discover
from claimflow.stages.ingest.documents import (
    COMPRESSED_EXTS,
    HTML_EXTS,
    RECORD_EXTS,
    SUPPORTED_EXTS,
    TEXT_EXTS,
    build_documents,
)
from claimflow.stages.ingest.html import extract_html
from claimflow.stages.ingest.normalize import load_boilerplate, normalize_text
from claimflow.stages.ingest.report import DUPLICATE, SKIPPED, WARNING, ReportRow

__all__ = [
    "COMPRESSED_EXTS",
    "DUPLICATE",
    "HTML_EXTS",
    "RECORD_EXTS",
    "SKIPPED",
    "SUPPORTED_EXTS",
    "TEXT_EXTS",
    "WARNING",
    "RawFile",
    "ReportRow",
    "build_documents",
    "decode_bytes",
    "discover",
    "extract_html",
    "load_boilerplate",
    "normalize_text",
    "sniff_container",
]
