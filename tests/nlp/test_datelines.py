"""The dateline rule (claimflow.nlp.datelines): the forms it knows, where it ends, and that
its parts are data."""

from __future__ import annotations

import json

import pytest

from claimflow.nlp.datelines import (
    DATELINES_FILE,
    Dateline,
    date_pattern,
    dateline_end,
    filing_place,
    find_dateline,
    load_rules,
)

BODY = "The Ministry of Foreign Affairs rejects the claims made yesterday."


@pytest.mark.parametrize(
    ("text", "place", "country", "date_text", "has_year"),
    [
        # place first: month-day, day-month, with and without a year, with a country
        (f"BAKU, November 21. {BODY}", "BAKU", None, "November 21", False),
        (f"BAKU, Azerbaijan, November 21. {BODY}", "BAKU", "Azerbaijan", "November 21", False),
        (f"ASTANA, 14 March 2025. {BODY}", "ASTANA", None, "14 March 2025", True),
        (f"Brussels, 5 May 2024 – {BODY}", "Brussels", None, "5 May 2024", True),
        (f"The Hague, Nov. 21, 2024: {BODY}", "The Hague", None, "Nov. 21 2024", True),
        # a weekday before the date, with no comma after it
        (f"Cape Town, Thursday 6 August 2026 \u2013 {BODY}", "Cape Town", None, "6 August 2026",
         True),
        ("BAKU, November 21", "BAKU", None, "November 21", False),  # a line of its own
        # date first
        ("3 June 2024, Vilnius", "Vilnius", None, "3 June 2024", True),
        (f"June 3, 2024, Vilnius, Lithuania - {BODY}", "Vilnius", "Lithuania", "June 3, 2024",
         True),
    ],
)
def test_dateline_forms(text, place, country, date_text, has_year):
    found = find_dateline(text)
    assert found is not None
    assert (found.place, found.country, found.date_text, found.has_year) == (
        place, country, date_text, has_year
    )
    assert found.start == 0 and found.line == 0
    assert text[found.end :] in (BODY, "")


@pytest.mark.parametrize(
    ("text", "filed_from"),
    [
        # a building or seat in the place slot: the city after it
        (f"Parliament Building, Lilongwe, 14 March 2026 – {BODY}", "Lilongwe"),
        (f"State House, Nairobi, 3 May 2026. {BODY}", "Nairobi"),
        ("21 October 2025, Union Buildings, Pretoria", "Pretoria"),
        # a city and its country, or a weekday after the city: the city
        (f"BAKU, Azerbaijan, November 21. {BODY}", "BAKU"),
        (f"Nusa Dua, Bali, 4 May 2024 – {BODY}", "Nusa Dua"),
        (f"Government House, Tuesday, 14 May 2024 - {BODY}", "Government House"),
    ],
)
def test_filing_place_is_the_city_after_a_building(text, filed_from):
    assert filing_place(find_dateline(text)) == filed_from


@pytest.mark.parametrize(
    "text",
    [
        f"However, 14 March 2025 – the ministry said nothing. {BODY}",  # not a place
        f"On 14 March 2025, the ministry said nothing. {BODY}",
        f"The ministry said on November 21 that {BODY}",
        BODY,
        "",
    ],
)
def test_sentences_are_not_datelines(text):
    assert find_dateline(text) is None


def test_a_dateline_in_a_later_line_needs_a_year_or_capitals():
    text = f"Statement on the resolution\n  ASTANA, 14 March 2025. {BODY}"
    found = find_dateline(text)
    assert found == Dateline(
        start=text.index("ASTANA"), end=text.index(BODY), place="ASTANA", country=None,
        date_text="14 March 2025", has_year=True, line=1,
    )
    assert find_dateline(f"Statement on the resolution\nBrussels, March 14 - {BODY}") is None
    assert find_dateline(f"Statement\nBRUSSELS, March 14 - {BODY}").place == "BRUSSELS"
    # not the first line of the document: its first line is held to the same test
    assert find_dateline(f"Brussels, March 14 - {BODY}", first_line=False) is None


def test_only_the_opening_lines_are_searched():
    text = "One\nTwo\nThree\nFour\nFive\nBAKU, 14 March 2025. " + BODY
    assert find_dateline(text) is None  # beyond opening_lines (5)
    assert find_dateline(text, max_lines=6).place == "BAKU"
    assert find_dateline("Headline\nBAKU, 14 March 2025.", max_lines=1) is None


@pytest.mark.parametrize(
    ("text", "head"),
    [
        (f"BAKU, November 21. {BODY}", "BAKU, November 21. "),
        (f"BAKU, Azerbaijan, November 21. {BODY}", "BAKU, Azerbaijan, November 21. "),
        (f"ASTANA, 14 March 2025. {BODY}", "ASTANA, 14 March 2025. "),
        (f"Vilnius, Monday, 3 June — {BODY}", "Vilnius, Monday, 3 June — "),
        (f"date 2024-11-21 BAKU, Nov. 21 (Trend): {BODY}",
         "date 2024-11-21 BAKU, Nov. 21 (Trend): "),
        (f"Kyiv, 2024-11-21 - {BODY}", "Kyiv, 2024-11-21 - "),
    ],
)
def test_dateline_end(text, head):
    assert dateline_end(text) == len(head)
    assert dateline_end(text, undated=True) == len(head)


def test_dateline_end_without_a_dateline():
    assert dateline_end(BODY) == 0
    assert dateline_end(f"Headline\nBAKU, November 21. {BODY}") == 0  # not at the start
    # a place and a dash alone count only when asked for ("BRUSSELS — ...")
    assert dateline_end(f"BRUSSELS — {BODY}") == 0
    assert dateline_end(f"BRUSSELS — {BODY}", undated=True) == len("BRUSSELS — ")


def test_date_pattern_reads_the_dates_of_a_dateline():
    import re

    date = re.compile(date_pattern())
    for s in ("Monday, 3 June", "Friday March 14", "14 March", "Nov. 21", "May 2024",
              "2024-11-21", "Tuesday"):
        assert date.fullmatch(s), s


def test_the_rule_is_data_without_place_names(tmp_path):
    import pycountry

    raw = json.loads(DATELINES_FILE.read_text(encoding="utf-8"))
    for key in ("months", "weekdays", "place_word", "date_forms", "dash", "opening_lines",
                "not_places"):
        assert key in raw
    names = {c.name.casefold() for c in pycountry.countries}
    assert not names & {w.casefold() for w in raw["not_places"]}
    # another rules file, read by path: two opening lines only
    other = tmp_path / "datelines.json"
    other.write_text(json.dumps({**raw, "opening_lines": 2}), encoding="utf-8")
    rules = load_rules(other)
    assert rules.opening_lines == 2
    assert rules.find("One\nTwo\nBAKU, 14 March 2025.") is None
    assert load_rules().find("One\nTwo\nBAKU, 14 March 2025.").place == "BAKU"
