"""Language identification (py3langid) for paragraphs and sentences.

py3langid ships its model LZMA-compressed and unpacks it on every start (about 0.5 s, a tenth
of an incremental run that adds one file). ``make install`` unpacks it once into
``data/lang/`` (:func:`unpack_model`); the same arrays then load in a few milliseconds. The
unpacked file is named after the packaged model's hash, so an upgraded py3langid is never
paired with an old unpacking: without a matching file the packaged model is used as before.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
UNPACKED_DIR = Path(__file__).resolve().parent.parent / "data" / "lang"


def _packaged_model() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / MODEL_FILE


def unpacked_path(packaged: Path | None = None, folder: Path = UNPACKED_DIR) -> Path:
    """Where the unpacking of ``packaged`` (default: py3langid's model) lives."""
    digest = hashlib.sha256(Path(packaged or _packaged_model()).read_bytes()).hexdigest()
    return folder / f"langid-{digest[:16]}.npz"


def unpack_model(folder: Path = UNPACKED_DIR) -> Path:
    """Write py3langid's model uncompressed into ``folder`` (atomically, once per packaged
    model; older unpackings are removed); returns the path."""
    import lzma
    import os
    import tempfile

    packaged = _packaged_model()
    dest = unpacked_path(packaged, folder)
    if dest.is_file():
        return dest
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".langid-", suffix=".npz")
    try:
        os.chmod(tmp, 0o644)
        with os.fdopen(fd, "wb") as out, lzma.open(packaged) as src:
            while chunk := src.read(1 << 20):
                out.write(chunk)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for old in folder.glob("langid-*.npz"):
        if old != dest:
            old.unlink()
    return dest


def _from_unpacked(path: Path):
    """The identifier from an unpacked model: the arrays py3langid's own loader reads."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier
    from py3langid.modelio import _to_array

    with np.load(path, allow_pickle=False) as data:
        return LanguageIdentifier(
            np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
            _to_array(data["nextmove"]), data["out_feat"].tolist(),
            norm_probs=True, tk_row=_to_array(data["nextmove_row"]))


@lru_cache(maxsize=1)
def _identifier():
    path = unpacked_path()
    if path.is_file():
        return _from_unpacked(path)
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True)


def detect(text: str, default: str = "und", min_letters: int = 12) -> str:
    """ISO 639-1 code of ``text``'s language, ``default`` when there is too little text."""
    if len(_LETTERS.findall(text[:2000])) < min_letters:
        return default
    lang, _prob = _identifier().classify(text[:5000])
    return lang


def detect_with_prob(text: str) -> tuple[str, float]:
    if len(_LETTERS.findall(text[:2000])) < 12:
        return "und", 0.0
    lang, prob = _identifier().classify(text[:5000])
    return lang, float(prob)
