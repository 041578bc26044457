"""The dateline of a statement, one rule for every stage that needs it.

A dateline names the place (and maybe the date) a statement was filed from: "BAKU, November
21. ...", "ASTANA, 14 March 2025. ...", "3 June 2024, Vilnius", "BAKU, Azerbaijan, November
21." Its parts (month and weekday names, the place word, the date forms, the dash) are data,
in ``data/datelines.json``; this module only combines them into two grammars:

* a dateline *line* (``find_dateline``): a place-first or date-first dateline opening one of a
  text's first lines, with its place, country and date; ingest cuts it out of the text;
* a *leading* dateline (``dateline_end``): where a dateline at the very start of a text ends,
  so the speaker finder and the gazetteer take the names inside it as the place of filing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from claimflow.config import PACKAGE_DATA
from claimflow.errors import ClaimflowError

DATELINES_FILE = PACKAGE_DATA / "datelines.json"


@dataclass(frozen=True)
class Dateline:
    """A dateline found in a text; ``start``/``end`` are offsets into that text."""

    start: int
    end: int  # where the rest of its line starts
    place: str
    country: str | None
    date_text: str | None  # the date as written (year, if any, after the month and day)
    has_year: bool = False  # False: month and day only ("November 21")
    line: int = 0  # index of the line it opens


class DatelineRules:
    """The compiled dateline grammar of one ``datelines.json``."""

    def __init__(self, raw: dict):
        self.opening_lines = max(1, int(raw["opening_lines"]))
        self.not_places = frozenset(w.casefold() for w in raw["not_places"])
        self.building_words = frozenset(w.casefold() for w in raw["building_words"])
        month = "(?:" + "|".join(raw["months"]) + ")"
        weekday = raw["weekdays"]
        self.weekday = re.compile(weekday)
        word = raw["place_word"]
        # the dates a dateline may carry ("Monday, 3 June", "November 21", "2024-11-21")
        self.date = "(?:" + "|".join(
            f.replace("{month}", month).replace("{weekday}", weekday) for f in raw["date_forms"]
        ) + ")"
        # one to four words, on one line
        place = rf"{word}(?:[^\S\n]+{word}){{0,3}}"
        month_dot = month + r"\.?"
        # a dateline line ends with ". " / ": " / " - " before the body, or with its line
        line_end = r"(?:[.:](?:\s+|$)|\s[-–—](?:\s+|$)|$)"
        # "BAKU, Azerbaijan, November 21. ": place, optional country, (weekday,) month and
        # day[, year]
        self.place_first = re.compile(
            rf"^(?P<place>{place})\s*,\s*(?:(?P<country>{place})\s*,\s*)?(?:{weekday},?\s+)?"
            rf"(?P<md>{month_dot}\s+\d{{1,2}}|\d{{1,2}}\s+{month_dot})(?:,?\s+(?P<year>\d{{4}}))?"
            rf"\s*(?:\([^)\n]{{1,40}}\)\s*)?{line_end}"
        )
        # "3 June 2024, Vilnius" / "June 3, 2024, Vilnius, Lithuania - ...": the date first
        self.date_first = re.compile(
            rf"^(?P<date>\d{{1,2}}\s+{month_dot}\s+\d{{4}}|{month_dot}\s+\d{{1,2}},?\s+\d{{4}})"
            rf"\s*,\s*(?P<place>{place})(?:\s*,\s*(?P<country>{place}))?\s*{line_end}"
        )
        # at the very start of a text: an optional scraped "date 2024-11-21 ", the place, an
        # optional country, then the date and a dash ("BAKU, Azerbaijan, November 21.")
        head = (
            rf"^\s*(?:date\s+\d{{4}}-\d{{2}}-\d{{2}}\s+)?{place}(?:,\s+[A-Z][\w .'\-]{{1,40}})?"
        )
        dated = rf",\s+{self.date}(?:,?\s+\d{{4}})?" + raw["dash"]
        self.leading = re.compile(rf"{head}(?:{dated})\s*")
        # ... or, undated, a dash alone ("BRUSSELS — ...")
        self.leading_undated = re.compile(
            rf"{head}(?:{dated}|\s*(?:\([^)]{{1,30}}\)\s*)?[\u2014\u2013])\s*"
        )

    def match_line(self, line: str, later: bool = False) -> Dateline | None:
        """The dateline at the start of ``line`` (place first, or date first), else None.

        A place never starts with one of the rules' ``not_places`` ("However, 14 March 2025 -").
        On a ``later`` line (not the first of the text) a place-first dateline also needs a
        year or an all-capitals place, so an ordinary sentence is not taken for one.
        """
        m = self.place_first.match(line)
        if m and later and not (m["year"] or m["place"].isupper()):
            m = None
        if m is not None:
            year = m["year"]
            date_text = f"{m['md']} {year}" if year else m["md"]
            found = Dateline(0, m.end(), m["place"], m["country"], date_text, bool(year))
        else:
            m = self.date_first.match(line)
            if m is None:
                return None
            found = Dateline(0, m.end(), m["place"], m["country"], m["date"], True)
        if found.place.split()[0].strip(".").casefold() in self.not_places:
            return None
        return found

    def filing_place(self, found: Dateline) -> str:
        """The place ``found`` was filed from: its place, or the city in the next slot when the
        place is a building ("Parliament Building, Lilongwe, 14 March 2026" -> "Lilongwe")."""
        last = found.place.split()[-1].strip(".").casefold()
        if (found.country and last in self.building_words
                and not self.weekday.fullmatch(found.country)):
            return found.country
        return found.place

    def find(self, text: str, max_lines: int | None = None, first_line: bool = True
             ) -> Dateline | None:
        """The first dateline opening one of the first ``max_lines`` lines of ``text`` (the
        rules' ``opening_lines`` when None). Each line is matched without its surrounding
        blanks; only the first line of a text whose ``first_line`` is True escapes the
        stricter test of a later line."""
        limit = self.opening_lines if max_lines is None else max_lines
        pos = 0
        for i, line in enumerate(text.split("\n")):
            if i >= limit:
                break
            stripped = line.strip()
            found = self.match_line(stripped, later=i > 0 or not first_line)
            if found is not None:
                start = pos + len(line) - len(line.lstrip())
                return Dateline(start, start + found.end, found.place, found.country,
                                found.date_text, found.has_year, i)
            pos += len(line) + 1
        return None

    def leading_end(self, text: str, undated: bool = False) -> int:
        """Char offset where a dateline at the very start of ``text`` ends (0 when none);
        ``undated`` also takes a place and a dash alone ("BRUSSELS — ...")."""
        m = (self.leading_undated if undated else self.leading).match(text)
        return m.end() if m else 0


@cache
def load_rules(path: Path = DATELINES_FILE) -> DatelineRules:
    """The dateline grammar of ``path`` (the shipped ``data/datelines.json`` by default)."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        return DatelineRules(raw)
    except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
        raise ClaimflowError(f"{path}: cannot read dateline rules ({exc})") from None


def find_dateline(text: str, max_lines: int | None = None, first_line: bool = True
                  ) -> Dateline | None:
    """The dateline opening one of the first ``max_lines`` lines of ``text`` (see
    ``DatelineRules.find``)."""
    return load_rules().find(text, max_lines, first_line)


def filing_place(found: Dateline) -> str:
    """The place a dateline was filed from (see ``DatelineRules.filing_place``)."""
    return load_rules().filing_place(found)


def dateline_end(text: str, undated: bool = False) -> int:
    """Char offset where a leading dateline ("BAKU, Azerbaijan, November 21.") ends, else 0."""
    return load_rules().leading_end(text, undated)


def date_pattern() -> str:
    """The regex of the dates a dateline may carry ("Monday, 3 June", "November 21", ...)."""
    return load_rules().date
