"""Fine-tune the encoder claim model (LoRA through peft, or full fine-tuning)."""

from __future__ import annotations

import math

import numpy as np

from claimflow.claims.encoder import (
    DEFAULT_HPARAMS,
    LABELS,
    EncoderClaimModel,
    _batches,
    _build,
    _trainable,
)
from claimflow.errors import ClaimflowError


def fit(texts, labels, groups=None, hparams: dict | None = None, seed: int = 0,
        contexts=None, thresholds: dict | None = None, log=None) -> EncoderClaimModel:
    """Fine-tune on (texts, label lists). ``groups`` are accepted for interface symmetry
    (thresholds come from grouped CV outside, see training/quality_encoder.py)."""
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
    return EncoderClaimModel(net, tok, hp, thresholds, state=_trainable(net))
