"""Claim classification: parsed English sentences -> typed, attributed claims.

Docs are rebuilt from the tag stage's token rows (no second parse). The statistical model
decides each label; cue patterns supply the trigger (or, when none fired, the words the linear
model weighs most for the label); attribution finds speaker and target.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np
import pandas as pd
from spacy.tokens import Doc
from spacy.vocab import Vocab

from claimflow.claims.attribution import (
    document_actors,
    find_reported_speaker,
    find_target,
    sentence_speaker,
)
from claimflow.claims.batch import SentenceBatch
from claimflow.claims.ensemble import ClaimClassifier
from claimflow.contract.schemas import CLAIM_TYPES, CLAIMS
from claimflow.nlp.docs import ActorMention, docs_from_tokens, speaker_lookup


def rebuild(
    vocab: Vocab, sentences: pd.DataFrame, tokens: pd.DataFrame, entities: pd.DataFrame
) -> tuple[pd.DataFrame, list[Doc], list[list[ActorMention]]]:
    """English sentences with their rebuilt Docs and actor mentions, in sentence order."""
    english = sentences[sentences["lang"] == "en"].reset_index(drop=True)
    parsed = docs_from_tokens(vocab, tokens, entities, english)
    keep, docs, mentions = [], [], []
    for idx, key in enumerate(zip(english["doc_id"], english["sent_id"], strict=True)):
        found = parsed.get(key)
        if found is None:
            continue
        keep.append(idx)
        docs.append(found[0])
        mentions.append(found[1])
    return english.iloc[keep].reset_index(drop=True), docs, mentions


CHUNK_SENTENCES = 2048  # sentences whose Docs are rebuilt and held at once


SentenceLookup = Callable[[list[tuple]], pd.DataFrame]  # (doc_id, sent_id) keys -> their rows


def classify_sentences(
    sentences: pd.DataFrame, tokens: pd.DataFrame | SentenceLookup,
    entities: pd.DataFrame | SentenceLookup, speakers: pd.DataFrame,
    classifier: ClaimClassifier, chunk_sentences: int = CHUNK_SENTENCES,
) -> pd.DataFrame:
    """One row per (English sentence, claim type) the model predicts.

    ``tokens`` and ``entities`` are the tag stage's rows of these sentences, or functions
    that return the rows of given (doc_id, sent_id) keys (so a caller can read them from
    disk a chunk at a time instead of holding a long document's rows).

    Docs are rebuilt ``chunk_sentences`` at a time, in two passes: the first scores every
    sentence and counts each document's actors; the document-context layer then runs over
    the stacked scores; the second rebuilds only the sentences with a claim, for triggers,
    speakers and targets. Between the passes only per-sentence scores and cue hits are
    held, so memory grows with the chunk, not with the longest document."""
    english = sentences[sentences["lang"] == "en"].reset_index(drop=True)
    rows: dict[str, list] = {c: [] for c in CLAIMS.columns}
    rebuilt = _Rebuilder(classifier.vocab, english, tokens, entities)
    # pass 1: each sentence's scores and cue hits; each document's actors
    found: list[int] = []  # rows of ``english`` that have a parse, in order
    hits: list = []
    own_parts: list[list[np.ndarray]] = []
    combined_parts: list[np.ndarray] = []
    doc_actors: dict[str, Counter] = {}  # coded / uncoded actors and claim authors
    for start in range(0, len(english), chunk_sentences):
        where, docs, mentions = rebuilt.chunk(range(start, start + chunk_sentences))
        if not docs:
            continue
        doc_ids = [rebuilt.doc_ids[i] for i in where]
        own, combined, chunk_hits = classifier.base_proba(
            SentenceBatch(docs, mentions, doc_ids))
        found += where
        hits += chunk_hits
        own_parts.append(own)
        combined_parts.append(combined)
        for doc_id, (ms, ds) in _by_document(doc_ids, mentions, docs).items():
            doc_actors.setdefault(doc_id, Counter()).update(
                document_actors(ms, docs=ds, data=classifier.attribution))
        del docs, mentions
    if not found:
        return pd.DataFrame(rows)
    own = [np.vstack([part[k] for part in own_parts]) for k in range(len(own_parts[0]))]
    probs = classifier.without_vetoed(
        classifier.in_context(own, np.vstack(combined_parts), [rebuilt.doc_ids[i] for i in found]),
        hits)
    labels = list(CLAIM_TYPES)
    columns = [labels.index(t) for t in CLAIM_TYPES]
    cut = [classifier.thresholds.get(t, 0.5) for t in CLAIM_TYPES]
    predicted: dict[int, list[tuple[str, float]]] = {}  # index in ``found`` -> claims
    for k in range(len(found)):
        claims = [(t, float(probs[k, j])) for t, j, c in zip(CLAIM_TYPES, columns, cut,
                                                              strict=True)
                  if probs[k, j] >= c]
        if claims:
            predicted[k] = claims
    del own, own_parts, combined_parts, probs
    # pass 2: triggers, speakers and targets of the sentences with a claim, in order
    who = speaker_lookup(speakers)
    attribution = classifier.attribution
    context: dict[str, tuple[str, str | None]] = {}
    claimed = sorted(predicted)
    for start in range(0, len(claimed), chunk_sentences):
        ks = claimed[start : start + chunk_sentences]
        where, docs, mentions = rebuilt.chunk([found[k] for k in ks])
        for k, i, doc, ments in zip(ks, where, docs, mentions, strict=True):
            doc_id, offset = rebuilt.doc_ids[i], int(rebuilt.start_chars[i])
            triggers = classifier.cues.triggers(doc, hits[k])
            doc_speaker = who.get(doc_id, {})
            speaker, speaker_code = sentence_speaker(
                find_reported_speaker(doc, ments, attribution), doc_speaker, ments,
                attribution)
            for claim_type, confidence in predicted[k]:
                spans = triggers.get(claim_type) or []
                trigger = spans[0] if spans else None
                # no cue pattern fired: show the words the linear model weighs most instead
                shown = trigger or classifier.linear.key_span(doc, claim_type)
                target, target_code = find_target(
                    doc, claim_type, ments, trigger, context_target=context.get(doc_id),
                    speaker_code=speaker_code or doc_speaker.get("speaker_code"),
                    doc_actors=doc_actors.get(doc_id), data=attribution,
                )
                if target:
                    context[doc_id] = (target, target_code)
                rows["doc_id"].append(doc_id)
                rows["sent_id"].append(rebuilt.sent_ids[i])
                rows["claim_type"].append(claim_type)
                rows["confidence"].append(round(confidence, 6))
                rows["trigger"].append(doc.text[shown[0] : shown[1]] if shown else None)
                rows["trigger_start"].append(offset + shown[0] if shown else None)
                rows["trigger_end"].append(offset + shown[1] if shown else None)
                rows["speaker"].append(speaker)
                rows["speaker_code"].append(speaker_code)
                rows["target"].append(target)
                rows["target_code"].append(target_code)
                rows["method"].append(classifier.method + ("+cue" if trigger else ""))
                rows["text"].append(rebuilt.texts[i])
    return pd.DataFrame(rows)


class _Rebuilder:
    """Rebuild the Docs of any run of ``english`` rows from the token and entity rows of
    those sentences alone (looked up by (doc_id, sent_id))."""

    def __init__(self, vocab: Vocab, english: pd.DataFrame,
                 tokens: pd.DataFrame | SentenceLookup,
                 entities: pd.DataFrame | SentenceLookup):
        self.vocab, self.english = vocab, english
        self.doc_ids: list[str] = english["doc_id"].tolist()
        self.sent_ids: list = english["sent_id"].tolist()
        self.start_chars: list = english["start_char"].tolist()
        self.texts: list[str] = english["text"].tolist()
        self._tokens, self._entities = _lookup(tokens), _lookup(entities)

    def chunk(self, positions) -> tuple[list[int], list[Doc], list[list[ActorMention]]]:
        """(positions that have a parse, their Docs, their mentions), in the given order."""
        positions = [i for i in positions if i < len(self.doc_ids)]
        keys = [(self.doc_ids[i], self.sent_ids[i]) for i in positions]
        part, docs, mentions = rebuild(
            self.vocab, self.english.iloc[positions], self._tokens(keys), self._entities(keys))
        present = set(zip(part["doc_id"], part["sent_id"], strict=True))
        where = [i for i, key in zip(positions, keys, strict=True) if key in present]
        return where, docs, mentions


def _lookup(rows: pd.DataFrame | SentenceLookup) -> SentenceLookup:
    if not isinstance(rows, pd.DataFrame):
        return rows
    ranges = _sentence_rows(rows)
    return lambda keys: rows.iloc[_rows_of(ranges, keys)]


def _sentence_rows(frame: pd.DataFrame) -> dict[tuple, list[tuple[int, int]]]:
    """(doc_id, sent_id) -> the [start, stop) ranges of ``frame``'s rows of that sentence."""
    n = len(frame)
    out: dict[tuple, list[tuple[int, int]]] = {}
    if not n:
        return out
    doc = frame["doc_id"].to_numpy()
    sent = frame["sent_id"].to_numpy()
    change = (np.flatnonzero((doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1])) + 1).tolist()
    for a, b in zip([0, *change], [*change, n], strict=True):
        out.setdefault((doc[a], sent[a]), []).append((a, b))
    return out


def _rows_of(ranges: dict[tuple, list[tuple[int, int]]], keys: list[tuple]) -> list[int]:
    return [i for key in keys for a, b in ranges.get(key, ()) for i in range(a, b)]


def _by_document(doc_ids: list[str], mentions: list[list[ActorMention]], docs: list[Doc]
                 ) -> dict[str, tuple[list[list[ActorMention]], list[Doc]]]:
    by_doc: dict[str, tuple[list[list[ActorMention]], list[Doc]]] = {}
    for doc_id, ments, sdoc in zip(doc_ids, mentions, docs, strict=True):
        ms, ds = by_doc.setdefault(doc_id, ([], []))
        ms.append(ments)
        ds.append(sdoc)
    return by_doc
