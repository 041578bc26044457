"""Language identification (py3langid) for paragraphs and sentences."""

from __future__ import annotations

import re
from functools import lru_cache

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True)


def detect(text: str, default: str = "und", min_letters: int = 12) -> str:
    """ISO 639-1 code of ``text``'s language, ``default`` when there is too little text."""
    if len(_LETTERS.findall(text[:2000])) < min_letters:
        return default
    lang, _prob = _identifier().classify(text[:5000])
    return lang


def detect_with_prob(text: str) -> tuple[str, float]:
    if len(_LETTERS.findall(text[:2000])) < 12:
        return "und", 0.0
    lang, prob = _identifier().classify(text[:5000])
    return lang, float(prob)
