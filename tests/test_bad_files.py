"""Bad files and settings given to claimflow: parquet tables with the right metadata but the
wrong columns, corrupted pages, model files with missing keys or wrong shapes, random
settings and config files. Each gives one line naming the file (and the column or key) and a
non-zero exit, never a traceback. No spaCy model is loaded: the tables are written here and
every command fails, or finishes, before parsing anything."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from examples import property_settings
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from claimflow.claims.context import ContextModel
from claimflow.claims.ensemble import ClaimClassifier
from claimflow.claims.linear import ClaimModel
from claimflow.cli import app
from claimflow.config import Settings, load_settings
from claimflow.contract.parquet import iter_frames, read_table, row_count, write_table
from claimflow.contract.schemas import (
    CLAIM_TYPES,
    CLAIMS,
    DOCUMENTS,
    ENTITIES,
    INGEST_REPORT,
    SENTENCES,
    TOKENS,
)
from claimflow.errors import ModelFileError, SchemaError

runner = CliRunner()

TEXT = ("The Ministry of Foreign Affairs rejects the claims of the opposition. "
        "We demand that parliament open an inquiry.")
FIRST, SECOND = TEXT.split(" We ")
SECOND = "We " + SECOND
LINEAR = ["--set", "classify.backend=linear"]


# ------------------------------------------------------------------ helpers
def _frames(doc_id: str = "doc1") -> dict[str, pd.DataFrame]:
    """One document, its two sentences and one claim, as the stages would write them."""
    start = len(FIRST) + 1
    return {
        "documents": pd.DataFrame({
            "doc_id": [doc_id], "path": [f"{doc_id}.txt"], "sha256": ["0" * 64],
            "title": ["Statement"], "published": [None], "place": [None], "outlet": [None],
            "doc_number": [None], "speaker": [None], "speaker_code": [None], "lang": ["en"],
            "text": [TEXT], "n_chars": [len(TEXT)]}),
        "sentences": pd.DataFrame({
            "doc_id": [doc_id] * 2, "sent_id": [0, 1], "start_char": [0, start],
            "end_char": [len(FIRST), len(TEXT)], "text": [FIRST, SECOND], "lang": ["en"] * 2}),
        "entities": pd.DataFrame(columns=ENTITIES.columns),
        "tokens": pd.DataFrame(columns=TOKENS.columns),
        "claims": pd.DataFrame({
            "doc_id": [doc_id], "sent_id": [0], "claim_type": ["denial"], "confidence": [0.9],
            "trigger": ["rejects"], "trigger_start": [32], "trigger_end": [39],
            "speaker": ["Ministry of Foreign Affairs"], "speaker_code": ["FRE-MFA"],
            "target": ["opposition"], "target_code": [None], "method": ["model"],
            "text": [FIRST]}),
        "ingest_report": pd.DataFrame(columns=INGEST_REPORT.columns),
    }


SPEC_OF = {s.kind: s for s in (DOCUMENTS, SENTENCES, ENTITIES, TOKENS, CLAIMS, INGEST_REPORT)}


def _outputs(folder: Path, doc_id: str = "doc1") -> Path:
    """An output folder as `claimflow run` leaves it (no manifest: not verified)."""
    for kind, frame in _frames(doc_id).items():
        write_table(frame, folder / SPEC_OF[kind].filename, SPEC_OF[kind])
    return folder


@pytest.fixture
def outputs(tmp_path) -> Path:
    return _outputs(tmp_path / "out")


def _replace_column(path: Path, name: str, values: pa.Array | None) -> None:
    """Rewrite ``path`` with column ``name`` replaced (None: removed), keeping the claimflow
    metadata, so only the column is wrong."""
    table = pq.read_table(path)
    meta = table.schema.metadata
    i = table.schema.get_field_index(name)
    table = table.remove_column(i) if values is None else table.set_column(i, name, values)
    pq.write_table(table.replace_schema_metadata(meta), path)


def _one_line_error(result) -> str:
    """The single line a failing command printed (console wrapping undone)."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines and lines[0].startswith("error: "), result.output
    text = " ".join(result.output.split())
    # rich wraps long lines at the console width; nothing but the one message is printed
    assert text.startswith("error: ") and text.count("error: ") == 1, result.output
    return text


