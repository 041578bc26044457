"""The configured claim classifier: linear model, optional encoder, document-context layer."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import Field

from claimflow.claims.attribution import AttributionData
from claimflow.claims.batch import ClaimScorer, SentenceBatch
from claimflow.claims.context import (
    CONTEXT_FILE,
    ContextModel,
    ModelFile,
    check_thresholds,
    read_model_file,
)
from claimflow.claims.cues import CueMatcher
from claimflow.claims.linear import ClaimModel
from claimflow.config import Settings
from claimflow.contract.schemas import CLAIM_TYPES
from claimflow.errors import ClaimflowError, ModelFileError
from claimflow.nlp.docs import english_vocab

_CACHE: dict[str, ClaimClassifier] = {}


@dataclass
class ClaimClassifier:
    """The configured claim models composed: a weighted average of the members' probabilities
    (the linear model first: its cue hits also give the triggers), then, optionally, the
    document-context layer over them. Also carries what the classify stage needs next: the
    thresholds, the cue matcher and the attribution data."""

    linear: ClaimModel
    cues: CueMatcher
    thresholds: dict[str, float]
    version: str
    members: tuple[tuple[ClaimScorer, float], ...] = ()  # further models and their weights
    linear_weight: float = 1.0
    context: ContextModel | None = None  # document-context layer (None: sentences alone)
    attribution: AttributionData | None = None  # speaker/target word lists and ranker
    backend: str = "linear"  # settings.classify.backend this classifier was loaded for
    models: dict[str, str] = field(default_factory=dict)  # content hash per model file/folder
    base_model: dict[str, str] | None = None  # the encoder's base package and weights sha256

    @property
    def method(self) -> str:
        return "ensemble" if self.members else "model"

    def predict_proba(self, batch: SentenceBatch) -> tuple[np.ndarray, list]:
        """(n, 3) probabilities in CLAIM_TYPES order, and each sentence's cue hits (the
        linear model's features are built from them; triggers reuse them)."""
        own, combined, hits = self.base_proba(batch)
        return self.without_vetoed(self.in_context(own, combined, batch.doc_ids), hits), hits

    def without_vetoed(self, probs: np.ndarray, hits: list) -> np.ndarray:
        """``probs`` with 0 for the claim types each sentence's hard negatives rule out
        ("calls for tenders" is no demand; :meth:`CueMatcher.vetoed`)."""
        probs = probs.copy()
        for k, sentence_hits in enumerate(hits):
            for claim_type in self.cues.vetoed(sentence_hits):
                probs[k, CLAIM_TYPES.index(claim_type)] = 0.0
        return probs

    def base_proba(self, batch: SentenceBatch) -> tuple[list[np.ndarray], np.ndarray, list]:
        """(each model's probabilities, their weighted average, cue hits) of each sentence on
        its own: row by row, so a document's sentences may be scored in several batches
        and the rows stacked before :meth:`in_context`."""
        feats, hits = self.linear.features_and_hits(batch.docs, batch.mentions)
        own = [self.linear.proba_from_features(feats)]
        probs = own[0]
        if self.members and len(batch):
            # the int8 encoder scores one sentence per run (the torch fallback's scores vary
            # in the 7th decimal with the batch's make-up)
            own += [model.predict_proba(batch) for model, _ in self.members]
            probs = self.linear_weight * own[0]
            for (_, weight), p in zip(self.members, own[1:], strict=True):
                probs = probs + weight * p
        return own, probs, hits

    def in_context(self, own: list[np.ndarray], combined: np.ndarray,
                   doc_ids: Sequence[str]) -> np.ndarray:
        """The document-context layer over :meth:`base_proba`'s rows (whole documents, in
        document order); ``combined`` itself without that layer."""
        if self.context is not None and len(combined):
            return self.context.predict_proba(own, combined, doc_ids)
        return combined

    def provenance(self) -> dict:
        """What produced the claims: backend, model content hashes, the encoder's base
        weights, the thresholds applied and the document-context layer. Only stable values
        (no paths, times or hosts), so outputs stay byte-identical across re-runs."""
        prov = {
            "backend": self.backend,
            "models": dict(sorted(self.models.items())),
            "base_model": dict(sorted(self.base_model.items())) if self.base_model else None,
            "weights": {"linear": self.linear_weight,
                        **{f"member{i}": w for i, (_, w) in enumerate(self.members, 1)}},
            "thresholds": {k: float(v) for k, v in sorted(self.thresholds.items())},
            "document_context": self.context is not None,
            "encoder_runtime": next((getattr(m, "runtime", None) for m, _ in self.members),
                                    None),
            "encoder_onnx_sha256": next(((getattr(m, "onnx", None) or {}).get("sha256")
                                         for m, _ in self.members
                                         if getattr(m, "runtime", "") == "onnx-int8"), None),
        }
        if self.backend == "ensemble-mpnet":  # the mpnet scorer is the last member
            mpnet = self.members[-1][0]
            prov["mpnet_runtime"] = getattr(mpnet, "runtime", None)
            prov["mpnet_onnx_sha256"] = (getattr(mpnet, "onnx", None) or {}).get("sha256")
        return prov

    @classmethod
    def load(cls, settings: Settings | None = None, model_dir: Path | None = None
             ) -> ClaimClassifier:
        settings = settings or Settings()
        if model_dir is not None:
            settings = settings.model_copy(update={"classify": settings.classify.model_copy(
                update={"model_dir": Path(model_dir)})})
        c = settings.classify
        # one cue matcher, from the configured cue files, for features and triggers alike
        linear = ClaimModel.load(c.model_dir, cues_dir=c.cues)
        cues = linear.cue_matcher(english_vocab())
        attribution = AttributionData.load(c.cues, c.target_model)
        models = model_versions(settings)
        version = "".join(models.values())
        if c.backend == "linear":
            context = linear.context if c.document_context else None
            _check_context(context, c.model_dir, n_models=1)
            thresholds = {**(context or linear).thresholds, **c.thresholds}
            return cls(linear, cues, thresholds, version, context=context,
                       attribution=attribution, backend="linear", models=models)
        # the keys this class reads are checked before the encoder (and torch) loads
        config = _encoder_config(c.encoder_dir, "ensemble_weight_transformer")
        mpnet_config = (_encoder_config(c.mpnet_dir, "ensemble_weights")
                        if c.backend == "ensemble-mpnet" else None)
        from claimflow.claims.encoder import EncoderClaimModel

        threads = c.encoder_threads or max(
            1, len(os.sched_getaffinity(0)) // max(1, settings.nlp.processes))
        if mpnet_config is None:
            weight = config.meta.ensemble_weight_transformer
            encoder = EncoderClaimModel.load(c.encoder_dir, threads=threads)
            members, linear_weight = ((encoder, weight),), 1 - weight
            meta, context_dir = config.meta, c.encoder_dir
        else:
            # the mpnet folder's weights decide the members: a model weighted 0 is not loaded
            weights = mpnet_config.meta.ensemble_weights
            members = tuple((EncoderClaimModel.load(d, threads=threads), w) for d, w in (
                (c.encoder_dir, weights.encoder), (c.mpnet_dir, weights.mpnet)) if w > 0)
            linear_weight, meta, context_dir = weights.linear, mpnet_config.meta, c.mpnet_dir
        context = ContextModel.load(context_dir) if c.document_context else None
        _check_context(context, context_dir, n_models=1 + len(members))
        base = context.thresholds if context else meta.ensemble_thresholds
        return cls(linear, cues, {**base, **c.thresholds}, version, members, linear_weight,
                   context, attribution, backend=c.backend, models=models,
                   base_model=_base_models(config, mpnet_config))

    @classmethod
    def cached(cls, settings: Settings) -> ClaimClassifier:
        """One loaded classifier per process and settings (workers reuse it across batches)."""
        key = settings.digest("classify") + repr(
            (settings.classify.encoder_threads, settings.nlp.processes))
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


def model_versions(settings: Settings) -> dict[str, str]:
    """Content hash of every model and data file the configured classify stage reads."""
    c = settings.classify
    versions = {"linear": model_version(c.model_dir), "cues": model_version(c.cues),
                "target_model": model_version(c.target_model)}
    if c.backend != "linear":
        versions["encoder"] = model_version(c.encoder_dir)
    if c.backend == "ensemble-mpnet":
        versions["encoder_mpnet"] = model_version(c.mpnet_dir)
    return versions


def classifier_version(settings: Settings) -> str:
    """Version of every model and data file the configured classify stage reads, and of the
    runtime the encoder runs on (int8 ONNX or torch give slightly different scores)."""
    version = "".join(model_versions(settings).values())
    if settings.classify.backend != "linear":
        from claimflow.claims.encoder import encoder_runtime

        version += "+" + encoder_runtime(settings.classify.encoder_dir)
    if settings.classify.backend == "ensemble-mpnet":
        version += "+" + encoder_runtime(settings.classify.mpnet_dir)
    return version


def _check_context(context: ContextModel | None, model_dir: Path, n_models: int) -> None:
    """The document-context layer must be fitted over as many models as the backend runs."""
    if context is not None and context.n_models != n_models:
        raise ModelFileError(f"{Path(model_dir) / CONTEXT_FILE}: 'n_models' is "
                             f"{context.n_models}, expected {n_models} for this backend")


# ---------------------------------------------------------------------------- encoder config
ENCODER_CONFIG = "config.json"


def _encoder_config(encoder_dir: Path, weights_key: str) -> EncoderConfig:
    """An encoder folder's config.json, checked: labels, thresholds and ``weights_key``, the
    weights its ensemble reads ("ensemble_weight_transformer" of the two-model ensemble in
    data/encoder, "ensemble_weights" of the three-model one in data/encoder_mpnet)."""
    config_path = Path(encoder_dir) / ENCODER_CONFIG
    config = read_model_file(config_path, EncoderConfig, "encoder model")
    if config.labels != list(CLAIM_TYPES):
        raise ModelFileError(f"{config_path}: 'labels' must be {list(CLAIM_TYPES)}, "
                             f"not {config.labels}")
    check_thresholds(config_path, config.meta.ensemble_thresholds,
                     "meta.ensemble_thresholds")
    if getattr(config.meta, weights_key) is None:
        raise ModelFileError(f"{config_path}: missing key 'meta.{weights_key}'")
    return config


def _base_models(config: EncoderConfig, mpnet_config: EncoderConfig | None) -> dict[str, str]:
    """Provenance of the encoders' bases: package and weights sha256 of each."""
    out = config.base_model.model_dump()
    if mpnet_config is not None:
        out |= {f"mpnet_{k}": v for k, v in mpnet_config.base_model.model_dump().items()}
    return out


class EncoderBase(ModelFile):
    package: str
    sha256: str


class EnsembleWeights(ModelFile):
    linear: float = Field(ge=0.0, le=1.0)
    encoder: float = Field(ge=0.0, le=1.0)
    mpnet: float = Field(ge=0.0, le=1.0)


class EncoderMeta(ModelFile):
    # the two-model ensemble (data/encoder): the encoder's weight, the linear model the rest
    ensemble_weight_transformer: float | None = Field(None, ge=0.0, le=1.0)
    # the three-model ensemble (data/encoder_mpnet): every member's weight
    ensemble_weights: EnsembleWeights | None = None
    ensemble_thresholds: dict[str, float]


class EncoderConfig(ModelFile):
    """The keys of the encoder's ``config.json`` that the ensemble reads: its base weights
    (for provenance), its weight in the average and its thresholds."""

    labels: list[str]
    hparams: dict[str, Any]
    thresholds: dict[str, float]
    base_model: EncoderBase
    meta: EncoderMeta
