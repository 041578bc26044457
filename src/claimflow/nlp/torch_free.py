"""Importing spaCy without torch when the configured pipelines have no PyTorch layer.

thinc imports torch at import time whenever it is installed (about 3 s on a 2-core machine)
to offer PyTorch-wrapped layers. The CNN pipelines claimflow uses by default have none; a
pipeline that needs torch (spacy-transformers, spacy-curated-transformers) says so in its
requirements, and then spaCy is imported as usual. Code that imports torch itself later (the
encoder's torch path, training) is not affected.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

_TORCH_REQUIREMENT = re.compile(r"(spacy[-_.]?(curated[-_.])?transformers|torch)\b", re.I)


def _requirements(model: str) -> list[str] | None:
    """The requirements a spaCy model package or folder declares; None when it is not there."""
    folder = Path(model).expanduser()
    if (folder / "meta.json").is_file():
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        found = meta.get("requirements") if isinstance(meta, dict) else None
        return [str(r) for r in found] if isinstance(found, list) else None
    try:
        return importlib.metadata.requires(model) or []
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return None


def needs_torch(model: str) -> bool:
    """True when ``model`` is installed (or a folder) and requires a PyTorch-backed package.
    A model that is not there is never loaded, so it needs nothing."""
    found = _requirements(model) or []
    return any(_TORCH_REQUIREMENT.match(r.strip()) for r in found)


class _HideTorchFromThinc:
    """A meta-path finder that makes ``import torch`` fail when thinc or spaCy asks for it
    (both treat torch as optional) and leaves it importable for everyone else."""

    def find_spec(self, name, path=None, target=None):
        if name == "torch" and _asked_by_spacy():
            raise ModuleNotFoundError("torch is hidden from thinc", name="torch")
        return None


def _asked_by_spacy() -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if not module.startswith(("importlib", "_frozen_importlib")):
            return module.split(".")[0] in ("thinc", "spacy")
        frame = frame.f_back
    return False


def hide_torch_from_spacy(models: Iterable[str]) -> bool:
    """When none of ``models`` needs torch, let spaCy (imported later, lazily) load without it.

    Returns True when the hiding is in place. Does nothing when spaCy or torch is already
    imported, or when a model needs torch.
    """
    if "spacy" in sys.modules or "torch" in sys.modules or any(needs_torch(m) for m in models):
        return False
    if not any(isinstance(f, _HideTorchFromThinc) for f in sys.meta_path):
        sys.meta_path.insert(0, _HideTorchFromThinc())
    return True
