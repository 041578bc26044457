"""One load of the spaCy model serves the splitter and the tagger, as two loads did."""

from __future__ import annotations

import spacy

from claimflow.config import Settings
from claimflow.nlp.models import load_model, model_names

TEXT = ("The Ministry of Foreign Affairs rejects the claims made by the delegation on 4 May. "
        "Such allegations are baseless. We call on all parties to refrain from escalation!")


def _names():
    s = Settings()
    return model_names(s.nlp.model, s.nlp.fallbacks)


def test_split_and_tag_pipelines_come_from_one_load():
    senter, tag = load_model(_names(), "senter"), load_model(_names(), "tag")
    assert senter.pipe_names == ["senter"]
    assert "senter" not in tag.component_names and "parser" in tag.pipe_names
    assert senter.vocab is tag.vocab and senter.tokenizer is tag.tokenizer
    assert senter.meta["name"] == tag.meta["name"] and senter.meta["version"]


def test_views_give_what_separate_loads_gave():
    package = next(n for n in _names() if spacy.util.is_package(n))
    alone = spacy.load(package, exclude=["tok2vec", "tagger", "parser", "attribute_ruler",
                                          "lemmatizer", "ner"])
    alone.enable_pipe("senter")
    ours = load_model(_names(), "senter")
    assert [s.text for s in ours(TEXT).sents] == [s.text for s in alone(TEXT).sents]
    assert len(list(ours(TEXT).sents)) == 3
    full = spacy.load(package, exclude=["senter"])
    mine = load_model(_names(), "tag")
    with mine.select_pipes(enable=full.pipe_names):
        got = mine(TEXT)
    want = full(TEXT)
    assert [(t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in got] == [
        (t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in want]
