"""Language identification from the unpacked model equals py3langid's packaged model."""

from __future__ import annotations

import json
from pathlib import Path

from py3langid.langid import _load_identifier

from claimflow.nlp import lang

GOLD = Path(__file__).resolve().parents[3] / "shared" / "gold"


def test_unpacked_model_classifies_like_the_packaged_one(tmp_path):
    path = lang.unpack_model(tmp_path)
    assert path == lang.unpacked_path(folder=tmp_path)
    assert lang.unpack_model(tmp_path) == path  # once per packaged model
    fast, packaged = lang._from_unpacked(path), _load_identifier(norm_probs=True)
    texts = ["Это заявление министерства иностранных дел.",
             "Déclaration du ministère des affaires étrangères sur la situation.",
             "Erklärung des Auswärtigen Amts zur Lage in der Region.",
             "وزارة الخارجية ترفض الاتهامات",
             "The ministry rejects the allegations as baseless."]
    for name in ("seeds.jsonl", "train.jsonl"):
        if (GOLD / name).is_file():
            with open(GOLD / name, encoding="utf-8") as fh:
                texts += [json.loads(line)["text"] for line in fh][:400]
    assert [fast.classify(t) for t in texts] == [packaged.classify(t) for t in texts]


def test_a_stale_unpacking_is_not_used(tmp_path):
    """An unpacking of another packaged model (an upgraded py3langid) has another name."""
    other = tmp_path / "model.npz.xz"
    other.write_bytes(b"another model")
    assert lang.unpacked_path(other, tmp_path) != lang.unpacked_path(folder=tmp_path)
