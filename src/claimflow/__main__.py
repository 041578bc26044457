"""``python -m claimflow``: the same command line as the ``claimflow`` script."""

from claimflow.cli import app

if __name__ == "__main__":
    app(prog_name="claimflow")
