"""What every command shares: the typer app and its help screens, option aliases, error
handling, settings from flags, the progress bar and the run summary table.

The command modules (``stages``, ``model``, ``results``) register their commands on ``app``;
each command only checks its options and calls a plain function of the runner, training or
outputs package.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from claimflow import __version__
from claimflow.errors import ClaimflowError, escape_controls

# Only typer, rich and the standard library at import time: `claimflow --help` must not
# wait for pydantic (config), pyarrow (contract), pandas or spaCy (runner). Each command
# imports what it uses inside its function.
if TYPE_CHECKING:
    from claimflow.config import Settings
    from claimflow.runner.results import StageResult

# ------------------------------------------------------------------ help as written
class _HelpAsWritten:
    """Help screens that show what the sources say, in the usual usage-line conventions.

    - Help texts are plain text, not rich markup: ``[classify] model_dir`` stays visible.
    - A flag takes no value: no ``<bool>`` beside ``--force``.
    - Arguments are named in capitals, as the help texts name them: ``RAW_DIR``, ``GOLD...``
      (typer's default is the parameter name, in braces on the usage line: ``{raw_dir}``).
    """

    rich_markup_mode: str | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        markup = self.rich_markup_mode == "rich"
        if markup:
            self.help = self.help and escape(self.help)
            self.short_help = self.short_help and escape(self.short_help)
        for param in self.params:
            if markup and param.help:
                param.help = escape(param.help)
            _name_as_written(param)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # made on first use, not in self.params
        if option is not None:
            _name_as_written(option)
        return option


def _name_as_written(param: Any) -> None:
    """No type beside a flag; an argument named in capitals (``RAW_DIR``, ``GOLD...``)."""
    if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
        param.metavar = ""
    elif isinstance(param, TyperArgument) and param.metavar is None:
        param.metavar = param.name.upper() + ("..." if param.nargs != 1 else "")


class ClaimflowCommand(_HelpAsWritten, TyperCommand):
    """A claimflow command: help as written, usage line ``[OPTIONS] RAW_DIR``."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):  # required bare, optional in brackets
                pieces.append(param.metavar if param.required else f"[{param.metavar}]")
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces


class ClaimflowGroup(_HelpAsWritten, TyperGroup):
    """The ``claimflow`` group: help as written."""


class _Typer(typer.Typer):
    """``typer.Typer`` whose commands are ``ClaimflowCommand`` unless told otherwise."""

    def command(self, name: str | None = None, *, cls: type[TyperCommand] | None = None,
                **kwargs: Any) -> Callable:
        return super().command(name, cls=cls or ClaimflowCommand, **kwargs)


app = _Typer(
    cls=ClaimflowGroup,
    name="claimflow",
    help="Typed, attributed claims (denial, accusation, demand) from official statements.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
# messages, errors and progress go to stderr; tables and reports a user asked for to stdout
console = Console(stderr=True)
_state: dict[str, Any] = {"verbose": False}

# ------------------------------------------------------------------ shared options
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
WaitOpt = Annotated[
    bool,
    typer.Option("--wait", help="If another run holds the output folder, wait for it to "
                                "finish instead of failing."),
]
GoldArg = Annotated[Path, typer.Argument(help="Labelled sentences, guidelines' JSONL format.")]
OutDirArg = Annotated[Path, typer.Argument(help="Output folder of `run` (data/processed).")]


# ------------------------------------------------------------------ printing user data
# C0/C1 controls and bidi overrides/isolates: a newline in a file name must not split a line,
# and U+202E must not reach the terminal raw.
def plain(value: object, style: str = "") -> Text:
    """User data (a path, an id, an error message) as rich Text: never parsed as markup,
    control and bidi characters escaped."""
    return Text(escape_controls(value), style=style)


class _SafeFormatter(logging.Formatter):
    """Log messages are text: control characters escaped (tracebacks, appended after, are not)."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging API)
        return escape_controls(super().formatMessage(record))


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
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True,
                     help="Print the claimflow version and exit."),
    ] = None,
) -> None:
    from rich.logging import RichHandler

    _state["verbose"] = verbose
    handler = RichHandler(console=console, show_path=False, show_time=False, markup=False)
    handler.setFormatter(_SafeFormatter("%(message)s"))
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        handlers=[handler],
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
            console.print(Text.assemble(("error:", "bold red"), " ", plain(exc)),
                          highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            console.print("[bold red]interrupted[/]: nothing was committed; the output folder "
                          "keeps its previous result")
            raise typer.Exit(130) from None

    return wrapper


# ------------------------------------------------------------------ settings
def settings_from_flags(
    config: Path | None, sets: list[str] | None = None, **overrides: Any
) -> Settings:
    """Settings file, then ``--set`` overrides, then the command's own options.

    ``overrides`` are keyed ``section__key`` (``nlp__model=...``); None means "not given".
    """
    from claimflow.config import load_settings

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


# ------------------------------------------------------------------ progress and summary
@contextmanager
def progress_bar() -> Iterator[Callable[[str, int | None], Callable[[int], None]]]:
    """A rich progress bar factory for the stage runners (silent when not a terminal)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

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

        def factory(label: str, total: int | None) -> Callable[[int], None]:
            task = bar.add_task(label, total=total)
            return lambda n: bar.advance(task, n)

        yield factory


def run_stages(run: Callable[[Any], StageResult | list[StageResult]],
               settings: Settings | None = None) -> None:
    """Run one or more stages under a progress bar, then print the summary table. With
    ``settings``, spaCy (when a stage imports it) loads without torch if its pipelines need none."""
    t0 = time.perf_counter()
    if settings is not None:
        from claimflow.nlp.torch_free import hide_torch_from_spacy

        hide_torch_from_spacy([settings.nlp.model, *settings.nlp.fallbacks])
    with progress_bar() as progress:
        results = run(progress)
    print_summary(results if isinstance(results, list) else [results], time.perf_counter() - t0)


def print_summary(results: list[StageResult], seconds: float) -> None:
    """The run summary: one row per stage with rows, seconds, outputs and notes."""
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
        table.add_row(plain(r.stage), str(r.rows), "" if secs is None else f"{secs:.1f}",
                      plain(", ".join(str(p) for p in r.outputs)), plain(notes))
    Console().print(table)


def report_skip(line: str) -> None:
    """One line per raw file that ingest skipped or flagged."""
    console.print(Text.assemble(("skip", "yellow"), " ", plain(line)),
                  highlight=False, soft_wrap=True)
