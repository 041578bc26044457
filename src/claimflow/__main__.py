"""``python -m claimflow``: the same command line as the ``claimflow`` script."""

from claimflow.cli import main

if __name__ == "__main__":
    main()
