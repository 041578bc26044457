"""Settings: shipped defaults, config files whose relative paths mean the same from any
folder, and every data file reached through Settings."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from claimflow.config import PACKAGE_DATA, Settings, load_settings
from claimflow.errors import ClaimflowError

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TOML = REPO / "pipelines" / "default.toml"


def test_code_defaults_equal_the_shipped_toml():
    assert load_settings(DEFAULT_TOML) == Settings()
    assert load_settings() == Settings()
    assert Settings().classify.backend == "ensemble-mpnet"  # the model the README describes


def test_shipped_toml_restates_every_plain_default():
    written = tomllib.loads(DEFAULT_TOML.read_text(encoding="utf-8"))
    defaults = Settings().model_dump()
    for section, values in defaults.items():
        for key, value in values.items():
            if isinstance(value, Path) or value is None:
                continue  # package data paths and "unset" stay comments
            assert written[section][key] == value, f"{section}.{key}"


def test_defaults_do_not_depend_on_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings() == Settings()
    assert Settings().classify.cues == PACKAGE_DATA / "cues"


def test_relative_paths_in_a_config_resolve_against_the_file(tmp_path, monkeypatch):
    conf = tmp_path / "project" / "conf"
    conf.mkdir(parents=True)
    (conf / "run.toml").write_text(
        '[classify]\ncues = "mycues"\ntarget_model = "../targets.json"\n'
        '[tag]\nactors_dir = "/abs/actors"\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    s = load_settings(Path("../project/conf/run.toml"))
    assert s.classify.cues == conf / "mycues"
    assert s.classify.target_model == tmp_path / "project" / "targets.json"
    assert s.tag.actors_dir == Path("/abs/actors")
    # command-line overrides are relative to the working folder, like any CLI path
    s = load_settings(conf / "run.toml", {"classify.cues": "here"})
    assert s.classify.cues == Path("here")


def test_missing_config_is_a_clear_error(tmp_path):
    with pytest.raises(ClaimflowError, match="config file not found"):
        load_settings(tmp_path / "nope.toml")


def test_classify_reads_the_configured_cue_files(tmp_path):
    from claimflow.claims.attribution import AttributionData

    cues = tmp_path / "cues"
    shutil.copytree(PACKAGE_DATA / "cues", cues)
    parties = json.loads((cues / "parties.json").read_text(encoding="utf-8"))
    parties["self_sources"] = ["communique of record"]
    (cues / "parties.json").write_text(json.dumps(parties), encoding="utf-8")
    ranker = tmp_path / "ranker.json"
    ranker.write_text(json.dumps({"bias": 0.5, "weights": {}, "threshold": 0.0}), "utf-8")
    data = AttributionData.load(cues, ranker)
    assert data.parties["self_sources"] == frozenset({"communique of record"})
    assert data.ranker["bias"] == 0.5
    shipped = AttributionData.load()
    assert "communique of record" not in shipped.parties["self_sources"]
