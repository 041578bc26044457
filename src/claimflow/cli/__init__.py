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

__all__ = ["app"]
