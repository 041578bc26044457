"""Schema-checked, atomic, deterministic parquet I/O."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from claimflow.contract.parquet import (
    SentenceRows,
    TableWriter,
    check_file,
    read_table,
    write_table,
)
from claimflow.contract.schemas import DOCUMENTS, SENTENCES, TOKENS
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


def _token_rows(words_per_sentence: dict[tuple[str, int], str]) -> pd.DataFrame:
    rows = []
    for (doc_id, sent_id), text in words_per_sentence.items():
        for i, word in enumerate(text.split()):
            rows.append({"doc_id": doc_id, "sent_id": sent_id, "i": i, "start_char": i,
                         "end_char": i + len(word), "text": word, "ws": True,
                         "lemma": word.lower(), "pos": "X", "tag": "X", "dep": "dep",
                         "head": 0})
    return pd.DataFrame(rows)


SENTENCE_WORDS = {
    ("d1", 0): "The ministry rejects the report .",
    ("d1", 1): "It calls on Ankara to withdraw its troops from the border region now .",
    ("d2", 0): "Baseless .",
    ("d2", 3): "We demand an apology .",
    ("d3", 0): "The embassy denied every charge made by the newspaper on Monday .",
}


@pytest.mark.parametrize("group_rows", [1, 4, 1000])
def test_sentence_rows_read_any_sentences_across_row_groups(tmp_path, group_rows):
    frame = _token_rows(SENTENCE_WORDS)
    path = tmp_path / TOKENS.filename
    with TableWriter(path, TOKENS, "fp", row_group_size=group_rows) as writer:
        writer.write(frame)
    rows = SentenceRows(path, TOKENS)

    def expected(keys):
        parts = [frame[(frame["doc_id"] == d) & (frame["sent_id"] == s)] for d, s in keys]
        return pd.concat(parts, ignore_index=True)

    for keys in ([("d1", 1)], [("d1", 0), ("d1", 1), ("d2", 3)], [("d2", 0), ("d3", 0)],
                 list(SENTENCE_WORDS)):
        pd.testing.assert_frame_equal(rows.frame(keys), expected(keys), check_dtype=False)
    assert rows.frame([("d2", 1), ("nowhere", 0)]).empty  # sentences without rows
    only = SentenceRows(path, TOKENS, only={"d2"})
    assert only.frame([("d1", 1)]).empty
    assert len(only.frame([("d2", 3)])) == 5


def test_sentence_rows_read_a_dataset_folder_in_part_order(tmp_path):
    frame = _token_rows(SENTENCE_WORDS)
    folder = tmp_path / TOKENS.filename
    folder.mkdir()
    for k, doc_id in enumerate(["d1", "d2", "d3"]):
        write_table(frame[frame["doc_id"] == doc_id], folder / f"part-{k:05d}.parquet", TOKENS)
    got = SentenceRows(folder, TOKENS).frame(list(SENTENCE_WORDS))
    pd.testing.assert_frame_equal(got, frame, check_dtype=False)
