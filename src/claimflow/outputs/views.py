"""Looking at results in the terminal: loading the outputs, the `show` and `stats` views.

Everything here but :func:`load_outputs` and :func:`to_safe_csv` is a pure function from
frames to rich renderables; the CLI only prints them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
from rich.console import Group
from rich.table import Table
from rich.text import Text

from claimflow.contract.manifest import read_consistent
from claimflow.contract.parquet import read_table
from claimflow.contract.schemas import CLAIM_TYPES, SPECS, TableSpec
from claimflow.errors import ClaimflowError

TYPE_STYLES = {"denial": "cyan", "accusation": "red", "demand": "yellow"}
TRIGGER_STYLE = "bold reverse"
REQUIRED = ("documents", "claims")


def empty_frame(spec: TableSpec) -> pd.DataFrame:
    """A frame with the spec's columns and no rows."""
    return spec.schema.empty_table().to_pandas()


def load_outputs(
    out_dir: Path, required: tuple[str, ...] = REQUIRED
) -> dict[str, pd.DataFrame]:
    """Read every stage output in ``out_dir`` into a dict keyed by kind.

    The folder is checked against its ``manifest.json`` first: a file that another run
    wrote, that changed since, or that was computed from another version of its inputs
    raises :class:`ClaimflowError` naming it, and a commit landing while we read makes us
    read again, so the frames are always one committed result.
    A missing file gives an empty frame with its columns, except the ``required`` ones:
    those raise :class:`ClaimflowError` with one line saying what to run.
    """
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise ClaimflowError(f"{out_dir}: no such folder (expected the output of `claimflow run`)")

    def read(folder: Path) -> dict[str, pd.DataFrame]:
        frames: dict[str, pd.DataFrame] = {}
        for kind, spec in SPECS.items():
            path = folder / spec.filename
            if path.exists():
                frames[kind] = read_table(path, spec)
            elif kind in required:
                raise ClaimflowError(
                    f"{path}: missing; run `claimflow run RAW_DIR -o {folder}` first"
                )
            else:
                frames[kind] = empty_frame(spec)
        return frames

    return read_consistent(out_dir, read)


# Control characters (ESC, BEL, C1, ...) in document text must not reach the terminal, where
# they could move the cursor or set the title; each becomes one U+FFFD so offsets still hold.
_CONTROL = {c: "\ufffd" for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                                   *range(0x7F, 0xA0))}


def _str(value) -> str:
    """Text of a cell for the terminal: '' for nulls, control characters made harmless."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).translate(_CONTROL)


def parse_day(value: str | dt.date | None, option: str = "date") -> dt.date | None:
    """``YYYY-MM-DD`` (or a date) as a date; anything else raises one clear line."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ClaimflowError(f"{option} {value!r}: expected a date as YYYY-MM-DD") from None


def _matches_actor(names: pd.Series, codes: pd.Series, query: str) -> pd.Series:
    """Rows whose actor matches ``query``, case-insensitively: the code starts with it
    (``ARM`` matches ``ARM-MFA``) or the name contains it as whole words (``armenia``
    matches "Ministry of Foreign Affairs of Armenia", but ``EP`` does not match "Deputies").
    """
    query = query.strip()
    code = codes.fillna("").astype(str).str.upper().str.startswith(query.upper())
    pattern = rf"(?<!\w){re.escape(query)}(?!\w)"
    name = names.fillna("").astype(str).str.contains(pattern, case=False, regex=True)
    return (code | name) & bool(query)


