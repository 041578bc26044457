"""notebooks/explore.ipynb runs top to bottom on a small set of outputs (so it never rots),
and draws its charts as pictures with no network (vl-convert, no Vega from a CDN)."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

# What executing the notebook needs, all in the dev extra: a missing one fails here, by name.
import altair  # noqa: F401  (the notebook draws with altair + vl-convert)
import duckdb  # noqa: F401  (the notebook joins with duckdb)
import ipykernel  # noqa: F401  (the kernel nbclient starts)
import nbclient
import nbformat
import pytest
from fixtures_outputs import write_fixture_outputs
from PIL import Image

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "explore.ipynb"


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook executed by nbclient on the fixture outputs: (notebook, output folder)."""
    out = write_fixture_outputs(tmp_path_factory.mktemp("notebook") / "processed")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CLAIMFLOW_OUT", str(out))
        client = nbclient.NotebookClient(
            nb, timeout=120, kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOK.parent)}},
        )
        client.execute()  # raises CellExecutionError on any failing cell
    return nb, out


def code_outputs(nb) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def test_notebook_runs_on_outputs(executed):
    nb, out = executed
    outputs = code_outputs(nb)
    assert not [o for o in outputs if o.output_type == "error"]
    texts = "\n".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert str(out) in texts  # CLAIMFLOW_OUT was honoured
    assert "'claims': 15" in texts
    htmls = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("actors_in_sentence" in h for h in htmls)  # the duckdb join


def test_notebook_charts_are_offline_pictures(executed):
    nb, _ = executed
    outputs = code_outputs(nb)
    charts = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(charts) == 2, "expected two altair charts rendered to PNG"
    for chart in charts:
        image = Image.open(io.BytesIO(base64.b64decode(chart["data"]["image/png"])))
        shown = chart["metadata"]["image/png"]  # the size Jupyter displays it at
        # drawn at ppi=144: twice the pixels of the displayed size, so text stays sharp
        assert image.size == (2 * shown["width"], 2 * shown["height"])
        assert shown["width"] >= 400 and shown["height"] >= 220  # at least the plot area
        # marks, axes and legend in several colours, not an empty frame
        colours = image.convert("RGB").getcolors(maxcolors=image.width * image.height)
        assert len(colours) > 20
    # nothing that fetches Vega (or anything else) when the notebook is opened
    stored = json.dumps(outputs, ensure_ascii=False)
    for needle in ("cdn.jsdelivr", "https://", "<script", "vega-embed"):
        assert needle not in stored, needle
    assert not any("vega" in str(o.get("data", {}).get("text/html", "")).lower()
                   for o in outputs)
