"""Dateline dates: the strptime reading of plain English dates equals dateparser's."""

from __future__ import annotations

import calendar
from datetime import date

import dateparser
import pytest

from claimflow.config import IngestSettings
from claimflow.stages.ingest.metadata import (
    _DATEPARSER_SETTINGS,
    _dateparse,
    _parse_date,
    _plain_english_date,
)

LANGUAGES = tuple(IngestSettings().languages)


def _by_dateparser(s: str) -> date | None:
    dt = dateparser.parse(s, languages=list(LANGUAGES), settings=_DATEPARSER_SETTINGS)
    return dt.date() if dt is not None else None


def _plain_strings():
    for month in range(1, 13):
        full, short = calendar.month_name[month], calendar.month_abbr[month]
        for day in (1, 9, 28, 29, 30, 31):
            for year in (1999, 2024, 2025):
                yield f"{day} {full} {year}"
                yield f"{day:02d} {short} {year}"
                yield f"{full} {day}, {year}"
                yield f"{short} {day} {year}"
                yield f"{full.upper()} {day}, {year}"


def test_plain_english_dates_equal_dateparser():
    strings = list(_plain_strings())
    read = [s for s in strings if _plain_english_date(s) is not None]
    assert len(read) > 0.9 * len(strings) * 29 / 36  # all but impossible days
    assert [_plain_english_date(s) for s in read] == [_by_dateparser(s) for s in read]
    # an impossible day is left to dateparser, which has no reading of it either
    assert _plain_english_date("31 February 2024") is None
    assert _parse_date("31 February 2024", IngestSettings()) is None


@pytest.mark.parametrize("s", [
    "21 ноября 2024 года", "21 novembre 2024", "21. November 2024", "21 de noviembre de 2024",
    "21 Kasım 2024", "٢١ نوفمبر ٢٠٢٤", "2024年11月21日", "Monday, 4 March 2024", "Sept. 5, 2023",
    "03/04/2024", "1er mars 2022", "5 сентября", "Tuesday", "junk text 2024", "2024",
])
def test_dates_dateparser_reads_are_read_as_before(s):
    """The first language alone, then all of them: the date dateparser gives for all."""
    assert _plain_english_date(s) is None
    assert _dateparse(s, LANGUAGES) == _by_dateparser(s)
