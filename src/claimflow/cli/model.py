"""Claim model commands: ``train`` on labelled sentences and ``evaluate`` against them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from claimflow.cli._util import (
    ConfigOpt,
    GoldArg,
    SetOpt,
    app,
    console,
    plain,
    settings_from_flags,
    user_errors,
)


@app.command()
@user_errors
def train(
    gold: Annotated[list[Path], typer.Argument(
        help="Gold JSONL files (guidelines format); several are trained on together.",
        exists=True, dir_okay=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Model folder to write.")] = Path(
        "models/claims"
    ),
    seed: Annotated[int, typer.Option(help="Random seed (training is deterministic).")] = 0,
    config: ConfigOpt = None,
    sets: SetOpt = None,
) -> None:
    """Train the linear claim model on GOLD files (grouped 5-fold CV by doc_id tunes the
    per-class thresholds).

    Writes the model (plain JSON + NumPy, no pickle) and its CV report to OUT; use it with
    `classify --model-dir OUT` or `[classify] model_dir` in the settings.
    """
    from claimflow.training.evaluation import train as train_model

    report = train_model(gold, out, settings_from_flags(config, sets), seed)
    print_scores("grouped 5-fold cross-validation (thresholds chosen on other folds)",
                 report["cv_nested_thresholds"])
    console.print(plain(f"model written to {out}"), highlight=False)


@app.command()
@user_errors
def evaluate(
    gold: GoldArg,
    model_dir: Annotated[
        Path | None, typer.Option("--model", help="Model folder (default: the shipped model).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    config: ConfigOpt = None,
    sets: SetOpt = None,
) -> None:
    """Run the real pipeline on GOLD sentences; print per-class P/R/F1, macro-F1, targets."""
    from claimflow.training.evaluation import evaluate as run_evaluation

    report = run_evaluation(gold, settings_from_flags(config, sets), model_dir)
    if as_json:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    print_scores(str(gold), report)
    if report.get("target_accuracy") is not None:
        Console().print(
            f"target accuracy: {report['target_accuracy']:.3f} over the "
            f"{report['targets_scored']} flagged sentences whose gold names a party; "
            f"end to end {report['target_accuracy_end_to_end']:.3f} "
            f"(all {report['targets_labelled']}, a missed claim counts as wrong)"
        )
    errors = Table(title="worst errors", title_justify="left", show_lines=False)
    for col in ("label", "error", "conf", "sentence"):
        errors.add_column(col, overflow="fold")
    for e in report["worst_errors"][:10]:
        errors.add_row(e["label"], e["error"], f"{e['confidence']:.2f}", e["text"][:160])
    Console().print(errors)


def print_scores(title: str, report: dict) -> None:
    """Per-class precision / recall / F1 and the macro F1 of a training or evaluation report."""
    table = Table(title=title, title_justify="left")
    for col in ("class", "precision", "recall", "F1", "support"):
        table.add_column(col, justify="right" if col != "class" else "left")
    per_class = report.get("per_class") or {
        k: v for k, v in report.items() if isinstance(v, dict) and "f1" in v
    }
    for name, c in per_class.items():
        table.add_row(name, f"{c['precision']:.3f}", f"{c['recall']:.3f}", f"{c['f1']:.3f}",
                      str(c.get("support", "")))
    table.add_row("macro", "", "", f"{report['macro_f1']:.3f}", "", style="bold")
    Console().print(table)
