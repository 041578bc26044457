"""Every ``--help`` screen shows what the sources say: each option, each help text word for
word (``[classify]`` is text, not rich markup), flags without a ``<bool>`` type, arguments
named in capitals on the usage line (``RAW_DIR``, not ``{raw_dir}``).

The commands come from the app itself, so a new command is checked without editing this file.
"""

from __future__ import annotations

import inspect
import re
import typing

import pytest
import typer
from typer.models import ParameterInfo
from typer.testing import CliRunner

from claimflow.cli import app

# wide enough that no option row is cut short; rich reads COLUMNS
runner = CliRunner(env={"COLUMNS": "200"})
group = typer.main.get_command(app)
COMMANDS = list(group.commands)
BOX = re.compile(r"[\s│╭╮╰╯─]+")


def flat(text: str) -> str:
    """Text with panel borders and line wrapping collapsed to single spaces."""
    return BOX.sub(" ", text).strip()


def written_help(callback) -> dict[str, str]:
    """Each parameter's help text as written in the command's signature."""
    hints = typing.get_type_hints(callback, include_extras=True)
    return {name: info.help for name, hint in hints.items()
            for info in getattr(hint, "__metadata__", ()) if isinstance(info, ParameterInfo)}


def help_screen(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_of_the_readme_is_registered():
    assert set(COMMANDS) >= {"run", "ingest", "split", "tag", "classify", "train", "evaluate",
                             "stats", "show", "report", "export"}


@pytest.mark.parametrize("name", [None, *COMMANDS], ids=lambda n: n or "claimflow")
def test_help_lists_every_option_with_its_help_as_written(name):
    command = group if name is None else group.commands[name]
    callback = app.registered_callback.callback if name is None else command.callback
    screen = help_screen(*([name] if name else []))
    shown = flat(screen)
    assert "<bool>" not in screen  # a flag takes no value
    assert "{" not in screen and "}" not in screen  # no {raw_dir} placeholders
    doc = app.info.help if name is None else callback.__doc__
    assert flat(inspect.cleandoc(doc)) in shown  # brackets and all
    written = written_help(callback)
    for param in command.params:
        assert written.get(param.name), f"{name} {param.name}: no help text"
        assert flat(written[param.name]) in shown, (name, param.name)
        for opt in param.opts if param.param_type_name == "option" else ():
            assert re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", screen), (name, opt)
    assert re.search(r"--help\s+Show this message and exit\.", screen)


@pytest.mark.parametrize("name", COMMANDS)
def test_usage_line_names_arguments_in_capitals(name):
    command = group.commands[name]
    screen = help_screen(name)
    usage = re.search(rf"Usage: \S+ {name} (.*)", screen).group(1).split()
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    expected = [p.name.upper() + ("..." if p.nargs != 1 else "") for p in arguments]
    assert usage == ["[OPTIONS]", *expected]
    for argument in expected:  # the same name in the Arguments panel and the help texts' words
        assert re.search(rf"│ \*\s+{re.escape(argument)}\s", screen), argument


def test_bracketed_words_survive_rich_rendering():
    screen = flat(help_screen("train"))
    assert "`[classify] model_dir` in the settings" in screen


def test_choices_and_value_names_are_shown():
    run = help_screen("run")
    assert re.search(r"--engine\s+local\|dask\s", run)
    assert re.search(r"--set\s+SECTION\.KEY=VALUE\s", run)
    assert re.search(r"--force\s{2,}Recompute", run)  # no type column content for a flag


def test_a_missing_argument_is_named_as_in_the_help():
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 2
    assert "Missing argument 'RAW_DIR'" in result.output
