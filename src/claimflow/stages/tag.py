"""Entity tagging: English sentences -> entity mentions (model + actor gazetteer) and parses.

The model runs once per sentence here; its parse is kept as token rows (``tokens.parquet``)
so that ``classify`` never parses again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from claimflow.actors.gazetteer import Gazetteer, extract_mentions
from claimflow.contract.schemas import ENTITIES, TOKENS
from claimflow.nlp.docs import doc_token_rows, speaker_lookup

SLICE_CHARS = 200_000  # sentence characters whose rows are held as Python lists at once


def tag_sentences(
    sentences: pd.DataFrame,
    speakers: pd.DataFrame,
    nlp: Language,
    gazetteer: Gazetteer,
    batch_size: int = 256,
    n_process: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entities and token rows for the English sentences of ``sentences``.

    ``speakers`` maps ``doc_id`` to the document's ``speaker``/``speaker_code`` so that
    first-person references ("our country", "we") resolve to the issuing body. ``nlp`` must
    already carry the gazetteer's ruler (``gazetteer.add_to(nlp)``).
    """
    ent_parts, tok_parts = [], []
    for ents, toks in iter_tagged(sentences, speakers, nlp, gazetteer, batch_size, n_process,
                                  on_progress):
        if len(ents):
            ent_parts.append(ents)
        if len(toks):
            tok_parts.append(toks)
    return _concat(ent_parts, ENTITIES.columns), _concat(tok_parts, TOKENS.columns)


def iter_tagged(
    sentences: pd.DataFrame,
    speakers: pd.DataFrame,
    nlp: Language,
    gazetteer: Gazetteer,
    batch_size: int = 256,
    n_process: int = 1,
    on_progress: Callable[[int], None] | None = None,
    slice_chars: int = SLICE_CHARS,
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """``tag_sentences`` in slices: (entities, tokens) frames for consecutive runs of
    English sentences of about ``slice_chars`` characters, in order. One ``nlp.pipe`` call
    streams every sentence; only one slice's rows are held as Python objects at a time."""
    english = sentences[sentences["lang"] == "en"]
    who = speaker_lookup(speakers)
    strings: dict[int, str] = {}  # one str object per vocabulary entry, shared by all rows
    ents, toks = _empty(ENTITIES.columns), _empty(TOKENS.columns)
    held = 0
    rows = zip(english["doc_id"], english["sent_id"], english["start_char"], strict=True)
    docs = nlp.pipe(english["text"], batch_size=batch_size, n_process=n_process)
    for n, ((doc_id, sent_id, offset), doc) in enumerate(zip(rows, docs, strict=True), 1):
        offset = int(offset)
        speaker = who.get(doc_id, {})
        add_entity_rows(ents, doc, gazetteer, doc_id, sent_id, offset,
                        speaker.get("speaker"), speaker.get("speaker_code"))
        for key, values in doc_token_rows(doc, doc_id, sent_id, offset, strings).items():
            toks[key].extend(values)
        held += len(doc.text)
        if on_progress and n % 64 == 0:
            on_progress(64)
        if held >= slice_chars:
            yield pd.DataFrame(ents), pd.DataFrame(toks)
            ents, toks = _empty(ENTITIES.columns), _empty(TOKENS.columns)
            held = 0
    if on_progress:
        on_progress(len(english) % 64)
    if toks["doc_id"] or ents["doc_id"]:
        yield pd.DataFrame(ents), pd.DataFrame(toks)


def _empty(columns: list[str]) -> dict[str, list]:
    return {c: [] for c in columns}


def _concat(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame(_empty(columns))
    if len(parts) == 1:
        return parts[0]
    return pd.concat(parts, ignore_index=True)


def add_entity_rows(ents: dict[str, list], doc: Doc, gazetteer: Gazetteer, doc_id: str,
                    sent_id: int, offset: int, speaker: str | None,
                    speaker_code: str | None) -> None:
    """Append the actor mentions of one parsed sentence to ``ents`` (entities' columns),
    with document-relative character offsets."""
    for m in extract_mentions(doc, gazetteer, speaker, speaker_code):
        ents["doc_id"].append(doc_id)
        ents["sent_id"].append(sent_id)
        ents["start_char"].append(offset + m["start_char"])
        ents["end_char"].append(offset + m["end_char"])
        for key in ("text", "label", "actor", "actor_code", "source"):
            ents[key].append(m[key])
