"""claimflow export: PLOVER event records (JSON Lines, CSV) and counts, on the fixture outputs."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from fixtures_outputs import HOSTILE_SCRIPT, fixture_frames, write_fixture_outputs
from typer.testing import CliRunner

from claimflow.cli import app
from claimflow.errors import ClaimflowError
from claimflow.outputs.export import (
    COUNT_COLUMNS,
    EXPORT_COLUMNS,
    PLOVER_EVENT_TYPES,
    export_claims,
)

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    return write_fixture_outputs(tmp_path_factory.mktemp("outputs"))


def invoke(*args):
    return CliRunner().invoke(app, ["export", *map(str, args)])


def test_export_claims_one_record_per_claim(out_dir):
    df = export_claims(out_dir, "plover")
    claims = fixture_frames()["claims"]
    assert list(df.columns) == EXPORT_COLUMNS
    assert len(df) == len(claims)
    assert df["event_id"].is_unique
    row = df.set_index("event_id").loc["aze-leg-2024-11-21:0:accusation"]
    assert row["date"] == "2024-11-21"
    assert row["event_type"] == "ACCUSE" and row["claim_type"] == "accusation"
    assert (row["source"], row["source_code"]) == ("Milli Majlis", "AZE-LEG")
    assert (row["target"], row["target_code"]) == ("Luxembourg Chamber of Deputies", "LUX-LEG")
    assert row["title"] == "Statement of the Milli Majlis on the Luxembourg resolution"
    assert row["sentence"].startswith("The Milli Majlis of the Republic of Azerbaijan")
    assert row["trigger"] == "biased" and row["confidence"] == pytest.approx(0.91)
    assert set(zip(df["claim_type"], df["event_type"], strict=True)) == set(
        PLOVER_EVENT_TYPES.items()
    )
    undated = df[df["doc_id"] == "ep-resolution-undated"]
    assert undated["date"].isna().all()
    # document order, and the same frame on every call
    assert df[["doc_id", "sent_id"]].apply(tuple, axis=1).is_monotonic_increasing
    assert df.equals(export_claims(out_dir, "jsonl"))


def test_cli_export_plover_jsonl(out_dir, tmp_path):
    path = tmp_path / "events.jsonl"
    result = invoke(out_dir, "--format", "plover", "-o", path)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(fixture_frames()["claims"])
    assert all(list(r) == EXPORT_COLUMNS for r in records)
    first = records[0]
    assert first["event_id"] == f"{first['doc_id']}:{first['sent_id']}:{first['claim_type']}"
    assert {r["event_type"] for r in records} == {"ACCUSE", "REJECT", "REQUEST"}
    undated = [r for r in records if r["doc_id"] == "ep-resolution-undated"]
    assert undated and all(r["date"] is None and r["place"] is None for r in undated)
    assert all(isinstance(r["sent_id"], int) and isinstance(r["confidence"], float)
               for r in records)
    # text is data: the hostile trigger comes back as the same string
    assert HOSTILE_SCRIPT in {r["trigger"] for r in records}
    # stable ids: a second export is byte-identical
    again = tmp_path / "again.jsonl"
    assert invoke(out_dir, "-o", again).exit_code == 0  # plover is the default
    assert again.read_bytes() == path.read_bytes()


def test_cli_export_jsonl_to_stdout(out_dir):
    result = invoke(out_dir, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(fixture_frames()["claims"])


def test_cli_export_csv_is_formula_safe(out_dir, tmp_path):
    path = tmp_path / "events.csv"
    result = invoke(out_dir, "--format", "csv", "-o", path)
    assert result.exit_code == 0, result.output
    assert "claims written to" in result.output
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert list(rows[0]) == EXPORT_COLUMNS
    assert len(rows) == len(fixture_frames()["claims"])
    cells = [v for r in rows for v in r.values()]
    assert not [v for v in cells if re.match(r"[=+\-@\t\r]", v)]
    assert "'=CMD|' /C calc'!A0" in {r["target_code"] for r in rows}
    assert "'+1 we demand an apology from Azerbaijan." in {r["sentence"] for r in rows}


def test_cli_export_counts(out_dir, tmp_path):
    path = tmp_path / "counts.csv"
    result = invoke(out_dir, "--format", "counts", "-o", path)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert list(rows[0]) == COUNT_COLUMNS
    assert sum(int(r["count"]) for r in rows) == len(fixture_frames()["claims"])
    by_key = {(r["source_code"], r["target_code"], r["month"], r["event_type"]): int(r["count"])
              for r in rows}
    assert by_key[("ARM-MFA", "AZE", "2024-12", "ACCUSE")] == 2
    assert by_key[("ARM-MFA", "", "2024-12", "REJECT")] == 1
    assert by_key[("EP", "AZE", "", "REQUEST")] == 1  # undated: no month
    assert len(by_key) == len(rows)
    frame = export_claims(out_dir, "counts")
    assert list(frame.columns) == COUNT_COLUMNS
    assert frame["count"].sum() == len(fixture_frames()["claims"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "unknown export format 'xml'"),
        (["--format", "csv"], "parquet: missing; run `claimflow run"),
    ],
)
def test_cli_export_errors_are_one_line(tmp_path, args, message):
    out = tmp_path / "empty_out"
    out.mkdir()
    result = invoke(out, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_export_unknown_format_raises(out_dir):
    with pytest.raises(ClaimflowError, match="choose from plover, jsonl, csv, counts"):
        export_claims(out_dir, "parquet")


def test_readme_documents_the_plover_mapping():
    text = README.read_text(encoding="utf-8")
    for claim_type, event_type in PLOVER_EVENT_TYPES.items():
        assert re.search(rf"\|\s*`{claim_type}`\s*\|\s*`{event_type}`\s*\|", text), claim_type
