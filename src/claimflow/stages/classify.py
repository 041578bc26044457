"""Claim classification: parsed English sentences -> typed, attributed claims.

Docs are rebuilt from the tag stage's token rows (no second parse). The statistical model
decides each label; cue patterns supply the trigger (or, when none fired, the words the linear
model weighs most for the label); attribution finds speaker and target.
"""

from __future__ import annotations

import functools
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from claimflow.attribution import clean_mention, find_reported_speaker, find_target, party_words
from claimflow.classifier import ClaimModel
from claimflow.config import Settings
from claimflow.context import ContextModel
from claimflow.cues import CueMatcher
from claimflow.docbridge import ActorMention, docs_from_tokens, speaker_lookup
from claimflow.pipeline import classifier_version, model_version
from claimflow.schemas import CLAIM_TYPES, CLAIMS

_CACHE: dict[str, Classifier] = {}


@dataclass
class Classifier:
    """Everything classify needs, loaded once: model, thresholds, cue matcher, vocab."""

    model: ClaimModel
    cues: CueMatcher
    thresholds: dict[str, float]
    version: str
    transformer: object | None = None  # TransformerClaimModel when backend = "ensemble"
    transformer_weight: float = 0.0
    context: ContextModel | None = None  # document-context layer (None: sentences alone)

    @property
    def method(self) -> str:
        return "ensemble" if self.transformer is not None else "model"

    def predict_proba(self, docs: list[Doc], mentions: list[list[ActorMention]],
                      doc_ids: list[str]):
        """(n, 3) probabilities in ``model.labels`` order, and each Doc's cue hits (the
        model's features are built from them; triggers reuse them instead of matching again).
        ``doc_ids`` group the Docs into documents (in order) for the context layer."""
        feats, hits = self.model.features_and_hits(docs, mentions)
        probs = self.model.proba_from_features(feats)
        own = [probs]
        if self.transformer is not None and len(docs):
            # batches mix documents (1.7x the throughput of one call per document); scores
            # then vary in the 7th decimal with the batch's make-up, e.g. between process counts
            other = self.transformer.predict_proba_texts([d.text for d in docs])
            order = [list(self.transformer.labels).index(lb) for lb in self.model.labels]
            own.append(other[:, order])
            w = self.transformer_weight
            probs = (1 - w) * probs + w * own[1]
        if self.context is not None and len(docs):
            probs = self.context.predict_proba(own, probs, doc_ids)
        return probs, hits

    @classmethod
    def load(cls, settings: Settings | None = None, model_dir: Path | None = None) -> Classifier:
        settings = settings or Settings()
        model_dir = Path(model_dir or settings.classify.model_dir)
        # one cue matcher, from the configured cue files, for features and triggers alike
        model = ClaimModel.load(model_dir, cues_dir=settings.classify.cues)
        cues = model.cue_matcher(spacy.blank("en").vocab)
        use_context = settings.classify.document_context
        if settings.classify.backend == "linear":
            context = model.context if use_context else None
            thresholds = {**(context or model).thresholds, **settings.classify.thresholds}
            return cls(model, cues, thresholds, model_version(model_dir), context=context)
        from claimflow.transformer import TransformerClaimModel

        tdir = Path(settings.classify.transformer_dir)
        threads = settings.classify.transformer_threads or max(
            1, len(os.sched_getaffinity(0)) // max(1, settings.nlp.processes))
        transformer = TransformerClaimModel.load(tdir, threads=threads)
        meta = transformer.meta
        context = ContextModel.load(tdir) if use_context else None
        base = context.thresholds if context else meta["ensemble_thresholds"]
        thresholds = {**base, **settings.classify.thresholds}
        return cls(model, cues, thresholds, classifier_version(settings), transformer,
                   float(meta["ensemble_weight_transformer"]), context)

    @classmethod
    def cached(cls, settings: Settings) -> Classifier:
        """One loaded classifier per process and settings (workers reuse it across batches)."""
        key = settings.digest("classify")
        if key not in _CACHE:
            _CACHE[key] = cls.load(settings)
        return _CACHE[key]

    @property
    def vocab(self):
        return self.cues.vocab


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


@functools.lru_cache(maxsize=1)
def _source_patterns() -> tuple[re.Pattern, re.Pattern]:
    """From parties.json: phrases that stand for the issuing body itself ("the statement
    reads"), and the words a reported source without an actor code must contain."""
    words = party_words()

    def alt(items) -> str:
        return "|".join(re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "")
                        for w in sorted(items))

    self_sources = re.compile(
        r"^(?:the|this|its|our)?\s*(?:" + alt(words.get("self_sources", ())) + r")$",
        re.IGNORECASE)
    source_words = re.compile(r"\b(?:" + alt(words.get("source_words", ())) + r")\b",
                              re.IGNORECASE)
    return self_sources, source_words


def _speaker(
    reported: tuple[str, str | None] | None, doc_speaker: dict, mentions: list[ActorMention]
) -> tuple[str | None, str | None]:
    """The in-sentence source when it names someone, otherwise the document's speaker.

    Generic references to the statement itself ("the letter stated"), the news outlet that
    carries it ("Trend reports") and phrases that name no person or body fall back to the
    document's speaker.
    """
    if reported is not None and reported[1] is None:
        text = reported[0].strip()
        outlet = doc_speaker.get("outlet")
        named = any(m.label == "PERSON" or (m.label == "ORG" and m.text in text)
                    for m in mentions if m.text in text)
        self_sources, source_words = _source_patterns()
        if (self_sources.match(text) or (outlet and outlet.lower() in text.lower())
                or not (named or source_words.search(text))):
            reported = None
    if reported is None:
        return doc_speaker.get("speaker"), doc_speaker.get("speaker_code")
    return reported


def classify_sentences(
    sentences: pd.DataFrame, tokens: pd.DataFrame, entities: pd.DataFrame,
    speakers: pd.DataFrame, classifier: Classifier,
) -> pd.DataFrame:
    """One row per (English sentence, claim type) the model predicts."""
    english, docs, mentions = rebuild(classifier.vocab, sentences, tokens, entities)
    rows: dict[str, list] = {c: [] for c in CLAIMS.columns}
    if not docs:
        return pd.DataFrame(rows)
    probs, hits = classifier.predict_proba(docs, mentions, list(english["doc_id"]))
    who = speaker_lookup(speakers)
    labels = list(classifier.model.labels)
    context: dict[str, tuple[str, str | None]] = {}
    doc_actors: dict[str, Counter] = {}
    for doc_id, ments in zip(english["doc_id"], mentions, strict=True):
        doc_actors.setdefault(doc_id, Counter()).update(
            (clean_mention(m.text), m.actor_code) for m in ments
            if m.actor_code and m.label != "SELF"
        )
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
        speaker, speaker_code = _speaker(find_reported_speaker(doc, ments), doc_speaker, ments)
        for claim_type, confidence in predicted:
            spans = triggers.get(claim_type) or []
            trigger = spans[0] if spans else None
            # no cue pattern fired: show the words the linear model weighs most instead
            shown = trigger or classifier.model.key_span(doc, claim_type)
            target, target_code = find_target(
                doc, claim_type, ments, trigger, context_target=context.get(row.doc_id),
                speaker_code=speaker_code or doc_speaker.get("speaker_code"),
                doc_actors=doc_actors.get(row.doc_id),
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

