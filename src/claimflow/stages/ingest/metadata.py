"""Ingest, text -> document: boilerplate lines dropped, metadata pulled out of the text
(dateline date and place, a date-only line, document number, headline title, the credited
outlet), repeated headlines and truncated teasers dropped, the language identified."""

from __future__ import annotations

import calendar
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache

from claimflow.config import PACKAGE_DATA, IngestSettings
from claimflow.errors import ClaimflowError
from claimflow.nlp.datelines import DATELINES_FILE as DATELINES_FILE  # re-exported
from claimflow.nlp.datelines import Dateline, filing_place, find_dateline
from claimflow.nlp.datelines import load_rules as _dateline_rules
from claimflow.nlp.lang import detect
from claimflow.stages.ingest.normalize import normalize_text

OUTLETS_FILE = PACKAGE_DATA / "ingest" / "outlets.json"


def __getattr__(name: str):
    """``_DATELINE`` / ``_DATELINE_DATE_FIRST``: the dateline grammar of
    :mod:`claimflow.nlp.datelines` (which owns it), under its former names here."""
    if name == "_DATELINE":
        return _dateline_rules().place_first
    if name == "_DATELINE_DATE_FIRST":
        return _dateline_rules().date_first
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class _Doc:
    """One document being built: cleaned text, metadata, and warnings for the ingest report."""

    doc_id: str
    path: str
    sha256: str
    text: str
    title: str | None = None
    published: date | None = None
    place: str | None = None
    outlet: str | None = None
    doc_number: str | None = None
    lang: str = "und"
    notes: list[str] = field(default_factory=list)


# " date 2024-11-21 " scraped prefix
_DATE_PREFIX = re.compile(
    r"^\s*date:?\s+(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s+", re.I
)
_DATE_LINE_GATE = re.compile(
    r"(?i)^(?:(?:published|posted|updated|date|dated)\s*:?\s*)?"
    r"(?=.*\b(?:19|20)\d{2}\b)[\w ,./:\-–|]{6,48}$"
)
_DOC_NUMBER = re.compile(
    r"^(?:No|Nr|№)\.?\s*:?\s*(?P<num>\d[\w]*(?:[/\-.]\w+)*)\s*(?:[,.:;–—-]\s*|\s+)(?P<rest>.*)$"
)
_OUTLET_WORD = r"[A-Z][\w&\-]*(?:\.[A-Za-z][\w\-]*)*"
# "…, Trend reports." / "Report informs." / "Caliber.Az has learned from …"
_OUTLET = re.compile(
    rf"(?:,\s+|^|(?<=[.!?”\"])\s+)(?P<o>{_OUTLET_WORD}(?:\s{_OUTLET_WORD}){{0,2}})\s+"
    r"(?:(?:reports|informs)(?=\s*[.,;]|\s+(?:that|citing|with reference)\b)"
    r"|has (?:learned|learnt)\b)"
)
_HEADLINE_BAD_END = (".", ",", ";", ":")


@cache
def _not_outlets() -> frozenset[str]:
    """First words of an "X reports." match that do not name an outlet ("It", "Ministry", ...),
    from ``data/ingest/outlets.json``; read once."""
    try:
        raw = json.loads(OUTLETS_FILE.read_text(encoding="utf-8"))
        return frozenset(raw["not_outlets"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ClaimflowError(f"{OUTLETS_FILE}: cannot read outlet word list ({exc})") from None


def _parse_date(s: str | None, settings: IngestSettings) -> date | None:
    if not s:
        return None
    s = s.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])", s)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return _plain_english_date(s) or _dateparse(s, tuple(settings.languages))


# "14 March 2025", "March 14, 2025", "14 Mar 2025": the commonest dateline dates, read by
# strptime (the same date dateparser gives; its import and English data cost 0.3 s a start)
_PLAIN_DATE = re.compile(
    r"\d{1,2} [A-Za-z]{3,9} (?:19|20)\d\d|[A-Za-z]{3,9} \d{1,2},? (?:19|20)\d\d")
_PLAIN_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%B %d %Y", "%b %d, %Y",
                       "%b %d %Y")


def _plain_english_date(s: str) -> date | None:
    """The date of a plain English day-month-year string, else None (dateparser reads it);
    only while month names are English (the C or an English time locale)."""
    if not _PLAIN_DATE.fullmatch(s) or calendar.month_name[3] != "March":
        return None
    for fmt in _PLAIN_DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


_DATEPARSER_SETTINGS = {
    "STRICT_PARSING": True,
    "DATE_ORDER": "DMY",
    "PREFER_LOCALE_DATE_ORDER": False,
    "RETURN_AS_TIMEZONE_AWARE": False,
}


