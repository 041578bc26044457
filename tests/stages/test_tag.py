"""Tag stage: entity and token rows, produced in bounded slices."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from claimflow.actors.gazetteer import Gazetteer, tagging_pipeline
from claimflow.config import Settings
from claimflow.stages.tag import iter_tagged, tag_sentences


@pytest.fixture(scope="module")
def tagged_input(raw_dir):
    """Forty English sentences of the sample statements, as the split stage lays them out."""
    rows = []
    for p in sorted(raw_dir.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        for k, m in enumerate(re.finditer(r"[A-Z][^\n.!?]{20,}[.!?]", text)):
            if re.search(r"[А-Яа-я]", m.group()):
                continue
            rows.append({"doc_id": p.stem, "sent_id": k, "start_char": m.start(),
                         "end_char": m.end(), "text": m.group(), "lang": "en"})
    sentences = pd.DataFrame(rows[:40])
    speakers = pd.DataFrame({"doc_id": sentences["doc_id"].unique(), "speaker": None,
                             "speaker_code": None})
    return sentences, speakers, tagging_pipeline(Settings()), Gazetteer.load()


def test_tagging_in_slices_gives_the_rows_of_one_pass(tagged_input):
    sentences, speakers, nlp, gazetteer = tagged_input
    entities, tokens = tag_sentences(sentences, speakers, nlp, gazetteer)
    parts = list(iter_tagged(sentences, speakers, nlp, gazetteer, slice_chars=500))
    assert len(parts) >= 5
    lengths = dict(zip(zip(sentences["doc_id"], sentences["sent_id"], strict=True),
                       sentences["text"].str.len(), strict=True))
    for _, toks in parts:  # a slice stops at the first sentence that reaches the bound
        keys = list(dict.fromkeys(zip(toks["doc_id"], toks["sent_id"], strict=True)))
        assert sum(lengths[k] for k in keys[:-1]) < 500
    pd.testing.assert_frame_equal(pd.concat([t for _, t in parts], ignore_index=True), tokens)
    ents = [e for e, _ in parts if len(e)]
    assert len(entities) > 10
    pd.testing.assert_frame_equal(pd.concat(ents, ignore_index=True), entities)
    # token offsets still point into the document text
    starts = dict(zip(zip(sentences["doc_id"], sentences["sent_id"], strict=True),
                      sentences["start_char"], strict=True))
    texts = dict(zip(zip(sentences["doc_id"], sentences["sent_id"], strict=True),
                     sentences["text"], strict=True))
    for row in tokens.itertuples():
        key = (row.doc_id, row.sent_id)
        s, e = row.start_char - starts[key], row.end_char - starts[key]
        assert texts[key][s:e] == row.text
