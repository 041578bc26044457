"""claimflow.extract: the claims of texts or a folder as DataFrames, equal to ``claimflow run``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from claimflow import api
from claimflow.config import Settings
from claimflow.contract.schemas import CLAIMS, SPECS
from claimflow.errors import ClaimflowError
from claimflow.outputs.views import load_outputs

ROOT = Path(__file__).resolve().parents[1]


def readme_snippets(section: str = "## Python API and spaCy") -> list[str]:
    """The ```python blocks of one README section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    body = text.split(section + "\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", body, flags=re.S)


def raw_texts(raw_dir: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(raw_dir.glob("*.txt"))}


def assert_same_claims(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.columns) == CLAIMS.columns
    # MiniLM scores may differ in the 7th decimal with the make-up of a batch
    pd.testing.assert_frame_equal(got.drop(columns="confidence"), want.drop(columns="confidence"))
    assert (got["confidence"] - want["confidence"]).abs().max() <= 1e-5


# --------------------------------------------------------------------------- inputs
def test_import_claimflow_stays_cheap():
    code = ("import sys, claimflow; heavy = [m for m in ('claimflow.api', 'pandas', 'spacy') "
            "if m in sys.modules]; assert not heavy, heavy; "
            "from claimflow.api import extract; assert claimflow.extract is extract; "
            "assert 'extract' in dir(claimflow)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_records_from_list_dict_series_and_frame():
    assert api._records(["a", "b"]) == [{"id": "0", "text": "a"}, {"id": "1", "text": "b"}]
    assert api._records({"x": "a", 7: "b"}) == [{"id": "x", "text": "a"}, {"id": "7", "text": "b"}]
    series = pd.Series(["a", "b"], index=["p", "q"])
    assert [r["id"] for r in api._records(series)] == ["p", "q"]
    frame = pd.DataFrame({"doc_id": ["d1", "d2"], "text": ["a", "b"], "title": ["T", None],
                          "date": [pd.Timestamp("2020-10-05"), pd.NaT]})
    assert api._records(frame) == [
        {"id": "d1", "text": "a", "title": "T", "date": "2020-10-05"},
        {"id": "d2", "text": "b"},
    ]


def test_bad_inputs_are_refused(tmp_path):
    with pytest.raises(ClaimflowError, match="used twice"):
        api._records(pd.Series(["a", "b"], index=["x", "x"]))
    with pytest.raises(TypeError, match="must be a str"):
        api._records(["a", None])
    with pytest.raises(ClaimflowError, match="pass a list"):
        api.extract("The Ministry rejects the claims.")
    with pytest.raises(ClaimflowError, match="no such folder"):
        api.extract(tmp_path / "missing")
    with pytest.raises(TypeError):
        api.extract(42)


def test_no_texts_gives_empty_frames():
    claims = api.extract([])
    assert list(claims.columns) == CLAIMS.columns and claims.empty
    frames = api.extract([], tables=True)
    assert list(frames) == list(api.TABLES)
    assert all(list(frames[k].columns) == SPECS[k].columns for k in frames)


def test_texts_are_split_into_files_below_the_ingest_limit(tmp_path):
    settings = Settings.model_validate({"ingest": {"max_file_mb": 0.001}})  # ~1 KB
    records = [{"id": str(i), "text": "word " * 60} for i in range(10)]
    api._write_records(records, tmp_path, settings)
    files = sorted(tmp_path.iterdir())
    assert len(files) > 1 and all(f.stat().st_size <= 1024 for f in files)
    lines = [json.loads(line) for f in files for line in f.read_text().splitlines()]
    assert lines == records


# --------------------------------------------------------------------------- whole pipeline
@pytest.mark.slow
def test_extract_texts_equals_claimflow_run(sample_run, raw_dir):
    want = load_outputs(sample_run)["claims"]
    assert len(want) > 0
    assert_same_claims(api.extract(raw_texts(raw_dir)), want)


@pytest.mark.slow
def test_extract_folder_tables_equal_claimflow_run(sample_run, raw_dir):
    frames = api.extract(raw_dir, tables=True)
    want = load_outputs(sample_run)
    assert list(frames) == list(api.TABLES)
    for kind in api.TABLES:
        if kind == "claims":
            assert_same_claims(frames[kind], want[kind])
        else:
            pd.testing.assert_frame_equal(frames[kind], want[kind], obj=kind)


@pytest.mark.slow
def test_extract_keeps_outputs_in_out_dir(tmp_path, raw_dir):
    texts = raw_texts(raw_dir)
    first = dict(list(texts.items())[:1])
    claims = api.extract(first, out_dir=tmp_path / "out")
    kept = load_outputs(tmp_path / "out")
    assert set(kept["documents"]["doc_id"]) == set(first)
    assert_same_claims(claims, kept["claims"])


@pytest.mark.slow
def test_readme_snippets_run():
    snippets = readme_snippets()
    assert len(snippets) == 2
    namespace: dict = {}
    for code in snippets:
        exec(compile(code, "README.md", "exec"), namespace)
    claims, frames = namespace["claims"], namespace["frames"]
    assert list(claims.columns) == CLAIMS.columns
    assert {"denial", "accusation", "demand"} <= set(claims["claim_type"])
    assert set(claims["doc_id"]) == {"mfa-1", "leg-1"}
    assert list(frames) == list(api.TABLES)
    assert_same_claims(frames["claims"], claims)
    doc = namespace["doc"]
    assert {c.type for c in doc._.claims} == set(claims[claims["doc_id"] == "mfa-1"]["claim_type"])
    assert "denial" in namespace["html"]
