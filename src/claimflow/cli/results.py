"""Commands that read the outputs of ``run``: the HTML ``report``, ``show`` and ``stats``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from claimflow.cli._util import OutDirArg, app, console, user_errors


@app.command()
@user_errors
def report(
    out_dir: OutDirArg,
    out: Annotated[Path, typer.Option("-o", "--out", help="HTML file to write.")] = Path(
        "report.html"
    ),
    max_docs: Annotated[
        int, typer.Option("--max-docs", help="Documents rendered in full (the rest are counted).")
    ] = 200,
) -> None:
    """Write one self-contained HTML report (charts, who-accuses-whom, highlighted documents).

    Reads the parquet outputs in OUT_DIR; the file opens offline (chart JavaScript inlined).
    """
    from claimflow.outputs.report import write_report

    path = write_report(out_dir, out, max_docs=max_docs)
    size = path.stat().st_size / 1e6
    Console().print(f"report written to {path} ({size:.1f} MB)", highlight=False)


@app.command()
@user_errors
def show(
    out_dir: OutDirArg,
    claim_type: Annotated[
        str | None, typer.Option("--type", help="Only this type: denial, accusation or demand.")
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="Speaker or target actor code prefix (ARM matches ARM-MFA)."),
    ] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="Only this doc_id.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Rows to print.")] = 50,
    csv: Annotated[
        Path | None,
        typer.Option("--csv", help="Also write every matching claim (no limit) to this CSV."),
    ] = None,
) -> None:
    """Print claims from claims.parquet as a table: sentence with trigger, type, speaker, target."""
    from claimflow.outputs.views import (
        CSV_COLUMNS,
        claims_table,
        load_outputs,
        select_claims,
        to_safe_csv,
    )

    frames = load_outputs(out_dir, required=("claims",))
    claims, sentences = frames["claims"], frames["sentences"]
    Console().print(claims_table(claims, sentences, claim_type, actor, doc, limit))
    if csv is not None:
        rows = select_claims(claims, sentences, claim_type, actor, doc, limit=None)
        to_safe_csv(rows[CSV_COLUMNS], csv)
        console.print(f"{len(rows)} claims written to {csv}", highlight=False)


@app.command()
@user_errors
def stats(out_dir: OutDirArg) -> None:
    """One screen of counts from the parquet outputs: rows, languages, claim types, skips."""
    from claimflow.outputs.views import load_outputs, stats_renderables

    frames = load_outputs(out_dir, required=())
    out = Console()
    for renderable in stats_renderables(frames):
        out.print(renderable)
