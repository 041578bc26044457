"""What a stage run reports: its outputs, rows, whether it was skipped, its time."""

from __future__ import annotations

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


def timed(run: Callable[[], StageResult]) -> StageResult:
    t0 = time.perf_counter()
    result = run()
    result.seconds = time.perf_counter() - t0
    return result

