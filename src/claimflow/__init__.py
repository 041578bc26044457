"""claimflow: typed, attributed claims from official political statements."""

__version__ = "0.1.0"

__all__ = ["__version__", "extract"]


def __getattr__(name: str):
    # ``claimflow.extract`` loads the pipeline modules on first use, so `import claimflow`
    # stays cheap (spaCy imports it for the ``claimflow_claims`` component). A dynamic
    # import: every layer imports ``__version__`` from here and must not depend on the API.
    if name == "extract":
        import importlib

        return importlib.import_module("claimflow.api").extract
    raise AttributeError(f"module 'claimflow' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "extract"})