def filter_claims(
    claims: pd.DataFrame,
    type: str | None = None,  # noqa: A002 - mirrors the CLI option
    actor: str | None = None,
    doc: str | None = None,
    *,
    speaker: str | None = None,
    target: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Claims of one type / one doc / involving an actor / in a date range.

    ``actor`` matches the speaker or the target, ``speaker`` and ``target`` only that side;
    each matches the actor's name or code, case-insensitively (see :func:`_matches_actor`).
    ``since`` and ``until`` (inclusive, ``YYYY-MM-DD``) are on the document's ``published``
    date, looked up in ``documents``; claims of undated documents are left out by them.
    """
    out = claims
    if type:
        if type not in CLAIM_TYPES:
            choices = ", ".join(CLAIM_TYPES)
            raise ClaimflowError(f"unknown claim type {type!r}; choose from {choices}")
        out = out[out["claim_type"] == type]
    if actor:
        out = out[
            _matches_actor(out["speaker"], out["speaker_code"], actor)
            | _matches_actor(out["target"], out["target_code"], actor)
        ]
    if speaker:
        out = out[_matches_actor(out["speaker"], out["speaker_code"], speaker)]
    if target:
        out = out[_matches_actor(out["target"], out["target_code"], target)]
    if doc:
        out = out[out["doc_id"] == doc]
    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    if first and last and first > last:
        raise ClaimflowError(f"--since {first} is after --until {last}: no date can match")
    if first or last:
        published = _published_by_doc(documents)
        days = pd.to_datetime(out["doc_id"].map(published), errors="coerce").dt.normalize()
        keep = days.notna()
        if first:
            keep &= days >= pd.Timestamp(first)
        if last:
            keep &= days <= pd.Timestamp(last)
        out = out[keep.to_numpy()]
    return out


def _published_by_doc(documents: pd.DataFrame | None) -> pd.Series:
    if documents is None or documents.empty:
        return pd.Series(dtype=object)
    return documents.drop_duplicates("doc_id").set_index("doc_id")["published"]


def _with_documents(claims: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """Claims with their document's ``published`` date and ``title`` (empty when unknown)."""
    if documents is None or documents.empty:
        return claims.assign(published=None, title=None)
    meta = documents[["doc_id", "published", "title"]].drop_duplicates("doc_id")
    return claims.drop(columns=["published", "title"], errors="ignore").merge(
        meta, on="doc_id", how="left"
    )


def unknown_doc(doc: str | None, frames: dict[str, pd.DataFrame]) -> bool:
    """Whether ``doc`` is given but is the id of no document (nor of any claim) in ``frames``."""
    if not doc:
        return False
    known = set()
    for kind in ("documents", "claims"):
        frame = frames.get(kind)
        if frame is not None and not frame.empty:
            known.update(frame["doc_id"].dropna().astype(str))
    return doc not in known


def _with_sentence_start(claims: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    starts = sentences[["doc_id", "sent_id", "start_char"]].rename(
        columns={"start_char": "sent_start"}
    )
    return claims.merge(starts, on=["doc_id", "sent_id"], how="left")


def claim_text(row) -> Text:
    """The claim sentence with its trigger highlighted (offsets relative to the sentence)."""
    text = Text(_str(row.text))
    start, end, sent_start = row.trigger_start, row.trigger_end, row.sent_start
    if pd.notna(start) and pd.notna(end) and pd.notna(sent_start):
        a, b = int(start) - int(sent_start), int(end) - int(sent_start)
        if 0 <= a < b <= len(text.plain):
            text.stylize(TRIGGER_STYLE, a, b)
    elif _str(row.trigger):  # offsets unknown: fall back to the first occurrence
        pos = text.plain.find(_str(row.trigger))
        if pos >= 0:
            text.stylize(TRIGGER_STYLE, pos, pos + len(_str(row.trigger)))
    return text


def _doc_cell(row) -> Text:
    """Doc id and sentence number, with the document's date below when known."""
    out = Text(f"{_str(row.doc_id)} #{row.sent_id}")
    published = _str(getattr(row, "published", None))
    if published:
        out.append(f"\n{published}", style="dim")
    return out


def _actor(name, code) -> Text:
    name, code = _str(name), _str(code)
    if not name and not code:
        return Text("-", style="dim")
    out = Text(name)
    if code:
        out.append(f" [{code}]" if name else code, style="bold")
    return out


def select_claims(
    claims: pd.DataFrame,
    sentences: pd.DataFrame,
    type: str | None = None,  # noqa: A002
    actor: str | None = None,
    doc: str | None = None,
    limit: int | None = 50,
    *,
    speaker: str | None = None,
    target: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Filtered claims in document order, with the sentence start offset and the document's
    ``published`` date and ``title`` joined on."""
    out = filter_claims(claims, type, actor, doc, speaker=speaker, target=target,
                        since=since, until=until, documents=documents)
    out = _with_sentence_start(out, sentences)
    out = _with_documents(out, documents).sort_values(
        ["doc_id", "sent_id", "claim_type"], kind="stable"
    )
    return out.head(limit) if limit is not None and limit >= 0 else out


def claims_table(
    claims: pd.DataFrame,
    sentences: pd.DataFrame,
    type: str | None = None,  # noqa: A002
    actor: str | None = None,
    doc: str | None = None,
    limit: int | None = 50,
    *,
    speaker: str | None = None,
    target: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    documents: pd.DataFrame | None = None,
) -> Table:
    """A rich table of claims: sentence (trigger highlighted), type, speaker, target."""
    filters = dict(type=type, actor=actor, speaker=speaker, target=target, doc=doc,
                   since=since, until=until)
    matched = filter_claims(claims, documents=documents, **filters)
    shown = select_claims(claims, sentences, limit=limit, documents=documents, **filters)
    described = ", ".join(f"{k}={v}" for k, v in filters.items() if v)
    title = f"{len(shown)} of {len(matched)} claims" + (f" ({described})" if described else "")
    table = Table(title=title, title_justify="left", show_lines=True, expand=True)
    table.add_column("doc / sent", overflow="fold", ratio=1, min_width=8)
    table.add_column("type", min_width=6)
    table.add_column("conf", justify="right", min_width=4)
    table.add_column("sentence", overflow="fold", ratio=4, min_width=20)
    table.add_column("speaker", overflow="fold", ratio=1, min_width=8)
    table.add_column("target", overflow="fold", ratio=1, min_width=8)
    for row in shown.itertuples(index=False):
        ctype = _str(row.claim_type)
        table.add_row(
            _doc_cell(row),
            Text(ctype, style=TYPE_STYLES.get(ctype, "")),
            f"{row.confidence:.2f}",
            claim_text(row),
            _actor(row.speaker, row.speaker_code),
            _actor(row.target, row.target_code),
        )
    return table


def _counts_table(title: str, counts: pd.Series, key: str, total: bool = True) -> Table:
    table = Table(title=title, title_justify="left", min_width=28)
    table.add_column(key)
    table.add_column("count", justify="right")
    for name, n in counts.items():
        table.add_row(Text(_str(name) or "-"), f"{int(n):,}")
    if total:
        table.add_row("total", f"{int(counts.sum()):,}", style="bold")
    return table


def stats_renderables(frames: dict[str, pd.DataFrame]) -> list:
    """One screen of counts: rows per stage, language, claim types, skipped files."""
    get = lambda kind: frames.get(kind, empty_frame(SPECS[kind]))  # noqa: E731
    stages = Table(title="rows per output", title_justify="left", min_width=28)
    stages.add_column("output")
    stages.add_column("rows", justify="right")
    for kind, spec in SPECS.items():
        stages.add_row(spec.filename, f"{len(get(kind)):,}")

    sentences = get("sentences")
    langs = sentences["lang"].fillna("?").value_counts()
    claims = get("claims")
    types = claims["claim_type"].value_counts().reindex(list(CLAIM_TYPES), fill_value=0)
    extra = claims["claim_type"].value_counts().drop(list(CLAIM_TYPES), errors="ignore")
    types = pd.concat([types, extra])

    english = int((sentences["lang"] == "en").sum())
    classified = Table(title="sentences", title_justify="left", min_width=28)
    classified.add_column("")
    classified.add_column("count", justify="right")
    classified.add_row("classified (English)", f"{english:,}")
    classified.add_row("not classified (non-English)", f"{len(sentences) - english:,}")
    with_claim = claims[["doc_id", "sent_id"]].drop_duplicates()
    classified.add_row("with at least one claim", f"{len(with_claim):,}")

    report = get("ingest_report")
    status = report["status"].value_counts()

    grid = Table.grid(padding=(0, 3))
    grid.add_row(stages, _counts_table("sentences by language", langs, "lang"))
    grid.add_row(
        _counts_table("claims by type", types, "type"),
        classified,
    )
    grid.add_row(_counts_table("ingest report (files not taken as is)", status, "status"), Text(""))
    return [Group(grid)]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """Prefix a string a spreadsheet would read as a formula with ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot start a spreadsheet formula."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell)
    return out


def to_safe_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write ``df`` as UTF-8 CSV with formula-looking cells neutralised (CSV injection)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe_csv_frame(df).to_csv(path, index=False, encoding="utf-8")
    return path


CSV_COLUMNS = [
    "doc_id", "published", "title", "sent_id", "claim_type", "confidence", "trigger", "speaker",
    "speaker_code", "target", "target_code", "method", "text",
]
