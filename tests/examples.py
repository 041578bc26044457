"""Sentences written for the tests (not taken from the gold files), shared by test modules."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# One claim type each, in the register of a foreign-ministry statement.
SINGLE_TYPE = [
    ("The Foreign Ministry firmly rejects the groundless allegations made by the Freedonian "
     "government.", "denial"),
    ("Freedonia has once again violated the ceasefire and shelled civilian villages in "
     "flagrant breach of international law.", "accusation"),
    ("We call on the government of Sylvania to immediately withdraw its troops from the "
     "border area.", "demand"),
]


def property_settings(default_examples: int) -> settings:
    """hypothesis settings for property and fuzz tests: derandomised and bounded in CI;
    CLAIMFLOW_FUZZ_EXAMPLES / CLAIMFLOW_FUZZ_RANDOM scale them up for a long session."""
    return settings(
        max_examples=int(os.environ.get("CLAIMFLOW_FUZZ_EXAMPLES", str(default_examples))),
        deadline=None,
        derandomize=not os.environ.get("CLAIMFLOW_FUZZ_RANDOM"),
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
