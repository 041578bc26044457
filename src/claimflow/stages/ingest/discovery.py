"""Ingest, step 1: walk the raw folder and read each file's bytes (the only filesystem access).

Hidden entries are skipped; a file that cannot be read, or is over the size limit, comes back
with the reason instead of its bytes. Symlinks whose target lies outside the raw folder are
not followed (reported as skipped) unless ``settings.follow_symlinks`` is set.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from claimflow.config import IngestSettings
from claimflow.errors import ClaimflowError


@dataclass
class RawFile:
    """One file found under RAW_DIR: its bytes, or why they could not be read."""

    path: Path
    rel: str  # path under RAW_DIR, '/'-separated
    data: bytes | None
    error: str | None = None


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
    limit = int(settings.max_file_mb * 1024 * 1024)
    return (_read(path, rel, error, limit, settings.max_file_mb) for rel, path, error in entries)


OUTSIDE_LINK = "symlink outside the input folder"


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


def _read(path: Path, rel: str, error: str | None, limit: int, limit_mb: float) -> RawFile:
    if error is not None:
        return RawFile(path, rel, None, error)
    try:
        size = path.stat().st_size
        if size > limit:
            return RawFile(path, rel, None, f"larger than {limit_mb:g} MB limit ({_mb(size)})")
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:  # grew between stat and read
            return RawFile(path, rel, None, f"larger than {limit_mb:g} MB limit")
        return RawFile(path, rel, data, None)
    except PermissionError:
        return RawFile(path, rel, None, "permission denied")
    except FileNotFoundError:
        return RawFile(path, rel, None, "file disappeared before it could be read")
    except IsADirectoryError:
        return RawFile(path, rel, None, "not a regular file")
    except OSError as exc:
        if _is_loop(exc):
            return RawFile(path, rel, None, "symlink loop")
        return RawFile(path, rel, None, f"unreadable file ({exc.strerror or exc})")


def _mb(size: int) -> str:
    return (
        f"{size / 1024 / 1024:.2f} MB"
        if size < 1024 * 1024 * 10
        else f"{size / 1024 / 1024:.0f} MB"
    )
