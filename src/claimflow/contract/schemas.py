"""The data contract: one pyarrow schema per stage output, with its kind and version.

Every parquet file claimflow writes carries ``claimflow.kind`` and
``claimflow.schema_version`` in its metadata; readers check both.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

SCHEMA_VERSION = "1.0"
META_KIND = b"claimflow.kind"
META_VERSION = b"claimflow.schema_version"
META_FINGERPRINT = b"claimflow.fingerprint"
# JSON (sorted keys): claimflow version, stage, settings digest, models and thresholds used
META_PROVENANCE = b"claimflow.provenance"

CLAIM_TYPES = ("denial", "accusation", "demand")


@dataclass(frozen=True)
class TableSpec:
    kind: str
    filename: str
    schema: pa.Schema
    version: str = SCHEMA_VERSION

    @property
    def columns(self) -> list[str]:
        return self.schema.names


DOCUMENTS = TableSpec(
    "documents",
    "documents.parquet",
    pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("path", pa.string(), nullable=False),
            pa.field("sha256", pa.string(), nullable=False),
            pa.field("title", pa.string()),
            pa.field("published", pa.date32()),
            pa.field("place", pa.string()),
            pa.field("outlet", pa.string()),
            pa.field("doc_number", pa.string()),
            pa.field("speaker", pa.string()),
            pa.field("speaker_code", pa.string()),
            pa.field("lang", pa.string(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            pa.field("n_chars", pa.int64(), nullable=False),
        ]
    ),
)

SENTENCES = TableSpec(
    "sentences",
    "sentences.parquet",
    pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("sent_id", pa.int32(), nullable=False),
            pa.field("start_char", pa.int64(), nullable=False),
            pa.field("end_char", pa.int64(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            pa.field("lang", pa.string(), nullable=False),
        ]
    ),
)

ENTITIES = TableSpec(
    "entities",
    "entities.parquet",
    pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("sent_id", pa.int32(), nullable=False),
            pa.field("start_char", pa.int64(), nullable=False),
            pa.field("end_char", pa.int64(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            pa.field("label", pa.string(), nullable=False),
            pa.field("actor", pa.string()),
            pa.field("actor_code", pa.string()),
            pa.field("source", pa.string(), nullable=False),
        ]
    ),
)

# The parse the tag stage hands to classify, so the model runs once per sentence.
TOKENS = TableSpec(
    "tokens",
    "tokens.parquet",
    pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("sent_id", pa.int32(), nullable=False),
            pa.field("i", pa.int32(), nullable=False),
            pa.field("start_char", pa.int64(), nullable=False),
            pa.field("end_char", pa.int64(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            pa.field("ws", pa.bool_(), nullable=False),
            pa.field("lemma", pa.string(), nullable=False),
            pa.field("pos", pa.string(), nullable=False),
            pa.field("tag", pa.string(), nullable=False),
            pa.field("dep", pa.string(), nullable=False),
            pa.field("head", pa.int32(), nullable=False),
        ]
    ),
)

CLAIMS = TableSpec(
    "claims",
    "claims.parquet",
    pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("sent_id", pa.int32(), nullable=False),
            pa.field("claim_type", pa.string(), nullable=False),
            pa.field("confidence", pa.float64(), nullable=False),
            pa.field("trigger", pa.string()),
            pa.field("trigger_start", pa.int64()),
            pa.field("trigger_end", pa.int64()),
            pa.field("speaker", pa.string()),
            pa.field("speaker_code", pa.string()),
            pa.field("target", pa.string()),
            pa.field("target_code", pa.string()),
            pa.field("method", pa.string(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
        ]
    ),
)

INGEST_REPORT = TableSpec(
    "ingest_report",
    "ingest_report.parquet",
    pa.schema(
        [
            pa.field("path", pa.string(), nullable=False),
            pa.field("doc_id", pa.string()),
            pa.field("status", pa.string(), nullable=False),  # skipped | duplicate | warning
            pa.field("reason", pa.string(), nullable=False),
        ]
    ),
)

SPECS = {s.kind: s for s in (DOCUMENTS, SENTENCES, ENTITIES, TOKENS, CLAIMS, INGEST_REPORT)}


def schema_problem(spec: TableSpec, schema: pa.Schema) -> str | None:
    """What keeps a table with ``schema`` from being read as ``spec`` (a missing column or
    one of another type), else None. Extra columns and nullability flags are not checked
    here: readers check the values of required columns for nulls."""
    missing = [name for name in spec.columns if name not in schema.names]
    if missing:
        return f"{spec.kind} table lacks columns {missing}"
    for field in spec.schema:
        where = schema.get_all_field_indices(field.name)
        if len(where) > 1:
            return f"{spec.kind} table: column {field.name!r} appears {len(where)} times"
        found = schema.field(where[0]).type
        if not found.equals(field.type):
            return f"{spec.kind} table: column {field.name!r} is {found}, expected {field.type}"
    return None
