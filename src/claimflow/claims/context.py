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

import numpy as np

from claimflow.claims.batch import in_claim_type_order
from claimflow.claims.scores import logit, sigmoid
from claimflow.contract.schemas import CLAIM_TYPES
from claimflow.errors import ClaimflowError

CONTEXT_FILE = "context.json"


FORMAT_VERSION = 1



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
        """The context model stored in ``model_dir``, or None when there is none."""
        path = Path(model_dir) / CONTEXT_FILE
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT_VERSION:
                raise ValueError(f"unsupported format {data.get('format')}")
            # rows and columns are both per label: only the contract's order is accepted
            if in_claim_type_order(data["labels"], str(path)) != list(range(len(CLAIM_TYPES))):
                raise ValueError(f"labels must be in the order {list(CLAIM_TYPES)}")
            return cls(np.array(data["weights"]), np.array(data["bias"]), data["thresholds"],
                       CLAIM_TYPES, data["n_models"], data.get("meta", {}))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ClaimflowError(f"{path}: cannot load context model ({exc})") from None
