"""One writer per output folder: an exclusive ``flock`` on ``OUT/.claimflow.lock``.

The lock file holds who took it (pid, host, command, start time) so a second run can say
which run is in its way. The kernel drops the lock when its holder dies, however it dies
(SIGKILL included), so a killed run never leaves the folder locked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shlex
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from claimflow.errors import ClaimflowError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

log = logging.getLogger(__name__)

LOCK_NAME = ".claimflow.lock"


class FolderLocked(ClaimflowError):
    """Another claimflow process holds the output folder."""


def command_line() -> str:
    """How this process was started, as a user would type it."""
    argv = list(sys.argv) or ["claimflow"]
    if argv[0].endswith(("claimflow", "__main__.py")):
        argv[0] = "claimflow"
    return shlex.join(argv)


def holder(folder: Path) -> dict:
    """What the lock file of ``folder`` says about its holder ({} when unknown)."""
    try:
        return json.loads((Path(folder) / LOCK_NAME).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def describe(info: dict) -> str:
    if not info:
        return "another claimflow process"
    return (f"pid {info.get('pid')} on {info.get('host')}, started {info.get('started')}: "
            f"{info.get('command')}")


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def folder_lock(folder: Path, wait: bool = False, poll: float = 0.2) -> Iterator[dict]:
    """Hold the exclusive lock on ``folder`` (created if needed) for the ``with`` block.

    Without ``wait`` a held lock raises :class:`FolderLocked` at once, naming its holder;
    with ``wait`` this blocks until the holder finishes. Yields the holder record written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    if fcntl is None:  # pragma: no cover - no flock: no protection, say so once
        log.warning("%s: file locking unavailable on this platform", folder)
        yield {}
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if not _try_lock(fd):
            if not wait:
                info = holder(folder)
                raise FolderLocked(
                    f"{folder} is in use by another claimflow run ({describe(info)}); "
                    "wait for it to finish or pass --wait"
                )
            log.warning("%s: waiting for %s", folder, describe(holder(folder)))
            while not _try_lock(fd):
                time.sleep(poll)
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": command_line(),
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        yield info
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def is_locked(folder: Path) -> bool:
    """True when some process holds the lock of ``folder`` right now."""
    path = Path(folder) / LOCK_NAME
    if fcntl is None or not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        if _try_lock(fd):
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        return True
    finally:
        os.close(fd)
