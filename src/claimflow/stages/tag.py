"""Entity tagging: English sentences -> entity mentions (model + actor gazetteer) and parses.

The model runs once per sentence here; its parse is kept as token rows (``tokens.parquet``)
so that ``classify`` never parses again.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from claimflow.actors.gazetteer import Gazetteer, extract_mentions
from claimflow.contract.schemas import ENTITIES, TOKENS
from claimflow.nlp.docs import doc_token_rows, speaker_lookup


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
    english = sentences[sentences["lang"] == "en"]
    who = speaker_lookup(speakers)
    ents: dict[str, list] = {c: [] for c in ENTITIES.columns}
    toks: dict[str, list] = {c: [] for c in TOKENS.columns}
    rows = zip(english["doc_id"], english["sent_id"], english["start_char"], strict=True)
    docs = nlp.pipe(english["text"], batch_size=batch_size, n_process=n_process)
    for n, ((doc_id, sent_id, offset), doc) in enumerate(zip(rows, docs, strict=True), 1):
        offset = int(offset)
        speaker = who.get(doc_id, {})
        add_entity_rows(ents, doc, gazetteer, doc_id, sent_id, offset,
                        speaker.get("speaker"), speaker.get("speaker_code"))
        for key, values in doc_token_rows(doc, doc_id, sent_id, offset).items():
            toks[key].extend(values)
        if on_progress and n % 64 == 0:
            on_progress(64)
    if on_progress:
        on_progress(len(english) % 64)
    return pd.DataFrame(ents), pd.DataFrame(toks)


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
