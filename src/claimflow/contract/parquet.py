"""Reading and writing stage tables: schema checks, atomic writes, streaming row groups."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from claimflow.contract.schemas import (
    META_FINGERPRINT,
    META_KIND,
    META_PROVENANCE,
    META_VERSION,
    TableSpec,
    schema_problem,
)
from claimflow.errors import SchemaError

ROW_GROUP_SIZE = 50_000


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def to_table(df: pd.DataFrame, spec: TableSpec) -> pa.Table:
    """Convert a frame to the spec's exact schema (column order, types, nullability)."""
    missing = [c for c in spec.columns if c not in df.columns]
    if missing:
        raise SchemaError(f"{spec.kind}: frame lacks columns {missing}")
    df = df[spec.columns]
    columns = []
    for field in spec.schema:
        values = df[field.name]
        if pa.types.is_date32(field.type):
            values = pd.to_datetime(values).dt.date
        arr = pa.array(values.tolist(), type=field.type, from_pandas=True)
        if not field.nullable and arr.null_count:
            raise SchemaError(f"{spec.kind}: column {field.name!r} has nulls")
        columns.append(arr)
    return pa.Table.from_arrays(columns, schema=_schema_with_meta(spec))


def _schema_with_meta(spec: TableSpec, fingerprint: str | None = None,
                      provenance: dict | None = None) -> pa.Schema:
    meta = {META_KIND: spec.kind.encode(), META_VERSION: spec.version.encode()}
    if fingerprint:
        meta[META_FINGERPRINT] = fingerprint.encode()
    if provenance is not None:
        meta[META_PROVENANCE] = encode_provenance(provenance)
    return spec.schema.with_metadata(meta)


def encode_provenance(provenance: dict) -> bytes:
    """Canonical JSON (sorted keys, no whitespace): equal provenance gives equal bytes."""
    return json.dumps(provenance, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=True, allow_nan=False).encode()


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place only on success.

    Temporary names carry the writer's pid, so leftovers of a killed run are removed by
    the next writer of the same file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_path, 0o666 & ~_UMASK)  # mkstemp's 0600 would hide outputs from others
        os.replace(tmp_path, path)
        fsync_dir(path.parent)
    finally:
        tmp_path.unlink(missing_ok=True)


