"""The configured claim classifier: linear model, optional encoder, document-context layer."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.tokens import Doc

from claimflow.claims.attribution import AttributionData
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
    attribution: AttributionData | None = None  # speaker/target word lists and ranker

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
        if model_dir is not None:
            settings = settings.model_copy(update={"classify": settings.classify.model_copy(
                update={"model_dir": Path(model_dir)})})
        model_dir = settings.classify.model_dir
        # one cue matcher, from the configured cue files, for features and triggers alike
        model = ClaimModel.load(model_dir, cues_dir=settings.classify.cues)
        cues = model.cue_matcher(spacy.blank("en").vocab)
        use_context = settings.classify.document_context
        attribution = AttributionData.load(settings.classify.cues, settings.classify.target_model)
        if settings.classify.backend == "linear":
            context = model.context if use_context else None
            thresholds = {**(context or model).thresholds, **settings.classify.thresholds}
            return cls(model, cues, thresholds, classifier_version(settings), context=context,
                       attribution=attribution)
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
                   float(meta["ensemble_weight_transformer"]), context, attribution)

    @classmethod
    def cached(cls, settings: Settings) -> Classifier:
        """One loaded classifier per process and settings (workers reuse it across batches)."""
        key = settings.digest("classify") + repr(
            (settings.classify.transformer_threads, settings.nlp.processes))
        if key not in _CACHE:
            _CACHE[key] = cls.load(settings)
        return _CACHE[key]

    @property
    def vocab(self):
        return self.cues.vocab


def model_version(model_dir: Path) -> str:
    """Content hash of a model folder (or file): a retrained model invalidates earlier claims."""
    digest = hashlib.sha256()
    model_dir = Path(model_dir)
    if not model_dir.exists():
        raise ClaimflowError(f"{model_dir}: claim model not found")
    files = [model_dir] if model_dir.is_file() else sorted(model_dir.rglob("*"))
    for p in files:
        if p.is_file():
            digest.update(p.relative_to(model_dir).as_posix().encode())
            with open(p, "rb") as fh:  # in chunks: model files can be large
                for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                    digest.update(chunk)
    return digest.hexdigest()[:16]


def classifier_version(settings: Settings) -> str:
    """Version of every model and data file the configured classify stage reads."""
    c = settings.classify
    version = model_version(c.model_dir) + model_version(c.cues) + model_version(c.target_model)
    if c.backend == "ensemble":
        version += model_version(c.transformer_dir)
    return version
