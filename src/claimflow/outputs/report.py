"""A self-contained HTML report of the claims: charts, summary tables, highlighted documents.

Everything but :func:`write_report` is a pure function from frames to data or HTML. The page
needs no network: the Vega, Vega-Lite and vega-embed JavaScript is inlined (from
vl-convert-python), chart data is embedded as JSON, and a Content-Security-Policy allows
only the page's own scripts (by hash) and no connections. All text from the documents is
escaped by Jinja2's autoescape; JSON in ``<script>`` has ``<``, ``>`` and ``&`` escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from claimflow import __version__
from claimflow.contract.parquet import atomic_path
from claimflow.contract.schemas import CLAIM_TYPES
from claimflow.errors import ClaimflowError

MAX_DOCS = 200
MAX_CLAIM_ROWS = 2000
TOP_N = 15
UNDATED = "undated"
NO_CODE = "(none)"
TYPE_COLOURS = {"denial": "#1f77b4", "accusation": "#d62728", "demand": "#ff7f0e"}
MATRIX_TYPES = ("accusation", "demand")


# --- data ---------------------------------------------------------------------------------


def _str(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) and pd.isna(value):
        return ""
    return str(value)


def _type_order(types: pd.Series) -> list[str]:
    extra = sorted(set(types.dropna().astype(str)) - set(CLAIM_TYPES))
    return list(CLAIM_TYPES) + extra


def claim_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per type, every known type listed (zero when absent)."""
    order = _type_order(claims["claim_type"])
    counts = claims["claim_type"].astype(str).value_counts().reindex(order, fill_value=0)
    return pd.DataFrame({"claim_type": order, "count": [int(n) for n in counts]})


def _period(value: Any, freq: str) -> str:
    if value is None or (not isinstance(value, (str, dt.date)) and pd.isna(value)):
        return UNDATED
    ts = pd.Timestamp(value)
    return ts.strftime("%Y-%m-%d" if freq == "day" else "%Y-%m")


