"""The ``export`` command: claims as PLOVER event records (JSON Lines or CSV) or counts."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from claimflow.cli._util import OutDirArg, app, console, plain, user_errors


@app.command()
@user_errors
def export(
    out_dir: OutDirArg,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="plover or jsonl (JSON Lines), csv (one row per claim), counts (CSV of "
            "events per source, target, month and event type).",
        ),
    ] = "plover",
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Export the claims of OUT_DIR as event data in the PLOVER ontology's terms.

    One record per claim: accusation -> ACCUSE, denial -> REJECT, demand -> REQUEST, with
    claim_type keeping the finer type, the document's date, place and title, speaker as
    source and the target.
    """
    from claimflow.outputs.export import export_claims, write_export

    df = export_claims(out_dir, fmt)
    if out is None:
        try:
            write_export(df, fmt, sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader (head, less) stopped early: not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    write_export(df, fmt, out)
    what = "rows" if fmt == "counts" else "claims"
    console.print(plain(f"{len(df)} {what} written to {out} ({fmt})"), highlight=False)
