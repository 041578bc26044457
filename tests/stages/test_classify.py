"""Classify rebuilds Docs a chunk of sentences at a time: a document's claims must not depend
on where its sentences fall in the chunks (document actors, the document-context layer and
the running target all span chunk boundaries)."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from claimflow.claims.ensemble import ClaimClassifier
from claimflow.config import load_settings
from claimflow.contract.parquet import SentenceRows, TableWriter, read_table, to_table
from claimflow.contract.schemas import CLAIMS, DOCUMENTS, ENTITIES, SENTENCES, TOKENS
from claimflow.stages.classify import classify_sentences


def _inputs(folder):
    return (read_table(folder / SENTENCES.filename, SENTENCES),
            read_table(folder / TOKENS.filename, TOKENS),
            read_table(folder / ENTITIES.filename, ENTITIES),
            read_table(folder / DOCUMENTS.filename, DOCUMENTS))


@pytest.mark.slow
@pytest.mark.parametrize("chunk", [1, 7, 16])
def test_claims_do_not_depend_on_the_chunk_size(sample_run, chunk):
    sentences, tokens, entities, documents = _inputs(sample_run)
    classifier = ClaimClassifier.cached(load_settings())
    assert classifier.context is not None  # the context layer spans the chunks
    whole = classify_sentences(sentences, tokens, entities, documents, classifier)
    chunked = classify_sentences(sentences, tokens, entities, documents, classifier,
                                 chunk_sentences=chunk)
    per_doc = sentences.groupby("doc_id").size()
    assert (per_doc > chunk).any()  # some document crosses a chunk boundary
    assert len(whole) and whole["target"].notna().any()
    pd.testing.assert_frame_equal(chunked, whole)
    # and both are what the run wrote
    written = pq.read_table(sample_run / CLAIMS.filename).replace_schema_metadata(None)
    assert to_table(chunked, CLAIMS).replace_schema_metadata(None).equals(written)


@pytest.mark.slow
def test_sentences_without_a_parse_are_skipped_in_every_chunk(sample_run):
    sentences, tokens, entities, documents = _inputs(sample_run)
    classifier = ClaimClassifier.cached(load_settings())
    whole = classify_sentences(sentences, tokens, entities, documents, classifier)
    claimed = whole[["doc_id", "sent_id"]].drop_duplicates().iloc[0]
    keep = ~((tokens["doc_id"] == claimed["doc_id"]) & (tokens["sent_id"] == claimed["sent_id"]))
    got = classify_sentences(sentences, tokens[keep].reset_index(drop=True), entities,
                             documents, classifier, chunk_sentences=3)
    lost = (got["doc_id"] == claimed["doc_id"]) & (got["sent_id"] == claimed["sent_id"])
    assert not lost.any() and len(got)


@pytest.mark.slow
@pytest.mark.parametrize("group_rows", [1, 37, 50_000])
def test_rows_read_from_disk_per_chunk_give_the_same_claims(sample_run, tmp_path, group_rows):
    """The run reads token and entity rows from disk a chunk of sentences at a time
    (``SentenceRows``); with sentences cut across row groups the claims stay the same."""
    sentences, tokens, entities, documents = _inputs(sample_run)
    classifier = ClaimClassifier.cached(load_settings())
    for frame, spec in ((tokens, TOKENS), (entities, ENTITIES)):
        with TableWriter(tmp_path / spec.filename, spec, "fp", row_group_size=group_rows) as w:
            w.write(frame)
    on_disk = [SentenceRows(tmp_path / spec.filename, spec).frame for spec in (TOKENS, ENTITIES)]
    whole = classify_sentences(sentences, tokens, entities, documents, classifier)
    got = classify_sentences(sentences, *on_disk, documents, classifier, chunk_sentences=5)
    assert len(whole)
    pd.testing.assert_frame_equal(got, whole)
