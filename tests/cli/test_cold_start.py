"""Cold start: the command line imports heavy libraries only in the commands that use them.

Each case runs in a fresh interpreter (``sys.modules`` of the test process already holds
everything), imports ``claimflow.cli``, invokes one command through typer's ``CliRunner``
and reports which of the heavy modules got imported. No timings here: speed depends on
the machine; what is imported does not.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from fixtures_outputs import write_fixture_outputs

NLP = ("spacy", "torch", "trafilatura")  # never for help, stats, show, report
DATA = ("pyarrow", "pandas")  # not before a command reads or writes a table

PROBE = textwrap.dedent(
    """
    import json, sys
    from typer.testing import CliRunner

    import claimflow.cli

    heavy = json.loads(sys.argv[1])
    result = CliRunner().invoke(claimflow.cli.app, sys.argv[2:], catch_exceptions=False)
    print(json.dumps({
        "exit_code": result.exit_code,
        "output": result.output,
        "loaded": [name for name in heavy if name in sys.modules],
    }))
    """
)


def loaded_by(*args: str, heavy: tuple[str, ...]) -> list[str]:
    """Run ``claimflow ARGS`` in a fresh interpreter; the modules of ``heavy`` it imported."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(heavy), *map(str, args)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["exit_code"] == 0, report["output"]
    print(f"claimflow {' '.join(map(str, args))}: imported {report['loaded'] or 'none'} "
          f"of {list(heavy)}")
    return report["loaded"]


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    return write_fixture_outputs(tmp_path_factory.mktemp("outputs"))


@pytest.mark.parametrize(
    "args",
    [("--help",), ("--version",), ("ingest", "--help"), ("stats", "--help"),
     ("show", "--help"), ("report", "--help"), ("run", "--help")],
    ids=" ".join,
)
def test_help_imports_no_heavy_library(args):
    assert loaded_by(*args, heavy=NLP + DATA) == []


@pytest.mark.parametrize("command", ["stats", "show"])
def test_viewers_import_no_nlp(out_dir, command):
    assert loaded_by(command, out_dir, heavy=NLP) == []


def test_report_imports_no_nlp(out_dir, tmp_path):
    assert loaded_by("report", out_dir, "-o", tmp_path / "report.html", heavy=NLP) == []


INGEST_HEAVY = ("spacy", "thinc", "torch")


@pytest.fixture()
def ingested(tmp_path, raw_dir):
    """A raw folder of two samples, ingested once by the command."""
    import shutil

    raw = tmp_path / "raw"
    raw.mkdir()
    for path in sorted(raw_dir.glob("*.txt"))[:2]:
        shutil.copy(path, raw / path.name)
    out = tmp_path / "out" / "documents.parquet"
    loaded_by("ingest", raw, "-o", out, heavy=())
    return raw, out


def test_ingest_of_an_unchanged_folder_imports_no_spacy_or_torch(ingested):
    raw, out = ingested
    assert loaded_by("ingest", raw, "-o", out, heavy=INGEST_HEAVY) == []


def test_ingest_after_a_deletion_imports_no_spacy_or_torch(ingested):
    """Nothing to decode: the kept files' rows are reused, no speaker is looked for."""
    raw, out = ingested
    sorted(raw.iterdir())[0].unlink()
    assert loaded_by("ingest", raw, "-o", out, heavy=INGEST_HEAVY) == []
