"""claimflow command line: one subcommand per stage, ``run`` to chain them, then the model
and the viewers of the outputs.

``_util`` holds the one typer ``app`` and what the commands share; each command module
registers its commands on it when imported, in the order ``claimflow --help`` lists them.
"""

# isort: off
from claimflow.cli._util import app
from claimflow.cli import stages, model, results  # noqa: F401  (register the commands)
from claimflow.cli import export  # noqa: F401  (the export command)

# isort: on

__all__ = ["app", "main"]


def main() -> None:
    """The ``claimflow`` script: the app, then an exit that skips tearing the interpreter
    down (freeing the loaded models object by object takes 0.4 s, a tenth of an incremental
    run; every output is written and committed by then)."""
    try:
        app(prog_name="claimflow")
    except SystemExit as done:
        exit_without_teardown(done.code)
    exit_without_teardown(0)


def exit_without_teardown(code: int | str | None) -> None:
    """Exit like ``sys.exit(code)``: streams flushed and ``atexit`` handlers run (logging,
    finalizers, multiprocessing), but objects and modules are not freed one by one. A
    process with other live non-daemon threads exits the usual way (they are joined)."""
    import atexit
    import os
    import sys
    import threading

    others = [t for t in threading.enumerate()
              if t is not threading.main_thread() and t.is_alive() and not t.daemon]
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if others or run_exit_handlers is None:
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): printed, status 1
        print(code, file=sys.stderr)
        status = 1
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing left to say
            pass
    os._exit(status)
