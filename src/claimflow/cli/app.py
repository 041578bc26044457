"""claimflow command line: one subcommand per stage, plus ``run`` to chain them."""

from __future__ import annotations

import functools
import json
import logging
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from claimflow import __version__
from claimflow.config import Settings, load_settings
from claimflow.contract.schemas import DOCUMENTS, ENTITIES
from claimflow.errors import ClaimflowError
from claimflow.runner.results import StageResult

app = typer.Typer(
    name="claimflow",
    help="Typed, attributed claims (denial, accusation, demand) from official statements.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console(stderr=True)
_state: dict[str, Any] = {"verbose": False}
log = logging.getLogger("claimflow")

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Settings TOML (default: pipelines/default.toml)."),
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", metavar="SECTION.KEY=VALUE",
                 help="Override one setting, e.g. classify.backend=linear (repeatable)."),
]
ModelOpt = Annotated[str | None, typer.Option("--model", help="spaCy pipeline name.")]
BatchOpt = Annotated[int | None, typer.Option("--batch-size", help="Texts per nlp.pipe batch.")]
ProcOpt = Annotated[int | None, typer.Option("--processes", help="Worker processes for spaCy.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Recompute even if outputs are current.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimflow {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Debug logging and full tracebacks.")
    ] = False,
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True)
    ] = None,
) -> None:
    _state["verbose"] = verbose
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=console, show_path=False, show_time=False)],
        force=True,
    )


def user_errors(func: Callable) -> Callable:
    """Turn library errors into one clear line and exit code 1; tracebacks with --verbose."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (ClaimflowError, OSError) as exc:
            if _state["verbose"]:
                console.print_exception()
            console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            console.print("[bold red]interrupted[/]: outputs of finished stages are kept")
            raise typer.Exit(130) from None

    return wrapper


def _settings(config: Path | None, sets: list[str] | None = None, **overrides: Any) -> Settings:
    """Settings file, then ``--set`` overrides, then the command's own options."""
    merged: dict[str, Any] = {}
    for item in sets or []:
        key, eq, raw = item.partition("=")
        if not eq or not key.strip():
            raise ClaimflowError(f"--set {item!r}: expected SECTION.KEY=VALUE")
        try:
            merged[key.strip()] = json.loads(raw)
        except ValueError:
            merged[key.strip()] = raw  # a bare string: classify.backend=linear
    merged.update({k.replace("__", "."): v for k, v in overrides.items() if v is not None})
    return load_settings(config, merged)


@contextmanager
def _progress():
    """A rich progress bar factory for the stage runners (silent when not a terminal)."""
    with Progress(
        TextColumn("[bold]{task.description:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal,
    ) as bar:

        def factory(label: str, total: int | None):
            task = bar.add_task(label, total=total)
            return lambda n: bar.advance(task, n)

        yield factory


def _run_stages(run: Callable[[Any], StageResult | list[StageResult]]) -> None:
    """Run one or more stages under a progress bar, then print the summary table."""
    t0 = time.perf_counter()
    with _progress() as progress:
        results = run(progress)
    _report(results if isinstance(results, list) else [results], time.perf_counter() - t0)


def _report(results: list[StageResult], seconds: float) -> None:
    table = Table(title=f"claimflow {__version__}: {seconds:.1f}s", title_justify="left")
    table.add_column("stage")
    table.add_column("rows", justify="right")
    table.add_column("seconds", justify="right")
    table.add_column("output")
    table.add_column("notes")
    for r in results:
        notes = ", ".join(f"{k}: {v}" for k, v in r.notes.items())
        if r.skipped:
            notes = "up to date" + (f", {notes}" if notes else "")
        secs = r.seconds if r.seconds is not None else (seconds if len(results) == 1 else None)
        table.add_row(r.stage, str(r.rows), "" if secs is None else f"{secs:.1f}",
                      ", ".join(str(p) for p in r.outputs), notes)
    Console().print(table)


@app.command()
@user_errors
def ingest(
    raw_dir: Annotated[
        Path, typer.Argument(help="Folder of statements (.txt .md .html .jsonl .csv).")
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="documents.parquet to write.")] = Path(
        "data/processed/documents.parquet"
    ),
    config: ConfigOpt = None,
    sets: SetOpt = None,
    force: ForceOpt = False,
) -> None:
    """Read RAW_DIR into documents.parquet (cleaned text + metadata).

    Skipped or duplicate files are listed in ingest_report.parquet beside the output.
    """
    from claimflow.runner.pipeline import run_ingest

    settings = _settings(config, sets)
    _run_stages(lambda progress: run_ingest(raw_dir, out, settings, force, progress,
                                            _report_line))


def _report_line(line: str) -> None:
    console.print(f"[yellow]skip[/] {line}", highlight=False, soft_wrap=True)


