"""Python API: the claims of texts or of a folder as pandas DataFrames, for notebooks.

:func:`extract` runs the real pipeline (``claimflow run``: ingest, split, tag, classify)
into a temporary folder, or into ``out_dir``, and reads its outputs back, so its rows are
exactly those of ``claimflow run`` on the same input and settings.

Texts are handed to ingest as JSON Lines records (``{"id", "text"}``), the format
``claimflow run`` reads for one document per record: each text is cleaned, dated and
attributed as a ``.txt`` file of the same content would be.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from claimflow.config import Settings, load_settings
from claimflow.contract.parquet import read_table
from claimflow.contract.schemas import CLAIMS, SPECS
from claimflow.errors import ClaimflowError

if TYPE_CHECKING:
    from claimflow.runner.results import Progress

__all__ = ["TABLES", "extract"]

# the keys of ``extract(..., tables=True)``, in pipeline order
TABLES = ("documents", "sentences", "entities", "tokens", "claims", "ingest_report")
# texts go to ingest as JSONL files of at most this share of ``ingest.max_file_mb`` each
_FILE_SHARE = 0.5


def extract(
    source: Iterable[str] | Mapping[Any, str] | pd.Series | pd.DataFrame | str | os.PathLike,
    settings: Settings | str | os.PathLike | None = None,
    *,
    tables: bool = False,
    out_dir: str | os.PathLike | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame | dict[str, pd.DataFrame]:
    """The claims of ``source``: one row per (sentence, claim type), as ``claims.parquet``.

    ``source`` is one of

    * a list (or other iterable) of strings, one document each, with ``doc_id`` "0", "1", ...
      (the position as a string);
    * a dict ``{doc_id: text}`` or a ``pandas.Series`` of texts whose index gives the
      ``doc_id`` (ids are turned into strings);
    * a ``pandas.DataFrame`` with a ``text`` column, ids from a ``doc_id`` or ``id`` column
      (else its index), and optional ``title`` and ``date`` columns;
    * a folder (``pathlib.Path`` or a string naming an existing folder), read as
      ``claimflow run FOLDER`` reads it.

    ``settings`` is a :class:`~claimflow.config.Settings`, the path of a TOML settings file
    (as ``--config``) or None for the shipped defaults.

    Returns the claims DataFrame (the columns of ``claims.parquet``, in document and sentence
    order). With ``tables=True`` returns a dict of every output instead, keyed
    ``documents``, ``sentences``, ``entities``, ``tokens``, ``claims`` and ``ingest_report``
    (skipped or duplicate texts and why), each with the columns of its parquet file; join
    them on ``doc_id`` / ``sent_id``.

    ``out_dir`` keeps the outputs in that folder (a normal ``claimflow run`` output folder:
    ``claimflow show``/``report`` read it, and a second call with the same input and
    settings skips the work); by default a temporary folder is used and removed.
    """
    settings = _settings(settings)
    folder = _as_folder(source)
    if folder is None:
        records = _records(source)
        if not records:
            return _empty(tables)
        with tempfile.TemporaryDirectory(prefix="claimflow-texts-") as raw:
            _write_records(records, Path(raw), settings)
            return _run(Path(raw), settings, tables, out_dir, progress)
    return _run(folder, settings, tables, out_dir, progress)


# --------------------------------------------------------------------------- inputs
def _settings(settings: Settings | str | os.PathLike | None) -> Settings:
    if isinstance(settings, Settings):
        return settings
    if settings is None:
        return Settings()
    if isinstance(settings, str | os.PathLike):
        return load_settings(Path(settings))
    raise TypeError(f"settings must be a Settings, a TOML file path or None, not "
                    f"{type(settings).__name__}")


def _as_folder(source) -> Path | None:
    """The folder ``source`` names, None when it holds texts."""
    if isinstance(source, os.PathLike):
        path = Path(source)
    elif isinstance(source, str):
        path = Path(source)
        if not path.is_dir():
            raise ClaimflowError(
                f"{source[:80]!r}: no such folder (to extract from a text, pass a list: "
                "extract([text]))")
    else:
        return None
    if not path.is_dir():
        raise ClaimflowError(f"{path}: no such folder")
    return path


def _records(source) -> list[dict]:
    """``{"id", "text"[, "title", "date"]}`` records of the texts in ``source``."""
    if isinstance(source, pd.DataFrame):
        if "text" not in source:
            raise ClaimflowError("a DataFrame passed to extract needs a 'text' column")
        id_col = next((c for c in ("doc_id", "id") if c in source), None)
        ids = list(source[id_col]) if id_col else list(source.index)
        extra = {c: list(source[c]) for c in ("title", "date") if c in source}
        pairs = list(zip(ids, source["text"], strict=True))
    elif isinstance(source, pd.Series):
        pairs, extra = list(source.items()), {}
    elif isinstance(source, Mapping):
        pairs, extra = list(source.items()), {}
    elif isinstance(source, Iterable) and not isinstance(source, bytes | bytearray):
        pairs, extra = list(enumerate(source)), {}
    else:
        raise TypeError("extract takes a list of texts, a dict or Series of texts, a DataFrame "
                        f"with a 'text' column or a folder, not {type(source).__name__}")
    records, seen = [], set()
    for n, (doc_id, text) in enumerate(pairs):
        if not isinstance(text, str):
            raise TypeError(f"document {doc_id!r}: text must be a str, not {type(text).__name__}")
        key = str(doc_id)
        if key in seen:
            raise ClaimflowError(f"doc_id {key!r} is used twice")
        seen.add(key)
        rec = {"id": key, "text": text}
        for col, values in extra.items():
            value = values[n]
            if isinstance(value, str) or not pd.isna(value):
                rec[col] = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)
        records.append(rec)
    return records


def _write_records(records: list[dict], raw: Path, settings: Settings) -> None:
    """JSONL files in ``raw``, in input order, each well below ingest's file-size limit."""
    limit = max(1, int(settings.ingest.max_file_mb * _FILE_SHARE * 1024 * 1024))
    lines = [json.dumps(rec).encode("ascii") + b"\n" for rec in records]
    files: list[list[bytes]] = [[]]
    size = 0
    for line in lines:
        if files[-1] and size + len(line) > limit:
            files.append([])
            size = 0
        files[-1].append(line)
        size += len(line)
    for n, chunk in enumerate(files):
        (raw / f"texts-{n:05d}.jsonl").write_bytes(b"".join(chunk))


# --------------------------------------------------------------------------- run and read
def _run(raw: Path, settings: Settings, tables: bool, out_dir, progress
         ) -> pd.DataFrame | dict[str, pd.DataFrame]:
    from claimflow.runner.run import run_all

    def go(out: Path) -> pd.DataFrame | dict[str, pd.DataFrame]:
        kwargs = {"progress": progress} if progress is not None else {}
        run_all(raw, out, settings, **kwargs)
        if not tables:
            return read_table(out / CLAIMS.filename, CLAIMS)
        from claimflow.outputs.views import load_outputs

        frames = load_outputs(out, required=())
        return {kind: frames[kind] for kind in TABLES}

    if out_dir is not None:
        return go(Path(out_dir))
    with tempfile.TemporaryDirectory(prefix="claimflow-out-") as tmp:
        return go(Path(tmp))


def _empty(tables: bool) -> pd.DataFrame | dict[str, pd.DataFrame]:
    from claimflow.outputs.views import empty_frame

    if not tables:
        return empty_frame(CLAIMS)
    return {kind: empty_frame(SPECS[kind]) for kind in TABLES}
