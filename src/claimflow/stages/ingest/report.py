"""Ingest report rows: a skipped file, a duplicate, or a warning, with one human sentence."""

from __future__ import annotations

from dataclasses import dataclass

SKIPPED, DUPLICATE, WARNING = "skipped", "duplicate", "warning"


@dataclass(frozen=True)
class ReportRow:
    """One line of ``ingest_report``: a skipped file, a duplicate, or a warning."""

    path: str
    doc_id: str | None
    status: str  # skipped | duplicate | warning
    reason: str  # one human sentence

    def message(self) -> str:
        who = f" ({self.doc_id})" if self.doc_id and self.doc_id not in self.path else ""
        return f"{self.path}{who}: {self.status}: {self.reason}"