def _no_traceback(result) -> None:
    """Success, or a non-zero exit with one error message: never an uncaught exception."""
    if result.exit_code == 0:
        assert result.exception is None, repr(result.exception)
        return
    _one_line_error(result)


# ------------------------------------------------------------------ 10a: column types
def _commands(out: Path, tmp: Path) -> dict[str, list[str]]:
    sentences = str(out / SENTENCES.filename)
    return {
        "show": ["show", str(out)],
        "stats": ["stats", str(out)],
        "report": ["report", str(out), "-o", str(tmp / "r.html")],
        "export": ["export", str(out), "-o", str(tmp / "e.jsonl")],
        "tag": ["tag", sentences, "-o", str(tmp / "x" / "entities.parquet")],
        "classify": ["classify", sentences, "-o", str(tmp / "x" / "claims.parquet"), *LINEAR],
        "split": ["split", str(out / DOCUMENTS.filename), "-o", str(tmp / "x" / "s.parquet")],
    }


# which table each command reads (and the wrong column put into it)
READS = {"show": "claims", "stats": "sentences", "report": "claims", "export": "claims",
         "tag": "sentences", "classify": "sentences", "split": "documents"}


@pytest.mark.parametrize("command", sorted(READS))
def test_a_column_of_the_wrong_type_is_one_line_naming_file_and_column(outputs, tmp_path,
                                                                       command):
    kind = READS[command]
    path = outputs / SPEC_OF[kind].filename
    rows = pq.read_metadata(path).num_rows
    _replace_column(path, "text", pa.array(range(rows), pa.int64()))
    msg = _one_line_error(runner.invoke(app, _commands(outputs, tmp_path)[command]))
    assert f"{path}: {kind} table: column 'text' is int64, expected string" in msg
    assert not (tmp_path / "x").exists() and not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("command", ["show", "export", "classify"])
def test_a_missing_column_is_one_line_naming_it(outputs, tmp_path, command):
    kind = "sentences" if command == "classify" else "claims"
    path = outputs / SPEC_OF[kind].filename
    _replace_column(path, "lang" if kind == "sentences" else "confidence", None)
    msg = _one_line_error(runner.invoke(app, _commands(outputs, tmp_path)[command]))
    missing = "lang" if kind == "sentences" else "confidence"
    assert f"{path}: {kind} table lacks columns ['{missing}']" in msg


def test_nulls_in_a_required_column_are_refused_naming_it(outputs):
    path = outputs / SENTENCES.filename
    # a writer that declared the column nullable: the type matches, the values do not
    _replace_column(path, "text", pa.array([FIRST, None], pa.string()))
    with pytest.raises(SchemaError, match=r"sentences table: required column 'text' has 1 null"):
        read_table(path, SENTENCES)
    with pytest.raises(SchemaError, match=str(path)):
        list(iter_frames(path, SENTENCES, 1))
    msg = _one_line_error(runner.invoke(app, ["stats", str(outputs)]))
    assert str(path) in msg and "'text'" in msg


def test_types_of_every_valid_output_are_accepted(outputs):
    for spec in SPEC_OF.values():
        read_table(outputs / spec.filename, spec)  # what the writers write, readers read


# ------------------------------------------------------------------ 12c: corrupted pages
def _corrupt_column(path: Path, name: str) -> None:
    """Overwrite the compressed pages of column ``name``; the footer stays readable."""
    meta = pq.read_metadata(path)
    i = meta.schema.to_arrow_schema().get_field_index(name)
    chunk = meta.row_group(0).column(i)
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    data = bytearray(path.read_bytes())
    data[start + 8 : start + chunk.total_compressed_size] = b"\xff" * (
        chunk.total_compressed_size - 8)
    path.write_bytes(bytes(data))


