"""Ingest, step 1: walk the raw folder and read each file's bytes (the only filesystem access).

Hidden entries are skipped; a file that cannot be read, or is over the size limit, comes back
with the reason instead of its bytes. Bytes are read when a file is processed and not kept,
so ingest holds one raw file at a time. Symlinks whose target lies outside the raw folder are
not followed (reported as skipped) unless ``settings.follow_symlinks`` is set.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from claimflow.config import IngestSettings
from claimflow.errors import ClaimflowError


class RawFile:
    """One file found under RAW_DIR: its bytes, or why they could not be read.

    A file from ``discover`` reads its bytes from ``path`` each time they are asked for
    (``read()``, ``data``) and does not keep them; one built with ``data`` (in-memory input)
    holds them. ``rel`` is the path under RAW_DIR, '/'-separated.
    """

    __slots__ = ("_data", "_limit_mb", "error", "path", "rel")

    def __init__(self, path: Path, rel: str, data: bytes | None = None,
                 error: str | None = None, *, limit_mb: float | None = None):
        self.path, self.rel, self.error = path, rel, error
        self._data = data
        self._limit_mb = limit_mb  # set: read from ``path`` on demand, up to this size

    @property
    def data(self) -> bytes | None:
        """The file's bytes (read now for a discovered file), None if unreadable."""
        return self.read()[0]

    def read(self) -> tuple[bytes | None, str | None]:
        """(bytes, None), or (None, why the file cannot be read)."""
        if self.error is not None:
            return None, self.error
        if self._limit_mb is None:
            return (self._data, None) if self._data is not None else (None, "unreadable file")
        return _read_bytes(self.path, self._limit_mb)

    def __repr__(self) -> str:
        return f"RawFile(rel={self.rel!r}, error={self.error!r})"


def discover(raw_dir: Path, settings: IngestSettings) -> Iterator[RawFile]:
    """Files under ``raw_dir`` (recursively, sorted by relative path), with their bytes.

    Hidden files and folders (name starting with '.') are ignored. A file that cannot be read
    (permission, dangling symlink, symlink loop, larger than ``settings.max_file_mb``) comes
    back with ``error`` set and ``data`` None; one bad file never raises. A symlink that
    resolves outside ``raw_dir`` is neither read nor walked into (``error`` says so) unless
    ``settings.follow_symlinks`` is true.
    Raises ClaimflowError, eagerly, when ``raw_dir`` is missing, not a folder, or holds no files.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.exists():
        raise ClaimflowError(f"{raw_dir}: raw folder not found")
    if not raw_dir.is_dir():
        raise ClaimflowError(f"{raw_dir}: not a folder")
    entries = _walk(raw_dir, follow_symlinks=settings.follow_symlinks)
    if not entries:
        raise ClaimflowError(f"{raw_dir}: no input files found")
    return (_found(path, rel, error, settings.max_file_mb) for rel, path, error in entries)


OUTSIDE_LINK = "symlink outside the input folder"


def walk_files(raw_dir: Path, follow_symlinks: bool = False
               ) -> list[tuple[str, Path, str | None]]:
    """The entries ingest considers, as :func:`_walk` lists them: the runner fingerprints
    exactly these (inside links followed, outside links not read)."""
    return _walk(raw_dir, follow_symlinks)


def _walk(raw_dir: Path, follow_symlinks: bool = False) -> list[tuple[str, Path, str | None]]:
    """(rel, path, error) for every non-hidden file, sorted by rel; follows dir symlinks once.

    Unless ``follow_symlinks``, a symlink whose target resolves outside ``raw_dir`` is
    reported (OUTSIDE_LINK) without being stat'ed, read or descended into.
    """
    out: list[tuple[str, Path, str | None]] = []
    try:
        root_st = raw_dir.stat()
    except OSError as exc:
        raise ClaimflowError(f"{raw_dir}: cannot read raw folder ({exc.strerror})") from None
    root_real = os.path.realpath(raw_dir)
    seen_dirs = {(root_st.st_dev, root_st.st_ino)}
    stack: list[tuple[Path, str]] = [(raw_dir, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                names = sorted((e.name, e.is_symlink()) for e in it)
        except PermissionError:
            out.append((prefix.rstrip("/") or ".", folder, "permission denied (folder)"))
            continue
        except OSError as exc:
            out.append((prefix.rstrip("/") or ".", folder, f"unreadable folder ({exc.strerror})"))
            continue
        for name, is_link in names:
            if name.startswith("."):
                continue
            path = folder / name
            rel = prefix + name
            if is_link and not follow_symlinks and not _inside(path, root_real):
                out.append((rel, path, OUTSIDE_LINK))
                continue
            try:
                st = path.stat()  # follows symlinks
            except OSError as exc:
                if is_link:
                    reason = "symlink loop" if _is_loop(exc) else "broken symlink (target missing)"
                elif isinstance(exc, PermissionError):
                    reason = "permission denied"
                else:
                    reason = f"unreadable path ({exc.strerror or exc})"
                out.append((rel, path, reason))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in seen_dirs:
                    out.append((rel, path, "symlink loop (folder already visited)"))
                    continue
                seen_dirs.add(key)
                stack.append((path, rel + "/"))
            elif stat.S_ISREG(st.st_mode):
                out.append((rel, path, None))
            else:
                out.append((rel, path, "not a regular file"))
    out.sort(key=lambda t: t[0])
    return out


def _inside(path: Path, root_real: str) -> bool:
    """True when ``path``, every symlink resolved, is ``root_real`` or lies under it."""
    try:
        real = os.path.realpath(path)  # a loop or a missing target resolves as far as it can
    except (OSError, ValueError):
        return False
    return os.path.commonpath([real, root_real]) == root_real


def _is_loop(exc: OSError) -> bool:
    import errno

    return exc.errno == errno.ELOOP


def _found(path: Path, rel: str, error: str | None, limit_mb: float) -> RawFile:
    """A discovered file: an error found by the walk or by its size, else bytes on demand."""
    if error is not None:
        return RawFile(path, rel, None, error)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return RawFile(path, rel, None, _read_error(exc))
    if size > int(limit_mb * 1024 * 1024):
        return RawFile(path, rel, None, f"larger than {limit_mb:g} MB limit ({_mb(size)})")
    return RawFile(path, rel, None, None, limit_mb=limit_mb)


def _read_bytes(path: Path, limit_mb: float) -> tuple[bytes | None, str | None]:
    limit = int(limit_mb * 1024 * 1024)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        return None, _read_error(exc)
    if len(data) > limit:  # grew since it was found
        return None, f"larger than {limit_mb:g} MB limit"
    return data, None


def _read_error(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "file disappeared before it could be read"
    if isinstance(exc, IsADirectoryError):
        return "not a regular file"
    if _is_loop(exc):
        return "symlink loop"
    return f"unreadable file ({exc.strerror or exc})"


def _mb(size: int) -> str:
    return (
        f"{size / 1024 / 1024:.2f} MB"
        if size < 1024 * 1024 * 10
        else f"{size / 1024 / 1024:.0f} MB"
    )
