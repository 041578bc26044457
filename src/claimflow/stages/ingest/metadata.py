"""Ingest: raw statement files -> one clean document row each, plus a report of what was skipped.

``discover`` is the only function that touches the filesystem; ``build_documents`` is pure
(bytes in, frames out), so it can be tested on in-memory input.

Per file: decode robustly (UTF-8 with/without BOM, UTF-16 with BOM, else charset-normalizer
with a cp1252 preference on ties), extract HTML main text with trafilatura, normalise
(NFC, newlines, control chars, trailing spaces), strip boilerplate lines (patterns in
``settings.boilerplate``), pull metadata out of the text (dateline date and place, a date-only
line, document number, headline title, the credited outlet), drop repeated headlines and
truncated teasers, identify the language per paragraph, and drop duplicates.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import html as htmllib
import io
import json
import logging
import os
import re
import stat
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from claimflow.config import IngestSettings
from claimflow.contract.schemas import DOCUMENTS, INGEST_REPORT
from claimflow.errors import ClaimflowError
from claimflow.nlp.lang import detect

log = logging.getLogger(__name__)

TEXT_EXTS = {".txt", ".md", ".markdown"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
RECORD_EXTS = {".jsonl", ".csv"}
SUPPORTED_EXTS = TEXT_EXTS | HTML_EXTS | RECORD_EXTS
COMPRESSED_EXTS = {".gz", ".tgz", ".zip", ".bz2", ".xz", ".7z", ".rar", ".zst", ".lz4"}

SKIPPED, DUPLICATE, WARNING = "skipped", "duplicate", "warning"


# ----------------------------------------------------------------------------- data types


@dataclass
class RawFile:
    """One file found under RAW_DIR: its bytes, or why they could not be read."""

    path: Path
    rel: str  # path under RAW_DIR, '/'-separated
    data: bytes | None
    error: str | None = None


@dataclass(frozen=True)
class ReportRow:
    """One line of ``ingest_report``: a skipped file, a duplicate, or a warning."""

    path: str
    doc_id: str | None
    status: str  # skipped | duplicate | warning
    reason: str  # one human sentence

    def message(self) -> str:
        who = f" ({self.doc_id})" if self.doc_id and self.doc_id not in self.path else ""
        return f"{self.path}{who}: {self.status}: {self.reason}"


@dataclass
class _Doc:
    doc_id: str
    path: str
    sha256: str
    text: str
    title: str | None = None
    published: date | None = None
    place: str | None = None
    outlet: str | None = None
    doc_number: str | None = None
    lang: str = "und"
    notes: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- discovery


def discover(raw_dir: Path, settings: IngestSettings) -> Iterator[RawFile]:
    """Files under ``raw_dir`` (recursively, sorted by relative path), with their bytes.

    Hidden files and folders (name starting with '.') are ignored. A file that cannot be read
    (permission, dangling symlink, symlink loop, larger than ``settings.max_file_mb``) comes
    back with ``error`` set and ``data`` None; one bad file never raises.
    Raises ClaimflowError, eagerly, when ``raw_dir`` is missing, not a folder, or holds no files.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.exists():
        raise ClaimflowError(f"{raw_dir}: raw folder not found")
    if not raw_dir.is_dir():
        raise ClaimflowError(f"{raw_dir}: not a folder")
    entries = _walk(raw_dir)
    if not entries:
        raise ClaimflowError(f"{raw_dir}: no input files found")
    limit = int(settings.max_file_mb * 1024 * 1024)
    return (_read(path, rel, error, limit, settings.max_file_mb) for rel, path, error in entries)