def claims_over_time(
    claims: pd.DataFrame, documents: pd.DataFrame, freq: str | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Claims per period of ``documents.published`` and type; null dates are ``undated``.

    ``freq`` is ``day`` or ``month``; by default days when the dated documents span under
    90 days, else months. Returns the counts and the period order (``undated`` last).
    """
    dates = documents[["doc_id", "published"]].drop_duplicates("doc_id")
    merged = claims[["doc_id", "claim_type"]].merge(dates, on="doc_id", how="left")
    if freq is None:
        known = pd.to_datetime(merged["published"].dropna())
        span = (known.max() - known.min()).days if len(known) else 0
        freq = "day" if span < 90 else "month"
    merged["period"] = [_period(v, freq) for v in merged["published"]]
    counts = (
        merged.groupby(["period", "claim_type"]).size().reset_index(name="count")
        if len(merged)
        else pd.DataFrame({"period": [], "claim_type": [], "count": []})
    )
    periods = sorted(p for p in counts["period"].unique() if p != UNDATED)
    if (counts["period"] == UNDATED).any():
        periods.append(UNDATED)
    counts["count"] = counts["count"].astype(int)
    return counts, periods


def _actor_label(name: Any, code: Any) -> str:
    return _str(code) or _str(name) or NO_CODE


def top_actors(claims: pd.DataFrame, role: str, n: int = TOP_N) -> pd.DataFrame:
    """The ``n`` speakers or targets (``role``) with most claims, by actor code (else name)."""
    if role not in ("speaker", "target"):
        raise ValueError(role)
    labels = pd.Series(
        [_actor_label(a, b) for a, b in zip(claims[role], claims[f"{role}_code"], strict=True)],
        dtype=object,
    )
    if role == "target":
        labels = labels[labels != NO_CODE]
    counts = labels.value_counts()
    counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    return pd.DataFrame({"actor": list(counts.index[:n]), "count": [int(c) for c in counts[:n]]})


def actor_matrix(claims: pd.DataFrame, types: tuple[str, ...] = MATRIX_TYPES) -> pd.DataFrame:
    """Who accuses / demands of whom: counts per (type, speaker code, target code)."""
    sub = claims[claims["claim_type"].isin(types)]
    frame = pd.DataFrame(
        {
            "claim_type": sub["claim_type"].astype(str).tolist(),
            "speaker": [_actor_label(a, b) for a, b in zip(sub["speaker"], sub["speaker_code"],
                                                           strict=True)],
            "target": [_actor_label(None, b) for b in sub["target_code"]],
        }
    )
    if frame.empty:
        return frame.assign(count=pd.Series(dtype=int))
    return frame.groupby(["claim_type", "speaker", "target"]).size().reset_index(name="count")


# --- charts -------------------------------------------------------------------------------


def _colour_scale(alt, order: list[str]):
    return alt.Scale(
        domain=order, range=[TYPE_COLOURS.get(t, "#7f7f7f") for t in order]
    )


def chart_specs(claims: pd.DataFrame, documents: pd.DataFrame) -> dict[str, dict]:
    """Vega-Lite specs (plain dicts with inline data) for the report's charts."""
    import altair as alt

    order = _type_order(claims["claim_type"])
    colour = alt.Color("claim_type:N", title="type", scale=_colour_scale(alt, order),
                       sort=order)
    specs: dict[str, Any] = {}

    counts = claim_counts(claims)
    specs["types"] = alt.Chart(counts).mark_bar().encode(
        x=alt.X("claim_type:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("count:Q", title="claims"),
        color=colour,
        tooltip=["claim_type", "count"],
    ).properties(width=260, height=200, title="Claims by type")

    over_time, periods = claims_over_time(claims, documents)
    specs["time"] = alt.Chart(over_time).mark_bar().encode(
        x=alt.X("period:O", sort=periods, title="published"),
        y=alt.Y("sum(count):Q", title="claims"),
        color=colour,
        tooltip=["period", "claim_type", "count"],
    ).properties(width=max(260, 40 * len(periods)), height=200, title="Claims over time")

    for role, title in (("speaker", "Top speakers"), ("target", "Top targets")):
        top = top_actors(claims, role)
        specs[role] = alt.Chart(top).mark_bar(color="#555").encode(
            x=alt.X("count:Q", title="claims"),
            y=alt.Y("actor:N", sort="-x", title=None),
            tooltip=["actor", "count"],
        ).properties(width=260, height=max(60, 18 * len(top)), title=title)

    matrix = actor_matrix(claims)
    specs["matrix"] = alt.Chart(matrix).mark_rect().encode(
        x=alt.X("target:N", title="target", axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("speaker:N", title="speaker"),
        color=alt.Color("count:Q", scale=alt.Scale(scheme="reds"), title="claims"),
        tooltip=["claim_type", "speaker", "target", "count"],
    ).properties(width=220, height=220).facet(
        column=alt.Column("claim_type:N", title=None, sort=list(MATRIX_TYPES)),
    ).properties(title="Who accuses / demands of whom")

    out = {}
    for key, chart in specs.items():
        spec = chart.to_dict()
        spec.pop("$schema", None)  # an https URL vega-embed never needs
        out[key] = spec
    return out


@functools.lru_cache(maxsize=2)
def vega_bundle() -> str:
    """vega + vega-lite + vega-embed as one inlineable script (defines window.vegaEmbed)."""
    try:
        import altair as alt
        import vl_convert as vlc
    except ImportError as exc:  # pragma: no cover - both are dependencies
        raise ClaimflowError(
            f"the HTML report needs altair and vl-convert-python ({exc})"
        ) from None
    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    version = wanted if wanted in vlc.get_vegalite_versions() else None
    bundle = vlc.javascript_bundle(vl_version=version)
    # Never let the bundle close its own <script> element or open an HTML comment.
    return re.sub(r"</(script)", r"<\\/\1", bundle, flags=re.I).replace("<!--", "<\\!--")


def script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</``, ``<!--``, ``]]>``)."""
    text = json.dumps(data, ensure_ascii=False, default=str, allow_nan=False)
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


INIT_JS = """
(function () {
  var node = document.getElementById('chart-specs');
  var specs = JSON.parse(node.textContent);
  Object.keys(specs).forEach(function (key) {
    var el = document.getElementById('chart-' + key);
    if (!el) { return; }
    if (typeof vegaEmbed !== 'function') { el.textContent = 'charts need JavaScript'; return; }
    vegaEmbed(el, specs[key], {actions: false, renderer: 'svg', mode: 'vega-lite'})
      .catch(function (err) {
        console.error('chart ' + key + ' failed: ' + err);
        el.textContent = 'chart failed: ' + err;
      });
  });
})();
""".strip()


def _csp_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


# --- documents ----------------------------------------------------------------------------


def _valid_span(start: Any, end: Any, lo: int, hi: int) -> tuple[int, int] | None:
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return None
    a, b = int(start), int(end)
    return (a, b) if lo <= a < b <= hi else None


def _actor_text(name: Any, code: Any) -> str:
    name, code = _str(name), _str(code)
    if name and code:
        return f"{name} [{code}]"
    return name or code or "?"


def _doc_order(documents: pd.DataFrame) -> pd.DataFrame:
    docs = documents.copy()
    docs["_date"] = pd.to_datetime(docs["published"], errors="coerce")
    return docs.sort_values(["_date", "doc_id"], na_position="last", kind="stable")


def claim_ids(claims: pd.DataFrame) -> pd.Series:
    """Stable anchor ids (``claim-N``) for claims, in the order of ``claims``' index."""
    return pd.Series([f"claim-{i + 1}" for i in range(len(claims))], index=claims.index)


