"""Commands that read the outputs of ``run``: the HTML ``report``, ``show`` and ``stats``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Span, Text

from claimflow.cli._util import OutDirArg, app, console, escape_controls, plain, user_errors


@app.command()
@user_errors
def report(
    out_dir: OutDirArg,
    out: Annotated[
        Path | None,
        typer.Option("-o", "--out", help="HTML file to write (default: OUT_DIR/report.html)."),
    ] = None,
    max_docs: Annotated[
        int, typer.Option("--max-docs", help="Documents rendered in full (the rest are counted).")
    ] = 200,
) -> None:
    """Write one self-contained HTML report (charts, who-accuses-whom, highlighted documents).

    Reads the parquet outputs in OUT_DIR and writes OUT_DIR/report.html unless -o is given;
    the file opens offline (chart JavaScript inlined).
    """
    from claimflow.outputs.report import write_report

    path = write_report(out_dir, out if out is not None else out_dir / "report.html",
                        max_docs=max_docs)
    size = path.stat().st_size / 1e6
    Console().print(plain(f"report written to {path} ({size:.1f} MB)"), highlight=False)


_ACTOR_MATCH = "name (whole words) or code prefix, case-insensitive (ARM matches ARM-MFA)"


@app.command()
@user_errors
def show(
    out_dir: OutDirArg,
    claim_type: Annotated[
        str | None, typer.Option("--type", help="Only this type: denial, accusation or demand.")
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option("--actor", help=f"Speaker or target actor: {_ACTOR_MATCH}."),
    ] = None,
    speaker: Annotated[
        str | None, typer.Option("--speaker", help=f"Speaker actor: {_ACTOR_MATCH}.")
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Target actor: same matching as --speaker.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="YYYY-MM-DD",
                     help="Only documents published on or after this day (undated ones "
                          "are left out)."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="YYYY-MM-DD",
                     help="Only documents published on or before this day."),
    ] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="Only this doc_id.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Rows to print.")] = 50,
    csv: Annotated[
        Path | None,
        typer.Option("--csv", help="Also write every matching claim (no limit, with the "
                                   "document's date and title) to this CSV."),
    ] = None,
) -> None:
    """Print claims from claims.parquet as a table: sentence with trigger, type, speaker, target."""
    from claimflow.errors import ClaimflowError
    from claimflow.outputs.views import (
        CSV_COLUMNS,
        claims_table,
        load_outputs,
        parse_day,
        select_claims,
        to_safe_csv,
        unknown_doc,
    )

    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    required = ("claims", "documents") if first or last else ("claims",)
    frames = load_outputs(out_dir, required=required)
    if unknown_doc(doc, frames):
        raise ClaimflowError(f"--doc {doc!r}: no such document in {out_dir}")
    claims, sentences, documents = frames["claims"], frames["sentences"], frames["documents"]
    filters = dict(type=claim_type, actor=actor, doc=doc, speaker=speaker, target=target,
                   since=first, until=last, documents=documents)
    Console().print(terminal_safe(claims_table(claims, sentences, limit=limit, **filters)))
    if csv is not None:
        rows = select_claims(claims, sentences, limit=None, **filters)
        to_safe_csv(rows[CSV_COLUMNS], csv)
        console.print(plain(f"{len(rows)} claims written to {csv}"), highlight=False)


@app.command()
@user_errors
def stats(out_dir: OutDirArg) -> None:
    """One screen of counts from the parquet outputs: rows, languages, claim types, skips."""
    from claimflow.outputs.views import load_outputs, stats_renderables

    frames = load_outputs(out_dir, required=())
    out = Console()
    for renderable in stats_renderables(frames):
        out.print(terminal_safe(renderable))


# ------------------------------------------------------------------ user data on a terminal
_LAYOUT = frozenset("\n\t")  # a line break or tab inside a cell is layout, kept


def terminal_safe(renderable: RenderableType) -> RenderableType:
    """A table (or group of tables) of values read from the outputs, made safe to print: in
    titles and cells, nested tables included, control and bidi characters (U+202E from a
    record's id) are escaped as in every other line the CLI prints, and strings are text,
    never markup (``--actor 'a[/]b'`` in a title)."""
    if isinstance(renderable, Group):
        renderable.renderables[:] = [terminal_safe(r) for r in renderable.renderables]
    elif isinstance(renderable, Table):
        if renderable.title is not None:
            renderable.title = terminal_safe(renderable.title)
        for column in renderable.columns:
            column._cells = [terminal_safe(cell) for cell in column._cells]  # no public setter
    elif isinstance(renderable, Text):
        return _escaped(renderable)
    elif isinstance(renderable, str):
        return plain(renderable)
    return renderable


def _escaped(text: Text) -> Text:
    """``text`` with its unsafe characters escaped, its styles (the trigger's highlight)
    moved along."""
    value = text.plain
    if escape_controls(value) == value or all(
            c in _LAYOUT or escape_controls(c) == c for c in value):
        return text
    pieces = [c if c in _LAYOUT else escape_controls(c) for c in value]
    starts = [0]
    for piece in pieces:
        starts.append(starts[-1] + len(piece))
    spans = [Span(starts[min(s.start, len(value))], starts[min(s.end, len(value))], s.style)
             for s in text.spans]
    return Text("".join(pieces), style=text.style, justify=text.justify,
                overflow=text.overflow, no_wrap=text.no_wrap, end=text.end,
                tab_size=text.tab_size, spans=spans)
