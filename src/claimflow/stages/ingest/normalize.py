"""Ingest text normalisation: Unicode/newline/control-char cleanup, ids as data, file-name
extensions, and the boilerplate line patterns."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from claimflow.errors import ClaimflowError

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
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ClaimflowError(f"{path}: cannot read boilerplate patterns ({detail})") from None
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