def document_segments(
    text: str, sentences: pd.DataFrame, claims: pd.DataFrame
) -> tuple[list[dict], list[dict]]:
    """Split a document's text into plain and claim-sentence segments for the template.

    ``sentences`` and ``claims`` are the document's rows; claims carry an ``anchor`` column.
    A claim sentence segment has ``parts`` (text, marked?) with triggers marked, the claim
    types, and the claims (anchor, type, speaker, target). Returns the segments and the
    claims whose sentence could not be placed in the text (listed apart).
    """
    by_sent: dict[int, list] = {}
    for row in claims.itertuples(index=False):
        by_sent.setdefault(int(row.sent_id), []).append(row)
    segments: list[dict] = []
    placed: set[int] = set()
    pos = 0
    for s in sentences.sort_values("start_char").itertuples(index=False):
        sid = int(s.sent_id)
        if sid not in by_sent:
            continue
        span = _valid_span(s.start_char, s.end_char, pos, len(text))
        if span is None:
            continue
        start, end = span
        if start > pos:
            segments.append({"kind": "text", "text": text[pos:start]})
        rows = by_sent[sid]
        marks = sorted(
            {m for r in rows if (m := _valid_span(r.trigger_start, r.trigger_end, start, end))}
        )
        parts, cur = [], start
        for a, b in marks:
            if a < cur:  # overlapping triggers: keep the first
                continue
            if a > cur:
                parts.append({"text": text[cur:a], "mark": False})
            parts.append({"text": text[a:b], "mark": True})
            cur = b
        if cur < end:
            parts.append({"text": text[cur:end], "mark": False})
        types = [t for t in _type_order(pd.Series([r.claim_type for r in rows]))
                 if t in {r.claim_type for r in rows}]
        segments.append({
            "kind": "claim",
            "parts": parts,
            "types": types,
            "claims": [_claim_view(r) for r in rows],
        })
        placed.add(sid)
        pos = end
    if pos < len(text):
        segments.append({"kind": "text", "text": text[pos:]})
    unplaced = [_claim_view(r) for sid, rows in by_sent.items() if sid not in placed
                for r in rows]
    return segments, unplaced


def _claim_view(row: Any) -> dict:
    return {
        "anchor": row.anchor,
        "type": _str(row.claim_type),
        "confidence": float(row.confidence),
        "trigger": _str(row.trigger),
        "speaker": _actor_text(row.speaker, row.speaker_code),
        "target": _actor_text(row.target, row.target_code) if (
            _str(row.target) or _str(row.target_code)) else "",
        "text": _str(row.text),
    }


