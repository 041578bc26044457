"""Target choices the ranker trained on train + train2 + train3 makes (sentences written for
these tests, not taken from the gold files): the side of a reported exchange that is accused,
generic addressees, officials standing for their state, the in-sentence speaker, and uncoded
parties named elsewhere in the document (the newspaper whose report is rebutted, the party the
document accuses or addresses)."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import parse_sentences

from claimflow.claims.attribution import (
    AttributionData,
    _doc_uncoded,
    document_actors,
    find_reported_speaker,
    find_target,
    sentence_speaker,
    target_candidates,
)
from claimflow.training.evaluation import GoldSentence, target_matches

SENTENCES = {
    # a rebuttal that reports the charge made against the speaker's own government
    "charge": "The Special Rapporteur accused the Sri Lankan government of detaining "
              "journalists arbitrarily.",
    "partners": "The ministry urged its international partners to respond firmly to this "
                "unlawful act.",
    "diplomats": "The ministry accused Chinese diplomats of spreading disinformation about "
                 "the vote.",
    "quoted": "The Foreign Minister of Japan said that Pyongyang had violated the resolutions "
              "again.",
    # the denied report's content names a third state: content, not the report's author
    "content": "Estonia dismissed the report by the panel, which claims that Belarus "
               "supplied drones to the rebels.",
}


@pytest.fixture(scope="module")
def parsed():
    """Sentence key -> (Doc, mentions), through the real tag stage and docbridge."""
    return parse_sentences(SENTENCES)


# Multi-sentence documents: an uncoded newspaper whose report the speaker rebuts, and an
# uncoded politician named in full once and by surname later.
DOCUMENTS = {
    "herald": ["The Baltic Herald published a report claiming that the ministry had bribed "
               "election officials.",
               "The ministry said the report was riddled with falsehoods.",
               "These allegations are baseless and politically motivated."],
    "senator": ["Senator Marcus Whitfield accused the government of rigging the vote in the "
                "northern provinces.",
                "Whitfield's remarks are false and have no basis in fact."],
    # the party the document accuses or addresses is named once, less often than the
    # speaker's side; the last claim names nobody
    "urged": ["Lithuania signed a forestry agreement in Vilnius on Monday.",
              "The Lithuanian minister said Vilnius had urged Belarus to stop the logging in "
              "the border reserve.",
              "The logging is illegal and must stop at once, the minister said."],
    "accused": ["Lithuania signed a forestry agreement in Vilnius on Monday.",
                "The minister accused Belarus of allowing illegal logging in the border "
                "reserve.",
                "These activities are illegal and must stop at once, the minister said."],
}


@pytest.fixture(scope="module")
def documents():
    """Document key -> (sentence Docs, their mentions), through the real tag stage."""
    import spacy

    from claimflow.config import Settings
    from claimflow.stages.classify import rebuild
    from claimflow.training.evaluation import parse_gold

    gold = [GoldSentence(key, i, text, (), None)
            for key, texts in DOCUMENTS.items() for i, text in enumerate(texts)]
    _, sentences, entities, tokens = parse_gold(gold, Settings())
    english, docs, mentions = rebuild(spacy.blank("en").vocab, sentences, tokens, entities)
    out: dict[str, tuple[list, list]] = {}
    for d, doc, ms in zip(english["doc_id"], docs, mentions, strict=True):
        out.setdefault(d, ([], []))
        out[d][0].append(doc)
        out[d][1].append(ms)
    return out


@pytest.fixture(scope="module")
def gazetteer():
    from claimflow.actors.gazetteer import Gazetteer
    from claimflow.config import Settings

    return Gazetteer.load(Settings().tag.actors_dir)


@pytest.fixture(scope="module")
def data():
    return AttributionData.load()


def test_reported_charge_against_own_government(parsed, data):
    """Hard case 1: "X accused the government of Y" has target the government, also in the
    government's own rebuttal (speaker Sri Lanka's foreign ministry)."""
    doc, ms = parsed["charge"]
    assert not data.hard_own
    text, code = find_target(doc, "accusation", ms, None, speaker_code="LKA-MFA", data=data)
    assert code is not None and code.split("-")[0] == "LKA"
    assert "Sri Lankan government" in text
    # the old rule (own state never a candidate) cannot find it
    cands = target_candidates(doc, "accusation", ms, None, speaker_code="LKA-MFA",
                              data=AttributionData(data.lexicon, data.parties, data.ranker,
                                                   hard_own=True))
    assert all((c.code or "").split("-")[0] != "LKA" for c in cands)


def test_generic_addressee_is_the_international_community(parsed, data):
    doc, ms = parsed["partners"]
    got = find_target(doc, "demand", ms, None, speaker_code="GEO-MFA", data=data)
    assert got == ("international community", None)


def test_officials_count_as_their_state(parsed, data):
    doc, ms = parsed["diplomats"]
    text, code = find_target(doc, "accusation", ms, None, speaker_code="JPN-MFA", data=data)
    assert text == "Chinese diplomats" and code == "CHN"


def test_quoted_speaker_is_not_the_target(parsed, data):
    doc, ms = parsed["quoted"]
    doc_speaker = {"speaker": "Ministry of Foreign Affairs of Japan", "speaker_code": "JPN-MFA"}
    speaker, speaker_code = sentence_speaker(find_reported_speaker(doc, ms, data), doc_speaker,
                                             ms, data)
    assert speaker is not None and "Foreign Minister" in speaker
    text, code = find_target(doc, "accusation", ms, None,
                             speaker_code=speaker_code or doc_speaker["speaker_code"], data=data)
    assert (text, code) == ("Pyongyang", "PRK")


def test_codes_match_on_their_state_part(gazetteer):
    """As the external scorer: officials, forces and capitals count as their state."""
    assert target_matches("Turkish officials", "Ankara", "TUR", gazetteer)
    assert target_matches("Turkish government", "Turkish foreign ministry", "TUR-MFA",
                          gazetteer)
    assert not target_matches("Turkish officials", "Athens", "GRC", gazetteer)
    # bodies have no state part: a Minsk Group member is not the OSCE itself
    assert not target_matches("OSCE Minsk Group", "Organization", "OSCE", gazetteer)


def test_gold_parties_headed_by_a_state_noun_count_as_their_state(gazetteer):
    """A gold target the gazetteer cannot code whole ("US side", "leader of the US
    delegation") is its state when an official or state noun heads it; other heads, or a
    phrase naming two states, keep no code."""
    assert target_matches("US side", "Washington", "USA", gazetteer)
    assert target_matches("leader of the US delegation", "the United States", "USA",
                          gazetteer)
    assert target_matches("Malian transitional authorities", "Bamako", "MLI", gazetteer)
    assert not target_matches("US gun stores", "Washington", "USA", gazetteer)
    assert not target_matches("Commission of Inquiry on Burundi", "Gitega", "BDI", gazetteer)
    assert not target_matches("Russia and Belarus authorities", "Moscow", "RUS", gazetteer)


def test_document_actors_keep_uncoded_parties(documents, data):
    docs, mentions = documents["herald"]
    actors = document_actors(mentions, docs=docs, data=data)
    assert actors[("The Baltic Herald", None)] == 1
    assert actors[("The Baltic Herald", None, "source")] == 1  # it published the report
    assert all(k[1] is None or k[1] for k in actors)
    # without the sentences no "source" keys; without uncoded labels only coded actors
    assert all(len(k) == 2 for k in document_actors(mentions))
    assert not document_actors(mentions, frozenset())


def test_rebutted_report_author_is_the_target(documents, data):
    """A denial that names nobody: the uncoded newspaper named earlier in the document."""
    docs, mentions = documents["herald"]
    actors = document_actors(mentions, docs=docs, data=data)
    text, code = find_target(docs[2], "denial", mentions[2], None, speaker_code="EST-MFA",
                             doc_actors=actors, data=data)
    assert "Baltic Herald" in text and code is None
    coded_only = Counter({k: v for k, v in actors.items() if len(k) == 2 and k[1]})
    assert find_target(docs[2], "denial", mentions[2], None, speaker_code="EST-MFA",
                       doc_actors=coded_only, data=data) == (None, None)


def test_surname_joins_the_full_name(documents, data):
    docs, mentions = documents["senator"]
    actors = document_actors(mentions, docs=docs, data=data)
    rows, alias = _doc_uncoded(actors)
    assert rows[0][0] == "Marcus Whitfield" and rows[0][2] == 2
    assert alias["whitfield"] == alias["marcus whitfield"] == 0
    text, _ = find_target(docs[1], "denial", mentions[1], None, speaker_code="USA-GOV",
                          doc_actors=actors, data=data)
    assert "Whitfield" in text


def test_document_actors_mark_accused_and_addressed_parties(documents, data):
    """ "urged X to", "accused X of": X is marked as an object of the document."""
    for key in ("urged", "accused"):
        docs, mentions = documents[key]
        actors = document_actors(mentions, docs=docs, data=data)
        assert actors[("Belarus", "BLR", "object")] == 1
        assert not any(len(k) == 3 and k[2] == "object" and k[1] == "LTU" for k in actors)
    docs, mentions = documents["herald"]
    assert not any(len(k) == 3 and k[2] == "object"
                   for k in document_actors(mentions, docs=docs, data=data))


@pytest.mark.parametrize(("key", "claim_type"), [("urged", "accusation"),
                                                 ("accused", "demand")])
def test_party_accused_earlier_in_the_document_is_the_target(documents, data, key,
                                                             claim_type):
    """A claim that names nobody: the party the document accuses or addresses, not its most
    frequent party."""
    docs, mentions = documents[key]
    actors = document_actors(mentions, docs=docs, data=data)
    cands = target_candidates(docs[2], claim_type, mentions[2], None, None, "EST-MFA", actors,
                              data)
    assert all(("doc_object" in c.features) == (c.code == "BLR") for c in cands)
    assert find_target(docs[2], claim_type, mentions[2], None, speaker_code="EST-MFA",
                       doc_actors=actors, data=data) == ("Belarus", "BLR")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"bias": 0.0}', "needs a 'weights' object"),
        ('{"weights": {"bias": "high"}}', "must be numbers"),
        ('{"weights": {"bias": 1.0}, "threshold": null}', "must be numbers"),
        ('{"weights": {"bias": NaN}}', "finite"),
    ],
)
def test_malformed_target_model_names_the_file(tmp_path, content, message):
    from claimflow.errors import ClaimflowError, ModelFileError

    path = tmp_path / "target_model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelFileError, match=message) as err:
        AttributionData.load(ranker=path)
    assert isinstance(err.value, ClaimflowError)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_missing_target_model_is_an_error(tmp_path):
    from claimflow.errors import ModelFileError

    with pytest.raises(ModelFileError, match="cannot read target model"):
        AttributionData.load(ranker=tmp_path / "absent.json")


def test_shipped_target_model_loads(data):
    assert data.ranker["weights"] and isinstance(data.ranker["threshold"], float)


def test_party_inside_a_denied_claim_is_marked_as_its_content(parsed, data):
    doc, ms = parsed["content"]
    cands = target_candidates(doc, "denial", ms, None, speaker_code="EST-MFA", data=data)
    by_text = {c.text: c for c in cands}
    belarus = next(c for t, c in by_text.items() if "Belarus" in t)
    assert "claim_content" in belarus.features
    assert "claim_content|ct=denial" in belarus.features
    assert all("claim_content" not in c.features for t, c in by_text.items()
               if "Estonia" in t)
