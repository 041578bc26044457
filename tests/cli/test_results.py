"""``show``, ``report`` and the help of the model commands through the typer CLI, on the
small fixture outputs (no pipeline run)."""

from __future__ import annotations

import csv
import re

import pytest
from fixtures_outputs import HOSTILE_TITLE, write_fixture_outputs
from typer.testing import CliRunner

from claimflow.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    return write_fixture_outputs(tmp_path_factory.mktemp("outputs"))


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def show_csv(out_dir, tmp_path, *args: str) -> list[dict]:
    path = tmp_path / "claims.csv"
    result = invoke("show", out_dir, "--csv", path, *args)
    assert result.exit_code == 0, result.output
    matched = re.search(r"(\d+) of (\d+) claims", result.output)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert matched and int(matched.group(2)) == len(rows)  # table and CSV agree
    assert f"{len(rows)} claims written to" in result.output
    return rows


def test_show_everything(out_dir, tmp_path):
    assert len(show_csv(out_dir, tmp_path)) == 15


@pytest.mark.parametrize(
    ("args", "docs", "n"),
    [
        (("--since", "2024-12-01"),
         {"arm-mfa-2024-12-05", "aze-mfa-2024-12-05", "arm-2025-02-01-hostile"}, 10),
        (("--until", "2024-12-05"),
         {"aze-leg-2024-11-21", "arm-mfa-2024-12-05", "aze-mfa-2024-12-05"}, 10),
        (("--since", "2024-12-05", "--until", "2024-12-05"),
         {"arm-mfa-2024-12-05", "aze-mfa-2024-12-05"}, 7),
        (("--since", "2025-03-01"), set(), 0),
    ],
)
def test_show_date_range_is_inclusive_and_drops_undated(out_dir, tmp_path, args, docs, n):
    rows = show_csv(out_dir, tmp_path, *args)
    assert len(rows) == n and {r["doc_id"] for r in rows} == docs


@pytest.mark.parametrize(
    ("args", "n"),
    [
        (("--speaker", "ARM"), 7),  # code prefix: ARM-MFA and ARM
        (("--speaker", "arm-mfa"), 4),  # case-insensitive
        (("--speaker", "armenia"), 4),  # name: "Ministry of Foreign Affairs of Armenia"
        (("--speaker", "Milli Majlis"), 3),
        (("--target", "aze"), 6),
        (("--target", "european parliament"), 2),
        (("--target", "EP"), 2),  # not "Deputies": names match whole words only
        (("--speaker", "ARM", "--target", "AZE"), 4),
        (("--actor", "AZE", "--type", "accusation"), 5),  # speaker or target
        (("--actor", "luxembourg"), 2),
    ],
)
def test_show_speaker_and_target(out_dir, tmp_path, args, n):
    rows = show_csv(out_dir, tmp_path, *args)
    assert len(rows) == n
    option, value = args[0], args[1].lower()
    side = {"--speaker": ("speaker",), "--target": ("target",)}.get(option,
                                                                     ("speaker", "target"))
    for row in rows:
        assert any(
            row[f"{s}_code"].lower().startswith(value) or value in row[s].lower() for s in side
        ), row


def test_show_speaker_excludes_targets(out_dir, tmp_path):
    as_speaker = show_csv(out_dir, tmp_path, "--speaker", "AZE")
    assert {r["speaker_code"] for r in as_speaker} == {"AZE-LEG", "AZE-MFA"}
    as_target = show_csv(out_dir, tmp_path, "--target", "AZE")
    assert {r["target_code"] for r in as_target} == {"AZE"}
    assert not {(r["doc_id"], r["sent_id"]) for r in as_speaker} & {
        (r["doc_id"], r["sent_id"]) for r in as_target
    }


def test_show_csv_has_date_and_title(out_dir, tmp_path):
    rows = show_csv(out_dir, tmp_path)
    assert list(rows[0])[:4] == ["doc_id", "published", "title", "sent_id"]
    by_doc = {r["doc_id"]: r for r in rows}
    assert by_doc["aze-leg-2024-11-21"]["published"] == "2024-11-21"
    assert by_doc["aze-leg-2024-11-21"]["title"] == (
        "Statement of the Milli Majlis on the Luxembourg resolution"
    )
    assert by_doc["ep-resolution-undated"]["published"] == ""
    assert by_doc["arm-2025-02-01-hostile"]["title"] == HOSTILE_TITLE


def test_show_missing_doc_is_one_line_error(out_dir):
    result = invoke("show", out_dir, "--doc", "MISSING")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "MISSING" in lines[0] and lines[0].startswith("error:")
    assert "0 of 0" not in result.output
    ok = invoke("show", out_dir, "--doc", "aze-mfa-2024-12-05")
    assert ok.exit_code == 0 and "3 of 3 claims" in ok.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "5 Dec 2024"), "--since '5 Dec 2024': expected a date as YYYY-MM-DD"),
        (("--until", "2024-13-01"), "--until '2024-13-01': expected a date as YYYY-MM-DD"),
        (("--since", "2024-12-06", "--until", "2024-12-05"), "is after --until"),
    ],
)
def test_show_bad_dates_are_one_line_errors(out_dir, args, message):
    result = invoke("show", out_dir, *args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_report_defaults_to_the_output_folder(out_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("report", out_dir)
    assert result.exit_code == 0, result.output
    assert (out_dir / "report.html").is_file()
    assert not (tmp_path / "report.html").exists()
    elsewhere = tmp_path / "custom.html"
    assert invoke("report", out_dir, "-o", elsewhere).exit_code == 0 and elsewhere.is_file()


def test_help_shows_square_brackets():
    result = invoke("train", "--help")
    assert result.exit_code == 0
    assert "[classify] model_dir" in result.output
    assert "\\[" not in result.output


@pytest.mark.parametrize("cmd", ["show", "report"])
def test_help_documents_the_options(cmd):
    out = invoke(cmd, "--help").output
    expected = {"show": ("--since", "--until", "--speaker", "--target", "YYYY-MM-DD"),
                "report": ("OUT_DIR/report.html",)}[cmd]
    for text in expected:
        assert text in out, text
