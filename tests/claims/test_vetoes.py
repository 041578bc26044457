"""Hard negatives of the guidelines that veto a claim type ("calls for tenders" is no demand,
"released on bail" no denial), through the shipped default classifier; a claim elsewhere in
the same sentence is kept. The encoder trained with train4 scores "calls for tenders" as a
demand (0.97), so the veto, not the models, keeps these out."""

from __future__ import annotations

import json
import shutil

import pytest
import spacy

from claimflow import api
from claimflow.claims.cues import DEFAULT_CUES_DIR, CueMatcher
from claimflow.errors import ClaimflowError

HARD_NEGATIVES = [
    "The ministry calls for tenders for the new embassy building.",
    "The embassy calls for applications for the 2025 scholarship programme.",
    "The committee called for nominations for the human rights award.",
    "The suspect was released on bail on Monday.",
]
BESIDE_A_CLAIM = {
    "The ministry calls for tenders for the new embassy building and urges Freedonia to "
    "withdraw its troops from our border.": "demand",
    "The activist was released on bail, and the ministry rejects the baseless allegations "
    "of torture.": "denial",
}


@pytest.mark.slow
def test_hard_negatives_get_no_claim_and_claims_beside_them_stay():
    claims = api.extract([*HARD_NEGATIVES, *BESIDE_A_CLAIM])
    found = {(t, c) for t, c in zip(claims["text"], claims["claim_type"], strict=True)}
    assert not {t for t, _ in found} & set(HARD_NEGATIVES)
    assert set(BESIDE_A_CLAIM.items()) <= found


def test_a_veto_names_only_claim_types(tmp_path):
    cues = tmp_path / "cues"
    shutil.copytree(DEFAULT_CUES_DIR, cues)
    rows = [json.loads(line) for line in (cues / "none.jsonl").read_text().splitlines()]
    rows[0]["vetoes"] = ["maybe"]
    (cues / "none.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(ClaimflowError, match=r"none\.jsonl: cue .*vetoes must be a list"):
        CueMatcher.load(spacy.blank("en").vocab, cues)
