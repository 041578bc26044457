"""Ingest, PDF and DOCX bytes -> text: the text layer of each PDF page (pypdf), the paragraphs
of a Word document (python-docx), or the reason the file cannot be read.

Both give plain text that goes through the same cleaning and metadata extraction as a text
file. A PDF's hard-wrapped lines are joined back into paragraphs, because the sentence
splitter treats every line as a unit; a page ends a paragraph. An encrypted PDF is opened
with the empty password (the usual "owner password only" case) and reported otherwise; a
corrupt, image-only or password-protected file is one report line, never an exception.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

PDF_EXTS = {".pdf"}
DOCX_EXTS = {".docx"}
PAGED_EXTS = PDF_EXTS | DOCX_EXTS

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, or an encrypted .docx
# a line that ends a sentence, a list item or a heading-like label: never joined to the next
_LINE_END = re.compile(r"[.!?:;]['\"’”)\]]*$")
_HYPHENATED = re.compile(r"[^\W\d_]-$")  # "anti-" at a line end
# a metadata title that only names the file it was made from
_FILE_TITLE = re.compile(
    r"(?i)^(?:microsoft\s+\w+\s+-\s+)?.*\.(?:docx?|pdf|odt|rtf|txt)$|^untitled"
)


@dataclass
class Extracted:
    """The text of a PDF or DOCX file, the title its properties give, and warnings; or, when
    ``text`` is None, the ``reason`` it cannot be read."""

    text: str | None
    title: str | None = None
    reason: str | None = None
    notes: list[str] = field(default_factory=list)


def extract_paged(ext: str, data: bytes, max_unpacked_bytes: int) -> Extracted:
    """Text of a ``.pdf`` or ``.docx`` file's bytes; never raises."""
    if ext in PDF_EXTS:
        return pdf_text(data)
    return docx_text(data, max_unpacked_bytes)


# ----------------------------------------------------------------------------- PDF


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Silence a library's log warnings and Python warnings about malformed files: what
    matters reaches the ingest report."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def pdf_text(data: bytes) -> Extracted:
    """The text layer of every page, pages as paragraphs, wrapped lines joined."""
    if _PDF_MAGIC not in data[:1024]:
        return Extracted(None, reason="not a PDF file (no %PDF header)")
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a dependency
        return Extracted(None, reason="PDF support needs pypdf (pip install pypdf)")
    with _quiet("pypdf"):
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                why = _decrypt(reader)
                if why is not None:
                    return Extracted(None, reason=why)
            pages = list(reader.pages)
        except Exception as exc:  # pypdf raises many kinds on a corrupt file
            return Extracted(None, reason=f"unreadable PDF ({_short(exc)})")
        out = Extracted(None)
        texts: list[str] = []
        for n, page in enumerate(pages, start=1):
            try:
                texts.append(_page_text(page))
            except Exception as exc:
                out.notes.append(f"PDF page {n} unreadable ({_short(exc)}), skipped")
        out.title = _meta_title(reader)
    pages_text = [unwrap_lines(t) for t in texts]
    if not any(pages_text):
        return Extracted(None, reason="PDF has no text layer (scanned image?), not supported")
    out.text = "\n\n".join(t for t in pages_text if t)
    return out


def _page_text(page) -> str:
    """A page's text in layout mode, where vertical space between paragraphs and after
    headings shows as blank lines; plain mode when the layout cannot be computed."""
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except Exception:
        return page.extract_text() or ""


def _decrypt(reader) -> str | None:
    """Open an encrypted PDF with the empty user password; why not, else None."""
    try:
        ok = reader.decrypt("")
    except Exception as exc:  # e.g. AES without the cryptography package
        return f"encrypted PDF, cannot decrypt ({_short(exc)})"
    if not ok:
        return "encrypted PDF (password required), not supported"
    return None


def _meta_title(reader) -> str | None:
    try:
        meta = reader.metadata
        title = meta.title if meta is not None else None
    except Exception:
        return None
    return _clean_title(title)


def unwrap_lines(page: str) -> str:
    """One page of extracted text with its hard-wrapped lines joined.

    A blank line (vertical space) ends a paragraph; on a double-spaced page, where most lines
    are followed by one, only two blank lines do. Within a paragraph a line is joined to the
    next unless it ends a sentence or is much shorter than the page's long lines (a
    paragraph's last line). A line ending in a hyphen joins the next without a space
    ("anti-" + "terrorist")."""
    lines = [" ".join(line.split()) for line in page.splitlines()]
    text_lines = [i for i, line in enumerate(lines) if line]
    followed_by_blank = sum(1 for i in text_lines if i + 1 < len(lines) and not lines[i + 1])
    double_spaced = len(text_lines) >= 4 and followed_by_blank > 0.6 * len(text_lines)
    longest = max((len(line) for line in lines), default=0)
    out: list[str] = []
    current = ""
    blanks = 0
    for line in lines:
        if not line:
            blanks += 1
            continue
        if blanks and (blanks >= 2 or not double_spaced):
            if current:
                out.append(current)
                current = ""
            out.append("")
        blanks = 0
        if not current:
            current = line
        elif _HYPHENATED.search(current):
            current += line
        else:
            current += " " + line
        if not _HYPHENATED.search(line) and (
            _LINE_END.search(line) or len(line) < 0.6 * longest
        ):
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return "\n".join(out).strip()


# ----------------------------------------------------------------------------- DOCX


def docx_text(data: bytes, max_unpacked_bytes: int) -> Extracted:
    """Every paragraph of the body, in order, table cells included, one a line."""
    if data.startswith(_OLE_MAGIC):
        why = "encrypted or legacy (.doc) Word file despite the .docx name, not supported"
        return Extracted(None, reason=why)
    if not data.startswith(_ZIP_MAGIC):
        return Extracted(None, reason="not a DOCX file (not a zip package)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return Extracted(None, reason=f"unreadable DOCX ({_short(exc)})")
    if unpacked > max_unpacked_bytes:
        limit = max_unpacked_bytes / 1024 / 1024
        return Extracted(None, reason=f"DOCX unpacks to more than {limit:g} MB, not read")
    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a dependency
        return Extracted(None, reason="DOCX support needs python-docx (pip install python-docx)")
    with _quiet("docx"):
        try:
            document = docx.Document(io.BytesIO(data))
            lines = list(_docx_lines(document))
            title = _clean_title(document.core_properties.title)
        except Exception as exc:  # python-docx / lxml raise many kinds on a corrupt file
            return Extracted(None, reason=f"unreadable DOCX ({_short(exc)})")
    text = "\n".join(lines)
    if not text.strip():
        return Extracted(None, reason="DOCX has no text")
    return Extracted(text, title=title)


def _docx_lines(document) -> Iterator[str]:
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield from _table_lines(block)
        else:
            yield block.text


def _table_lines(table) -> Iterator[str]:
    from docx.table import Table

    for row in table.rows:
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column
                continue
            seen.add(id(cell._tc))
            for block in cell.iter_inner_content():
                if isinstance(block, Table):
                    yield from _table_lines(block)
                else:
                    yield block.text


# ----------------------------------------------------------------------------- shared


def _clean_title(title: object) -> str | None:
    if not isinstance(title, str):
        return None
    title = " ".join(title.split())
    if not title or len(title) > 250 or _FILE_TITLE.match(title):
        return None
    return title


def _short(exc: Exception) -> str:
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg if len(msg) <= 120 else msg[:117] + "..."