def _walk(raw_dir: Path) -> list[tuple[str, Path, str | None]]:
    """(rel, path, error) for every non-hidden file, sorted by rel; follows dir symlinks once."""
    out: list[tuple[str, Path, str | None]] = []
    try:
        root_st = raw_dir.stat()
    except OSError as exc:
        raise ClaimflowError(f"{raw_dir}: cannot read raw folder ({exc.strerror})") from None
    seen_dirs = {(root_st.st_dev, root_st.st_ino)}
    stack: list[tuple[Path, str]] = [(raw_dir, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                names = sorted((e.name, e.is_symlink()) for e in it)
        except PermissionError:
            out.append((prefix.rstrip("/") or ".", folder, "permission denied (folder)"))
            continue
        except OSError as exc:
            out.append((prefix.rstrip("/") or ".", folder, f"unreadable folder ({exc.strerror})"))
            continue
        for name, is_link in names:
            if name.startswith("."):
                continue
            path = folder / name
            rel = prefix + name
            try:
                st = path.stat()  # follows symlinks
            except OSError as exc:
                if is_link:
                    reason = "symlink loop" if _is_loop(exc) else "broken symlink (target missing)"
                elif isinstance(exc, PermissionError):
                    reason = "permission denied"
                else:
                    reason = f"unreadable path ({exc.strerror or exc})"
                out.append((rel, path, reason))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in seen_dirs:
                    out.append((rel, path, "symlink loop (folder already visited)"))
                    continue
                seen_dirs.add(key)
                stack.append((path, rel + "/"))
            elif stat.S_ISREG(st.st_mode):
                out.append((rel, path, None))
            else:
                out.append((rel, path, "not a regular file"))
    out.sort(key=lambda t: t[0])
    return out


def _is_loop(exc: OSError) -> bool:
    import errno

    return exc.errno == errno.ELOOP


def _read(path: Path, rel: str, error: str | None, limit: int, limit_mb: float) -> RawFile:
    if error is not None:
        return RawFile(path, rel, None, error)
    try:
        size = path.stat().st_size
        if size > limit:
            return RawFile(path, rel, None, f"larger than {limit_mb:g} MB limit ({_mb(size)})")
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:  # grew between stat and read
            return RawFile(path, rel, None, f"larger than {limit_mb:g} MB limit")
        return RawFile(path, rel, data, None)
    except PermissionError:
        return RawFile(path, rel, None, "permission denied")
    except FileNotFoundError:
        return RawFile(path, rel, None, "file disappeared before it could be read")
    except IsADirectoryError:
        return RawFile(path, rel, None, "not a regular file")
    except OSError as exc:
        if _is_loop(exc):
            return RawFile(path, rel, None, "symlink loop")
        return RawFile(path, rel, None, f"unreadable file ({exc.strerror or exc})")


def _mb(size: int) -> str:
    return (
        f"{size / 1024 / 1024:.2f} MB"
        if size < 1024 * 1024 * 10
        else f"{size / 1024 / 1024:.0f} MB"
    )


# ----------------------------------------------------------------------------- build


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

    def note(path: str, doc_id: str | None, status: str, reason: str) -> None:
        row = ReportRow(path, doc_id, status, reason)
        report.append(row)
        if log_fn is not None:
            log_fn(row)

    docs: list[_Doc] = []
    by_id: dict[str, str] = {}
    by_sha: dict[str, str] = {}
    by_text: dict[str, str] = {}

    def accept(doc: _Doc) -> None:
        if len(doc.text) < max(1, settings.min_chars):
            reason = (
                "no text after cleaning"
                if not doc.text
                else f"too short after cleaning ({len(doc.text)} chars < {settings.min_chars})"
            )
            note(doc.path, doc.doc_id, SKIPPED, reason)
            return
        if doc.doc_id in by_id:
            note(doc.path, doc.doc_id, SKIPPED, f"doc_id already used by {by_id[doc.doc_id]}")
            return
        if doc.sha256 in by_sha:
            note(doc.path, doc.doc_id, DUPLICATE, f"duplicate of {by_sha[doc.sha256]}")
            return
        key = " ".join(doc.text.casefold().split())
        if key in by_text:
            note(doc.path, doc.doc_id, DUPLICATE, f"duplicate of {by_text[key]}")
            return
        by_id[doc.doc_id] = doc.path
        by_sha[doc.sha256] = doc.doc_id
        by_text[key] = doc.doc_id
        for msg in doc.notes:
            note(doc.path, doc.doc_id, WARNING, msg)
        if doc.lang != "en":
            if doc.lang == "und":
                note(
                    doc.path,
                    doc.doc_id,
                    WARNING,
                    "language not identified: only sentence splitting applies",
                )
            else:
                note(
                    doc.path,
                    doc.doc_id,
                    WARNING,
                    f"not English (detected {doc.lang}): only sentence splitting applies",
                )
        docs.append(doc)

    for f in sorted(files, key=lambda f: f.rel):
        for item in _file_documents(f, settings, patterns):
            if isinstance(item, ReportRow):
                note(item.path, item.doc_id, item.status, item.reason)
            else:
                accept(item)

    return _documents_frame(docs), _report_frame(report)


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
    if f.error is not None or f.data is None:
        yield ReportRow(rel, doc_id, SKIPPED, f.error or "unreadable file")
        return
    ext = _ext(rel)
    if ext in COMPRESSED_EXTS:
        yield ReportRow(rel, doc_id, SKIPPED, "compressed file, not supported")
        return
    if ext not in SUPPORTED_EXTS:
        what = f"({ext})" if ext else "(no extension)"
        yield ReportRow(rel, doc_id, SKIPPED, f"unsupported file type {what}")
        return
    packed = sniff_container(f.data)
    if packed is not None:
        yield ReportRow(rel, doc_id, SKIPPED, f"{packed} despite the {ext} name, not supported")
        return
    text, why = decode_bytes(f.data)
    if text is None:
        yield ReportRow(rel, doc_id, SKIPPED, why or "undecodable bytes")
        return
    sha = hashlib.sha256(f.data).hexdigest()
    if ext in RECORD_EXTS:
        yield from _record_documents(text, rel, ext, settings, patterns)
        return
    meta_title = meta_date = meta_site = None
    html_note = None
    if ext in HTML_EXTS:
        text, meta_title, meta_date, meta_site, html_note = _extract_html(text)
    elif ext in {".md", ".markdown"}:
        text = _strip_markdown(text)
    doc = _make_doc(doc_id, rel, sha, text, settings, patterns)
    if html_note:
        doc.notes.append(html_note)
    if ext in HTML_EXTS:
        doc.title = doc.title or meta_title
        doc.published = doc.published or _parse_date(meta_date, settings)
        doc.outlet = doc.outlet or meta_site
    yield doc


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
        for i, line in enumerate(text.split("\n"), start=1):
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
        return
    # CSV
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


# ----------------------------------------------------------------------------- decoding

_CP1252_FAMILY = ("cp1252", "latin_1", "iso8859_15", "iso8859_1", "windows-1252")
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


# Leading bytes of containers whose text claimflow cannot read directly.
_MAGIC = (
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "zip archive"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"(\xb5/\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "7-zip archive"),
    (b"\x04\x22\x4d\x18", "lz4-compressed data"),
    (b"%PDF-", "PDF document"),
)


def sniff_container(data: bytes) -> str | None:
    """What compressed/archive/PDF format ``data`` is in, by its magic bytes, else None."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            if magic == b"BZh" and data[4:10] != b"1AY&SY":
                continue  # plain text that happens to start with "BZh"
            return what
    return None


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason). Does not normalise beyond decoding."""
    if not data.strip():
        return None, "empty file"
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                return None, "undecodable bytes"
            return (text, None) if text.strip() else (None, "empty file")
    if b"\x00" in data:
        return None, "binary file (NUL bytes)"
    sample = data[:65536]
    if len(sample.translate(None, _BINARY_BYTES)) < 0.9 * len(sample):
        return None, "binary file (mostly non-text bytes)"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _detect_decode(data)
    if text is None:
        return None, "undecodable bytes"
    return (text, None) if text.strip() else (None, "empty file")  # e.g. only U+3000 / NBSP


def _detect_decode(data: bytes) -> str | None:
    import charset_normalizer

    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    ascii_share = sum(b < 0x80 for b in data[:65536]) / max(1, len(data[:65536]))
    if best is None:
        # charset-normalizer gave up; mostly-ASCII Western text is still cp1252
        return _as_cp1252(data) if ascii_share >= 0.9 else None
    tied = [m.encoding for m in matches if m.chaos <= best.chaos + 0.01]
    if any(enc in _CP1252_FAMILY for enc in tied) or (
        ascii_share >= 0.9 and best.encoding not in ("cp1251",)
    ):
        text = _as_cp1252(data)
        if text is not None:
            return text
    text = str(best)
    bad = sum(1 for ch in text if unicodedata.category(ch) in ("Co", "Cn", "Cs") or ch == "\ufffd")
    if bad > 0.02 * len(text):
        return None
    return text


def _as_cp1252(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    # every non-ASCII char must be a Latin letter or common typographic punctuation
    for ch in set(text):
        if ord(ch) < 0x80:
            continue
        cat = unicodedata.category(ch)
        if cat.startswith("L") and "LATIN" not in unicodedata.name(ch, ""):
            return None
        if cat in ("Cc", "Co", "Cn"):
            return None
    return text


# ----------------------------------------------------------------------------- HTML


_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "template"}
)
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
        "blockquote", "pre", "ul", "ol", "table", "title",
    }
)
_RAW_TEXT_TAGS = ("script", "style")  # their content is not markup: skip to the end tag
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)")
_RAW_TEXT_END = {t: re.compile(rf"</{t}\s*>", re.I) for t in _RAW_TEXT_TAGS}
# libxml2 (under lxml, hence trafilatura) drops everything below this nesting depth.
_LXML_MAX_DEPTH = 255


