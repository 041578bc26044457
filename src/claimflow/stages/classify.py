"""Claim classification: parsed English sentences -> typed, attributed claims.

Docs are rebuilt from the tag stage's token rows (no second parse). The statistical model
decides each label; cue patterns supply the trigger (or, when none fired, the words the linear
model weighs most for the label); attribution finds speaker and target.
"""

from __future__ import annotations

from collections import Counter

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


def classify_sentences(
    sentences: pd.DataFrame, tokens: pd.DataFrame, entities: pd.DataFrame,
    speakers: pd.DataFrame, classifier: ClaimClassifier,
) -> pd.DataFrame:
    """One row per (English sentence, claim type) the model predicts."""
    english, docs, mentions = rebuild(classifier.vocab, sentences, tokens, entities)
    rows: dict[str, list] = {c: [] for c in CLAIMS.columns}
    if not docs:
        return pd.DataFrame(rows)
    probs, hits = classifier.predict_proba(
        SentenceBatch(docs, mentions, list(english["doc_id"])))
    who = speaker_lookup(speakers)
    labels = list(CLAIM_TYPES)
    context: dict[str, tuple[str, str | None]] = {}
    by_doc: dict[str, tuple[list[list[ActorMention]], list[Doc]]] = {}
    for doc_id, ments, sdoc in zip(english["doc_id"], mentions, docs, strict=True):
        ms, ds = by_doc.setdefault(doc_id, ([], []))
        ms.append(ments)
        ds.append(sdoc)
    # coded actors, uncoded organisations / persons and claim authors of each document
    doc_actors: dict[str, Counter] = {
        d: document_actors(ms, docs=ds, data=classifier.attribution)
        for d, (ms, ds) in by_doc.items()
    }
    for i, row in enumerate(english.itertuples(index=False)):
        doc, ments, offset = docs[i], mentions[i], int(row.start_char)
        predicted = [
            (t, float(probs[i, labels.index(t)]))
            for t in CLAIM_TYPES
            if probs[i, labels.index(t)] >= classifier.thresholds.get(t, 0.5)
        ]
        if not predicted:
            continue
        triggers = classifier.cues.triggers(doc, hits[i])
        doc_speaker = who.get(row.doc_id, {})
        attribution = classifier.attribution
        speaker, speaker_code = sentence_speaker(
            find_reported_speaker(doc, ments, attribution), doc_speaker, ments, attribution)
        for claim_type, confidence in predicted:
            spans = triggers.get(claim_type) or []
            trigger = spans[0] if spans else None
            # no cue pattern fired: show the words the linear model weighs most instead
            shown = trigger or classifier.linear.key_span(doc, claim_type)
            target, target_code = find_target(
                doc, claim_type, ments, trigger, context_target=context.get(row.doc_id),
                speaker_code=speaker_code or doc_speaker.get("speaker_code"),
                doc_actors=doc_actors.get(row.doc_id), data=attribution,
            )
            if target:
                context[row.doc_id] = (target, target_code)
            rows["doc_id"].append(row.doc_id)
            rows["sent_id"].append(row.sent_id)
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
            rows["text"].append(row.text)
    return pd.DataFrame(rows)
