"""notebooks/explore.ipynb runs top to bottom on a small set of outputs (so it never rots)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_outputs import write_fixture_outputs

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "explore.ipynb"

nbformat = pytest.importorskip("nbformat", reason="needs nbclient + ipykernel (dev extras)")
nbclient = pytest.importorskip("nbclient", reason="needs nbclient + ipykernel (dev extras)")
pytest.importorskip("ipykernel", reason="needs ipykernel (dev extras)")
pytest.importorskip("duckdb", reason="the notebook queries with duckdb (dev extras)")
pytest.importorskip("altair", reason="the notebook draws with altair")


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_notebook_runs_on_outputs(tmp_path, monkeypatch):
    out = write_fixture_outputs(tmp_path / "processed")
    monkeypatch.setenv("CLAIMFLOW_OUT", str(out))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on any failing cell

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    texts = "\n".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert str(out) in texts  # CLAIMFLOW_OUT was honoured
    assert "'claims': 15" in texts
    htmls = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("actors_in_sentence" in h for h in htmls)  # the duckdb join
    charts = [h for h in htmls if "vega" in h.lower()]
    assert len(charts) == 2, "expected two altair charts"
