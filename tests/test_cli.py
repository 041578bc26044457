"""End to end through the typer CLI on the sample corpus and on hostile input."""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from claimflow.cli.app import app
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


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, raw_dir):
    out = tmp_path_factory.mktemp("processed")
    result = invoke("run", str(raw_dir), "--out-dir", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_run_writes_every_output_obeying_the_contract(sample_run):
    for kind in OUTPUTS:
        spec = SPECS[kind]
        check_file(sample_run / spec.filename, spec)
        schema = pq.read_schema(sample_run / spec.filename)
        assert schema.remove_metadata().equals(spec.schema), kind


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


def test_russian_sentences_are_not_classified(sample_run):
    sents = read_table(sample_run / SENTENCES.filename, SENTENCES)
    claims = read_table(sample_run / CLAIMS.filename, CLAIMS)
    ru = set(zip(*sents.loc[sents["lang"] == "ru", ["doc_id", "sent_id"]].T.values, strict=True))
    assert len(ru) >= 15
    assert not ru & set(zip(claims["doc_id"], claims["sent_id"], strict=True))
    toks = read_table(sample_run / TOKENS.filename, TOKENS)
    assert not ru & set(zip(toks["doc_id"], toks["sent_id"], strict=True))


def test_rerun_is_skipped_and_forced_rerun_is_byte_identical(sample_run, raw_dir, tmp_path):
    before = {k: (sample_run / SPECS[k].filename).read_bytes() for k in OUTPUTS}
    again = invoke("run", str(raw_dir), "--out-dir", str(sample_run))
    assert again.exit_code == 0 and again.output.count("up to date") == 4
    other = tmp_path / "second"
    assert invoke("run", str(raw_dir), "--out-dir", str(other), "--force").exit_code == 0
    for kind, data in before.items():
        assert (other / SPECS[kind].filename).read_bytes() == data, kind


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


def test_wrong_input_kind_is_one_clear_line(sample_run):
    result = runner.invoke(
        app, ["split", str(sample_run / SENTENCES.filename), "-o", "/tmp/x.parquet"]
    )
    assert result.exit_code == 1
    assert "is a 'sentences' table, expected 'documents'" in result.output
    assert "Traceback" not in result.output


def test_missing_and_empty_raw_dir_are_errors(tmp_path):
    missing = runner.invoke(app, ["run", str(tmp_path / "nope"), "--out-dir", str(tmp_path)])
    assert missing.exit_code == 1 and "not found" in missing.output
    (tmp_path / "empty").mkdir()
    empty = runner.invoke(app, ["ingest", str(tmp_path / "empty"), "-o", str(tmp_path / "d.pq")])
    assert empty.exit_code == 1 and "error" in empty.output


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
