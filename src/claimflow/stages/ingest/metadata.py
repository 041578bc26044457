"""Ingest, text -> document: boilerplate lines dropped, metadata pulled out of the text
(dateline date and place, a date-only line, document number, headline title, the credited
outlet), repeated headlines and truncated teasers dropped, the language identified."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache

from claimflow.config import PACKAGE_DATA, IngestSettings
from claimflow.errors import ClaimflowError
from claimflow.nlp.lang import detect
from claimflow.stages.ingest.normalize import normalize_text

OUTLETS_FILE = PACKAGE_DATA / "ingest" / "outlets.json"
DATELINES_FILE = PACKAGE_DATA / "ingest" / "datelines.json"


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


_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# " date 2024-11-21 " scraped prefix
_DATE_PREFIX = re.compile(
    r"^\s*date:?\s+(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s+", re.I
)
# "BAKU, Azerbaijan, November 21. " agency dateline (place, optional country, month day[, year])
_PLACE = r"[A-Z][\w'’.\-]*(?:\s[A-Z][\w'’.\-]*){0,3}"
# what ends a dateline: ". " / ": " / " - " before the body, or the end of its line
_DATELINE_END = r"(?:[.:](?:\s+|$)|\s[-–—](?:\s+|$)|$)"
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE})\s*,\s*(?:(?P<country>{_PLACE})\s*,\s*)?"
    rf"(?P<md>{_MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTHS})(?:,?\s+(?P<year>\d{{4}}))?"
    rf"\s*(?:\([^)\n]{{1,40}}\)\s*)?{_DATELINE_END}"
)
# "3 June 2024, Vilnius" / "June 3, 2024, Vilnius, Lithuania - ...": the date first
_DATELINE_DATE_FIRST = re.compile(
    rf"^(?P<date>\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}|{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}})"
    rf"\s*,\s*(?P<place>{_PLACE})(?:\s*,\s*(?P<country>{_PLACE}))?\s*{_DATELINE_END}"
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


@dataclass(frozen=True)
class _DatelineRules:
    """From ``data/ingest/datelines.json``: how many opening lines may hold the dateline, and
    the words that never start its place."""

    opening_lines: int
    not_places: frozenset[str]


@cache
def _dateline_rules() -> _DatelineRules:
    try:
        raw = json.loads(DATELINES_FILE.read_text(encoding="utf-8"))
        return _DatelineRules(
            opening_lines=max(1, int(raw["opening_lines"])),
            not_places=frozenset(w.casefold() for w in raw["not_places"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ClaimflowError(f"{DATELINES_FILE}: cannot read dateline rules ({exc})") from None


@dataclass(frozen=True)
class _Dateline:
    place: str
    when: str | None  # the date as written, year included; None when it has no year
    md: str | None  # month and day of a dateline without a year ("November 21")
    end: int  # where the rest of the line starts


def _match_dateline(line: str, later: bool = False) -> _Dateline | None:
    """The dateline at the start of ``line`` (place first, or date first), else None.

    A place never starts with one of the rules' ``not_places`` ("However, 14 March 2025 -").
    On a ``later`` line (not the first of the text) a place-first dateline also needs a year
    or an all-capitals place, so an ordinary sentence is not taken for one.
    """
    rules = _dateline_rules()
    m = _DATELINE.match(line)
    if m:
        place = m["place"]
        if later and not (m["year"] or place.isupper()):
            m = None
    if m is None:
        m = _DATELINE_DATE_FIRST.match(line)
        if m is None:
            return None
        place, when, md = m["place"], m["date"], None
    else:
        when = f"{m['md']} {m['year']}" if m["year"] else None
        md = None if m["year"] else m["md"]
    if place.split()[0].strip(".").casefold() in rules.not_places:
        return None
    return _Dateline(place=place, when=when, md=md, end=m.end())


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
    return _dateparse(s, tuple(settings.languages))


@lru_cache(maxsize=4096)
def _dateparse(s: str, languages: tuple[str, ...]) -> date | None:
    import dateparser

    try:
        langs = [lang for lang in languages if lang] or None
        dt = dateparser.parse(
            s,
            languages=langs,
            settings={
                "STRICT_PARSING": True,
                "DATE_ORDER": "DMY",
                "PREFER_LOCALE_DATE_ORDER": False,
                "RETURN_AS_TIMEZONE_AWARE": False,
            },
        )
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
    doc.outlet = _credited_outlet(blocks)
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
            and _match_dateline(line) is None  # "3 June 2024, Vilnius": a dateline, with place
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
    found = _match_dateline(first.strip())
    if found is not None:
        first = first.strip()
        year = iso[:4] if iso else None
        when = found.when or (f"{found.md} {year}" if found.md and year else None)
        _set_dateline(doc, found.place, when, settings)
        first = first[found.end :]
    if iso:
        doc.published = _parse_date(iso, settings) or doc.published
    if first.strip():
        blocks[0][0] = first.strip()
    else:
        blocks.pop(0)
    if found is not None:
        return
    for i in range(1, min(len(blocks), _dateline_rules().opening_lines)):
        line = blocks[i][0].strip()
        found = _match_dateline(line, later=True)
        if found is None:
            continue
        _set_dateline(doc, found.place, found.when, settings)
        rest = line[found.end :].strip()
        if rest:
            blocks[i][0] = rest
        else:
            blocks.pop(i)
        return


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