def remove_stale_temps(path: Path, only_dead: bool = True) -> None:
    """Delete ``.{name}.{pid}.*`` temporaries beside ``path`` whose process is gone (all of
    them with ``only_dead`` False: the caller holds the folder lock, so none is in use)."""
    path = Path(path)
    for tmp in path.parent.glob(f".{path.name}.*"):
        pid = tmp.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not (only_dead and _alive(int(pid))):
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fsync_dir(folder: Path) -> None:
    """Make the rename durable across power loss (not needed for SIGKILL)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class TableWriter:
    """Stream frames into one parquet file; the file appears atomically on close.

    Rows are buffered into row groups of exactly ``row_group_size`` rows, so the bytes
    written do not depend on how the caller batched its frames.
    """

    def __init__(
        self, path: Path, spec: TableSpec, fingerprint: str | None = None,
        row_group_size: int = ROW_GROUP_SIZE, provenance: dict | None = None,
    ):
        self.path = Path(path)
        self.spec = spec
        self.schema = _schema_with_meta(spec, fingerprint, provenance)
        self.rows = 0
        self._group = row_group_size
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._ctx = atomic_path(self.path)
        self._tmp = self._ctx.__enter__()
        self._writer = pq.ParquetWriter(
            self._tmp, self.schema, compression="zstd", write_statistics=True
        )

    def write(self, df: pd.DataFrame) -> None:
        self.write_arrow(to_table(df, self.spec))

    def write_arrow(self, table: pa.Table) -> None:
        table = table.replace_schema_metadata(self.schema.metadata)
        if not table.num_rows:
            return
        self._pending.append(table)
        self._pending_rows += table.num_rows
        self.rows += table.num_rows
        if self._pending_rows >= self._group:
            self._flush(final=False)

    def _flush(self, final: bool) -> None:
        if not self._pending:
            return
        table = pa.concat_tables(self._pending)
        cut = table.num_rows if final else table.num_rows - table.num_rows % self._group
        if cut:
            self._writer.write_table(table.slice(0, cut), row_group_size=self._group)
        rest = table.slice(cut)
        self._pending = [rest] if rest.num_rows else []
        self._pending_rows = rest.num_rows

    def close(self) -> None:
        self._flush(final=True)
        if self.rows == 0:  # an empty file still carries its schema
            self._writer.write_table(self.schema.empty_table())
        self._writer.close()
        self._ctx.__exit__(None, None, None)

    def abort(self) -> None:
        self._writer.close()
        with contextlib.suppress(Exception):
            self._ctx.__exit__(RuntimeError, RuntimeError("aborted"), None)

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def write_table(
    df: pd.DataFrame, path: Path, spec: TableSpec, fingerprint: str | None = None,
    provenance: dict | None = None,
) -> Path:
    with TableWriter(path, spec, fingerprint, provenance=provenance) as writer:
        writer.write(df)
    return Path(path)


def parts(path: Path) -> list[Path]:
    """The parquet files behind ``path``: itself, or the part files of a dataset folder."""
    path = Path(path)
    if path.is_dir():
        return sorted(path.glob("part-*.parquet"))
    return [path]


def check_file(path: Path, spec: TableSpec) -> list[pq.ParquetFile]:
    """Open ``path`` (a file or a dataset folder) and check it is a current ``spec.kind`` table."""
    return [pf for _, pf in _checked(path, spec)]


def _checked(path: Path, spec: TableSpec) -> list[tuple[Path, pq.ParquetFile]]:
    """Each part file behind ``path`` and its checked ParquetFile."""
    path = Path(path)
    if not path.exists():
        raise SchemaError(f"{path}: no such file (expected a {spec.kind} table)")
    files = parts(path)
    if not files:
        raise SchemaError(f"{path}: folder holds no part-*.parquet files")
    return [(p, _check_one(p, spec)) for p in files]


def _check_one(path: Path, spec: TableSpec) -> pq.ParquetFile:
    with _reading(path):
        pf = pq.ParquetFile(path)
    meta = pf.schema_arrow.metadata or {}
    kind = meta.get(META_KIND, b"").decode(errors="replace") or "unknown"
    version = meta.get(META_VERSION, b"").decode(errors="replace") or "none"
    if kind != spec.kind:
        raise SchemaError(
            f"{path}: is a {kind!r} table, expected {spec.kind!r} (written by another stage?)"
        )
    if version.split(".")[0] != spec.version.split(".")[0]:
        raise SchemaError(
            f"{path}: {kind} schema version {version}, this claimflow reads {spec.version}; "
            "re-run the stage that wrote it"
        )
    problem = schema_problem(spec, pf.schema_arrow)
    if problem:
        raise SchemaError(f"{path}: {problem}")
    return pf


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    """pyarrow's read errors (a truncated or corrupted page, a vanished file) as one line
    naming the file: its own messages ("Unexpected end of stream") do not."""
    try:
        yield
    except (OSError, ValueError, TypeError, pa.ArrowException) as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise SchemaError(f"{path}: not a readable parquet file ({detail})") from None


def _checked_values(table: pa.Table, spec: TableSpec, path: Path) -> pa.Table:
    """``table`` after checking that the spec's required columns hold no nulls."""
    for field in spec.schema:
        if not field.nullable and field.name in table.column_names:
            nulls = table.column(field.name).null_count
            if nulls:
                raise SchemaError(f"{path}: {spec.kind} table: required column "
                                  f"{field.name!r} has {nulls} null values")
    return table


def read_table(path: Path, spec: TableSpec, columns: list[str] | None = None) -> pd.DataFrame:
    tables = []
    for part, pf in _checked(path, spec):
        with _reading(part):
            table = pf.read(columns=columns)
        tables.append(_checked_values(table, spec, part))
    return _to_pandas(pa.concat_tables(tables))


def iter_frames(
    path: Path, spec: TableSpec, batch_rows: int, columns: list[str] | None = None
) -> Iterator[pd.DataFrame]:
    for part, pf in _checked(path, spec):
        with _reading(part):
            batches = pf.iter_batches(batch_size=batch_rows, columns=columns)
        while True:
            with _reading(part):  # each batch is read here, so errors surface here
                batch = next(batches, None)
            if batch is None:
                break
            table = _checked_values(pa.Table.from_batches([batch]), spec, part)
            yield _to_pandas(table)


