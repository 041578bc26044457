"""Ingest, bytes -> text: container sniffing (archives, PDF), BOMs, binary detection, UTF-8,
else charset-normalizer with a cp1252 preference on ties."""

from __future__ import annotations

import codecs
import unicodedata

_CP1252_FAMILY = ("cp1252", "latin_1", "iso8859_15", "iso8859_1", "windows-1252")
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
# Text with a few stray NUL bytes (a bad export, a padded record) is text: the NULs are
# removed and reported. A larger share of NULs (UTF-16 without a BOM: about half the
# bytes), or other non-text bytes beside them, leave the file binary.
_MAX_STRAY_NUL_SHARE = 0.1
_SAMPLE = 65536


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
        if not stray_nul_bytes(data):
            return None, "binary file (NUL bytes)"
        data = data.replace(b"\x00", b"")
    if _mostly_non_text(data[:_SAMPLE]):
        return None, "binary file (mostly non-text bytes)"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _detect_decode(data)
    if text is None:
        return None, "undecodable bytes"
    return (text, None) if text.strip() else (None, "empty file")  # e.g. only U+3000 / NBSP


def stray_nul_bytes(data: bytes) -> int:
    """How many NUL bytes :func:`decode_bytes` removes from ``data`` as stray (0 when there
    are none, or so many that the file is binary); ingest reports them as a warning."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF8,
                        codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return 0  # decoded by its BOM, NULs and all
    count = data.count(b"\x00")
    if count > _MAX_STRAY_NUL_SHARE * len(data):
        return 0
    return count if not _mostly_non_text(data[:_SAMPLE].replace(b"\x00", b"")) else 0


def stray_nul_note(data: bytes) -> str | None:
    """The warning for a document whose stray NUL bytes were removed, else None."""
    count = stray_nul_bytes(data)
    return f"{count} NUL byte{'s' if count != 1 else ''} removed" if count else None


def _mostly_non_text(sample: bytes) -> bool:
    return len(sample.translate(None, _BINARY_BYTES)) < 0.9 * len(sample)


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