@lru_cache(maxsize=16)
def _first_language(languages: tuple[str, ...]) -> str | None:
    """The language dateparser tries first among ``languages`` (its own popularity order,
    not the given one)."""
    from dateparser.languages.loader import LocaleDataLoader

    first = next(iter(LocaleDataLoader().get_locales(languages=list(languages))), None)
    return first.shortname if first is not None else None


@lru_cache(maxsize=4096)
def _dateparse(s: str, languages: tuple[str, ...]) -> date | None:
    """``s`` parsed by dateparser in ``languages``. dateparser returns the parse of the first
    language, in its order, that reads the string; that language is tried alone first, so
    a run whose datelines are in it never loads the data of the others (0.3 s per start)."""
    import dateparser

    langs = [lang for lang in languages if lang] or None
    try:
        first = _first_language(tuple(langs)) if langs else None
        dt = None
        if first in langs and len(langs) > 1:
            dt = dateparser.parse(s, languages=[first], settings=_DATEPARSER_SETTINGS)
        if dt is None:
            dt = dateparser.parse(s, languages=langs, settings=_DATEPARSER_SETTINGS)
    except Exception:
        return None
    return dt.date() if dt is not None else None


def _norm_place(place: str) -> str:
    place = place.strip(" .,")
    if place.isupper() or place.islower():
        place = "-".join(
            " ".join(w.capitalize() for w in part.split()) for part in place.split("-")
        )
    return place


def _make_doc(
    doc_id: str, path: str, sha: str, raw_text: str, settings: IngestSettings, patterns
) -> _Doc:
    """The document of one text: normalised, boilerplate lines dropped, metadata taken out."""
    text = normalize_text(raw_text)
    doc = _Doc(doc_id=doc_id, path=path, sha256=sha, text="")
    blocks = _blocks(text)
    holder = _copyright_holder(blocks)  # before its line goes with the boilerplate
    # 1. boilerplate lines
    blocks = [b for b in blocks if not any(p.fullmatch(b[0].strip()) for p in patterns)]
    # 2. date-only lines near the top (e.g. "July 29, 2023 09:19")
    blocks = _take_date_lines(blocks, doc, settings)
    # 3. dateline: prefix of the first paragraph, or of one of the opening lines
    _take_dateline(blocks, doc, settings)
    # 4. document number / headline title
    _take_number_or_title(blocks, doc)
    # 5. repeated headline, teaser paragraphs, repeated paragraphs
    blocks = _drop_repeats(blocks, doc.title)
    # 6. outlet credited in the first paragraphs
    doc.outlet = _credited_outlet(blocks) or holder
    doc.text = "".join(b[0] + b[1] for b in blocks).strip()
    doc.lang = _dominant_lang([b[0] for b in blocks])
    return doc


def _blocks(text: str) -> list[list[str]]:
    """[line, separator after it] pairs; the separator is "\n", or "\n\n" after a blank line."""
    blocks: list[list[str]] = []
    for chunk in re.split(r"(\n+)", text):
        if not chunk:
            continue
        if chunk.startswith("\n"):
            if blocks:
                blocks[-1][1] = "\n\n" if len(chunk) > 1 else "\n"
        else:
            blocks.append([chunk, "\n"])
    return blocks


def _take_date_lines(
    blocks: list[list[str]], doc: _Doc, settings: IngestSettings
) -> list[list[str]]:
    """``blocks`` without the date-only lines among the first ten; the first date parsed
    becomes ``doc.published``."""
    kept = []
    for i, b in enumerate(blocks):
        line = b[0].strip()
        if (
            i < 10
            and _DATE_LINE_GATE.match(line)
            and not _DOC_NUMBER.match(line)
            and find_dateline(line, 1) is None  # "3 June 2024, Vilnius": a dateline, with place
        ):
            when = _parse_date(
                re.sub(r"(?i)^(published|posted|updated|date|dated)\s*:?\s*", "", line), settings
            )
            if when is not None:
                doc.published = doc.published or when
                continue
        kept.append(b)
    return kept


def _take_dateline(blocks: list[list[str]], doc: _Doc, settings: IngestSettings) -> None:
    """Cut the dateline off the opening lines, in place, into ``doc.place`` and
    ``doc.published``: a scraped "date 2024-11-21" prefix and a dateline at the start of the
    first line, else the first dateline starting one of the next opening lines ("Headline"
    then "ASTANA, 14 March 2025. ..."; "3 June 2024, Vilnius"). A line that was only a
    dateline is dropped, so a dateline never becomes a sentence."""
    if not blocks:
        return
    first = blocks[0][0]
    iso = None
    m = _DATE_PREFIX.match(first)
    if m:
        iso = m[1]
        first = first[m.end() :]
    found = find_dateline(first.strip(), 1)
    if found is not None:
        first = first.strip()
        year = iso[:4] if iso else None
        when = _when(found) or (f"{found.date_text} {year}" if found.date_text and year else None)
        _set_dateline(doc, filing_place(found), when, settings)
        first = first[found.end :]
    if iso:
        doc.published = _parse_date(iso, settings) or doc.published
    if first.strip():
        blocks[0][0] = first.strip()
    else:
        blocks.pop(0)
    if found is not None:
        return
    later = [b[0].strip() for b in blocks[1 : _dateline_rules().opening_lines]]
    found = find_dateline("\n".join(later), len(later), first_line=False)
    if found is None:
        return
    _set_dateline(doc, filing_place(found), _when(found), settings)
    i = found.line + 1
    rest = later[found.line][found.end - found.start :].strip()
    if rest:
        blocks[i][0] = rest
    else:
        blocks.pop(i)


