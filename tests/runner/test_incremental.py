"""Incremental runs: a run over a changed folder recomputes only the new and changed
documents, and its outputs are byte-identical to a run from scratch over the same folder."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from claimflow.config import Settings
from claimflow.contract.manifest import MANIFEST
from claimflow.contract.schemas import DOCUMENTS, INGEST_REPORT, SPECS
from claimflow.runner import fingerprints
from claimflow.runner.fingerprints import raw_files
from claimflow.runner.pipeline import run_ingest

OUTPUTS = sorted(spec.filename for spec in SPECS.values())
RAW_SAMPLES = Path(__file__).resolve().parents[2] / "data" / "raw"
NEW_SENTENCE = "\nThe Ministry categorically rejects these baseless accusations.\n"


def copy_samples(raw_dir: Path, dest: Path, names: list[str]) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(raw_dir / name, dest / name)
    return dest


def samples(raw_dir: Path) -> list[str]:
    return sorted(p.name for p in raw_dir.glob("*.txt"))


def same_bytes(a: Path, b: Path, names: list[str]) -> list[str]:
    """The outputs of ``names`` whose bytes differ between folders ``a`` and ``b``."""
    return [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()]


def notes_of(results) -> dict[str, dict]:
    return {r.stage: r.notes for r in results}


# --------------------------------------------------------------------------- raw files
def test_unchanged_files_are_not_read_again(tmp_path, raw_dir, monkeypatch):
    raw = copy_samples(raw_dir, tmp_path / "raw", samples(raw_dir)[:3])
    first = raw_files(raw)
    # the stats an earlier run records for files written long before it hashed them
    known = {rel: [(raw / rel).stat().st_size, (raw / rel).stat().st_mtime_ns, stat[2]]
             for rel, stat in first.items()}
    edited = raw / samples(raw_dir)[1]
    edited.write_text(edited.read_text(encoding="utf-8") + NEW_SENTENCE, encoding="utf-8")
    hashed = []
    real = fingerprints.sha256_file
    monkeypatch.setattr(fingerprints, "sha256_file", lambda p: hashed.append(p.name) or real(p))
    again = raw_files(raw, known)
    assert hashed == [edited.name]
    assert again[edited.name][2] != first[edited.name][2]
    assert {k: v[2] for k, v in again.items() if k != edited.name} == {
        k: v[2] for k, v in first.items() if k != edited.name}


def test_a_file_changed_within_the_same_size_and_time_is_hashed_when_racy(tmp_path, raw_dir):
    """A file hashed right after it was written keeps no mtime: it is hashed again."""
    raw = copy_samples(raw_dir, tmp_path / "raw", samples(raw_dir)[:1])
    stats = raw_files(raw)
    assert all(stat[1] is None for stat in stats.values())  # just written: racy
    path = raw / samples(raw_dir)[0]
    data = bytearray(path.read_bytes())
    data[-2] = ord("X") if data[-2] != ord("X") else ord("Y")  # same size
    st = path.stat()
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime too
    assert raw_files(raw, stats)[path.name][2] != stats[path.name][2]


# --------------------------------------------------------------------------- merging
@pytest.mark.parametrize("row_group_size", [5, 50_000])
def test_copied_and_computed_rows_merge_into_the_bytes_of_one_write(tmp_path, row_group_size):
    """Some documents' rows copied from a committed file (across row groups), the others
    computed in batches: the file equals writing all rows at once."""
    from fixtures_outputs import fixture_frames

    from claimflow.contract.parquet import TableWriter, write_table
    from claimflow.contract.schemas import TOKENS
    from claimflow.runner.pipeline import FreshRows, PreviousRows, write_merged

    tokens = fixture_frames()["tokens"]
    order = list(dict.fromkeys(tokens["doc_id"]))
    write_table(tokens, tmp_path / "whole.parquet", TOKENS, "fp")
    with TableWriter(tmp_path / "previous.parquet", TOKENS, "old",
                     row_group_size=row_group_size) as writer:
        writer.write(tokens)
    reuse = {order[0], order[2], order[3]}
    fresh = [d for d in order if d not in reuse]

    def batches():  # one computed document per batch
        for doc_id in fresh:
            yield [doc_id], {"t": tokens[tokens["doc_id"] == doc_id]}

    previous = {"t": PreviousRows(tmp_path / "previous.parquet", TOKENS)}
    with TableWriter(tmp_path / "merged.parquet", TOKENS, "fp") as writer:
        write_merged({"t": writer}, order, reuse, previous,
                     FreshRows(batches(), {"t": TOKENS}, order))
    assert (tmp_path / "merged.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()


def test_a_document_no_batch_covers_has_no_rows():
    """A document without input rows (no sentences) is in no batch: once a later document's
    batch arrived, it has no rows, and no further batch is computed for it."""
    from fixtures_outputs import fixture_frames

    from claimflow.contract.schemas import CLAIMS
    from claimflow.runner.pipeline import FreshRows

    claims = fixture_frames()["claims"]
    first, second, *_ = dict.fromkeys(claims["doc_id"])
    order = [first, "no-sentences", second, "last"]
    pulled = []

    def batches():
        for doc_id in (first, second, "last"):
            pulled.append(doc_id)
            yield [doc_id], {"c": claims[claims["doc_id"] == doc_id]}

    fresh = FreshRows(batches(), {"c": CLAIMS}, order)
    assert fresh.take(first)["c"].num_rows == (claims["doc_id"] == first).sum()
    assert fresh.take("no-sentences") == {}
    assert pulled == [first, second]
    assert fresh.take(second)["c"].num_rows == (claims["doc_id"] == second).sum()
    assert fresh.take("last") == {}


# --------------------------------------------------------------------------- ingest
def ingest(raw: Path, out: Path, settings: Settings | None = None):
    return run_ingest(raw, out / DOCUMENTS.filename, settings or Settings(),
                      report_line=lambda _line: None)


def test_ingest_decodes_only_new_and_changed_files_and_equals_a_fresh_ingest(tmp_path, raw_dir):
    names = samples(raw_dir)
    raw = copy_samples(raw_dir, tmp_path / "raw", names[:4])
    (raw / "r.jsonl").write_text(
        '{"id": "r1", "text": "The Ministry rejects the claims made by the parliament."}\n'
        '{"id": "r2", "text": "The Embassy denies the report about the border incident."}\n',
        encoding="utf-8")
    out = tmp_path / "out"
    assert ingest(raw, out).notes["files_recomputed"] == 5
    shutil.copy(raw_dir / names[4], raw / names[4])  # added
    changed = raw / names[1]
    changed.write_text(changed.read_text(encoding="utf-8") + NEW_SENTENCE, encoding="utf-8")
    (raw / names[2]).unlink()  # deleted
    result = ingest(raw, out)
    assert (result.notes["files_recomputed"], result.notes["files_reused"]) == (2, 3)
    fresh = tmp_path / "fresh"
    ingest(raw, fresh)
    assert same_bytes(out, fresh, [DOCUMENTS.filename, INGEST_REPORT.filename]) == []


def test_a_new_file_repeating_a_kept_one_is_ingested_as_from_scratch(tmp_path, raw_dir):
    """"000_copy.txt" sorts before the file it copies: from scratch the copy is kept and the
    old file becomes its duplicate, so the kept rows cannot be reused as they were."""
    names = samples(raw_dir)
    raw = copy_samples(raw_dir, tmp_path / "raw", names[:2])
    out = tmp_path / "out"
    ingest(raw, out)
    shutil.copy(raw / names[1], raw / "000_copy.txt")
    ingest(raw, out)
    fresh = tmp_path / "fresh"
    ingest(raw, fresh)
    assert same_bytes(out, fresh, [DOCUMENTS.filename, INGEST_REPORT.filename]) == []
    from claimflow.contract.parquet import read_table

    report = read_table(out / INGEST_REPORT.filename, INGEST_REPORT)
    assert list(report.loc[report["status"] == "duplicate", "path"]) == [names[1]]


def test_a_deleted_duplicate_leaves_no_report_row_behind(tmp_path, raw_dir):
    """The last report row belonged to a duplicate that is then deleted while a new file
    comes in: the kept report is empty, and its rows must not come back as nulls (found by
    the bench: "skip nan: nan: nan" and a refused ingest_report)."""
    names = samples(raw_dir)
    raw = copy_samples(raw_dir, tmp_path / "raw", names[:2])
    out = tmp_path / "out"
    ingest(raw, out)
    shutil.copy(raw / names[0], raw / "zz_copy.txt")
    ingest(raw, out)
    (raw / "zz_copy.txt").unlink()
    shutil.copy(raw_dir / names[2], raw / names[2])
    result = ingest(raw, out)
    assert (result.notes["files_recomputed"], result.notes["files_reused"]) == (1, 2)
    fresh = tmp_path / "fresh"
    ingest(raw, fresh)
    assert same_bytes(out, fresh, [DOCUMENTS.filename, INGEST_REPORT.filename]) == []


def test_manifest_records_raw_file_stats_and_document_keys(tmp_path, raw_dir):
    raw = copy_samples(raw_dir, tmp_path / "raw", samples(raw_dir)[:2])
    ingest(raw, tmp_path / "out")
    entry = json.loads((tmp_path / "out" / MANIFEST).read_text())["outputs"][DOCUMENTS.filename]
    assert sorted(entry["raw_files"]) == samples(raw_dir)[:2]
    assert all(len(stat[2]) == 64 for stat in entry["raw_files"].values())


# --------------------------------------------------------------------------- whole runs
LINEAR = {"classify.backend": "linear"}  # deterministic scores: byte-identical claims


def linear_settings(**more) -> Settings:
    from claimflow.config import load_settings

    return load_settings(overrides={**LINEAR, **more})


@pytest.fixture(scope="module")
def incremental(tmp_path_factory, raw_dir):
    """Three statements run; then one added, one changed, one deleted and run again; and a
    run from scratch over the final folder."""
    from claimflow.runner.run import run_all

    names = samples(raw_dir)
    base = tmp_path_factory.mktemp("incremental")
    raw = copy_samples(raw_dir, base / "raw", names[:3])
    out = base / "out"
    first = run_all(raw, out, linear_settings())
    shutil.copy(raw_dir / names[3], raw / names[3])
    changed = raw / names[1]
    changed.write_text(changed.read_text(encoding="utf-8") + NEW_SENTENCE, encoding="utf-8")
    (raw / names[0]).unlink()
    second = run_all(raw, out, linear_settings())
    scratch = run_all(raw, base / "scratch", linear_settings())
    return {"out": out, "scratch": base / "scratch", "first": first, "second": second,
            "scratch_results": scratch, "raw": raw}


@pytest.mark.slow
def test_changed_folder_gives_the_bytes_of_a_run_from_scratch(incremental):
    assert same_bytes(incremental["out"], incremental["scratch"], OUTPUTS) == []


@pytest.mark.slow
def test_only_new_and_changed_documents_are_recomputed(incremental):
    notes = notes_of(incremental["second"])
    assert (notes["ingest"]["files_recomputed"], notes["ingest"]["files_reused"]) == (2, 1)
    for stage in ("split", "tag", "classify"):
        assert notes[stage]["documents_recomputed"] == 2, stage
        assert notes[stage]["documents_reused"] == 1, stage
    assert notes_of(incremental["scratch_results"])["split"]["documents_reused"] == 0


@pytest.mark.slow
def test_deleted_document_has_no_rows_left(incremental):
    from claimflow.contract.parquet import read_table

    assert incremental["first"][0].rows == 3  # it had rows before

    deleted = samples(RAW_SAMPLES)[0].removesuffix(".txt")
    for spec in SPECS.values():
        ids = set(read_table(incremental["out"] / spec.filename, spec, ["doc_id"])["doc_id"])
        assert deleted not in ids, spec.filename


@pytest.mark.slow
def test_a_second_run_over_the_same_folder_skips_every_stage(incremental):
    from claimflow.runner.run import run_all

    again = run_all(incremental["raw"], incremental["out"], linear_settings())
    assert [r.skipped for r in again] == [True] * 4


@pytest.mark.slow
def test_changed_settings_recompute_every_document_of_the_stages_reading_them(incremental,
                                                                             tmp_path):
    from claimflow.runner.run import run_all

    out = tmp_path / "out"
    shutil.copytree(incremental["out"], out)
    changed = linear_settings(**{"classify.document_context": False})
    results = {r.stage: r for r in run_all(incremental["raw"], out, changed)}
    assert results["split"].skipped and results["tag"].skipped  # their settings are the same
    assert results["classify"].notes["documents_reused"] == 0
    assert results["classify"].notes["documents_recomputed"] == 3


@pytest.mark.slow
def test_default_backend_grown_archive_matches_the_sample_run(sample_run, raw_dir, tmp_path):
    """Four samples run, then the fifth added, with the default (ensemble) settings: the
    outputs hold the rows of ``sample_run`` (all five from scratch). The MiniLM member's
    scores vary in the 7th decimal with the make-up of its batches (see
    ``claims/ensemble.py``), so a claim's confidence may differ by one unit in the 6th."""
    import pandas as pd

    from claimflow.contract.parquet import read_table
    from claimflow.contract.schemas import CLAIMS
    from claimflow.runner.run import run_all

    names = samples(raw_dir)
    raw = copy_samples(raw_dir, tmp_path / "raw", names[:4])
    out = tmp_path / "out"
    settings = Settings()
    run_all(raw, out, settings)
    shutil.copy(raw_dir / names[4], raw / names[4])
    notes = notes_of(run_all(raw, out, settings))
    assert notes["classify"]["documents_recomputed"] == 1
    assert same_bytes(out, sample_run, [n for n in OUTPUTS if n != CLAIMS.filename]) == []
    grown = read_table(out / CLAIMS.filename, CLAIMS)
    scratch = read_table(sample_run / CLAIMS.filename, CLAIMS)
    pd.testing.assert_frame_equal(grown.drop(columns="confidence"),
                                  scratch.drop(columns="confidence"))
    assert (grown["confidence"] - scratch["confidence"]).abs().max() <= 1.0000001e-6


