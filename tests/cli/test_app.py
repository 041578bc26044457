"""End to end through the typer CLI on the sample corpus and on hostile input.

``sample_run`` (tests/conftest.py) is one ``claimflow run`` on the samples, shared with the
engine tests; the tests here only read it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from importlib.metadata import entry_points

import pandas as pd
import pyarrow.parquet as pq
import pytest
from fixtures_outputs import write_fixture_outputs
from typer.testing import CliRunner

from claimflow.cli import app, main
from claimflow.contract.parquet import check_file, read_table
from claimflow.contract.schemas import (
    CLAIM_TYPES,
    CLAIMS,
    DOCUMENTS,
    ENTITIES,
    SENTENCES,
    SPECS,
    TOKENS,
)

runner = CliRunner()
OUTPUTS = ("documents", "sentences", "entities", "tokens", "claims", "ingest_report")
COMMANDS = ("ingest", "split", "tag", "classify", "run", "train", "evaluate", "report", "show",
            "stats", "export")


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.mark.slow
def test_run_writes_every_output_obeying_the_contract(sample_run):
    for kind in OUTPUTS:
        spec = SPECS[kind]
        check_file(sample_run / spec.filename, spec)
        schema = pq.read_schema(sample_run / spec.filename)
        assert schema.remove_metadata().equals(spec.schema), kind


@pytest.mark.slow
def test_offsets_hold_across_documents_sentences_entities_claims(sample_run):
    docs = read_table(sample_run / DOCUMENTS.filename, DOCUMENTS).set_index("doc_id")["text"]
    sents = read_table(sample_run / SENTENCES.filename, SENTENCES)
    assert len(docs) == 5 and len(sents) > 80
    for row in sents.itertuples():
        assert docs[row.doc_id][row.start_char : row.end_char] == row.text
    ents = read_table(sample_run / ENTITIES.filename, ENTITIES)
    for row in ents.itertuples():
        assert docs[row.doc_id][row.start_char : row.end_char] == row.text
    toks = read_table(sample_run / TOKENS.filename, TOKENS)
    for row in toks.sample(300, random_state=0).itertuples():
        assert docs[row.doc_id][row.start_char : row.end_char] == row.text
    claims = read_table(sample_run / CLAIMS.filename, CLAIMS)
    assert set(claims["claim_type"]) == set(CLAIM_TYPES)
    with_trigger = claims.dropna(subset=["trigger_start"])
    assert len(with_trigger) > len(claims) / 2
    for row in with_trigger.itertuples():
        start, end = int(row.trigger_start), int(row.trigger_end)
        assert docs[row.doc_id][start:end] == row.trigger
        assert row.trigger in row.text


@pytest.mark.slow
def test_russian_sentences_are_not_classified(sample_run):
    sents = read_table(sample_run / SENTENCES.filename, SENTENCES)
    claims = read_table(sample_run / CLAIMS.filename, CLAIMS)
    ru = set(zip(*sents.loc[sents["lang"] == "ru", ["doc_id", "sent_id"]].T.values, strict=True))
    assert len(ru) >= 15
    assert not ru & set(zip(claims["doc_id"], claims["sent_id"], strict=True))
    toks = read_table(sample_run / TOKENS.filename, TOKENS)
    assert not ru & set(zip(toks["doc_id"], toks["sent_id"], strict=True))


@pytest.mark.slow
def test_rerun_is_skipped_and_forced_rerun_is_byte_identical(sample_run, raw_dir, tmp_path):
    before = {k: (sample_run / SPECS[k].filename).read_bytes() for k in OUTPUTS}
    rerun = tmp_path / "rerun"  # a copy: the shared sample run is never written into
    shutil.copytree(sample_run, rerun)
    again = invoke("run", str(raw_dir), "--out-dir", str(rerun))
    assert again.exit_code == 0 and again.output.count("up to date") == 4
    for kind, data in before.items():
        assert (rerun / SPECS[kind].filename).read_bytes() == data, kind
    other = tmp_path / "second"
    assert invoke("run", str(raw_dir), "--out-dir", str(other), "--force").exit_code == 0
    for kind, data in before.items():
        assert (other / SPECS[kind].filename).read_bytes() == data, kind


@pytest.mark.slow
def test_stage_commands_chain_like_run(sample_run, raw_dir, tmp_path):
    docs, sents = tmp_path / "documents.parquet", tmp_path / "sentences.parquet"
    assert invoke("ingest", str(raw_dir), "-o", str(docs)).exit_code == 0
    assert invoke("split", str(docs), "-o", str(sents)).exit_code == 0
    assert invoke("tag", str(sents), "-o", str(tmp_path / "entities.parquet")).exit_code == 0
    assert invoke("classify", str(sents), "-o", str(tmp_path / "claims.parquet")).exit_code == 0
    for kind in ("sentences", "entities", "claims"):
        a = read_table(tmp_path / SPECS[kind].filename, SPECS[kind])
        b = read_table(sample_run / SPECS[kind].filename, SPECS[kind])
        pd.testing.assert_frame_equal(a, b)


def test_wrong_input_kind_is_one_clear_line(tmp_path):
    outputs = write_fixture_outputs(tmp_path / "outputs")
    out = tmp_path / "x.parquet"
    result = runner.invoke(app, ["split", str(outputs / SENTENCES.filename), "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert "is a 'sentences' table, expected 'documents'" in result.output
    assert "Traceback" not in result.output


def test_missing_and_empty_raw_dir_are_errors(tmp_path):
    missing = runner.invoke(app, ["run", str(tmp_path / "nope"), "--out-dir", str(tmp_path)])
    assert missing.exit_code == 1 and "not found" in missing.output
    (tmp_path / "empty").mkdir()
    empty = runner.invoke(app, ["ingest", str(tmp_path / "empty"), "-o", str(tmp_path / "d.pq")])
    assert empty.exit_code == 1 and "error" in empty.output


@pytest.mark.slow
def test_hostile_files_are_reported_and_the_run_goes_on(raw_dir, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (raw / "dup.txt").write_bytes((raw_dir / "000_f4b2c18048fe893e.txt").read_bytes())
    record = '{"id": "r1", "text": "The ministry rejected the claims."}'
    (raw / "bad.jsonl").write_text(record + "\n{oops\n")
    out = tmp_path / "out"
    result = invoke("run", str(raw), "--out-dir", str(out))
    assert result.exit_code == 0
    report = read_table(out / "ingest_report.parquet", SPECS["ingest_report"])
    flagged = set(report["path"].str.split("#").str[0])
    assert {"empty.txt", "binary.txt", "dup.txt", "bad.jsonl"} <= flagged
    docs = read_table(out / DOCUMENTS.filename, DOCUMENTS)
    assert len(docs) == 6  # five seeds + the valid JSONL record


def test_every_command_is_registered_in_pipeline_order():
    result = invoke("--help")
    assert result.exit_code == 0
    listed = re.findall(r"^│ (\w+) ", result.output, re.M)
    assert tuple(listed) == COMMANDS


def test_script_and_python_dash_m_run_the_same_app():
    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "claimflow"]
    assert script.value == "claimflow.cli:main" and script.load() is main
    proc = subprocess.run([sys.executable, "-m", "claimflow", "--version"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith("claimflow "), proc.stderr


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)


def test_the_script_exits_with_the_commands_status_and_output():
    usage = subprocess.run([sys.executable, "-m", "claimflow", "run"], capture_output=True,
                           text=True, timeout=120)
    assert usage.returncode == 2 and "Missing argument" in usage.stderr


@pytest.mark.parametrize("code, status, err", [(None, 0, ""), (3, 3, ""), ("gone", 1, "gone")])
def test_exit_without_teardown_runs_exit_handlers_and_keeps_the_status(code, status, err):
    proc = _python("import atexit; atexit.register(lambda: print('handler ran'));"
                   "print('before', end=' ');"
                   f"from claimflow.cli import exit_without_teardown as q; q({code!r})")
    assert proc.returncode == status
    assert proc.stdout == "before handler ran\n" and proc.stderr.strip() == err


def test_exit_without_teardown_waits_for_live_threads():
    proc = _python("import threading, time;"
                   "t = threading.Thread(target=lambda: (time.sleep(0.5), print('joined')));"
                   "t.start(); from claimflow.cli import exit_without_teardown as q; q(4)")
    assert proc.returncode == 4 and proc.stdout == "joined\n"


def test_help_does_not_load_spacy():
    code = "import sys, claimflow.cli; print(sorted({'spacy', 'torch'} & set(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stderr


def test_unknown_engine_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path), "--engine", "dsk"])
    assert result.exit_code == 2
    assert "'dsk' is not one of local, dask" in result.output


def test_help_says_what_goes_in_and_out():
    for cmd in ("ingest", "split", "tag", "classify", "run", "train", "evaluate"):
        result = invoke(cmd, "--help")
        assert result.exit_code == 0
        assert "parquet" in result.output or "JSONL" in result.output, cmd


def test_set_overrides_a_setting_and_rejects_malformed_ones(raw_dir, tmp_path):
    out = tmp_path / "documents.parquet"
    # every sample statement is shorter than a million characters: all are skipped, and listed
    result = runner.invoke(app, ["ingest", str(raw_dir), "--out", str(out),
                                 "--set", "ingest.min_chars=1000000"])
    assert result.exit_code == 0, result.output
    assert len(read_table(out, DOCUMENTS)) == 0
    report = pd.read_parquet(tmp_path / "ingest_report.parquet")
    assert len(report) == len(list(raw_dir.glob("*.txt")))
    for bad in ("ingest.min_chars", "ingest.no_such_key=1", "ingest.min_chars=-5x"):
        result = runner.invoke(app, ["ingest", str(raw_dir), "--out", str(out), "--set", bad])
        assert result.exit_code != 0
        assert "Traceback" not in result.output


@pytest.mark.slow
def test_run_from_an_unrelated_folder_gives_the_same_claims(sample_run, raw_dir, tmp_path):
    """The shipped defaults live in the package: the working folder changes nothing."""
    import pyarrow.parquet as pq

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "claimflow", "run", str(raw_dir),
                           "--out-dir", str(out)], cwd=elsewhere, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for name in ("documents.parquet", "sentences.parquet", "claims.parquet"):
        here = pq.read_table(out / name).replace_schema_metadata(None)
        root = pq.read_table(sample_run / name).replace_schema_metadata(None)
        assert here.equals(root), name
    assert pq.read_table(out / "claims.parquet").num_rows > 0
