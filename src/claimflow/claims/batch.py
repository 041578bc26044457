"""What every claim model reads and returns.

A :class:`SentenceBatch` is a run of parsed English sentences in document order. A claim
model (:class:`ClaimScorer`) maps it to an ``(n, 3)`` array of probabilities whose columns
are :data:`~claimflow.contract.schemas.CLAIM_TYPES`, always in that order, so models compose
by adding columns, never by reordering them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from spacy.tokens import Doc

from claimflow.contract.schemas import CLAIM_TYPES
from claimflow.errors import ClaimflowError
from claimflow.nlp.docs import ActorMention


@dataclass(frozen=True)
class SentenceBatch:
    docs: Sequence[Doc]
    mentions: Sequence[list[ActorMention]]
    doc_ids: Sequence[str]  # consecutive sentences of one document share an id

    def __len__(self) -> int:
        return len(self.docs)

    @property
    def texts(self) -> list[str]:
        return [d.text for d in self.docs]


class ClaimScorer(Protocol):
    labels: tuple[str, ...]  # always CLAIM_TYPES

    def predict_proba(self, batch: SentenceBatch) -> np.ndarray: ...


def in_claim_type_order(labels: Sequence[str], where: str) -> list[int]:
    """Column indices that put a stored model's ``labels`` in CLAIM_TYPES order."""
    if sorted(labels) != sorted(CLAIM_TYPES):
        raise ClaimflowError(f"{where}: labels {list(labels)} are not {list(CLAIM_TYPES)}")
    return [list(labels).index(lb) for lb in CLAIM_TYPES]
