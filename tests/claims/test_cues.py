"""Cue patterns through spaCy's Matcher, PhraseMatcher and DependencyMatcher, on sentences of
the sample statements (data/raw) parsed by the real tag stage."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import spacy
from conftest import RAW, parse_sentences
from spacy.tokens import Doc

from claimflow.claims.cues import DEFAULT_CUES_DIR, CueMatcher, SentView
from claimflow.errors import ClaimflowError

# the opening words of sentences of the sample statements
OPENINGS = {
    "rejects": "The Milli Majlis of the Republic of Azerbaijan considers the resolution",
    "calls_on": "In this regard, the Milli Majlis of Azerbaijan calls on",
    "cannot": "International and regional organizations, including the European Union",
    "appeal": "At the end of the appeal, the Azerbaijani deputies called on",
}


def _raw_sentence(opening: str) -> str:
    """The sentence of a sample statement that starts with ``opening``."""
    for path in sorted(RAW.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        at = text.find(opening)
        if at >= 0:
            end = re.search(r"[.!?][\"”]?(\s|$)", text[at:])
            return text[at : at + end.end()].strip()
    raise AssertionError(f"no sample statement has a sentence starting {opening!r}")


# written here: the speaker's own commitment against the same words as a demand
WRITTEN = {"we_will": "We will ensure the safety of all citizens.",
           "ensure": "Ensure the safety of all citizens."}


@pytest.fixture(scope="module")
def parsed():
    return parse_sentences({**{k: _raw_sentence(o) for k, o in OPENINGS.items()}, **WRITTEN})


@pytest.fixture(scope="module")
def cues(parsed):
    return CueMatcher.load(next(iter(parsed.values()))[0].vocab)


def _hits(cues, doc):
    return {(h.cue_id, doc[h.start : h.end].text): h for h in cues.hits(doc)}


def test_denial_cues_token_and_dependency_patterns(parsed, cues):
    doc, _ = parsed["rejects"]
    hits = _hits(cues, doc)
    assert ("denial:reject_categorically", "categorically rejects") in hits
    # DependencyMatcher rules: a denial verb whose object is a claim noun; a false claim
    assert ("denial:dep_deny_claim", "rejects the baseless claims") in hits
    assert ("denial:dep_false_claim", "baseless claims") in hits
    # a PhraseMatcher word list
    assert ("denial:unfounded", "baseless") in hits
    triggers = cues.triggers(doc)
    # best first: the dependency cue weighs most; a span inside it is not repeated
    first = [doc.text[a:b] for a, b in triggers["denial"]]
    assert first[0] == "rejects the baseless claims"
    assert "baseless claims" not in first


def test_demand_cue_is_the_shortest_match_from_its_start(parsed, cues):
    doc, _ = parsed["calls_on"]
    hits = _hits(cues, doc)
    # "calls on X to set aside ... and to refrain": the wildcard stops at the first "to"
    calls = [text for (cue, text) in hits if cue == "demand:call_on_to"]
    assert calls == ["calls on the Luxembourg Chamber of Deputies to"]
    assert ("demand:refrain_from", "refrain") in hits
    spans = cues.triggers(doc)["demand"]
    assert doc.text[slice(*spans[0])] == "calls on the Luxembourg Chamber of Deputies to"


def test_negated_cue_is_kept_as_a_negated_hit(parsed, cues):
    doc, _ = parsed["cannot"]
    hits = _hits(cues, doc)
    assert hits[("denial:cannot_be_accepted", "cannot be recognized")].negated
    assert not hits[("accusation:accuse_verb", "condemning")].negated


def test_matching_does_not_depend_on_the_vocab(parsed, cues):
    """The classifier builds its matcher on a blank vocab and matches Docs of another."""
    doc, _ = parsed["appeal"]
    other = CueMatcher.load(spacy.blank("en").vocab)
    assert other.hits(doc) == cues.hits(doc)
    assert ("demand:give_assessment", "give a correct political assessment") in _hits(cues, doc)


def test_lemma_cues_match_capitalised_lemmas(cues):
    """A headline word tagged PROPN keeps its capital in the lemma; LEMMA cues still match."""
    words = ["Grave", "Violation", "of", "Sovereignty"]
    doc = Doc(cues.vocab, words=words, lemmas=words, pos=["ADJ", "PROPN", "ADP", "PROPN"],
              tags=["JJ", "NNP", "IN", "NNP"], heads=[1, 1, 1, 2],
              deps=["amod", "ROOT", "prep", "pobj"])
    assert ("accusation:violation", "Violation") in _hits(cues, doc)


def test_speaker_commitment_is_not_a_demand(parsed, cues):
    doc, other = parsed["we_will"][0], parsed["ensure"][0]
    assert {h.cue_id for h in cues.hits(doc) if h.label == "demand"} == set()
    assert "demand:stop_cease:self" in {h.cue_id for h in cues.hits(doc)}
    assert "demand:stop_cease" in {h.cue_id for h in cues.hits(other)}


def test_matchers_skipped_for_a_sentence_find_nothing_in_it(parsed, cues):
    """A cue's matcher runs only on sentences that hold its required words; every matcher
    skipped would have found nothing, so the hits are those of running them all."""
    ran = skipped = 0
    for doc, _ in parsed.values():
        words = SentView.of(doc).words()
        for group in (cues.token_matchers, cues.dep_matchers):
            needed = group(words)
            for matcher in group.matchers:
                if matcher in needed:
                    ran += bool(matcher(doc))
                else:
                    skipped += 1
                    assert matcher(doc) == [], doc.text
    assert ran >= len(parsed)  # each sentence has a cue of a matcher that ran
    assert skipped > 10 * ran


def test_untagged_sentence_is_an_error(cues):
    doc = Doc(cues.vocab, words=["Stop", "the", "war"], lemmas=["stop", "the", "war"])
    with pytest.raises(ClaimflowError, match="cue patterns need a tagged sentence"):
        cues.hits(doc)


def test_bad_pattern_is_named(tmp_path):
    shutil.copy(DEFAULT_CUES_DIR / "lexicon.json", tmp_path / "lexicon.json")
    row = {"id": "odd", "pattern": [{"LEMMA": {"LIKE": ["deny"]}}]}
    (tmp_path / "denial.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ClaimflowError, match=r"denial\.jsonl: cue 'odd'"):
        CueMatcher.load(spacy.blank("en").vocab, tmp_path)
    (tmp_path / "denial.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(ClaimflowError, match=r"denial\.jsonl:1: not valid JSON"):
        CueMatcher.load(spacy.blank("en").vocab, tmp_path)