def test_a_corrupted_page_names_the_file(outputs, tmp_path):
    path = outputs / CLAIMS.filename
    _corrupt_column(path, "text")
    with pytest.raises(OSError):  # what pyarrow says, without any file name
        pq.read_table(path)
    for read in (lambda: read_table(path, CLAIMS), lambda: list(iter_frames(path, CLAIMS, 1))):
        with pytest.raises(SchemaError, match=f"^{path}: not a readable parquet file"):
            read()
    msg = _one_line_error(runner.invoke(app, ["show", str(outputs)]))
    assert f"{path}: not a readable parquet file" in msg


def test_a_truncated_file_names_the_file(outputs):
    path = outputs / SENTENCES.filename
    path.write_bytes(path.read_bytes()[:-20])
    for read in (lambda: row_count(path), lambda: read_table(path, SENTENCES)):
        with pytest.raises(SchemaError, match=f"^{path}: not a readable parquet file"):
            read()


@property_settings(50)
@given(data=st.data())
def test_any_damage_to_a_table_is_read_or_refused_naming_it(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = write_table(_frames()["sentences"], Path(tmp) / "s.parquet", SENTENCES)
        raw = bytearray(path.read_bytes())
        where = data.draw(st.integers(0, len(raw) - 1))
        damage = data.draw(st.one_of(
            st.binary(min_size=1, max_size=64),
            st.just(b""),  # truncate here
        ))
        raw[where:] = damage + (raw[where + len(damage):] if damage else b"")
        path.write_bytes(bytes(raw))
        for read in (lambda: read_table(path, SENTENCES), lambda: row_count(path),
                     lambda: list(iter_frames(path, SENTENCES, 1))):
            try:
                read()
            except SchemaError as exc:
                assert str(exc).startswith(str(path)) and "\n" not in str(exc)


# ------------------------------------------------------------------ 10b: model files
def _tiny_model(folder: Path, n_models: int | None = 1) -> Path:
    """A three-feature linear model (and a document-context layer) saved as claimflow does."""
    context = None
    if n_models is not None:
        context = ContextModel(np.zeros((3 * n_models + 9, 3)), np.zeros(3),
                               dict.fromkeys(CLAIM_TYPES, 0.5), CLAIM_TYPES, n_models)
    ClaimModel({"l:reject": 0, "l:demand": 1, "l:claim": 2},
               np.eye(3, dtype=np.float32), np.full(3, -1.0), dict.fromkeys(CLAIM_TYPES, 0.5),
               context=context).save(folder)
    return folder


def _edit_json(path: Path, edit) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")


MODEL_BREAKS = {
    "no features": ("model.json", lambda d: d.pop("features"), "missing key 'features'"),
    "short bias": ("model.json", lambda d: d.update(bias=[0.1, 0.2]),
                   "'bias' has 2 values, expected 3"),
    "string threshold": ("model.json", lambda d: d["thresholds"].update(denial="0.5"),
                         "'thresholds.denial': Input should be a valid number"),
    "threshold missing": ("model.json", lambda d: d["thresholds"].pop("demand"),
                          "'thresholds' lacks ['demand']"),
    "threshold out of range": ("model.json", lambda d: d["thresholds"].update(demand=7),
                               "'thresholds.demand' is 7.0, expected 0..1"),
    "bias not a number": ("model.json", lambda d: d["bias"].__setitem__(1, None),
                          "'bias.1': Input should be a valid number"),
    "features not strings": ("model.json", lambda d: d.update(features=[1, 2, 3]),
                             "'features.0': Input should be a valid string"),
    "duplicate feature": ("model.json", lambda d: d.update(features=["a", "a", "b"]),
                          "'features' lists a feature twice"),
    "context without weights": ("context.json", lambda d: d.pop("weights"),
                                "missing key 'weights'"),
    "context short row": ("context.json", lambda d: d["weights"][4].pop(),
                          "'weights.4' has 2 values, expected 3"),
    "context string n_models": ("context.json", lambda d: d.update(n_models="1"),
                                "'n_models': Input should be a valid integer"),
    "context labels reordered": ("context.json", lambda d: d["labels"].reverse(),
                                 "'labels' must be ['denial', 'accusation', 'demand']"),
}


@pytest.mark.parametrize("name", sorted(MODEL_BREAKS))
def test_a_broken_model_file_names_the_file_and_the_key(tmp_path, name):
    model = _tiny_model(tmp_path / "model")
    file, edit, expected = MODEL_BREAKS[name]
    _edit_json(model / file, edit)
    with pytest.raises(ModelFileError) as caught:
        ClaimModel.load(model)
    assert str(caught.value) == f"{model / file}: {expected}" or (
        str(caught.value).startswith(f"{model / file}: ") and expected in str(caught.value))


@pytest.mark.parametrize("name", ["no features", "string threshold", "context without weights"])
@pytest.mark.parametrize("flag", ["--model-dir", "--set"])
def test_classify_with_a_broken_model_is_one_line(outputs, tmp_path, name, flag):
    model = _tiny_model(tmp_path / "model")
    file, edit, expected = MODEL_BREAKS[name]
    _edit_json(model / file, edit)
    out = tmp_path / "x" / "claims.parquet"
    where = [flag, str(model) if flag == "--model-dir" else f"classify.model_dir={model}"]
    msg = _one_line_error(runner.invoke(app, [
        "classify", str(outputs / SENTENCES.filename), "-o", str(out), *where, *LINEAR]))
    assert f"{model / file}: {expected}" in msg
    assert not out.exists()


@pytest.mark.parametrize(
    ("weights", "expected"),
    [(np.zeros((2, 3), np.float32), "shape (2, 3), expected (3, 3)"),
     (np.zeros(9, np.float32), "shape (9,), expected (3, 3)"),
     (np.array([["a"] * 3] * 3), "weights must be finite numbers"),
     (np.full((3, 3), np.nan, np.float32), "weights must be finite numbers")],
)
def test_weights_of_the_wrong_shape_or_kind_name_the_file(tmp_path, weights, expected):
    model = _tiny_model(tmp_path / "model")
    np.save(model / "weights.npy", weights, allow_pickle=False)
    with pytest.raises(ModelFileError, match=f"^{model / 'weights.npy'}: .*"):
        ClaimModel.load(model)
    with pytest.raises(ModelFileError) as caught:
        ClaimModel.load(model)
    assert expected in str(caught.value)


def test_a_model_json_that_is_not_an_object_is_one_line(tmp_path):
    model = _tiny_model(tmp_path / "model")
    (model / "model.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ModelFileError, match="model.json: the file is not a JSON object"):
        ClaimModel.load(model)
    (model / "model.json").write_text("{", encoding="utf-8")
    with pytest.raises(ModelFileError, match="model.json: cannot load claim model"):
        ClaimModel.load(model)


def test_a_context_layer_fitted_for_another_backend_is_refused(tmp_path):
    model = _tiny_model(tmp_path / "model", n_models=2)  # the ensemble's layer
    settings = load_settings(None, {"classify.backend": "linear", "classify.model_dir":
                                    str(model)})
    with pytest.raises(ModelFileError, match=r"context.json: 'n_models' is 2, expected 1"):
        ClaimClassifier.load(settings)
    off = load_settings(None, {"classify.backend": "linear", "classify.model_dir": str(model),
                               "classify.document_context": False})
    assert ClaimClassifier.load(off).context is None  # not used: not in the way


def test_the_tiny_model_loads_and_classifies_through_the_cli(outputs, tmp_path):
    model = _tiny_model(tmp_path / "model")
    out = tmp_path / "x" / "claims.parquet"
    result = runner.invoke(app, ["classify", str(outputs / SENTENCES.filename), "-o", str(out),
                                 "--model-dir", str(model), *LINEAR])
    assert result.exit_code == 0, result.output
    assert read_table(out, CLAIMS).columns.tolist() == CLAIMS.columns


ENCODER_BREAKS = {
    "no weight": (lambda d: d["meta"].pop("ensemble_weight_transformer"),
                  "missing key 'meta.ensemble_weight_transformer'"),
    "weight above 1": (lambda d: d["meta"].update(ensemble_weight_transformer=3),
                       "'meta.ensemble_weight_transformer': Input should be less than or equal"),
    "string thresholds": (lambda d: d["meta"].update(ensemble_thresholds={"denial": "high"}),
                          "'meta.ensemble_thresholds.denial': Input should be a valid number"),
    "no base model": (lambda d: d.pop("base_model"), "missing key 'base_model'"),
    "empty": (lambda d: d.clear(), "missing key 'labels'"),
}


MPNET_BREAKS = {
    "no weights": (lambda d: d["meta"].pop("ensemble_weights"),
                   "missing key 'meta.ensemble_weights'"),
    "weight above 1": (lambda d: d["meta"]["ensemble_weights"].update(mpnet=2),
                       "'meta.ensemble_weights.mpnet': Input should be less than or equal"),
    "member missing": (lambda d: d["meta"]["ensemble_weights"].pop("encoder"),
                       "missing key 'meta.ensemble_weights.encoder'"),
}


# each encoder folder's config.json, broken: (backend, folder setting) -> its breaks
CONFIG_BREAKS = [(("ensemble", "encoder_dir"), name, *ENCODER_BREAKS[name])
                 for name in sorted(ENCODER_BREAKS)] + [
                (("ensemble-mpnet", "mpnet_dir"), name, *MPNET_BREAKS[name])
                for name in sorted(MPNET_BREAKS)]


@pytest.mark.parametrize(("where", "name", "edit", "expected"), CONFIG_BREAKS,
                         ids=[f"{w[1]}-{n}" for w, n, *_ in CONFIG_BREAKS])
def test_a_broken_encoder_config_names_the_file_and_the_key(tmp_path, where, name, edit,
                                                            expected):
    """Checked before torch and the encoder's weights load."""
    backend, setting = where
    shipped = getattr(Settings().classify, setting)
    folder = tmp_path / shipped.name
    folder.mkdir()
    (folder / "config.json").write_bytes((shipped / "config.json").read_bytes())
    _edit_json(folder / "config.json", edit)
    settings = load_settings(None, {"classify.backend": backend,
                                    f"classify.{setting}": str(folder)})
    with pytest.raises(ModelFileError) as caught:
        ClaimClassifier.load(settings)
    assert str(caught.value).startswith(f"{folder / 'config.json'}: {expected}")


def test_a_context_layer_over_two_models_is_refused_for_three(tmp_path):
    """The mpnet folder weighting all three models, with a two-model context.json."""
    shipped = Settings().classify
    mpnet = tmp_path / "encoder_mpnet"
    shutil.copytree(shipped.mpnet_dir, mpnet)
    shutil.copy(shipped.encoder_dir / "context.json", mpnet / "context.json")
    _edit_json(mpnet / "config.json", lambda d: d["meta"].update(
        ensemble_weights={"linear": 0.4, "encoder": 0.3, "mpnet": 0.3}))
    settings = load_settings(None, {"classify.backend": "ensemble-mpnet",
                                    "classify.mpnet_dir": str(mpnet)})
    with pytest.raises(ModelFileError, match=r"context.json: 'n_models' is 2, expected 3"):
        ClaimClassifier.load(settings)


# ------------------------------------------------------------------ 10c: random settings,
# config files and model files through the CLI: success or one line, never a traceback
@pytest.fixture(scope="module")
def tiny_raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    (raw / "statement.txt").write_text(f"Statement\n\n{TEXT}\n", encoding="utf-8")
    return raw


def _setting_keys() -> list[str]:
    keys = []
    for section, field in Settings.model_fields.items():
        keys.append(section)
        keys += [f"{section}.{key}" for key in field.annotation.model_fields]
    return keys + ["classify.thresholds.denial", "ingest.max_file_mb.x", "nlp.model.name"]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=6,
)
KEYS = st.sampled_from(_setting_keys()) | st.text(max_size=20)
VALUES = JSON_VALUES.map(lambda v: json.dumps(v, ensure_ascii=False)) | st.text(max_size=30)


def _ingest(raw: Path, *args: str):
    with tempfile.TemporaryDirectory() as out:
        return runner.invoke(app, ["ingest", str(raw), "-o", f"{out}/documents.parquet", *args])


@property_settings(50)
@given(sets=st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=3))
@example(sets=[("nlp", "5"), ("nlp.model", "x")])
@example(sets=[("ingest.boilerplate", "a\x00b")])
@example(sets=[("ingest.max_file_mb", "1e309")])
def test_random_settings_never_give_a_traceback(tiny_raw, sets):
    args = [arg for key, value in sets for arg in ("--set", f"{key}={value}")]
    _no_traceback(_ingest(tiny_raw, *args))


