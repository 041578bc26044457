"""Claims as event data: one record per claim in the PLOVER event ontology's terms, as JSON
Lines or CSV, and counts per (source, target, month, event type).

``export_claims`` is a plain function from an output folder to a frame; ``write_export``
writes that frame in a format. The CLI command ``claimflow export`` only wraps the two.

PLOVER (the Political Language Ontology for Verifiable Event Records) names what one actor
does to another; a claim maps onto it by its type (``PLOVER_EVENT_TYPES``), and the record
keeps claimflow's finer ``claim_type`` beside the PLOVER ``event_type``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import IO

import pandas as pd

from claimflow.errors import ClaimflowError
from claimflow.outputs.views import load_outputs, safe_csv_frame

# claim_type -> PLOVER event type (README, "Export")
PLOVER_EVENT_TYPES: dict[str, str] = {
    "accusation": "ACCUSE",
    "denial": "REJECT",
    "demand": "REQUEST",
}

EXPORT_COLUMNS = [
    "event_id", "date", "place", "source_code", "source", "event_type", "target_code",
    "target", "claim_type", "doc_id", "title", "sent_id", "sentence", "trigger", "confidence",
]
COUNT_COLUMNS = ["source_code", "target_code", "month", "event_type", "count"]
FORMATS = ("plover", "jsonl", "csv", "counts")


def export_claims(out_dir: Path, fmt: str = "plover") -> pd.DataFrame:
    """The claims of ``out_dir`` as event records (``EXPORT_COLUMNS``), in document order;
    for ``fmt="counts"`` the number of events per (source_code, target_code, month,
    event_type) instead (``COUNT_COLUMNS``).

    ``event_id`` is ``doc_id:sent_id:claim_type``, stable across runs; ``date`` is the
    document's publication date (ISO ``YYYY-MM-DD``, None when unknown); ``source`` is the
    claim's speaker. Raises ClaimflowError for an unknown format or a folder without
    documents.parquet and claims.parquet.
    """
    _check_format(fmt)
    frames = load_outputs(out_dir, required=("documents", "claims"))
    events = _events(frames["claims"], frames["documents"])
    return claim_counts(events) if fmt == "counts" else events


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ClaimflowError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")


def _events(claims: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    docs = documents[["doc_id", "published", "place", "title"]]
    df = claims.merge(docs, on="doc_id", how="left", validate="many_to_one")
    df = df.sort_values(["doc_id", "sent_id", "claim_type"], kind="stable").reset_index(drop=True)
    out = pd.DataFrame(
        {
            "event_id": (
                df["doc_id"] + ":" + df["sent_id"].astype("int64").astype(str) + ":"
                + df["claim_type"]
            ),
            "date": df["published"].map(_iso_date),
            "place": df["place"],
            "source_code": df["speaker_code"],
            "source": df["speaker"],
            "event_type": df["claim_type"].map(PLOVER_EVENT_TYPES),
            "target_code": df["target_code"],
            "target": df["target"],
            "claim_type": df["claim_type"],
            "doc_id": df["doc_id"],
            "title": df["title"],
            "sent_id": df["sent_id"].astype("int64"),
            "sentence": df["text"],
            "trigger": df["trigger"],
            "confidence": df["confidence"].astype("float64"),
        },
        columns=EXPORT_COLUMNS,
    )
    for col in EXPORT_COLUMNS:
        if out[col].dtype == object:
            out[col] = out[col].where(out[col].notna(), None)
    return out


def _iso_date(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]


def claim_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Events per (source_code, target_code, month, event_type), month ``YYYY-MM``; an
    unknown source, target or month is an empty string. Sorted by the four keys."""
    keys = pd.DataFrame(
        {
            "source_code": events["source_code"].fillna(""),
            "target_code": events["target_code"].fillna(""),
            "month": events["date"].fillna("").str[:7],
            "event_type": events["event_type"].fillna(""),
        }
    )
    counts = keys.groupby(COUNT_COLUMNS[:-1], sort=True).size().rename("count").reset_index()
    counts["count"] = counts["count"].astype("int64")
    return counts[COUNT_COLUMNS]


def write_export(df: pd.DataFrame, fmt: str, out: Path | IO[str]) -> None:
    """Write the frame of ``export_claims(out_dir, fmt)`` to a path or an open text stream:
    JSON Lines for ``plover``/``jsonl`` (UTF-8, nulls as null), CSV for ``csv``/``counts``
    with spreadsheet formulas neutralised."""
    _check_format(fmt)
    if isinstance(out, Path):
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "w", encoding="utf-8", newline="") as fh:
            _write(df, fmt, fh)
    else:
        _write(df, fmt, out)


def _write(df: pd.DataFrame, fmt: str, fh: IO[str]) -> None:
    if fmt in ("csv", "counts"):
        safe_csv_frame(df).to_csv(fh, index=False, lineterminator="\n")
        return
    for record in df.to_dict("records"):
        fh.write(json.dumps({k: _json_value(v) for k, v in record.items()}, ensure_ascii=False))
        fh.write("\n")


def _json_value(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # NumPy scalars
        return value.item()
    return value
