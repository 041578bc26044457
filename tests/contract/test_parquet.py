"""Schema-checked, atomic, deterministic parquet I/O."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from claimflow.contract.parquet import TableWriter, check_file, read_table, write_table
from claimflow.contract.schemas import DOCUMENTS, SENTENCES
from claimflow.errors import SchemaError


def _sentences(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a"] * n,
            "sent_id": list(range(n)),
            "start_char": [i * 10 for i in range(n)],
            "end_char": [i * 10 + 9 for i in range(n)],
            "text": [f"Sentence {i}." for i in range(n)],
            "lang": ["en"] * n,
        }
    )


def test_round_trip_keeps_schema_and_version(tmp_path):
    path = write_table(_sentences(), tmp_path / "s.parquet", SENTENCES)
    meta = pq.read_schema(path).metadata
    assert meta[b"claimflow.kind"] == b"sentences"
    assert meta[b"claimflow.schema_version"] == SENTENCES.version.encode()
    assert pq.read_schema(path).remove_metadata().equals(SENTENCES.schema)
    pd.testing.assert_frame_equal(read_table(path, SENTENCES), _sentences(), check_dtype=False)


def test_wrong_kind_is_refused_with_a_clear_message(tmp_path):
    path = write_table(_sentences(), tmp_path / "s.parquet", SENTENCES)
    with pytest.raises(SchemaError, match="is a 'sentences' table, expected 'documents'"):
        check_file(path, DOCUMENTS)


def test_foreign_parquet_and_other_version_are_refused(tmp_path):
    plain = tmp_path / "plain.parquet"
    _sentences().to_parquet(plain)
    with pytest.raises(SchemaError, match="unknown"):
        check_file(plain, SENTENCES)
    old = tmp_path / "old.parquet"
    table = pq.read_table(write_table(_sentences(), tmp_path / "s.parquet", SENTENCES))
    meta = dict(table.schema.metadata)
    meta[b"claimflow.schema_version"] = b"0.3"
    pq.write_table(table.replace_schema_metadata(meta), old)
    with pytest.raises(SchemaError, match="schema version 0.3"):
        check_file(old, SENTENCES)
    garbage = tmp_path / "garbage.parquet"
    garbage.write_bytes(b"not parquet at all")
    with pytest.raises(SchemaError, match="not a readable parquet"):
        check_file(garbage, SENTENCES)


def test_nulls_in_required_columns_are_rejected(tmp_path):
    bad = _sentences()
    bad.loc[1, "text"] = None
    with pytest.raises(SchemaError, match="'text' has nulls"):
        write_table(bad, tmp_path / "s.parquet", SENTENCES)
    assert not list(tmp_path.iterdir())


def test_interrupted_write_leaves_no_file(tmp_path):
    target = tmp_path / "s.parquet"
    with pytest.raises(RuntimeError):
        with TableWriter(target, SENTENCES) as writer:
            writer.write(_sentences())
            raise RuntimeError("killed mid-stage")
    assert list(tmp_path.iterdir()) == []


def test_interrupted_rewrite_keeps_the_previous_file(tmp_path):
    target = write_table(_sentences(2), tmp_path / "s.parquet", SENTENCES)
    before = target.read_bytes()
    with pytest.raises(RuntimeError):
        with TableWriter(target, SENTENCES) as writer:
            writer.write(_sentences(5))
            raise RuntimeError("killed mid-stage")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.parquet"]


def test_writes_are_byte_identical(tmp_path):
    a = write_table(_sentences(), tmp_path / "a.parquet", SENTENCES, "fp")
    b = write_table(_sentences(), tmp_path / "b.parquet", SENTENCES, "fp")
    assert a.read_bytes() == b.read_bytes()


def test_empty_output_still_has_schema(tmp_path):
    path = write_table(_sentences(0), tmp_path / "s.parquet", SENTENCES)
    df = read_table(path, SENTENCES)
    assert list(df.columns) == SENTENCES.columns and len(df) == 0
