"""Sentence split: offsets, languages, abbreviations, headings, quotes."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from claimflow.stages import split
from claimflow.stages.split import (
    CONTEXT_CHARS,
    MAX_SENTENCE_CHARS,
    iter_windows,
    split_documents,
)


def _docs(*texts: str, lang: str = "en") -> pd.DataFrame:
    return pd.DataFrame(
        {"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts), "lang": lang}
    )


@pytest.fixture(scope="module")
def seed_sentences(raw_dir, senter):
    docs = pd.DataFrame(
        [
            {"doc_id": p.stem, "text": p.read_text(encoding="utf-8"), "lang": "en"}
            for p in sorted(raw_dir.glob("*.txt"))
        ]
    )
    return docs, split_documents(docs, senter)


@pytest.mark.slow
def test_offsets_point_into_the_document_text(seed_sentences):
    docs, sents = seed_sentences
    text = dict(zip(docs["doc_id"], docs["text"], strict=True))
    assert len(sents) > 80
    for row in sents.itertuples():
        assert text[row.doc_id][row.start_char : row.end_char] == row.text
        assert row.text == row.text.strip() and row.text
    for _, group in sents.groupby("doc_id"):
        assert group["sent_id"].tolist() == list(range(len(group)))
        assert group["start_char"].is_monotonic_increasing


@pytest.mark.slow
def test_gold_seed_sentences_are_reproduced(seed_sentences, seed_gold):
    _, sents = seed_sentences
    got = set(zip(sents["doc_id"], sents["text"], strict=True))
    matched = sum((g["doc_id"], g["text"]) in got for g in seed_gold)
    assert matched / len(seed_gold) >= 0.95, matched


@pytest.mark.slow
def test_russian_translation_is_flagged_ru(seed_sentences):
    _, sents = seed_sentences
    s003 = sents[sents["doc_id"].str.startswith("003")]
    russian = s003[s003["text"].str.count(r"[А-Яа-я]") > 10]
    assert len(russian) >= 15 and set(russian["lang"]) == {"ru"}
    english = s003[s003["text"].str.contains("Azerbaijan")]
    assert set(english["lang"]) == {"en"}


def test_abbreviations_numbers_and_initials_do_not_split(senter):
    text = (
        "The U.S. delegation met Mr. J. R. Smith at 10 a.m. on Friday. "
        "Resolution No. 2334 was adopted by the Council. The talks continue."
    )
    sents = split_documents(_docs(text), senter)["text"].tolist()
    assert sents == [
        "The U.S. delegation met Mr. J. R. Smith at 10 a.m. on Friday.",
        "Resolution No. 2334 was adopted by the Council.",
        "The talks continue.",
    ]


def test_headings_list_items_and_qa_labels_are_their_own_units(senter):
    text = (
        "Statement of the Ministry\n\n"
        "Question: Will the minister travel to Geneva?\n"
        "Answer: The minister will travel to Geneva next week. No decision was taken.\n"
        "1. The parties agreed on a ceasefire\n"
        "2. Prisoners will be exchanged\n"
    )
    sents = split_documents(_docs(text), senter)["text"].tolist()
    assert sents == [
        "Statement of the Ministry",
        "Will the minister travel to Geneva?",
        "The minister will travel to Geneva next week.",
        "No decision was taken.",
        "1. The parties agreed on a ceasefire",
        "2. Prisoners will be exchanged",
    ]


def test_quoted_speech_stays_with_its_attribution(senter):
    text = "“We reject these claims,” the spokesperson said. The briefing ended at noon."
    sents = split_documents(_docs(text), senter)["text"].tolist()
    assert sents == [
        "“We reject these claims,” the spokesperson said.",
        "The briefing ended at noon.",
    ]


def test_other_languages_use_rule_splitter(senter):
    text = "Le ministère rejette ces accusations. Il appelle au dialogue entre les parties."
    sents = split_documents(_docs(text, lang="fr"), senter)
    assert sents["text"].tolist() == [
        "Le ministère rejette ces accusations.",
        "Il appelle au dialogue entre les parties.",
    ]
    assert set(sents["lang"]) == {"fr"}


class _SizeSpy:
    """A senter that records the length of every text it is handed."""

    def __init__(self, nlp):
        self.nlp, self.max_length, self.seen = nlp, nlp.max_length, []

    def pipe(self, texts, batch_size):
        texts = list(texts)
        self.seen.extend(len(t) for t in texts)
        return self.nlp.pipe(texts, batch_size=batch_size)


def test_very_long_line_keeps_every_word_and_spacy_never_sees_more_than_max_chars(senter):
    text = ("word " * 5000).strip()
    spy = _SizeSpy(senter)
    sents = split_documents(_docs(text), spy, max_chars=2000)
    assert spy.seen and max(spy.seen) <= 2000
    for row in sents.itertuples():
        assert text[row.start_char : row.end_char] == row.text
    assert sum(len(t.split()) for t in sents["text"]) == 5000
    assert sents["text"].str.len().max() <= MAX_SENTENCE_CHARS


@pytest.mark.parametrize("size", [64, 1000, 20_000])
def test_windows_tile_the_line_and_keep_context_on_both_sides(size):
    text = " ".join(f"w{i}" for i in range(30_000)) + " " + "x" * 3000 + " tail"
    windows = list(iter_windows(text, 0, len(text), size))
    context = min(CONTEXT_CHARS, size // 8)
    assert windows[0].keep_from == 0 and windows[-1].keep_to == len(text)
    for w, nxt in zip(windows, windows[1:], strict=False):
        assert w.keep_to == nxt.keep_from  # no gap, no overlap
        assert w.end - w.keep_to >= context and nxt.keep_from - nxt.start >= context
    for w in windows:
        assert 0 < w.end - w.start <= size and w.keep_from < w.keep_to


def _one_line(raw_dir, n_chars: int) -> str:
    sentences = [s.strip() for p in sorted(raw_dir.glob("*.txt"))
                 for line in p.read_text(encoding="utf-8").splitlines()
                 for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
    parts, total, k = [], 0, 0
    while total < n_chars:
        parts.append(sentences[(k * 7) % len(sentences)])
        total += len(parts[-1]) + 1
        k += 1
    return " ".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("max_chars", [20_000, 5_003])
def test_long_one_line_document_splits_as_when_processed_whole(raw_dir, senter, monkeypatch,
                                                               max_chars):
    text = _one_line(raw_dir, 300_000)
    docs = _docs(text)
    windowed = split_documents(docs, senter, max_chars=max_chars)
    # the window edges fall inside sentences, so the joins are really tested
    ends = [w.end for w in iter_windows(text, 0, len(text), max_chars)][:-1]
    inside = sum(any(s < e < t for s, t in zip(windowed["start_char"], windowed["end_char"],
                                               strict=True)) for e in ends)
    assert inside >= len(ends) // 2 > 0

    monkeypatch.setattr(split, "WINDOW_CHARS", len(text) + 1)
    monkeypatch.setattr(senter, "max_length", len(text) + 1)
    whole = split_documents(docs, senter, max_chars=len(text) + 1)
    assert len(whole) > 500
    pd.testing.assert_frame_equal(windowed, whole)
    for row in windowed.itertuples():
        assert text[row.start_char : row.end_char] == row.text
    assert windowed["start_char"].is_monotonic_increasing
