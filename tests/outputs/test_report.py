"""The HTML report: data helpers, escaping, self-containment, and a real headless Chromium."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from fixtures_outputs import (
    HOSTILE_IMG,
    HOSTILE_JS,
    HOSTILE_SCRIPT,
    HOSTILE_TITLE,
    fixture_frames,
    write_fixture_outputs,
)
from markupsafe import escape

from claimflow.errors import ClaimflowError
from claimflow.outputs.report import (
    UNDATED,
    actor_matrix,
    claim_counts,
    claims_over_time,
    render_report,
    script_json,
    top_actors,
    write_report,
)
from claimflow.outputs.views import load_outputs

CHART_KEYS = ("types", "time", "speaker", "target", "matrix")


def without_script_bodies(page: str) -> str:
    return re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", page, flags=re.S | re.I)


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return fixture_frames()


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    return write_fixture_outputs(tmp_path_factory.mktemp("outputs"))


@pytest.fixture(scope="module")
def report_path(out_dir, tmp_path_factory) -> Path:
    return write_report(out_dir, tmp_path_factory.mktemp("report") / "report.html")


@pytest.fixture(scope="module")
def page(report_path) -> str:
    return report_path.read_text(encoding="utf-8")


# --- data ---------------------------------------------------------------------------------


def test_claim_counts_lists_every_type(frames):
    counts = claim_counts(frames["claims"]).set_index("claim_type")["count"].to_dict()
    assert counts == {"denial": 4, "accusation": 6, "demand": 5}
    empty = claim_counts(frames["claims"].iloc[0:0])
    assert empty["count"].tolist() == [0, 0, 0]


def test_claims_over_time_keeps_undated_last(frames):
    counts, periods = claims_over_time(frames["claims"], frames["documents"])
    assert periods == ["2024-11-21", "2024-12-05", "2025-02-01", UNDATED]
    assert counts["count"].sum() == len(frames["claims"])
    undated = counts[counts["period"] == UNDATED].set_index("claim_type")["count"].to_dict()
    assert undated == {"demand": 1, "accusation": 1}
    _, months = claims_over_time(frames["claims"], frames["documents"], freq="month")
    assert months == ["2024-11", "2024-12", "2025-02", UNDATED]


def test_top_actors_and_matrix(frames):
    speakers = top_actors(frames["claims"], "speaker")
    assert speakers.iloc[0].tolist() == ["ARM-MFA", 4]
    targets = top_actors(frames["claims"], "target")
    assert targets.iloc[0].tolist() == ["AZE", 6]
    assert "(none)" not in targets["actor"].tolist()  # denials without a target
    matrix = actor_matrix(frames["claims"])
    assert set(matrix["claim_type"]) == {"accusation", "demand"}
    row = matrix[(matrix.speaker == "ARM-MFA") & (matrix.target == "AZE")
                 & (matrix.claim_type == "accusation")]
    assert row["count"].tolist() == [2]
    assert actor_matrix(frames["claims"].iloc[0:0]).empty


def test_script_json_cannot_close_the_script():
    text = script_json({"x": "</script><!-- <img src=x onerror=alert(1)> & \u2028"})
    assert "</" not in text and "<!--" not in text and "<" not in text
    assert json.loads(text)["x"].startswith("</script><!--")


# --- HTML ---------------------------------------------------------------------------------


def test_hostile_text_is_escaped(frames):
    page = render_report(frames, charts=False)
    for raw in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_TITLE, "<script>alert(1)</script>"):
        assert raw not in page
    assert escape(HOSTILE_SCRIPT) in page
    assert escape(HOSTILE_IMG) in page
    assert escape("<script>alert(1)</script>") in page
    assert HOSTILE_JS in page  # as text ...
    assert 'href="javascript' not in page.lower()  # ... never as a link
    assert "<script" not in page  # charts=False: no scripts at all
    assert "script-src 'none'" in html.unescape(page)


def test_document_highlighting_and_anchors(frames):
    page = render_report(frames, charts=False)
    n = len(frames["claims"])
    for i in range(1, n + 1):  # every claim has an anchor and a link from the summary
        assert f'id="claim-{i}"' in page
        assert f'href="#claim-{i}"' in page
    assert '<span class="claim claim-accusation"' in page
    assert "<mark>violate</mark>" in page
    assert "Ministry of Foreign Affairs of Armenia [ARM-MFA] &rarr; Azerbaijan [AZE]" in page
    assert "Армения остается приверженной мирной повестке." in page  # non-claim text kept


def test_page_is_self_contained(page):
    assert len(page) < 3_000_000
    markup = without_script_bodies(page)  # the vendored JS mentions <img src=...> in strings
    assert not re.search(r"<(script|link|img|iframe|embed|object|frame|audio|video|source)\b",
                         markup.replace("<script>", "").replace('<script id="chart-specs"', ""),
                         re.I)
    assert not re.search(r"\b(src|href)\s*=\s*[\"']?\s*(https?:|//|javascript:)", markup, re.I)
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S | re.I)
    assert len(scripts) == 3
    specs = next(body for attrs, body in scripts if 'id="chart-specs"' in attrs)
    assert "<" not in specs and "https://" not in specs
    assert set(json.loads(specs)) == set(CHART_KEYS)
    # the CSP allows exactly the two executable scripts, by hash
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"',
                                  page).group(1))
    for attrs, body in scripts:
        if "application/json" in attrs:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp


def test_document_cap_adds_a_note(frames):
    page = render_report(frames, max_docs=2, charts=False)
    assert page.count('<article class="doc"') == 2
    assert "Showing the first 2 of 5 documents with claims" in page


def test_required_outputs(tmp_path, out_dir):
    for name in ("documents.parquet", "sentences.parquet", "entities.parquet",
                 "tokens.parquet", "claims.parquet", "ingest_report.parquet"):
        (tmp_path / name).write_bytes((out_dir / name).read_bytes())
    (tmp_path / "tokens.parquet").unlink()
    (tmp_path / "sentences.parquet").unlink()
    frames = load_outputs(tmp_path)  # optional files may be missing
    assert frames["sentences"].empty and "start_char" in frames["sentences"].columns
    render_report(frames, charts=False)
    (tmp_path / "claims.parquet").unlink()
    with pytest.raises(ClaimflowError, match="claims.parquet: missing"):
        write_report(tmp_path, tmp_path / "r.html")
    with pytest.raises(ClaimflowError, match="no such folder"):
        load_outputs(tmp_path / "nope")


# --- a real browser -----------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary on PATH (apt-get install chromium)"
)


def run_chromium(page: Path, tmp: Path, screenshot: Path | None = None) -> tuple[str, str]:
    """Load ``page`` headless; return (dumped DOM, console lines from the log)."""
    args = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", f"--user-data-dir={tmp / 'profile'}",
        "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
        "--window-size=1280,2000", "--dump-dom",
    ]
    if screenshot is not None:
        args.append(f"--screenshot={screenshot}")
    proc = subprocess.run(args + [page.resolve().as_uri()], capture_output=True, text=True,
                          timeout=90)
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return proc.stdout, "\n".join(console)


@pytest.fixture(scope="module")
def browser(report_path, tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("no chromium binary on PATH (apt-get install chromium)")
    tmp = tmp_path_factory.mktemp("chromium")
    shot = tmp / "report.png"
    dom, console = run_chromium(report_path, tmp, shot)
    return {"dom": dom, "console": console, "screenshot": shot}


@needs_chromium
def test_browser_no_console_errors(browser):
    # chromium logs every console message as "...:INFO:CONSOLE(n)] "msg", source: ..."
    assert browser["console"] == "", browser["console"]


@needs_chromium
def test_browser_renders_every_chart(browser):
    dom = browser["dom"]
    for key in CHART_KEYS:
        m = re.search(rf'<div class="chart[^"]*" id="chart-{key}"[^>]*>(.*?)</div>', dom, re.S)
        assert m, f"chart container {key} missing"
        assert re.search(r"<(svg|canvas)\b", m.group(1)), f"chart {key} did not render"
        assert "chart failed" not in m.group(1)
    assert dom.count('class="mark-rect') >= 2  # bars and heatmap cells were drawn


@needs_chromium
def test_browser_does_not_run_hostile_text(browser):
    dom = browser["dom"]
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert title.startswith("claimflow report:") and "pwned" not in title
    assert "<img" not in without_script_bodies(dom)  # the injected image is no element
    assert html.escape(HOSTILE_SCRIPT, quote=False) in dom
    assert len(re.findall(r"<script\b", dom)) == 3
    assert "alert" not in browser["console"]


@needs_chromium
def test_browser_screenshot_is_not_blank(browser):
    image_mod = pytest.importorskip("PIL.Image", reason="pillow is needed to read the PNG")
    with image_mod.open(browser["screenshot"]) as im:
        rgb = im.convert("RGB")
        assert rgb.size == (1280, 2000)
        small = rgb.resize((320, 500))
        pixels = [small.getpixel((x, y)) for y in range(500) for x in range(320)]
    grey = [sum(p) / 3 for p in pixels]
    mean = sum(grey) / len(grey)
    variance = sum((g - mean) ** 2 for g in grey) / len(grey)
    assert variance > 100, f"screenshot looks blank (variance {variance:.1f})"
    # the accusation red (#d62728) of the bar charts is on screen
    red = sum(1 for r, g, b in pixels if r > 190 and g < 70 and b < 70)
    assert red > 200, f"too few chart-red pixels ({red})"


@needs_chromium
def test_csp_blocks_scripts_that_slip_through(page, tmp_path):
    """Defence in depth: even an unescaped injected <script> does not run."""
    bad = page.replace("<main>", "<main><script>document.title='pwned'</script>", 1)
    path = tmp_path / "bad.html"
    path.write_text(bad, encoding="utf-8")
    dom, console = run_chromium(path, tmp_path)
    assert "pwned" not in re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert "Content Security Policy" in console
