"""The third scorer of ``backend = "ensemble-mpnet"``: all-mpnet-base-v2 frozen with a
logistic-regression head (``mode = "frozen"``), run from its int8 ONNX export like the MiniLM.
MPNet has no segment ids and other special tokens than BERT: the export and the runtime must
agree on both."""

from __future__ import annotations

import json

import numpy as np
import pytest
from examples import SINGLE_TYPE

pytest.importorskip("onnxruntime")

from claimflow.claims import encoder as T  # noqa: E402
from claimflow.claims.context import ContextModel  # noqa: E402
from claimflow.config import Settings  # noqa: E402

MPNET_DIR = Settings().classify.mpnet_dir
# all-int8 (no fp32 nodes): |int8 - fp32| over grouped-CV folds of the gold sentences has
# mean 0.049; on the sample statements mean 0.053, max 0.35
MEAN_TOLERANCE, MAX_TOLERANCE = 0.07, 0.45


@pytest.fixture(scope="module")
def model():
    return T.EncoderClaimModel.load(MPNET_DIR, threads=2)


@pytest.fixture(scope="module")
def torch_model():
    pytest.importorskip("torch")
    return T.EncoderClaimModel.load(MPNET_DIR, threads=2, runtime="torch")


def test_the_artifact_is_a_head_over_the_installed_base():
    cfg = json.loads((MPNET_DIR / T.CONFIG_FILE).read_text(encoding="utf-8"))
    assert cfg["hparams"]["mode"] == "frozen" and cfg["hparams"]["normalize"] is True
    assert cfg["base_model"]["package"] == "all_mpnet_base_v2"
    raw = (MPNET_DIR / T.WEIGHTS_FILE).read_bytes()  # safetensors: no pickle
    header = json.loads(raw[8: 8 + int.from_bytes(raw[:8], "little")])
    assert sorted(k for k in header if k != "__metadata__") == ["head.bias", "head.weight"]
    assert header["head.weight"]["shape"] == [3, 768]
    weights = cfg["meta"]["ensemble_weights"]
    assert set(weights) == {"linear", "encoder", "mpnet"}
    assert abs(sum(weights.values()) - 1) < 1e-9
    assert ContextModel.load(MPNET_DIR).n_models == 3


def test_the_export_feeds_mpnet_its_own_inputs_and_special_tokens(model):
    from tokenizers import Tokenizer

    names = {i.name for i in model.session.get_inputs()}
    assert "token_type_ids" not in names and {"input_ids", "pool_mask"} <= names
    tok = Tokenizer.from_file(str(T.base_model_dir("all_mpnet_base_v2") / "tokenizer.json"))
    assert (model._cls, model._sep) == (tok.token_to_id("<s>"), tok.token_to_id("</s>"))
    p = model.predict_proba_texts(["We call on Sylvania to withdraw its troops at once."])
    assert p.shape == (1, 3) and ((p > 0) & (p < 1)).all()


def test_int8_agrees_with_torch_on_the_sample_statements(model, torch_model, raw_dir, senter):
    texts = [p.read_text(encoding="utf-8") for p in sorted(raw_dir.glob("*.txt"))]
    sentences = [s.text.strip() for doc in senter.pipe(texts) for s in doc.sents
                 if len(s.text.strip()) > 1]
    q, p = model.predict_proba_texts(sentences), torch_model.predict_proba_texts(sentences)
    diff = np.abs(q - p)
    assert diff.mean() < MEAN_TOLERANCE and diff.max() < MAX_TOLERANCE, (diff.mean(), diff.max())


def test_the_head_alone_separates_clear_written_cases(model):
    texts = [t for t, _ in SINGLE_TYPE]
    got = model.predict_texts(texts)
    right = [label in labels for (_, label), labels in zip(SINGLE_TYPE, got, strict=True)]
    missed = [t for (t, _), ok in zip(SINGLE_TYPE, right, strict=True) if not ok]
    assert np.mean(right) >= 0.8, missed