def _fallback_text(html: str) -> str:
    """HTML -> text without a DOM: block elements become blank lines; script/style/nav dropped.

    One linear pass. A '<' that does not open a tag closed before the next '<' is text; an
    unclosed comment hides the rest of the page, as in a browser. There is no tree, so any
    nesting depth is fine. (``html.parser`` rescans to the end of the input for every unclosed
    tag or comment, which takes minutes on a few hundred kB of broken markup.)
    """
    parts: list[str] = []
    skip = 0
    n = len(html)
    pos = 0
    gt = html.find(">")  # the next '>' at or after the cursor; -1 when none is left

    def data(chunk: str) -> None:
        if chunk and not skip:
            parts.append(htmllib.unescape(chunk))

    i = html.find("<")
    while i != -1:
        data(html[pos:i])
        if html.startswith("<!--", i):
            close = html.find("-->", i + 4)
            if close == -1:
                pos = n
                break
            pos = close + 3
            i = html.find("<", pos)
            continue
        if gt != -1 and gt < i:
            gt = html.find(">", i)
        nxt = html.find("<", i + 1)
        if gt == -1 or (nxt != -1 and nxt < gt):  # a stray '<': plain text
            data("<")
            pos = i + 1
            i = nxt
            continue
        m = _TAG_NAME.match(html, i, gt + 1)
        if m is None and html[i + 1 : i + 2] not in ("!", "?", "/"):  # "a < b": text
            data("<")
            pos = i + 1
            i = nxt
            continue
        pos = gt + 1
        if m:  # <!doctype>, <?pi?>, <![CDATA[ ... are not text
            closing, tag = m[1] == "/", m[2].lower()
            self_closing = html[gt - 1] == "/"
            if tag in _SKIP_TAGS:
                if closing:
                    skip = max(0, skip - 1)
                elif not self_closing and tag in _RAW_TEXT_TAGS:
                    end = _RAW_TEXT_END[tag].search(html, pos)
                    pos = end.end() if end else n
                    if end:
                        gt = html.find(">", pos)
                    else:
                        break
                elif not self_closing:
                    skip += 1
            elif tag in _BLOCK_TAGS and not skip:
                parts.append("\n\n")
        i = html.find("<", pos)
    data(html[pos:])
    return "".join(parts)