def _toml_value(value) -> str:
    if isinstance(value, dict):
        items = (f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return '""'
    return json.dumps(value, ensure_ascii=False)  # numbers, strings (inf/nan: bad TOML)


SECTIONS = st.sampled_from([*Settings.model_fields, "extra"])
TOML_FILES = st.one_of(
    st.dictionaries(SECTIONS, st.dictionaries(KEYS, JSON_VALUES, max_size=3), max_size=3).map(
        lambda doc: "\n".join(
            f"[{section}]\n" + "\n".join(f"{json.dumps(k)} = {_toml_value(v)}"
                                         for k, v in body.items())
            for section, body in doc.items())),
    st.text(max_size=80),  # mostly not TOML at all
)


@property_settings(50)
@given(body=TOML_FILES)
@example(body="nlp = 5\n")
@example(body='[ingest]\nboilerplate = "/"\n')
@example(body='[ingest]\nmax_file_mb = 1e400\n')
def test_random_config_files_never_give_a_traceback(tiny_raw, body):
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "settings.toml"
        config.write_text(body, encoding="utf-8")
        _no_traceback(_ingest(tiny_raw, "--config", str(config), "--set", "nlp.model=x"))


def _mutate(data: dict, path: list, value) -> dict:
    """``data`` with the value at ``path`` replaced by ``value`` (removed when it is the
    ``REMOVE`` marker)."""
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is REMOVE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


REMOVE = object()


def _paths(data, prefix=()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data[:4]):
            out += _paths(value, (*prefix, i))
    return out


@pytest.fixture(scope="module")
def classify_inputs(tmp_path_factory) -> Path:
    out = _outputs(tmp_path_factory.mktemp("classify_inputs"))
    return out / SENTENCES.filename


@property_settings(40)
@given(data=st.data())
def test_random_model_files_never_give_a_traceback(classify_inputs, data):
    with tempfile.TemporaryDirectory() as tmp:
        model = _tiny_model(Path(tmp) / "model")
        file = data.draw(st.sampled_from(["model.json", "context.json", "weights.npy"]))
        if file == "weights.npy":
            shape = data.draw(st.lists(st.integers(0, 4), min_size=0, max_size=3))
            dtype = data.draw(st.sampled_from(["float32", "float64", "int8", "bool", "U2"]))
            np.save(model / file, np.zeros(shape, dtype=dtype), allow_pickle=False)
        elif data.draw(st.booleans()):
            original = json.loads((model / file).read_text(encoding="utf-8"))
            where = data.draw(st.sampled_from(_paths(original)))
            value = data.draw(JSON_VALUES | st.just(REMOVE))
            (model / file).write_text(json.dumps(_mutate(original, list(where), value)),
                                      encoding="utf-8")
        else:
            raw = bytearray((model / file).read_bytes())
            cut = data.draw(st.integers(0, len(raw)))
            (model / file).write_bytes(bytes(raw[:cut]) + data.draw(st.binary(max_size=8)))
        result = runner.invoke(app, ["classify", str(classify_inputs), "-o",
                                     f"{tmp}/x/claims.parquet", "--model-dir", str(model),
                                     *LINEAR])
        _no_traceback(result)
        if result.exit_code:
            assert str(model) in result.output.replace("\n", "")
