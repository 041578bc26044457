"""Looking at results in the terminal: loading the outputs, the `show` and `stats` views.

Everything here but :func:`load_outputs` and :func:`to_safe_csv` is a pure function from
frames to rich renderables; the CLI only prints them.
"""

from __future__ import annotations

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


def filter_claims(
    claims: pd.DataFrame,
    type: str | None = None,  # noqa: A002 - mirrors the CLI option
    actor: str | None = None,
    doc: str | None = None,
) -> pd.DataFrame:
    """Claims of one type / involving one actor (speaker or target code prefix) / one doc."""
    out = claims
    if type:
        if type not in CLAIM_TYPES:
            choices = ", ".join(CLAIM_TYPES)
            raise ClaimflowError(f"unknown claim type {type!r}; choose from {choices}")
        out = out[out["claim_type"] == type]
    if actor:
        prefix = actor.upper()
        speaker = out["speaker_code"].fillna("").astype(str).str.upper()
        target = out["target_code"].fillna("").astype(str).str.upper()
        out = out[speaker.str.startswith(prefix) | target.str.startswith(prefix)]
    if doc:
        out = out[out["doc_id"] == doc]
    return out


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
) -> pd.DataFrame:
    """Filtered claims in document order, with the sentence start offset joined on."""
    out = filter_claims(claims, type, actor, doc)
    out = _with_sentence_start(out, sentences).sort_values(
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
) -> Table:
    """A rich table of claims: sentence (trigger highlighted), type, speaker, target."""
    matched = filter_claims(claims, type, actor, doc)
    shown = select_claims(claims, sentences, type, actor, doc, limit)
    filters = ", ".join(
        f"{k}={v}" for k, v in (("type", type), ("actor", actor), ("doc", doc)) if v
    )
    title = f"{len(shown)} of {len(matched)} claims" + (f" ({filters})" if filters else "")
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
            Text(f"{_str(row.doc_id)} #{row.sent_id}"),
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
    "doc_id", "sent_id", "claim_type", "confidence", "trigger", "speaker", "speaker_code",
    "target", "target_code", "method", "text",
]
