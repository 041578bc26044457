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


def import_spacy(models: Iterable[str]) -> bool:
    """Import spaCy now, hiding torch from thinc unless one of ``models`` needs it.

    Returns True when spaCy was imported without torch. Does nothing when spaCy or torch is
    already imported.
    """
    if "spacy" in sys.modules or "torch" in sys.modules:
        return False
    if any(needs_torch(m) for m in models):
        return False
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` -> ImportError
    try:
        import spacy  # noqa: F401
    finally:
        del sys.modules["torch"]
    return True