def _lxml_depth_limited(html: str) -> bool:
    """True when libxml2 would cut this page short (nesting deeper than it allows)."""
    try:
        from lxml import etree
        from lxml import html as lxml_html

        parser = lxml_html.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False,
            default_doctype=False,
        )
        root = etree.fromstring(html.encode("utf-8", "replace"), parser)
        if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
            return True
        if root is None:
            return False
        depth = deepest = 0
        for event, _ in etree.iterwalk(root, events=("start", "end")):
            depth += 1 if event == "start" else -1
            deepest = max(deepest, depth)
        return deepest >= _LXML_MAX_DEPTH
    except Exception:  # noqa: BLE001 - a check that fails must not stop the run
        return False


def extract_html(html: str) -> tuple[str, str | None, str | None, str | None]:
    """(main text, title, date string, site name) of an HTML page."""
    return _extract_html(html)[:4]


def _extract_html(html: str) -> tuple[str, str | None, str | None, str | None, str | None]:
    """``extract_html`` plus a warning for the ingest report (or None)."""
    text = title = when = site = note = None
    if _lxml_depth_limited(html):
        note = (
            f"HTML nested deeper than {_LXML_MAX_DEPTH} levels: main-text extraction skipped, "
            "all page text kept"
        )
    else:
        try:
            import trafilatura

            # trafilatura's own log lines ("discarding data: None") name no input file
            with _quiet_loggers("trafilatura", "htmldate", "courlan"):
                doc = trafilatura.bare_extraction(
                    html,
                    include_comments=False,
                    include_tables=True,
                    with_metadata=True,
                    deduplicate=False,
                    # dates from the page's markup only: a date mentioned in the body is not
                    # the publication date
                    date_extraction_params={"extensive_search": False, "original_date": True},
                )
            if doc is not None:
                d = doc if isinstance(doc, dict) else doc.as_dict()
                text, title, when, site = (
                    d.get("text"),
                    d.get("title"),
                    d.get("date"),
                    d.get("sitename"),
                )
        except Exception as exc:  # trafilatura failing on one page must not stop the run
            log.debug("trafilatura failed: %s", exc)
    if not text or not text.strip():
        text = _fallback_text(html)
        text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    if title:
        title = _clean_inline(title)
        head = text.lstrip()[: len(title) + 200]
        if title not in head:
            text = f"{title}\n\n{text}"
    return text, title, when, (_clean_inline(site) if site else None), note


