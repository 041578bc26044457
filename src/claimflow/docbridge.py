"""Hand-over of parses between stages: spaCy Docs to token rows and back.

The tag stage runs the model once per sentence and stores its parse in ``tokens.parquet``;
``classify`` rebuilds Docs from those rows instead of parsing again.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab


@dataclass(frozen=True)
class ActorMention:
    """An entity mention inside one sentence Doc (token offsets are Doc-relative)."""

    start: int  # token index
    end: int  # token index, exclusive
    text: str
    label: str
    actor: str | None
    actor_code: str | None
    source: str


def speaker_lookup(speakers: pd.DataFrame) -> dict[str, dict[str, str | None]]:
    """doc_id -> {"speaker", "speaker_code"} with missing values as None."""
    return {
        d: {"speaker": as_str(s), "speaker_code": as_str(c)}
        for d, s, c in zip(speakers["doc_id"], speakers["speaker"], speakers["speaker_code"],
                           strict=True)
    }


def doc_token_rows(doc: Doc, doc_id: str, sent_id: int, offset: int) -> dict[str, list]:
    """Columns of ``tokens.parquet`` for one sentence Doc; ``offset`` maps to document chars."""
    n = len(doc)
    return {
        "doc_id": [doc_id] * n,
        "sent_id": [sent_id] * n,
        "i": [t.i for t in doc],
        "start_char": [offset + t.idx for t in doc],
        "end_char": [offset + t.idx + len(t.text) for t in doc],
        "text": [t.text for t in doc],
        "ws": [bool(t.whitespace_) for t in doc],
        "lemma": [t.lemma_ for t in doc],
        "pos": [t.pos_ for t in doc],
        "tag": [t.tag_ for t in doc],
        "dep": [t.dep_ for t in doc],
        "head": [t.head.i for t in doc],
    }


def doc_from_rows(vocab: Vocab, rows: pd.DataFrame) -> Doc:
    """Rebuild one sentence Doc (with tags, lemmas and the dependency tree) from token rows."""
    rows = rows.sort_values("i", kind="stable")
    words = rows["text"].tolist()
    deps = rows["dep"].tolist()
    doc = Doc(
        vocab,
        words=words,
        spaces=rows["ws"].tolist(),
        tags=rows["tag"].tolist(),
        pos=rows["pos"].tolist(),
        lemmas=rows["lemma"].tolist(),
        heads=rows["head"].tolist(),
        deps=[d or "dep" for d in deps],
        sent_starts=[True] + [False] * (len(words) - 1) if words else None,
    )
    return doc


def mentions_from_rows(doc: Doc, entities: pd.DataFrame, sent_start: int) -> list[ActorMention]:
    """Entity rows of one sentence as token-aligned mentions; sets ``doc.ents`` too."""
    mentions: list[ActorMention] = []
    spans: list[Span] = []
    for row in entities.itertuples(index=False):
        span = doc.char_span(
            int(row.start_char) - sent_start, int(row.end_char) - sent_start, label=row.label,
            alignment_mode="expand",
        )
        if span is None:
            continue
        mentions.append(
            ActorMention(span.start, span.end, row.text, row.label, as_str(row.actor),
                         as_str(row.actor_code), row.source)
        )
        spans.append(span)
    doc.spans["entities"] = spans
    doc.ents = _non_overlapping(spans)
    return mentions


def as_str(value) -> str | None:
    """Missing values from pandas (None, NaN, NA) as None."""
    return value if isinstance(value, str) else None


def _non_overlapping(spans: list[Span]) -> list[Span]:
    from spacy.util import filter_spans

    return filter_spans(spans)
