"""Fine-tune the encoder claim model (LoRA through peft, or full fine-tuning) and export it
to int8 ONNX for inference (:func:`save` does both)."""

from __future__ import annotations

import copy
import json
import logging
import math
import os
import re
import tempfile
import warnings
from pathlib import Path

import numpy as np

from claimflow.claims.encoder import (
    DEFAULT_HPARAMS,
    LABELS,
    ONNX_FILE,
    ONNX_INPUTS,
    ONNX_RECORD,
    WEIGHTS_FILE,
    EncoderClaimModel,
    _batches,
    _build,
    _quiet_transformers,
    _sha256,
    _trainable,
    base_model_dir,
)
from claimflow.errors import ClaimflowError

ONNX_OPSET = 17
# sentences of different lengths to trace the graph with (batch and length stay dynamic)
_TRACE_TEXTS = ("We urge Freedonia to stop.", "The talks were held in Vienna on Monday.")


def fit(texts, labels, groups=None, hparams: dict | None = None, seed: int = 0,
        contexts=None, thresholds: dict | None = None, log=None,
        model_dir: Path | None = None) -> EncoderClaimModel:
    """Fine-tune on (texts, label lists). ``groups`` are accepted for interface symmetry
    (thresholds come from grouped CV outside, see training/quality_encoder.py). With
    ``model_dir`` the fitted model is written there with its int8 ONNX export (:func:`save`)."""
    import torch

    hp = {**DEFAULT_HPARAMS, **(hparams or {})}
    unknown = set(hparams or {}) - set(DEFAULT_HPARAMS)
    if unknown:
        raise ClaimflowError(f"unknown encoder hyper-parameters: {sorted(unknown)}")
    torch.manual_seed(seed)
    torch.set_num_threads(int(hp["threads"]))
    torch.use_deterministic_algorithms(True)
    tok, net = _build(hp)
    Y = np.array([[lb in ls for lb in LABELS] for ls in labels], dtype=np.float32)
    if hp["mode"] == "frozen":
        _fit_frozen_head(net, tok, list(texts), contexts, Y, hp, log)
        model = EncoderClaimModel(net, tok, hp, thresholds, state=_trainable(net))
        if model_dir is not None:
            save(model, model_dir)
        return model
    pos, neg = Y.sum(0).clip(1), (len(Y) - Y.sum(0)).clip(1)
    pw = {"sqrt": np.sqrt(neg / pos), "balanced": neg / pos}.get(hp["pos_weight"])
    loss_fn = torch.nn.BCEWithLogitsLoss(
        pos_weight=None if pw is None else torch.tensor(pw, dtype=torch.float32))
    head = list(net.head.parameters())
    body = [p for n, p in net.named_parameters() if p.requires_grad and not n.startswith("head.")]
    opt = torch.optim.AdamW([{"params": body, "lr": hp["lr"]},
                             {"params": head, "lr": hp["lr_head"]}],
                            weight_decay=hp["weight_decay"])
    bs = int(hp["batch_size"])
    total = math.ceil(len(texts) / bs) * int(hp["epochs"])
    warm = max(1, int(total * float(hp["warmup"])))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    gen = torch.Generator().manual_seed(seed)
    y = torch.tensor(Y)
    texts = list(texts)
    for ep in range(int(hp["epochs"])):
        net.train()
        tot = 0.0
        # seeded shuffle, then length-sorted inside chunks of 32 batches (little padding),
        # batches visited in a seeded random order
        perm = torch.randperm(len(texts), generator=gen).tolist()
        chunk = 32 * bs
        order = [i for s in range(0, len(perm), chunk)
                 for i in sorted(perm[s:s + chunk], key=lambda i: len(texts[i]))]
        batches = list(_batches(tok, texts, contexts, hp, bs, order))
        for b in torch.randperm(len(batches), generator=gen).tolist():
            idx, x = batches[b]
            loss = loss_fn(net(**x), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(body + head, 1.0)
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
        if log:
            log(f"epoch {ep + 1} loss {tot / len(texts):.4f}")
    net.eval()
    model = EncoderClaimModel(net, tok, hp, thresholds, state=_trainable(net))
    if model_dir is not None:
        save(model, model_dir)
    return model


def pooled_vectors(net, tok, texts, contexts, hp, batch_size: int = 32) -> np.ndarray:
    """The (n, hidden) sentence vectors the head reads."""
    import torch

    net.eval()
    out = None
    with torch.inference_mode():
        for idx, x in _batches(tok, texts, contexts, hp, batch_size):
            v = net.pooled(**x).double().numpy()
            out = np.zeros((len(texts), v.shape[1])) if out is None else out
            out[idx] = v
    return out


def _fit_frozen_head(net, tok, texts, contexts, Y, hp, log=None) -> None:
    """The "frozen" mode: the base stays as it is; the head is fitted on its pooled vectors."""
    fit_head(net, pooled_vectors(net, tok, texts, contexts, hp), Y, float(hp["frozen_C"]))
    if log:
        log(f"frozen head fitted on {len(texts)} sentences")


def fit_head(net, X: np.ndarray, Y: np.ndarray, C: float) -> list:
    """One scikit-learn logistic regression per claim type on sentence vectors ``X``, copied
    into ``net``'s head; returns the regressions."""
    import torch
    from sklearn.linear_model import LogisticRegression

    lrs = [LogisticRegression(C=C, max_iter=3000).fit(X, Y[:, j]) for j in range(len(LABELS))]
    with torch.no_grad():
        net.head.weight.copy_(torch.tensor(np.vstack([lr.coef_ for lr in lrs]),
                                           dtype=net.head.weight.dtype))
        net.head.bias.copy_(torch.tensor(np.concatenate([lr.intercept_ for lr in lrs]),
                                         dtype=net.head.bias.dtype))
    return lrs


FP32_NODES = DEFAULT_HPARAMS["onnx_fp32_nodes"]


def export_onnx(model: EncoderClaimModel, model_dir: Path, per_channel: bool = True,
                exclude: str | None = None) -> dict:
    """Write ``model_dir/encoder.int8.onnx``: the merged encoder + pooling + head traced with
    ``torch.onnx``, then ``onnxruntime``'s dynamic quantization (uint8 weights, activations
    quantized per run; ``exclude``: a regex, matching nodes stay fp32; None: the model's
    ``onnx_fp32_nodes`` hyper-parameter). Weights are unsigned: with signed ones (u8s8),
    CPUs without VNNI (AVX2 only) saturate the int16 sums and the all-int8 mpnet export gave
    near-constant scores there (mean |dp| 0.42 against fp32, 0.002 with uint8 weights on the
    same CPU). Per-channel weight scales
    move the probabilities 2.5x less than per-tensor ones (mean |dp| 0.006 vs 0.016 on the
    gold sentences). Sets and returns ``model.onnx``, the record ``save`` puts in config.json
    (``model.save`` must follow for the runtime to accept the file)."""
    import onnx
    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    if exclude is None:
        exclude = model.hparams["onnx_fp32_nodes"]

    net = model.net
    if hasattr(net.encoder, "merge_and_unload"):  # unmerged LoRA right after fit()
        net = copy.deepcopy(net)
        with _quiet_transformers():
            net.encoder = net.encoder.merge_and_unload()
    net.eval()
    _, x = next(_batches(model.tok, list(_TRACE_TEXTS), None, model.hparams, 2))
    axes = {n: {0: "batch", 1: "tokens"} for n in ONNX_INPUTS} | {"logits": {0: "batch"}}
    out = Path(model_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        fp32, int8 = Path(tmp) / "fp32.onnx", Path(tmp) / ONNX_FILE
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")  # tracer notes on constant shape checks
            torch.onnx.export(net, tuple(x[n] for n in ONNX_INPUTS), str(fp32),
                              input_names=list(ONNX_INPUTS), output_names=["logits"],
                              dynamic_axes=axes, opset_version=ONNX_OPSET, dynamo=False)
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # quantize_dynamic advises pre-processing on the root log
        keep = sorted(n.name for n in onnx.load(str(fp32)).graph.node
                      if exclude and re.search(exclude, n.name))
        try:
            quantize_dynamic(fp32, int8, weight_type=QuantType.QUInt8, per_channel=per_channel,
                             nodes_to_exclude=keep)
        finally:
            root.setLevel(level)
        onnx.checker.check_model(str(int8))
        os.replace(int8, out / ONNX_FILE)
    tok = base_model_dir(model.hparams["base_package"]) / "tokenizer.json"
    model.onnx = {
        "file": ONNX_FILE, "sha256": _sha256(out / ONNX_FILE), "tokenizer_sha256": _sha256(tok),
        "special_ids": {"cls": model.tok.cls_token_id, "sep": model.tok.sep_token_id},
        "weights_sha256": _sha256(out / WEIGHTS_FILE),
        "opset": ONNX_OPSET, "outputs": "logits",
        "quantization": {"method": "onnxruntime.quantization.quantize_dynamic",
                         "weights": "QUInt8", "per_channel": per_channel,
                         "fp32_nodes": exclude},
        "exported_with": {"torch": torch.__version__.split("+")[0], "onnx": onnx.__version__,
                          "onnxruntime": onnxruntime.__version__},
    }
    tmp = out / (ONNX_RECORD + ".tmp")
    tmp.write_text(json.dumps(model.onnx, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, out / ONNX_RECORD)
    return model.onnx


def save(model: EncoderClaimModel, model_dir: Path, **export_options) -> None:
    """The whole artifact: weights.safetensors and config.json, then the int8 ONNX export and
    its record (which names the weights' SHA-256)."""
    model.save(model_dir)
    export_onnx(model, model_dir, **export_options)


def export_saved(model_dir: Path, **export_options) -> dict:
    """Export a saved model (the shipped one by default) without touching its weights or
    config: writes the .onnx file and its record."""
    model = EncoderClaimModel.load(Path(model_dir), runtime="torch")
    return export_onnx(model, Path(model_dir), **export_options)
