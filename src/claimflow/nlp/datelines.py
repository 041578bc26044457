"""Datelines ("BAKU, 5 March 2024 - ..."): where the body of a statement starts."""

from __future__ import annotations

import re

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)


_DATELINE = re.compile(
    r"^\s*(?:date\s+\d{4}-\d{2}-\d{2}\s+)?"
    r"[A-Z][A-Za-z\u00C0-\u024F .'\-]{1,40},\s+(?:[A-Z][A-Za-z\u00C0-\u024F .'\-]{1,40},\s+)?"
    + _MONTHS
    + r"\.?\s+\d{1,2}(?:,\s*\d{4})?\s*[.\-\u2013\u2014:]"
)


def dateline_end(text: str) -> int:
    """Char offset where a leading news dateline ("BAKU, Azerbaijan, November 21.") ends."""
    m = _DATELINE.match(text)
    if not m:
        return 0
    head = text[: m.end()]
    # the place part must be capitalised as a place (all caps city or Title Case)
    return m.end() if re.search(r"[A-Z]{3,}|[A-Z][a-z]+", head) else 0

