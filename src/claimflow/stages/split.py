"""Sentence split: documents -> sentences with offsets into ``documents.text``.

English paragraphs go through spaCy's statistical ``senter`` (far cheaper than the parser);
other languages through pysbd's rule-based segmenter, or a punctuation rule when pysbd
has no rules for the language. Every line is at least its own unit, so headings and list
items never merge with the following text.

Size limits, so that no input is rejected, truncated or slow: a line longer than
``max_chars`` (and than the spaCy pipeline's ``max_length``) is cut at whitespace into
several units; pysbd (quadratic in its input) sees blocks of at most ``SBD_BLOCK_CHARS``
cut at sentence ends; a "sentence" longer than ``MAX_SENTENCE_CHARS`` (a line without
punctuation) is cut at whitespace, so the tag stage never parses a huge span. Every cut
keeps exact offsets and drops nothing but whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from spacy.language import Language

from claimflow.contract.schemas import SENTENCES
from claimflow.nlp import lang as langid

_LINE = re.compile(r"[^\n]+")
# A split right after one of these is almost always wrong ("No. 5", "U.S. officials").
_NO_BREAK_AFTER = re.compile(
    r"(?:\b(?:No|Nos|Art|Arts|para|paras|Mr|Mrs|Ms|Dr|Prof|St|Gen|Lt|Col|Maj|Capt|Sgt|Rep|Sen|"
    r"Amb|H\.E|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|e\.g|i\.e|cf|approx|"
    r"Inc|Ltd|Co|Corp|Vol|pp|p)\.|\b(?:[A-Z]\.){1,3}|\b[A-Z]\.)$"
)
_LIST_MARKER = re.compile(r"(?:\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|[-•*–])$")
# group 1: closing quotes/brackets that still belong to the sentence before the break
_FALLBACK_SPLIT = re.compile(r"(?<=[.!?。！？])([\"'”»)]*)\s+")
SBD_BLOCK_CHARS = 4000
MAX_SENTENCE_CHARS = 5000
# Q&A labels of spokesperson briefings are layout, not part of the sentence.
_QA_LABEL = re.compile(r"(?:Question|Answer|Q|A)\s*[:.]\s+(?=\S)")
_OPEN_QUOTES = "\"“«„'‘"
_CLOSE_QUOTES = "\"”»“'’"


@dataclass(frozen=True)
class Unit:
    """A stretch of document text split as one piece: one line, in one language."""

    start: int
    end: int
    lang: str


def iter_units(text: str, doc_lang: str, max_chars: int) -> Iterator[Unit]:
    """Lines of ``text`` with their language; very long lines cut at whitespace."""
    for m in _LINE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        line_lang = _unit_lang(text[start:end], doc_lang)
        for s, e in _cut(text, start, end, max_chars):
            yield Unit(s, e, line_lang)


def _unit_lang(chunk: str, doc_lang: str) -> str:
    """Language of one line; short lines keep the document's unless the ID is near certain."""
    found, prob = langid.detect_with_prob(chunk)
    needed = 0.99 if len(chunk) < 40 else 0.9
    if found == "und" or (found != doc_lang and prob < needed):
        return doc_lang
    return found