@app.command()
@user_errors
def split(
    documents: Annotated[Path, typer.Argument(help="documents.parquet from `ingest`.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="sentences.parquet to write.")] = Path(
        "data/processed/sentences.parquet"
    ),
    config: ConfigOpt = None,
    sets: SetOpt = None,
    model: ModelOpt = None,
    batch_size: BatchOpt = None,
    force: ForceOpt = False,
) -> None:
    """Split documents.parquet into sentences.parquet (offsets into documents.text, language)."""
    from claimflow.runner.pipeline import run_split

    settings = _settings(config, sets, nlp__model=model, nlp__batch_size=batch_size)
    _run_stages(lambda progress: run_split(documents, out, settings, force, progress))


@app.command()
@user_errors
def tag(
    sentences: Annotated[Path, typer.Argument(help="sentences.parquet from `split`.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="entities.parquet to write.")] = Path(
        "data/processed/entities.parquet"
    ),
    documents: Annotated[
        Path | None, typer.Option(help="documents.parquet (default: beside SENTENCES).")
    ] = None,
    config: ConfigOpt = None,
    sets: SetOpt = None,
    model: ModelOpt = None,
    batch_size: BatchOpt = None,
    processes: ProcOpt = None,
    force: ForceOpt = False,
) -> None:
    """Tag entities and political actors in English sentences -> entities.parquet.

    Also writes tokens.parquet beside it: the parse that `classify` reuses.
    """
    from claimflow.runner.pipeline import run_tag

    settings = _settings(
        config, sets, nlp__model=model, nlp__batch_size=batch_size, nlp__processes=processes
    )
    documents = documents or sentences.parent / DOCUMENTS.filename
    _run_stages(lambda progress: run_tag(sentences, documents, out, settings, force, progress))


@app.command()
@user_errors
def classify(
    sentences: Annotated[Path, typer.Argument(help="sentences.parquet from `split`.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="claims.parquet to write.")] = Path(
        "data/processed/claims.parquet"
    ),
    entities: Annotated[
        Path | None, typer.Option(help="entities.parquet (default: beside SENTENCES).")
    ] = None,
    documents: Annotated[
        Path | None, typer.Option(help="documents.parquet (default: beside SENTENCES).")
    ] = None,
    model_dir: Annotated[
        Path | None, typer.Option("--model-dir", help="Trained claim model folder.")
    ] = None,
    config: ConfigOpt = None,
    sets: SetOpt = None,
    force: ForceOpt = False,
) -> None:
    """Classify English sentences into denial / accusation / demand claims -> claims.parquet."""
    from claimflow.runner.pipeline import run_classify

    settings = _settings(config, sets, classify__model_dir=model_dir)
    entities = entities or sentences.parent / ENTITIES.filename
    documents = documents or sentences.parent / DOCUMENTS.filename
    _run_stages(lambda progress: run_classify(sentences, entities, documents, out, settings,
                                              force, progress))


@app.command()
@user_errors
def run(
    raw_dir: Annotated[Path, typer.Argument(help="Folder of statements to process.")],
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="Output folder.")] = Path(
        "data/processed"
    ),
    config: ConfigOpt = None,
    sets: SetOpt = None,
    model: ModelOpt = None,
    batch_size: BatchOpt = None,
    processes: ProcOpt = None,
    engine: Annotated[
        str, typer.Option(help="local (one machine) or dask (dask.distributed cluster).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a "
                          "LocalCluster with --processes workers)."),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Run every stage: RAW_DIR -> documents, sentences, entities (+tokens), claims parquet.

    Stages whose inputs and settings did not change are not recomputed. With --processes N
    or --engine dask, split+tag+classify run on partitions of documents in parallel; the
    Dask engine writes each output as a folder of part files.
    """
    from claimflow.runner.run import run_all

    settings = _settings(
        config, sets, nlp__model=model, nlp__batch_size=batch_size, nlp__processes=processes
    )
    _run_stages(lambda progress: run_all(raw_dir, out_dir, settings, force, progress,
                                         _report_line, engine=engine, scheduler=scheduler))


@app.command()
@user_errors
def train(
    gold: Annotated[Path, typer.Argument(help="Labelled sentences, guidelines' JSONL format.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Model folder to write.")] = Path(
        "models/claims"
    ),
    seed: Annotated[int, typer.Option(help="Random seed (training is deterministic).")] = 0,
    config: ConfigOpt = None,
    sets: SetOpt = None,
) -> None:
    """Train the claim model on GOLD (grouped 5-fold CV tunes per-class thresholds).

    Writes the model (plain JSON + NumPy, no pickle) and its CV report to OUT; use it with
    `classify --model-dir OUT` or `[classify] model_dir` in the settings.
    """
    from claimflow.training.evaluation import train as train_model

    report = train_model(gold, out, _settings(config, sets), seed)
    _print_scores("grouped 5-fold cross-validation (thresholds chosen on other folds)",
                  report["cv_nested_thresholds"])
    console.print(f"model written to {out}")


@app.command()
@user_errors
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Labelled sentences, guidelines' JSONL format.")],
    model_dir: Annotated[
        Path | None, typer.Option("--model", help="Model folder (default: the shipped model).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    config: ConfigOpt = None,
    sets: SetOpt = None,
) -> None:
    """Run the real pipeline on GOLD sentences; print per-class P/R/F1, macro-F1, targets."""
    import json

    from claimflow.training.evaluation import evaluate as run_evaluation

    report = run_evaluation(gold, _settings(config, sets), model_dir)
    if as_json:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    _print_scores(str(gold), report)
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


def _print_scores(title: str, report: dict) -> None:
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


@app.command()
@user_errors
def report(
    out_dir: Annotated[Path, typer.Argument(help="Output folder of `run` (data/processed).")],
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
    out_dir: Annotated[Path, typer.Argument(help="Output folder of `run` (data/processed).")],
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
def stats(
    out_dir: Annotated[Path, typer.Argument(help="Output folder of `run` (data/processed).")],
) -> None:
    """One screen of counts from the parquet outputs: rows, languages, claim types, skips."""
    from claimflow.outputs.views import load_outputs, stats_renderables

    frames = load_outputs(out_dir, required=())
    out = Console()
    for renderable in stats_renderables(frames):
        out.print(renderable)


def entry() -> None:  # pragma: no cover - console script shim
    app(prog_name="claimflow")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())