def report_context(
    frames: dict[str, pd.DataFrame], max_docs: int = MAX_DOCS, title: str = "claimflow report"
) -> dict:
    """Everything the template shows, as plain Python data (strings still unescaped)."""
    documents, claims = frames["documents"], frames["claims"]
    sentences = frames.get("sentences")
    if sentences is None:
        sentences = pd.DataFrame(columns=["doc_id", "sent_id", "start_char", "end_char"])

    docs = _doc_order(documents)
    doc_rank = {d: i for i, d in enumerate(docs["doc_id"])}
    claims = claims.copy()
    claims["_rank"] = claims["doc_id"].map(doc_rank).fillna(len(doc_rank))
    claims = claims.sort_values(["_rank", "sent_id", "claim_type"], kind="stable")
    claims["anchor"] = claim_ids(claims)

    with_claims = docs[docs["doc_id"].isin(set(claims["doc_id"]))]
    shown = with_claims.head(max(0, max_docs))
    doc_anchor = {d: f"doc-{i + 1}" for i, d in enumerate(shown["doc_id"])}
    claims_by_doc = dict(tuple(claims.groupby("doc_id", sort=False)))
    sents_by_doc = dict(tuple(sentences.groupby("doc_id", sort=False)))

    doc_views = []
    for d in shown.itertuples(index=False):
        segments, unplaced = document_segments(
            _str(d.text),
            sents_by_doc.get(d.doc_id, sentences.iloc[0:0]),
            claims_by_doc[d.doc_id],
        )
        doc_views.append({
            "anchor": doc_anchor[d.doc_id],
            "doc_id": _str(d.doc_id),
            "title": _str(d.title) or _str(d.doc_id),
            "published": _period(d.published, "day"),
            "speaker": _actor_text(d.speaker, d.speaker_code),
            "outlet": _str(d.outlet),
            "path": _str(d.path),
            "n_claims": len(claims_by_doc[d.doc_id]),
            "segments": segments,
            "unplaced": unplaced,
        })

    titles = {d.doc_id: (_str(d.title) or _str(d.doc_id), _period(d.published, "day"))
              for d in docs.itertuples(index=False)}
    listed = claims[claims["doc_id"].isin(doc_anchor)].head(MAX_CLAIM_ROWS)
    claim_rows = []
    for r in listed.itertuples(index=False):
        view = _claim_view(r)
        view["doc_anchor"] = doc_anchor[r.doc_id]
        view["doc_title"], view["published"] = titles.get(r.doc_id, (r.doc_id, UNDATED))
        claim_rows.append(view)

    return {
        "title": title,
        "version": __version__,
        "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "n_documents": len(documents),
        "n_claims": len(claims),
        "n_docs_with_claims": len(with_claims),
        "n_docs_shown": len(shown),
        "max_docs": max_docs,
        "n_claims_listed": len(listed),
        "n_claims_in_shown": int(claims["doc_id"].isin(doc_anchor).sum()),
        "type_counts": claim_counts(claims).to_dict("records"),
        "top_speakers": top_actors(claims, "speaker").to_dict("records"),
        "top_targets": top_actors(claims, "target").to_dict("records"),
        "colours": TYPE_COLOURS,
        "types": _type_order(claims["claim_type"]),
        "docs": doc_views,
        "claims": claim_rows,
    }


# --- HTML ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("claimflow.outputs", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(
    frames: dict[str, pd.DataFrame],
    max_docs: int = MAX_DOCS,
    title: str = "claimflow report",
    charts: bool = True,
) -> str:
    """The whole report page as one HTML string (``charts=False`` leaves out the JS)."""
    from markupsafe import Markup

    ctx = report_context(frames, max_docs, title)
    bundle = vega_bundle() if charts else ""
    specs = chart_specs(frames["claims"], frames["documents"]) if charts else {}
    scripts = [bundle, INIT_JS] if charts else []
    csp = "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(f"'{_csp_hash(s)}'" for s in scripts) + " 'unsafe-eval'"
        if scripts else "script-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "font-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    return _environment().get_template("report.html.j2").render(
        **ctx,
        csp=csp,
        charts=charts,
        bundle=Markup(bundle),  # noqa: S704 - vendored JS, checked for </script and <!--
        init_js=Markup(INIT_JS),  # noqa: S704 - constant
        specs_json=Markup(script_json(specs)),  # noqa: S704 - escaped by script_json
    )


def write_report(
    out_dir: Path, path: Path, max_docs: int = MAX_DOCS, charts: bool = True
) -> Path:
    """Read the outputs in ``out_dir`` and write the HTML report to ``path`` (atomically)."""
    from claimflow.outputs.views import load_outputs

    frames = load_outputs(out_dir)
    html = render_report(frames, max_docs=max_docs, title=f"claimflow report: {out_dir}",
                         charts=charts)
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return path