@contextlib.contextmanager
def _quiet_loggers(*names: str) -> Iterator[None]:
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _strip_markdown(text: str) -> str:
    return re.sub(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", r"\1", text)


# ----------------------------------------------------------------------------- normalising

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\ufeff]")
_ID_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b\u2060\ufeff\u2028\u2029]")


def normalize_text(text: str) -> str:
    """NFC, \\n newlines, no control chars but \\n and \\t, no trailing spaces, <= 1 blank line."""
    text = unicodedata.normalize("NFC", text)
    text = (
        text.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u2029", "\n\n")
    )
    text = text.replace("\f", "\n").replace("\v", "\n")
    text = _CONTROL.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _clean_inline(s: str) -> str:
    return " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", s)).split())


def _sanitize_id(value: object) -> str:
    """An id as plain data: str, NFC, no control chars, trimmed. Never used as a path."""
    s = (
        value
        if isinstance(value, str)
        else json.dumps(value)
        if not isinstance(value, int | float)
        else str(value)
    )
    s = _ID_CONTROL.sub("", unicodedata.normalize("NFC", s))
    return s.strip()


def _ext(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[1].lower() if "." in name.lstrip(".") else ""


def _strip_ext(rel: str) -> str:
    head, _, name = rel.rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return f"{head}/{stem}" if head else stem


@lru_cache(maxsize=8)
def load_boilerplate(path: Path) -> tuple[re.Pattern[str], ...]:
    """Compiled whole-line patterns from ``path`` (one regex a line; '#' comments)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ClaimflowError(f"{path}: cannot read boilerplate patterns ({exc.strerror})") from None
    out = []
    for n, line in enumerate(lines, start=1):
        pat = line.strip()
        if not pat or pat.startswith("#"):
            continue
        try:
            out.append(re.compile(pat))
        except re.error as exc:
            raise ClaimflowError(f"{path}:{n}: bad boilerplate pattern ({exc})") from None
    return tuple(out)


# ----------------------------------------------------------------------------- metadata + cleanup

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# " date 2024-11-21 " scraped prefix
_DATE_PREFIX = re.compile(
    r"^\s*date:?\s+(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s+", re.I
)
# "BAKU, Azerbaijan, November 21. " agency dateline (place, optional country, month day[, year])
_PLACE = r"[A-Z][\w'’.\-]*(?:\s[A-Z][\w'’.\-]*){0,3}"
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE})\s*,\s*(?:(?P<country>{_PLACE})\s*,\s*)?"
    rf"(?P<md>{_MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTHS})(?:,?\s+(?P<year>\d{{4}}))?"
    r"\s*(?:\([^)\n]{1,40}\)\s*)?(?:[.:]|\s[-–—])\s+"
)
_DATE_LINE_GATE = re.compile(
    r"(?i)^(?:(?:published|posted|updated|date|dated)\s*:?\s*)?"
    r"(?=.*\b(?:19|20)\d{2}\b)[\w ,./:\-–|]{6,48}$"
)
_DOC_NUMBER = re.compile(
    r"^(?:No|Nr|№)\.?\s*:?\s*(?P<num>\d[\w]*(?:[/\-.]\w+)*)\s*(?:[,.:;–—-]\s*|\s+)(?P<rest>.*)$"
)
_OUTLET_WORD = r"[A-Z][\w&\-]*(?:\.[A-Za-z][\w\-]*)*"
# "…, Trend reports." / "Report informs." / "Caliber.Az has learned from …"
_OUTLET = re.compile(
    rf"(?:,\s+|^|(?<=[.!?”\"])\s+)(?P<o>{_OUTLET_WORD}(?:\s{_OUTLET_WORD}){{0,2}})\s+"
    r"(?:(?:reports|informs)(?=\s*[.,;]|\s+(?:that|citing|with reference)\b)"
    r"|has (?:learned|learnt)\b)"
)
_NOT_OUTLETS = {
    "It",
    "He",
    "She",
    "They",
    "We",
    "This",
    "That",
    "The",
    "Ministry",
    "Minister",
    "Parliament",
    "Government",
    "Which",
    "Who",
    "I",
    "You",
    "Armenia",
    "Azerbaijan",
}
_HEADLINE_BAD_END = (".", ",", ";", ":")


def _parse_date(s: str | None, settings: IngestSettings) -> date | None:
    if not s:
        return None
    s = s.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])", s)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return _dateparse(s, tuple(settings.languages))


@lru_cache(maxsize=4096)
def _dateparse(s: str, languages: tuple[str, ...]) -> date | None:
    import dateparser

    try:
        langs = [lang for lang in languages if lang] or None
        dt = dateparser.parse(
            s,
            languages=langs,
            settings={
                "STRICT_PARSING": True,
                "DATE_ORDER": "DMY",
                "PREFER_LOCALE_DATE_ORDER": False,
                "RETURN_AS_TIMEZONE_AWARE": False,
            },
        )
    except Exception:
        return None
    return dt.date() if dt is not None else None


def _norm_place(place: str) -> str:
    place = place.strip(" .,")
    if place.isupper() or place.islower():
        place = "-".join(
            " ".join(w.capitalize() for w in part.split()) for part in place.split("-")
        )
    return place


def _make_doc(
    doc_id: str, path: str, sha: str, raw_text: str, settings: IngestSettings, patterns
) -> _Doc:
    text = normalize_text(raw_text)
    doc = _Doc(doc_id=doc_id, path=path, sha256=sha, text="")
    # blocks: [line, sep-after]
    blocks: list[list[str]] = []
    for chunk in re.split(r"(\n+)", text):
        if not chunk:
            continue
        if chunk.startswith("\n"):
            if blocks:
                blocks[-1][1] = "\n\n" if len(chunk) > 1 else "\n"
        else:
            blocks.append([chunk, "\n"])
    # 1. boilerplate lines
    blocks = [b for b in blocks if not any(p.fullmatch(b[0].strip()) for p in patterns)]
    # 2. date-only lines near the top (e.g. "July 29, 2023 09:19")
    kept = []
    for i, b in enumerate(blocks):
        line = b[0].strip()
        if i < 10 and _DATE_LINE_GATE.match(line) and not _DOC_NUMBER.match(line):
            when = _parse_date(
                re.sub(r"(?i)^(published|posted|updated|date|dated)\s*:?\s*", "", line), settings
            )
            if when is not None:
                doc.published = doc.published or when
                continue
        kept.append(b)
    blocks = kept
    # 3. dateline prefix of the first paragraph
    if blocks:
        first = blocks[0][0]
        iso = None
        m = _DATE_PREFIX.match(first)
        if m:
            iso = m[1]
            first = first[m.end() :]
        m = _DATELINE.match(first + " ")
        if m:
            doc.place = _norm_place(m["place"])
            year = m["year"] or (iso[:4] if iso else None)
            if year and doc.published is None:
                doc.published = _parse_date(f"{m['md']} {year}", settings)
            first = (first + " ")[m.end() :].rstrip()
        if iso:
            doc.published = _parse_date(iso, settings) or doc.published
        if first.strip():
            blocks[0][0] = first.strip()
        else:
            blocks.pop(0)
    # 4. document number / headline title
    if blocks:
        first = blocks[0][0].strip()
        m = _DOC_NUMBER.match(first)
        if m:
            doc.doc_number = m["num"]
            rest = m["rest"].strip()
            if rest:
                doc.title = rest.rstrip(" .")
        elif len(blocks) > 1 and _is_headline(first):
            doc.title = first
    # 5. repeated headline, teaser paragraphs, repeated paragraphs
    blocks = _drop_repeats(blocks, doc.title)
    # 6. outlet credited in the first paragraphs
    for b in blocks[:4]:
        for m in _OUTLET.finditer(b[0]):
            name = m["o"]
            if name.split()[0] not in _NOT_OUTLETS:
                doc.outlet = name.rstrip(".")
                break
        if doc.outlet:
            break
    doc.text = "".join(b[0] + b[1] for b in blocks).strip()
    doc.lang = _dominant_lang([b[0] for b in blocks])
    return doc


def _is_headline(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 30
        and len(line) <= 250
        and not line.endswith(_HEADLINE_BAD_END)
        and (line[0].isupper() or line[0].isdigit() or line[0] in "“\"‘'«")
        and not re.match(r"(?i)^(question|answer|q|a)\s*:", line)
    )


def _squash(s: str) -> str:
    return " ".join(s.split()).casefold()


def _drop_repeats(blocks: list[list[str]], title: str | None) -> list[list[str]]:
    """Drop repeats of the headline, teasers (prefix of a later paragraph), repeated paragraphs."""
    t = _squash(title) if title else None
    out: list[list[str]] = []
    seen_title = False
    squashed = [_squash(b[0]) for b in blocks]
    seen: set[str] = set()
    for i, b in enumerate(blocks):
        s = squashed[i]
        if t and s == t:
            if seen_title:
                continue
            seen_title = True
            out.append(b)
            continue
        body = s
        if t and s.startswith(t + " "):
            body = s[len(t) + 1 :]
        body = body.rstrip("….").rstrip()
        if (
            i < 8
            and len(body) >= 30
            and any(later.startswith(body) and later != s for later in squashed[i + 1 :])
        ):
            continue  # truncated teaser of a later paragraph
        if len(s) >= 40 and s in seen:
            continue  # the same paragraph again
        seen.add(s)
        out.append(b)
    return out


def _dominant_lang(paragraphs: list[str]) -> str:
    chars: Counter[str] = Counter()
    for p in paragraphs:
        lang = detect(p)
        if lang != "und":
            chars[lang] += len(p)
    if not chars:
        return detect(" ".join(paragraphs))
    top = max(chars.values())
    return sorted(k for k, v in chars.items() if v == top)[0]
