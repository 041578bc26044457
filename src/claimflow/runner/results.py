"""What a stage run reports: its outputs, rows, whether it was skipped, its time."""

from __future__ import annotations

import ctypes
import functools
import gc
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Progress = Callable[[str, int | None], Callable[[int], None]]


def no_progress(_label: str, _total: int | None) -> Callable[[int], None]:
    return lambda _n: None



@dataclass
class StageResult:
    stage: str
    outputs: list[Path]
    rows: int = 0
    skipped: bool = False  # up to date, nothing recomputed
    notes: dict[str, int] = field(default_factory=dict)
    seconds: float | None = None  # wall time; None when timed together with other stages


def timed(run: Callable[[], StageResult], release: bool = True) -> StageResult:
    """Run one stage, time it, and (``release``, when it did any work) hand the memory it
    freed back to the system: the next stage of the same process starts from the models it
    keeps, not from this stage's peak."""
    t0 = time.perf_counter()
    result = run()
    result.seconds = time.perf_counter() - t0
    if release and not result.skipped:
        release_freed_memory()
    return result


def release_freed_memory() -> None:
    """Return freed heap pages to the operating system: Python's garbage, pyarrow's pool
    and, on glibc, the allocator's free lists (``malloc_trim``); without this a one-process
    run keeps each stage's peak resident into the next stage.

    What survives the collection (models, caches) is frozen out of later collections, so
    the next stage's collection walks only what was made since (0.07 s each otherwise);
    :func:`unfreeze_survivors` hands them back to the collector at the end of a run."""
    gc.collect()
    gc.freeze()
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def unfreeze_survivors() -> None:
    """Undo :func:`release_freed_memory`'s freezing (a long-lived process calling the
    runner again collects those objects as usual)."""
    gc.unfreeze()


@functools.cache
def _glibc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # musl and other C libraries have no malloc_trim
        return None
    return libc if hasattr(libc, "malloc_trim") else None