@pytest.mark.slow
def test_a_run_that_only_drops_documents_loads_no_model(incremental, tmp_path, monkeypatch):
    """Deleting a statement keeps every other document's rows: no spaCy pipeline or claim
    model is loaded, and the outputs are the bytes of a run from scratch."""
    from claimflow.actors import gazetteer
    from claimflow.claims.ensemble import ClaimClassifier
    from claimflow.nlp import models
    from claimflow.runner.run import run_all

    raw = shutil.copytree(incremental["raw"], tmp_path / "raw")
    out = shutil.copytree(incremental["out"], tmp_path / "out")
    (raw / samples(raw)[0]).unlink()
    loaded = []

    def refuse(what):
        def load(*args, **kwargs):
            loaded.append(what)
            raise AssertionError(f"{what} loaded by a run that only drops documents")
        return load

    with monkeypatch.context() as patch:
        patch.setattr(models, "senter_pipeline", refuse("senter"))
        patch.setattr(gazetteer, "tagging_pipeline", refuse("tagger"))
        patch.setattr(ClaimClassifier, "cached", classmethod(refuse("classifier")))
        results = run_all(raw, out, linear_settings())
    assert loaded == []
    for stage in ("split", "tag", "classify"):
        assert notes_of(results)[stage]["documents_recomputed"] == 0, stage
        assert notes_of(results)[stage]["documents_reused"] == 2, stage
    scratch = run_all(raw, tmp_path / "scratch", linear_settings())
    assert [r.rows for r in results] == [r.rows for r in scratch]
    assert same_bytes(out, tmp_path / "scratch", OUTPUTS) == []