def _when(found: Dateline) -> str | None:
    """The date of a dateline when it has a year, else None ("November 21")."""
    return found.date_text if found.has_year else None


def _set_dateline(doc: _Doc, place: str, when: str | None, settings: IngestSettings) -> None:
    doc.place = _norm_place(place)
    if when and doc.published is None:
        doc.published = _parse_date(when, settings)


def _take_number_or_title(blocks: list[list[str]], doc: _Doc) -> None:
    """``doc.doc_number`` (and title) from a "No. 123 ..." first line, else ``doc.title`` from
    a headline-like first line (kept in the text)."""
    if not blocks:
        return
    first = blocks[0][0].strip()
    m = _DOC_NUMBER.match(first)
    if m:
        doc.doc_number = m["num"]
        rest = m["rest"].strip()
        if rest:
            doc.title = rest.rstrip(" .")
    elif len(blocks) > 1 and _is_headline(first):
        doc.title = first


def _credited_outlet(blocks: list[list[str]]) -> str | None:
    """The outlet credited in the first four paragraphs ("..., Trend reports."), else None."""
    not_outlets = _not_outlets()
    for b in blocks[:4]:
        for m in _OUTLET.finditer(b[0]):
            name = m["o"]
            if name.split()[0] not in not_outlets:
                return name.rstrip(".")
    return None


_COPYRIGHT_MARK = re.compile(
    r"(?i)(?:copyright\s*)?(?:\u00a9|\(c\))\s*(?:copyright\s*)?(?:(?:19|20)\d\d(?:\s*[-\u2013]\s*"
    r"(?:19|20)\d\d)?\s*[,.]?\s*)?")
_HOLDER_END = re.compile(r"(?i)\s*(?:[|\u00b7\u2022]|\.(?:\s|$)|,?\s+all\s+rights\b)")


def _copyright_holder(blocks: list[list[str]], last: int = 8) -> str | None:
    """The holder named by a copyright line at the foot of a web page ("\u00a9 2025 Ministry of
    Foreign Affairs of X. All rights reserved."): the site that published the text."""
    for b in reversed(blocks[-last:]):
        m = _COPYRIGHT_MARK.match(b[0].strip())
        if m is None or not m.group():
            continue
        rest = b[0].strip()[m.end() :]
        end = _HOLDER_END.search(rest)
        name = re.sub(r",?\s*(?:19|20)\d\d$", "", rest[: end.start() if end else None]).strip(" ,")
        return name if len(name) >= 3 and name[0].isalnum() else None
    return None


def _is_headline(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 30
        and len(line) <= 250
        and not line.endswith(_HEADLINE_BAD_END)
        and (line[0].isupper() or line[0].isdigit() or line[0] in "“\"‘'«")
        and not re.match(r"(?i)^(question|answer|q|a)\s*:", line)
    )


def _squash(s: str) -> str:
    return " ".join(s.split()).casefold()


def _drop_repeats(blocks: list[list[str]], title: str | None) -> list[list[str]]:
    """Drop repeats of the headline, teasers (prefix of a later paragraph), repeated paragraphs."""
    t = _squash(title) if title else None
    out: list[list[str]] = []
    seen_title = False
    squashed = [_squash(b[0]) for b in blocks]
    seen: set[str] = set()
    for i, b in enumerate(blocks):
        s = squashed[i]
        if t and s == t:
            if seen_title:
                continue
            seen_title = True
            out.append(b)
            continue
        body = s
        if t and s.startswith(t + " "):
            body = s[len(t) + 1 :]
        body = body.rstrip("….").rstrip()
        if (
            i < 8
            and len(body) >= 30
            and any(later.startswith(body) and later != s for later in squashed[i + 1 :])
        ):
            continue  # truncated teaser of a later paragraph
        if len(s) >= 40 and s in seen:
            continue  # the same paragraph again
        seen.add(s)
        out.append(b)
    return out


def _dominant_lang(paragraphs: list[str]) -> str:
    chars: Counter[str] = Counter()
    for p in paragraphs:
        lang = detect(p)
        if lang != "und":
            chars[lang] += len(p)
    if not chars:
        return detect(" ".join(paragraphs))
    top = max(chars.values())
    return sorted(k for k, v in chars.items() if v == top)[0]
