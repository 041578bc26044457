"""Terminal views (`show`, `stats`), the output loader and the formula-safe CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import re

import pandas as pd
import pytest
from fixtures_outputs import HOSTILE_SCRIPT, fixture_frames, write_fixture_outputs
from rich.console import Console

from claimflow.contract.schemas import SPECS
from claimflow.errors import ClaimflowError
from claimflow.outputs.views import (
    CSV_COLUMNS,
    TRIGGER_STYLE,
    claim_text,
    claims_table,
    load_outputs,
    neutralise_cell,
    parse_day,
    select_claims,
    stats_renderables,
    to_safe_csv,
    unknown_doc,
)


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return fixture_frames()


def render(renderable, width: int = 200) -> str:
    console = Console(width=width, record=True, color_system=None, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def test_load_outputs_round_trip(tmp_path):
    write_fixture_outputs(tmp_path)
    frames = load_outputs(tmp_path)
    assert set(frames) == set(SPECS)
    assert len(frames["claims"]) == 15 and len(frames["documents"]) == 5
    (tmp_path / "entities.parquet").unlink()
    frames = load_outputs(tmp_path)
    assert frames["entities"].empty
    assert list(frames["entities"].columns) == SPECS["entities"].columns
    (tmp_path / "documents.parquet").unlink()
    with pytest.raises(ClaimflowError, match=r"documents.parquet: missing; run `claimflow run"):
        load_outputs(tmp_path)


def test_filters(frames):
    claims, sentences = frames["claims"], frames["sentences"]
    assert len(select_claims(claims, sentences, limit=None)) == 15
    assert set(select_claims(claims, sentences, type="demand")["claim_type"]) == {"demand"}
    arm = select_claims(claims, sentences, actor="arm", limit=None)
    codes = set(arm["speaker_code"]) | set(arm["target_code"].dropna())
    assert {"ARM", "ARM-MFA"} <= codes  # prefix match, case-insensitive
    assert all(
        str(s).startswith("ARM") or str(t).startswith("ARM")
        for s, t in zip(arm["speaker_code"], arm["target_code"], strict=True)
    )
    aze_as_target = select_claims(claims, sentences, actor="AZE", type="accusation", limit=None)
    assert len(aze_as_target) == 5  # 3 times the target, twice the speaker (AZE-MFA, AZE-LEG)
    one_doc = select_claims(claims, sentences, doc="aze-mfa-2024-12-05", limit=None)
    assert set(one_doc["doc_id"]) == {"aze-mfa-2024-12-05"} and len(one_doc) == 3
    assert len(select_claims(claims, sentences, limit=2)) == 2
    with pytest.raises(ClaimflowError, match="unknown claim type 'accusations'"):
        select_claims(claims, sentences, type="accusations")


def test_speaker_and_target_match_name_or_code(frames):
    claims, sentences = frames["claims"], frames["sentences"]

    def pick(**kw):
        return select_claims(claims, sentences, limit=None, **kw)

    assert set(pick(speaker="arm")["speaker_code"]) == {"ARM", "ARM-MFA"}
    assert set(pick(speaker="ARMENIA")["speaker_code"]) == {"ARM-MFA"}  # name, whole word
    assert set(pick(target="aze")["target_code"]) == {"AZE"}
    assert set(pick(speaker="aze")["speaker_code"]) == {"AZE-LEG", "AZE-MFA"}
    assert len(pick(target="European Parliament")) == 2
    assert len(pick(target="ep")) == 2  # not "Luxembourg Chamber of Deputies"
    assert len(pick(actor="Luxembourg")) == 2  # names count for --actor too
    both = pick(speaker="ARM", target="AZE")
    assert len(both) == 4 and set(both["target_code"]) == {"AZE"}
    assert pick(speaker="nobody").empty


def test_date_range(frames):
    claims, sentences, docs = frames["claims"], frames["sentences"], frames["documents"]

    def doc_ids(**kw):
        rows = select_claims(claims, sentences, limit=None, documents=docs, **kw)
        return set(rows["doc_id"])

    assert doc_ids(since="2024-12-05") == {"arm-mfa-2024-12-05", "aze-mfa-2024-12-05",
                                          "arm-2025-02-01-hostile"}
    assert doc_ids(until=dt.date(2024, 11, 21)) == {"aze-leg-2024-11-21"}
    assert doc_ids(since="2024-12-05", until="2024-12-05") == {"arm-mfa-2024-12-05",
                                                               "aze-mfa-2024-12-05"}
    assert "ep-resolution-undated" not in doc_ids(until="2100-01-01")  # undated left out
    assert len(doc_ids()) == 5
    assert select_claims(claims, sentences, since="2024-01-01", limit=None).empty  # no docs
    with pytest.raises(ClaimflowError, match="expected a date as YYYY-MM-DD"):
        select_claims(claims, sentences, since="yesterday", documents=docs)
    with pytest.raises(ClaimflowError, match="is after --until"):
        select_claims(claims, sentences, since="2025-01-01", until="2024-01-01", documents=docs)
    assert parse_day(None) is None and parse_day("2024-02-29") == dt.date(2024, 2, 29)


def test_unknown_doc(frames):
    assert unknown_doc("MISSING", frames)
    assert not unknown_doc("aze-mfa-2024-12-05", frames)
    assert not unknown_doc(None, frames)
    assert unknown_doc("aze-mfa-2024-12-05", {})


def test_selected_claims_carry_date_and_title(frames):
    rows = select_claims(frames["claims"], frames["sentences"], limit=None,
                         documents=frames["documents"])
    assert {"published", "title"} <= set(CSV_COLUMNS)
    first = rows[rows["doc_id"] == "aze-leg-2024-11-21"].iloc[0]
    assert first["published"] == dt.date(2024, 11, 21)
    assert first["title"].startswith("Statement of the Milli Majlis")
    no_docs = select_claims(frames["claims"], frames["sentences"], limit=None)
    assert no_docs[CSV_COLUMNS]["published"].isna().all()  # columns present, values unknown


def test_trigger_is_highlighted_at_its_offsets(frames):
    rows = select_claims(frames["claims"], frames["sentences"], limit=None)
    for row in rows.itertuples(index=False):
        text = claim_text(row)
        assert text.plain == row.text
        spans = [s for s in text.spans if s.style == TRIGGER_STYLE]
        assert len(spans) == 1
        assert text.plain[spans[0].start : spans[0].end] == row.trigger


def test_trigger_without_offsets_falls_back_to_search(frames):
    rows = select_claims(frames["claims"], frames["sentences"], type="demand", limit=1)
    rows = rows.assign(trigger_start=None, trigger_end=None)
    text = claim_text(next(rows.itertuples(index=False)))
    (span,) = [s for s in text.spans if s.style == TRIGGER_STYLE]
    assert text.plain[span.start : span.end] == rows.iloc[0]["trigger"]


def test_terminal_control_characters_are_neutralised(frames):
    claims = frames["claims"].copy()
    claims.loc[0, "text"] = "a\x1b]0;owned\x07 \x1b[2Jb" + claims.loc[0, "text"][12:]
    claims.loc[0, "speaker"] = "\x1b[31mred"
    out = render(claims_table(claims, frames["sentences"], limit=None))
    assert "\x1b" not in out and "\x07" not in out
    rows = select_claims(claims, frames["sentences"], doc=claims.loc[0, "doc_id"], limit=None)
    row = next(r for r in rows.itertuples(index=False) if r.text.startswith("a\x1b"))
    text = claim_text(row)
    assert len(text.plain) == len(row.text)  # one replacement char each: offsets still hold
    assert text.plain.startswith("a\ufffd]0;owned\ufffd \ufffd[2Jb")


def test_claims_table_renders(frames):
    table = claims_table(frames["claims"], frames["sentences"], actor="ARM", limit=3)
    out = render(table)
    assert table.row_count == 3
    assert "3 of 7 claims (actor=ARM)" in out
    assert "[ARM]" in out  # speaker code shown
    assert HOSTILE_SCRIPT[:20] in out  # shown literally, not parsed as rich markup
    empty = claims_table(frames["claims"], frames["sentences"], doc="nope")
    assert empty.row_count == 0 and "0 of 0 claims" in render(empty)


def test_stats_one_screen(frames):
    out = "\n".join(render(r) for r in stats_renderables(frames))
    assert "claims.parquet" in out and "tokens.parquet" in out

    def count(label: str) -> int:
        return int(re.search(rf"{re.escape(label)}\s*│\s*([\d,]+)", out).group(1))

    assert count("classified (English)") == 15
    assert count("not classified (non-English)") == 2
    assert count("with at least one claim") == 14
    assert count("sentences.parquet") == 17
    assert count("ru") == 1
    assert count("skipped") == 1
    assert "skipped" in out and "duplicate" in out
    assert len(out.splitlines()) < 60  # one screen


def test_stats_tolerates_missing_outputs(frames):
    out = "\n".join(render(r) for r in stats_renderables({"claims": frames["claims"]}))
    assert "documents.parquet" in out and "accusation" in out


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1 we demand", "'+1 we demand"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("safe = text", "safe = text"),
        ("", ""),
        (3, 3),
        (None, None),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_to_safe_csv(frames, tmp_path):
    claims = select_claims(frames["claims"], frames["sentences"], limit=None,
                           documents=frames["documents"])[CSV_COLUMNS]
    path = to_safe_csv(claims, tmp_path / "out" / "claims.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(claims)
    dangerous = ("=", "+", "-", "@", "\t", "\r")
    for row in rows:
        for value in row.values():
            assert not value.startswith(dangerous), value
    codes = {r["target_code"] for r in rows}
    assert "'=CMD|' /C calc'!A0" in codes
    assert any(r["text"] == "'+1 we demand an apology from Azerbaijan." for r in rows)
    assert {r["confidence"] for r in rows} >= {"0.91"}  # numbers untouched
    assert claims["target_code"].str.startswith("=").any()  # the input is not modified
    assert {r["published"] for r in rows} >= {"2024-11-21", ""}
    assert any(r["title"].startswith("<script>") for r in rows)  # not a formula: kept
