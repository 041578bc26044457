"""Sentence split: documents -> sentences with offsets into ``documents.text``.

English paragraphs go through spaCy's statistical ``senter`` (far cheaper than the parser);
other languages through pysbd's rule-based segmenter, or a punctuation rule when pysbd
has no rules for the language. Every line is at least its own unit, so headings and list
items never merge with the following text.

Size limits, so that no input is rejected, truncated, slow or memory-hungry: the senter sees
a line longer than ``WINDOW_CHARS`` (or ``max_chars``) in overlapping windows cut at spaces;
each window's sentence starts are kept only away from its edges (``CONTEXT_CHARS``), where
the model sees the same context as in the whole line, so the windows join without a sentence
lost, doubled or cut. ``nlp.pipe`` batches hold at most ``PIPE_CHARS`` characters. pysbd
(quadratic in its input) sees blocks of at most ``SBD_BLOCK_CHARS`` cut at sentence ends; a
"sentence" longer than ``MAX_SENTENCE_CHARS`` (a line without punctuation) is cut at
whitespace, so the tag stage never parses a huge span. Every cut keeps exact offsets and
drops nothing but whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

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
WINDOW_CHARS = 20_000  # longest text the senter sees at once
CONTEXT_CHARS = 500  # a window's edges where its sentence starts are not trusted
PIPE_CHARS = 500_000  # most characters in one nlp.pipe batch
_LANG_ID_CHARS = 5000  # langid.detect_with_prob reads no further into a line
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


@dataclass(frozen=True)
class Window:
    """A stretch of one unit handed to the senter, ``text[start:end]``; only the sentences
    starting in ``[keep_from, keep_to)`` are taken from it (the keep ranges of a unit's
    windows tile the unit)."""

    start: int
    end: int
    keep_from: int
    keep_to: int


def iter_units(text: str, doc_lang: str, max_chars: int | None = None) -> Iterator[Unit]:
    """Lines of ``text`` with their language; lines longer than ``max_chars`` (if given)
    cut at whitespace."""
    for m in _LINE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        line_lang = _unit_lang(text, start, end, doc_lang)
        if max_chars is None:
            yield Unit(start, end, line_lang)
            continue
        for s, e in _cut(text, start, end, max_chars):
            yield Unit(s, e, line_lang)


def iter_windows(text: str, start: int, end: int, size: int) -> Iterator[Window]:
    """``text[start:end]`` in windows of at most ``size`` chars, cut at spaces, overlapping
    by twice the context so that every kept sentence start has context on both sides."""
    context = min(CONTEXT_CHARS, size // 8)
    keep_from = start
    while end - start > size:
        cut = text.rfind(" ", start + size // 2, start + size)
        if cut < 0:
            cut = start + size
        keep_to = cut - context
        yield Window(start, cut, keep_from, keep_to)
        space = text.rfind(" ", start + 1, keep_to - context)
        start = space + 1 if space >= 0 else keep_to - context
        keep_from = keep_to
    yield Window(start, end, keep_from, end)


def _unit_lang(text: str, start: int, end: int, doc_lang: str) -> str:
    """Language of one line; short lines keep the document's unless the ID is near certain."""
    found, prob = langid.detect_with_prob(text[start : min(end, start + _LANG_ID_CHARS)])
    needed = 0.99 if end - start < 40 else 0.9
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


def _rule_split(
    text: str, start: int, end: int, lang: str, block: int = SBD_BLOCK_CHARS
) -> list[tuple[int, int]]:
    if end - start <= block:
        return _rule_split_block(text, start, end, lang)
    spans: list[tuple[int, int]] = []
    for s, e in _sbd_blocks(text, start, end, block):
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
    The English lines of the batch stream through ``nlp.pipe`` in windows of at most
    ``max_chars`` (and ``WINDOW_CHARS``, ``nlp.max_length``) characters, batches of at most
    ``batch_size`` windows and ``PIPE_CHARS`` characters; no segmenter sees more at once.
    """
    window = min(max_chars, WINDOW_CHARS)
    if nlp is not None:  # a longer text would make spaCy raise E088 and stop the run
        window = min(window, nlp.max_length)
    window = max(window, 16)
    docs = list(zip(documents["doc_id"], documents["text"], documents["lang"], strict=True))
    units = [list(iter_units(text, doc_lang or "und")) for _, text, doc_lang in docs]
    english = [(text, u) for (_, text, _), us in zip(docs, units, strict=True) for u in us
               if u.lang == "en"]
    senter_spans = iter(_senter_spans(english, nlp, batch_size, window))

    columns: dict[str, list] = {c: [] for c in SENTENCES.columns}
    for (doc_id, text, _), doc_units in zip(docs, units, strict=True):
        sent_id = 0
        for unit in doc_units:
            if unit.lang == "en":
                spans = _merge_abbreviations(text, next(senter_spans))
            else:
                spans = _rule_split(text, unit.start, unit.end, unit.lang,
                                    min(SBD_BLOCK_CHARS, window))
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
    units: list[tuple[str, Unit]], nlp: Language | None, batch_size: int, window: int
) -> Iterator[list[tuple[int, int]]]:
    """The senter's sentence spans of each unit, in order; long units joined from windows."""
    if nlp is None:
        for text, u in units:
            yield _rule_split(text, u.start, u.end, "en", min(SBD_BLOCK_CHARS, window))
        return
    jobs = ((k, w, text) for k, (text, u) in enumerate(units)
            for w in iter_windows(text, u.start, u.end, window))
    parsed = _pipe(nlp, jobs, batch_size)
    for _, group in groupby(parsed, key=lambda job: job[0]):
        yield _join_windows((w, doc) for _, w, doc in group)


def _pipe(nlp: Language, jobs: Iterable[tuple[int, Window, str]], batch_size: int,
          max_chars: int = PIPE_CHARS) -> Iterator[tuple[int, Window, Doc]]:
    """``(unit index, window, Doc)`` for each job, parsed in batches of at most
    ``batch_size`` windows and ``max_chars`` characters."""
    batch: list[tuple[int, Window, str]] = []
    chars = 0
    for job in jobs:
        size = job[1].end - job[1].start
        if batch and (len(batch) >= batch_size or chars + size > max_chars):
            yield from _parse(nlp, batch)
            batch, chars = [], 0
        batch.append(job)
        chars += size
    if batch:
        yield from _parse(nlp, batch)


def _parse(
    nlp: Language, batch: list[tuple[int, Window, str]]
) -> Iterator[tuple[int, Window, Doc]]:
    texts = [text[w.start : w.end] for _, w, text in batch]
    for (k, w, _), doc in zip(batch, nlp.pipe(texts, batch_size=len(batch)), strict=True):
        yield k, w, doc


def _join_windows(parsed: Iterable[tuple[Window, Doc]]) -> list[tuple[int, int]]:
    """One unit's sentence spans from its windows' parses: each window contributes the
    sentences starting in its keep range; a sentence ends with the last token before the
    next sentence's start, as seen by the window that found that start."""
    spans: list[tuple[int, int]] = []
    last_end = 0
    for w, doc in parsed:
        for sent in doc.sents:
            start = w.start + sent.start_char
            if not w.keep_from <= start < w.keep_to or (spans and sent.start == 0):
                continue
            if spans:
                before = doc[sent.start - 1]
                spans[-1] = (spans[-1][0], w.start + before.idx + len(before))
            spans.append((start, start))
        if len(doc):
            last_end = w.start + doc[-1].idx + len(doc[-1])
    if spans:
        spans[-1] = (spans[-1][0], last_end)
    return spans
