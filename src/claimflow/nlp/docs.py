"""Hand-over of parses between stages: spaCy Docs to token rows and back.

The tag stage runs the model once per sentence and stores its parse in ``tokens.parquet``;
``classify`` rebuilds Docs from those rows instead of parsing again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd
from spacy.attrs import DEP, HEAD, IDX, LEMMA, LENGTH, ORTH, POS, SPACY, TAG
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab


@cache
def english_vocab() -> Vocab:
    """The vocab of ``spacy.blank("en")`` (English lexical attributes), built without its
    tokenizer: the rule table costs 0.25 s and rebuilt Docs never use it."""
    from spacy.lang.en import English
    from spacy.vocab import create_vocab

    return create_vocab("en", English.Defaults)


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
    """doc_id -> {"speaker", "speaker_code", "outlet"} with missing values as None."""
    outlets = speakers["outlet"] if "outlet" in speakers else [None] * len(speakers)
    return {
        d: {"speaker": as_str(s), "speaker_code": as_str(c), "outlet": as_str(o)}
        for d, s, c, o in zip(speakers["doc_id"], speakers["speaker"], speakers["speaker_code"],
                              outlets, strict=True)
    }


def doc_token_rows(
    doc: Doc, doc_id: str, sent_id: int, offset: int, lookup: dict[int, str] | None = None
) -> dict[str, list]:
    """Columns of ``tokens.parquet`` for one sentence Doc; ``offset`` maps to document chars.

    Reads the Doc's attribute arrays in one call instead of creating a Token per word.
    ``lookup`` (string hash -> str), shared across calls, makes rows of many Docs share one
    str object per distinct word, lemma and label.
    """
    n = len(doc)
    arr = doc.to_array([ORTH, IDX, LENGTH, SPACY, LEMMA, POS, TAG, DEP, HEAD])  # uint64
    strings = doc.vocab.strings
    if lookup is None:
        lookup = {}

    def text_of(column: int) -> list[str]:
        out = []
        for key in arr[:, column].tolist():
            value = lookup.get(key)
            if value is None:
                value = lookup[key] = strings[key] if key else ""
            out.append(value)
        return out

    idx = arr[:, 1].astype("int64")
    return {
        "doc_id": [doc_id] * n,
        "sent_id": [sent_id] * n,
        "i": list(range(n)),
        "start_char": (idx + offset).tolist(),
        "end_char": (idx + arr[:, 2].astype("int64") + offset).tolist(),
        "text": text_of(0),
        "ws": arr[:, 3].astype(bool).tolist(),
        "lemma": text_of(4),
        "pos": text_of(5),
        "tag": text_of(6),
        "dep": text_of(7),
        "head": (arr[:, 8].view("int64") + range(n)).tolist() if n else [],
    }


_TOKEN_COLS = ("text", "ws", "tag", "pos", "lemma", "head", "dep")
_ENTITY_COLS = ("start_char", "end_char", "text", "label", "actor", "actor_code", "source")


def docs_from_tokens(
    vocab: Vocab, tokens: pd.DataFrame, entities: pd.DataFrame, sentences: pd.DataFrame
) -> dict[tuple[str, int], tuple[Doc, list[ActorMention]]]:
    """Every sentence Doc in ``tokens`` (rows in file order) with its entity mentions.

    Works on plain column lists and contiguous row ranges, not per-sentence DataFrames, so
    rebuilding costs a small fraction of the parse it replaces.
    """
    starts = dict(zip(zip(sentences["doc_id"], sentences["sent_id"], strict=True),
                      sentences["start_char"].tolist(), strict=True))
    ent_cols = [entities[c].tolist() for c in _ENTITY_COLS]
    ents_by_key: dict[tuple[str, int], list[tuple]] = {}
    for key, row in zip(zip(entities["doc_id"], entities["sent_id"], strict=True),
                        zip(*ent_cols, strict=True), strict=True):
        ents_by_key.setdefault(key, []).append(row)
    cols = {c: tokens[c].tolist() for c in _TOKEN_COLS}
    keys = list(zip(tokens["doc_id"], tokens["sent_id"], strict=True))
    out: dict[tuple[str, int], tuple[Doc, list[ActorMention]]] = {}
    begin = 0
    for end in range(1, len(keys) + 1):
        if end < len(keys) and keys[end] == keys[begin]:
            continue
        key = keys[begin]
        doc = doc_from_lists(vocab, *(cols[c][begin:end] for c in _TOKEN_COLS))
        mentions = attach_mentions(doc, ents_by_key.get(key, []), starts.get(key, 0))
        out[key] = (doc, mentions)
        begin = end
    return out


def doc_from_lists(vocab: Vocab, words, spaces, tags, pos, lemmas, heads, deps) -> Doc:
    """One sentence Doc with tags, lemmas and the dependency tree."""
    return Doc(
        vocab, words=words, spaces=spaces, tags=tags, pos=pos, lemmas=lemmas, heads=heads,
        deps=[d or "dep" for d in deps],
        sent_starts=[True] + [False] * (len(words) - 1) if words else None,
    )


def attach_mentions(doc: Doc, rows: list[tuple], sent_start: int) -> list[ActorMention]:
    """Entity rows (``_ENTITY_COLS`` order) as token-aligned mentions; sets ``doc.ents``."""
    mentions: list[ActorMention] = []
    spans: list[Span] = []
    for start, end, text, label, actor, code, source in rows:
        span = doc.char_span(int(start) - sent_start, int(end) - sent_start, label=label,
                             alignment_mode="expand")
        if span is None:
            continue
        mentions.append(ActorMention(span.start, span.end, text, label, as_str(actor),
                                     as_str(code), source))
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
