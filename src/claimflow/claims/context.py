"""Document context: re-score each sentence with what the rest of its statement says.

A rebuttal denies in many sentences, and an implicit denial ("Radar records show beyond doubt
that the drone had entered Algerian airspace") is recognisable from its neighbours more than
from its own words. Per claim type, a logistic regression over

* the sentence's own log-odds from each base model (linear, and MiniLM for the ensemble),
* the mean and the maximum of the other sentences' probabilities in the same document,
* the previous sentence's probabilities.

Fitted on out-of-fold probabilities (stacking), stored as ``context.json`` next to the base
model, applied with numpy. Sentences must come in document order, grouped by document.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from claimflow.claims.scores import logit, sigmoid
from claimflow.contract.schemas import CLAIM_TYPES
from claimflow.errors import ClaimflowError, ModelFileError

CONTEXT_FILE = "context.json"


FORMAT_VERSION = 1


# ---------------------------------------------------------------------------- model files
class ModelFile(BaseModel):
    """The JSON of a stored model: exact types (no "0.5" for 0.5), finite numbers, unknown
    keys ignored (newer writers may add some)."""

    model_config = ConfigDict(strict=True, allow_inf_nan=False, extra="ignore", frozen=True)


ModelFileT = TypeVar("ModelFileT", bound=ModelFile)


def read_model_file(path: Path, schema: type[ModelFileT], what: str) -> ModelFileT:
    """``path`` (``what``: "claim model", ...) parsed as JSON and checked against ``schema``:
    an unreadable file, a missing key or a value of the wrong type raises ModelFileError
    naming the file and the key."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise ModelFileError(f"{path}: cannot load {what} ({_one_line(exc)})") from None
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        if not key:
            raise ModelFileError(f"{path}: the file is not a JSON object") from None
        if first["type"] == "missing":
            raise ModelFileError(f"{path}: missing key {key!r}") from None
        raise ModelFileError(f"{path}: {key!r}: {first['msg']}") from None


def check_length(path: Path, key: str, values: Sequence, expected: int, what: str) -> None:
    if len(values) != expected:
        raise ModelFileError(f"{path}: {key!r} has {len(values)} values, expected {expected} "
                             f"({what})")


def check_thresholds(path: Path, thresholds: dict[str, float], key: str = "thresholds"
                     ) -> None:
    """One threshold within 0..1 per claim type."""
    missing = [lb for lb in CLAIM_TYPES if lb not in thresholds]
    if missing:
        raise ModelFileError(f"{path}: {key!r} lacks {missing}")
    for label, value in thresholds.items():
        if not 0.0 <= value <= 1.0:
            raise ModelFileError(f"{path}: '{key}.{label}' is {value}, expected 0..1")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


class ContextFile(ModelFile):
    format: int
    labels: list[str]
    n_models: int = Field(ge=1, le=16)
    thresholds: dict[str, float]
    weights: list[list[float]]
    bias: list[float]
    meta: dict[str, Any] = Field(default_factory=dict)


def doc_spans(doc_ids: Sequence[str]) -> list[tuple[int, int]]:
    """[start, end) row ranges of consecutive equal doc ids."""
    ids = list(doc_ids)
    spans, start = [], 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or ids[i] != ids[start]:
            spans.append((start, i))
            start = i
    return spans


def context_features(own: Sequence[np.ndarray], combined: np.ndarray,
                     doc_ids: Sequence[str]) -> np.ndarray:
    """Feature matrix (n, 3 * len(own) + 9); see the module docstring."""
    n, k = combined.shape
    mean_other = np.zeros((n, k))
    max_other = np.zeros((n, k))
    prev = np.zeros((n, k))
    for a, b in doc_spans(doc_ids):
        block = combined[a:b]
        m = b - a
        if m > 1:
            mean_other[a:b] = (block.sum(0) - block) / (m - 1)
            top = np.sort(block, axis=0)
            first, second = top[-1], top[-2]
            max_other[a:b] = np.where(block >= first, second, first)
            prev[a + 1 : b] = block[:-1]
    return np.hstack([*(logit(p, 1e-4) for p in own), mean_other, max_other, prev])


class ContextModel:
    """Per-label logistic regression over :func:`context_features`."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, thresholds: dict[str, float],
                 labels: Sequence[str], n_models: int, meta: dict | None = None):
        self.weights = np.asarray(weights, dtype=np.float64)
        self.bias = np.asarray(bias, dtype=np.float64)
        self.thresholds = {k: float(v) for k, v in thresholds.items()}
        self.labels = tuple(labels)
        self.n_models = int(n_models)
        self.meta = meta or {}
        want = (3 * self.n_models + 9, len(self.labels))
        if self.weights.shape != want:
            raise ClaimflowError(f"context model weights have shape {self.weights.shape}, "
                                 f"expected {want}")

    def predict_proba(self, own: Sequence[np.ndarray], combined: np.ndarray,
                      doc_ids: Sequence[str]) -> np.ndarray:
        if len(own) != self.n_models:
            raise ClaimflowError(f"context model expects {self.n_models} base models, "
                                 f"got {len(own)}")
        if not len(combined):
            return np.zeros((0, len(self.labels)))
        return sigmoid(context_features(own, combined, doc_ids) @ self.weights + self.bias)

    # --- persistence: one JSON file, no pickle
    def save(self, model_dir: Path) -> None:
        data = {
            "format": FORMAT_VERSION,
            "labels": list(self.labels),
            "n_models": self.n_models,
            "thresholds": {k: round(v, 4) for k, v in self.thresholds.items()},
            "weights": [[round(float(x), 6) for x in row] for row in self.weights],
            "bias": [round(float(x), 6) for x in self.bias],
            "meta": self.meta,
        }
        path = Path(model_dir) / CONTEXT_FILE
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, model_dir: Path) -> ContextModel | None:
        """The context model stored in ``model_dir``, or None when there is none. A file
        with a missing key or a value of the wrong type, length or shape raises
        ModelFileError naming the file and the key."""
        path = Path(model_dir) / CONTEXT_FILE
        if not path.exists():
            return None
        data = read_model_file(path, ContextFile, "context model")
        if data.format != FORMAT_VERSION:
            raise ModelFileError(f"{path}: unsupported format {data.format}")
        # rows and columns are both per label: only the contract's order is accepted
        if data.labels != list(CLAIM_TYPES):
            raise ModelFileError(f"{path}: 'labels' must be {list(CLAIM_TYPES)}, "
                                 f"not {data.labels}")
        check_thresholds(path, data.thresholds)
        check_length(path, "bias", data.bias, len(CLAIM_TYPES), "one per label")
        rows = 3 * data.n_models + 9
        check_length(path, "weights", data.weights, rows,
                     f"3 x n_models + 9 rows for n_models={data.n_models}")
        for i, row in enumerate(data.weights):
            check_length(path, f"weights.{i}", row, len(CLAIM_TYPES), "one per label")
        return cls(np.array(data.weights), np.array(data.bias), data.thresholds,
                   CLAIM_TYPES, data.n_models, data.meta)
