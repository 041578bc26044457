"""The configured claim classifier: linear model, optional encoder, document-context layer."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.tokens import Doc

from claimflow.claims.context import ContextModel
from claimflow.claims.cues import CueMatcher
from claimflow.claims.linear import ClaimModel
from claimflow.config import Settings
from claimflow.errors import ClaimflowError
from claimflow.nlp.docs import ActorMention

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
        from claimflow.claims.encoder import TransformerClaimModel

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


def model_version(model_dir: Path) -> str:
    """Content hash of a model folder: a retrained model invalidates earlier claims."""
    digest = hashlib.sha256()
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ClaimflowError(f"{model_dir}: claim model folder not found")
    for p in sorted(model_dir.rglob("*")):
        if p.is_file():
            digest.update(p.relative_to(model_dir).as_posix().encode())
            digest.update(p.read_bytes())
    return digest.hexdigest()[:16]


def classifier_version(settings: Settings) -> str:
    """Version of every model the configured classify backend uses."""
    version = model_version(settings.classify.model_dir)
    if settings.classify.backend == "ensemble":
        version += model_version(settings.classify.transformer_dir)
    return version