def _cut(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        if cut <= start:
            cut = start + max_chars
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        yield start, end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _trim_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding space, a Q&A label, and an opening quote that closes later."""
    start, end = _strip(text, start, end)
    m = _QA_LABEL.match(text, start, end)
    if m:
        start = m.end()
    if end - start > 1 and text[start] in _OPEN_QUOTES:
        if not any(c in _CLOSE_QUOTES for c in text[start + 1 : end]):
            start, end = _strip(text, start + 1, end)
    return start, end


def _merge_abbreviations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged:
            ps, pe = merged[-1]
            following = text[s : s + 1]
            glued = pe == s and text[pe - 1 : pe] == "." and following.isalnum()  # Caliber.Az
            marker = _LIST_MARKER.fullmatch(text[ps:pe].strip()) is not None
            if glued or marker or _NO_BREAK_AFTER.search(text[ps:pe]) and (
                following.islower() or following.isdigit() or text[ps:pe].endswith("No.")
            ):
                merged[-1] = (ps, e)
                continue
        merged.append((s, e))
    return merged


@lru_cache(maxsize=32)
def _pysbd(lang: str):
    import pysbd
    from pysbd.languages import LANGUAGE_CODES

    if lang not in LANGUAGE_CODES:
        return None
    return pysbd.Segmenter(language=lang, clean=False, char_span=True)


def _sbd_blocks(text: str, start: int, end: int, size: int) -> Iterator[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most ``size`` chars, at sentence ends if any."""
    while end - start > size:
        lo, hi = start + size // 2, start + size
        cut = nxt = -1
        for m in _FALLBACK_SPLIT.finditer(text, lo, hi):
            if not _NO_BREAK_AFTER.search(text, max(start, m.start() - 16), m.start()):
                cut, nxt = m.end(1), m.end()
        if cut < 0:
            cut = text.rfind(" ", lo, hi)
            nxt = cut + 1
            if cut <= start:
                cut = nxt = hi
        yield start, cut
        start = nxt
    if start < end:
        yield start, end


def _rule_split(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    if end - start <= SBD_BLOCK_CHARS:
        return _rule_split_block(text, start, end, lang)
    spans: list[tuple[int, int]] = []
    for s, e in _sbd_blocks(text, start, end, SBD_BLOCK_CHARS):
        spans.extend(_rule_split_block(text, s, e, lang))
    return spans


def _rule_split_block(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    chunk = text[start:end]
    seg = _pysbd(lang)
    spans: list[tuple[int, int]] = []
    if seg is not None:
        # pysbd's char spans can overlap or leave gaps on odd punctuation (":. . ."), so only
        # its span ends are used, as cut points: the pieces then tile the chunk exactly.
        try:
            cuts = sorted({min(max(span.end, 0), len(chunk)) for span in seg.segment(chunk)})
        except Exception:  # noqa: BLE001 - pysbd fails on some odd inputs; fall back below
            cuts = []
        pos = 0
        for cut in cuts:
            if cut > pos:
                spans.append((start + pos, start + cut))
                pos = cut
        if spans and pos < len(chunk):
            spans.append((start + pos, end))
    if not spans:
        pos = 0
        for m in _FALLBACK_SPLIT.finditer(chunk):
            spans.append((start + pos, start + m.end(1)))
            pos = m.end()
        spans.append((start + pos, end))
    return spans


def finish_english_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The senter's sentence spans of an English unit as the split stage keeps them: glued
    across abbreviations, trimmed, and cut to at most MAX_SENTENCE_CHARS."""
    return list(_bounded(text, _merge_abbreviations(text, spans)))


def split_documents(
    documents: pd.DataFrame, nlp: Language | None, batch_size: int = 256, max_chars: int = 100_000
) -> pd.DataFrame:
    """Sentences of every document: ``doc_id, sent_id, start_char, end_char, text, lang``.

    ``nlp`` is a senter-only English pipeline; with ``None`` English uses the rule splitter.
    All English lines of the batch go through one ``nlp.pipe`` call.
    """
    if nlp is not None:  # a longer unit would make spaCy raise E088 and stop the run
        max_chars = min(max_chars, nlp.max_length)
    docs = list(zip(documents["doc_id"], documents["text"], documents["lang"], strict=True))
    units = [list(iter_units(text, doc_lang or "und", max_chars)) for _, text, doc_lang in docs]
    english = [(text, u) for (_, text, _), us in zip(docs, units, strict=True) for u in us
               if u.lang == "en"]
    senter_spans = iter(_senter_spans(english, nlp, batch_size))

    columns: dict[str, list] = {c: [] for c in SENTENCES.columns}
    for (doc_id, text, _), doc_units in zip(docs, units, strict=True):
        sent_id = 0
        for unit in doc_units:
            if unit.lang == "en":
                spans = _merge_abbreviations(text, next(senter_spans))
            else:
                spans = _rule_split(text, unit.start, unit.end, unit.lang)
            for s, e in _bounded(text, spans):
                columns["doc_id"].append(doc_id)
                columns["sent_id"].append(sent_id)
                columns["start_char"].append(s)
                columns["end_char"].append(e)
                columns["text"].append(text[s:e])
                columns["lang"].append(unit.lang)
                sent_id += 1
    return pd.DataFrame(columns)


def _bounded(text: str, spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Trimmed, non-empty sentence spans, none longer than MAX_SENTENCE_CHARS."""
    for s, e in spans:
        s, e = _trim_sentence(text, s, e)
        if s >= e:
            continue
        if e - s <= MAX_SENTENCE_CHARS:
            yield s, e
            continue
        for cs, ce in _cut(text, s, e, MAX_SENTENCE_CHARS):
            cs, ce = _strip(text, cs, ce)
            if cs < ce:
                yield cs, ce


def _senter_spans(
    units: list[tuple[str, Unit]], nlp: Language | None, batch_size: int
) -> Iterator[list[tuple[int, int]]]:
    if nlp is None:
        for text, u in units:
            yield _rule_split(text, u.start, u.end, "en")
        return
    texts = (text[u.start : u.end] for text, u in units)
    for (_, unit), doc in zip(units, nlp.pipe(texts, batch_size=batch_size), strict=True):
        yield [(unit.start + s.start_char, unit.start + s.end_char) for s in doc.sents]