class SentenceRows:
    """The rows of a table in (doc_id, sent_id) order (tokens, entities) looked up by
    sentence, without holding the table: an index of each sentence's row ranges is built
    from the two key columns, and a lookup reads only the row groups holding those rows.

    ``only``: index just these documents (the others are never looked up)."""

    def __init__(self, path: Path, spec: TableSpec, only: set[str] | None = None):
        self._spec = spec
        self._groups: list[tuple[Path, pq.ParquetFile, int]] = []
        self._ranges: dict[tuple, list[tuple[int, int]]] = {}
        first_rows = [0]
        for part, pf in _checked(path, spec):
            for g in range(pf.metadata.num_row_groups):
                with _reading(part):
                    keys = pf.read_row_group(g, columns=["doc_id", "sent_id"])
                self._index(keys, first_rows[-1], only)
                self._groups.append((part, pf, g))
                first_rows.append(first_rows[-1] + keys.num_rows)
        self._first_rows = np.array(first_rows, dtype=np.int64)
        self._cached: tuple[int, pa.Table] | None = None  # the row group read last

    def _index(self, keys: pa.Table, first_row: int, only: set[str] | None) -> None:
        n = keys.num_rows
        if not n:
            return
        doc = keys.column("doc_id").to_numpy(zero_copy_only=False)
        sent = keys.column("sent_id").to_numpy()
        change = (np.flatnonzero((doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1])) + 1).tolist()
        for a, b in zip([0, *change], [*change, n], strict=True):
            if only is not None and doc[a] not in only:
                continue
            ranges = self._ranges.setdefault((doc[a], int(sent[a])), [])
            if ranges and ranges[-1][1] == first_row + a:  # continues over a row group
                ranges[-1] = (ranges[-1][0], first_row + b)
            else:
                ranges.append((first_row + a, first_row + b))

    def frame(self, keys: list[tuple]) -> pd.DataFrame:
        """The rows of the sentences ``keys`` ((doc_id, sent_id) pairs), in that order."""
        runs: list[list[int]] = []  # consecutive sentences' rows read as one run
        for key in keys:
            for a, b in self._ranges.get((key[0], int(key[1])), ()):
                if runs and runs[-1][1] == a:
                    runs[-1][1] = b
                else:
                    runs.append([a, b])
        pieces = [t for a, b in runs for t in self._rows(a, b)]
        table = pa.concat_tables(pieces) if pieces else self._spec.schema.empty_table()
        return _to_pandas(table)

    def _rows(self, a: int, b: int) -> list[pa.Table]:
        out = []
        g = int(np.searchsorted(self._first_rows, a, side="right")) - 1
        while a < b:
            group = self._group(g)
            start = a - int(self._first_rows[g])
            stop = min(b - int(self._first_rows[g]), group.num_rows)
            out.append(group.slice(start, stop - start))
            a += stop - start
            g += 1
        return out

    def _group(self, g: int) -> pa.Table:
        if self._cached is None or self._cached[0] != g:
            self._cached = None  # the old group goes before the new one is read
            part, pf, index = self._groups[g]
            with _reading(part):
                table = pf.read_row_group(index)
            self._cached = (g, _checked_values(table, self._spec, part))
        return self._cached[1]


def row_count(path: Path) -> int:
    total = 0
    for part in parts(path):
        with _reading(part):
            total += pq.ParquetFile(part).metadata.num_rows
    return total


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(date_as_object=True)


def _metadata_value(path: Path, key: bytes) -> bytes | None:
    """One metadata value of a table (a file or a dataset folder); None when unreadable."""
    try:
        meta = pq.read_schema(parts(path)[0]).metadata or {}
    except Exception:  # noqa: BLE001
        return None
    return meta.get(key)


def read_fingerprint(path: Path) -> str | None:
    value = _metadata_value(path, META_FINGERPRINT)
    return value.decode() if value else None


def read_provenance(path: Path) -> dict | None:
    """The ``claimflow.provenance`` metadata of a table (a file or a dataset folder)."""
    value = _metadata_value(path, META_PROVENANCE)
    return json.loads(value) if value else None


def fingerprint(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:32]
