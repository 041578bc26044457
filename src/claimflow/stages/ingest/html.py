"""Ingest, HTML -> main text: trafilatura, with a DOM-free fallback when it finds nothing or
the page is nested deeper than libxml2 allows; also the Markdown heading strip."""

from __future__ import annotations

import contextlib
import html as htmllib
import logging
import re
from collections.abc import Iterator

from claimflow.stages.ingest.normalize import _clean_inline

log = logging.getLogger(__name__)



_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "template"}
)
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
        "blockquote", "pre", "ul", "ol", "table", "title",
    }
)
_RAW_TEXT_TAGS = ("script", "style")  # their content is not markup: skip to the end tag
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)")
_RAW_TEXT_END = {t: re.compile(rf"</{t}\s*>", re.I) for t in _RAW_TEXT_TAGS}
# libxml2 (under lxml, hence trafilatura) drops everything below this nesting depth.
_LXML_MAX_DEPTH = 255


def _fallback_text(html: str) -> str:
    """HTML -> text without a DOM: block elements become blank lines; script/style/nav dropped.

    One linear pass. A '<' that does not open a tag closed before the next '<' is text; an
    unclosed comment hides the rest of the page, as in a browser. There is no tree, so any
    nesting depth is fine. (``html.parser`` rescans to the end of the input for every unclosed
    tag or comment, which takes minutes on a few hundred kB of broken markup.)
    """
    parts: list[str] = []
    skip = 0
    n = len(html)
    pos = 0
    gt = html.find(">")  # the next '>' at or after the cursor; -1 when none is left

    def data(chunk: str) -> None:
        if chunk and not skip:
            parts.append(htmllib.unescape(chunk))

    i = html.find("<")
    while i != -1:
        data(html[pos:i])
        if html.startswith("<!--", i):
            close = html.find("-->", i + 4)
            if close == -1:
                pos = n
                break
            pos = close + 3
            i = html.find("<", pos)
            continue
        if gt != -1 and gt < i:
            gt = html.find(">", i)
        nxt = html.find("<", i + 1)
        if gt == -1 or (nxt != -1 and nxt < gt):  # a stray '<': plain text
            data("<")
            pos = i + 1
            i = nxt
            continue
        m = _TAG_NAME.match(html, i, gt + 1)
        if m is None and html[i + 1 : i + 2] not in ("!", "?", "/"):  # "a < b": text
            data("<")
            pos = i + 1
            i = nxt
            continue
        pos = gt + 1
        if m:  # <!doctype>, <?pi?>, <![CDATA[ ... are not text
            closing, tag = m[1] == "/", m[2].lower()
            self_closing = html[gt - 1] == "/"
            if tag in _SKIP_TAGS:
                if closing:
                    skip = max(0, skip - 1)
                elif not self_closing and tag in _RAW_TEXT_TAGS:
                    end = _RAW_TEXT_END[tag].search(html, pos)
                    pos = end.end() if end else n
                    if end:
                        gt = html.find(">", pos)
                    else:
                        break
                elif not self_closing:
                    skip += 1
            elif tag in _BLOCK_TAGS and not skip:
                parts.append("\n\n")
        i = html.find("<", pos)
    data(html[pos:])
    return "".join(parts)


def _lxml_depth_limited(html: str) -> bool:
    """True when libxml2 would cut this page short (nesting deeper than it allows)."""
    try:
        from lxml import etree
        from lxml import html as lxml_html

        parser = lxml_html.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False,
            default_doctype=False,
        )
        root = etree.fromstring(html.encode("utf-8", "replace"), parser)
        if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
            return True
        if root is None:
            return False
        depth = deepest = 0
        for event, _ in etree.iterwalk(root, events=("start", "end")):
            depth += 1 if event == "start" else -1
            deepest = max(deepest, depth)
        return deepest >= _LXML_MAX_DEPTH
    except Exception:  # noqa: BLE001 - a check that fails must not stop the run
        return False


def extract_html(html: str) -> tuple[str, str | None, str | None, str | None]:
    """(main text, title, date string, site name) of an HTML page."""
    return _extract_html(html)[:4]


def _extract_html(html: str) -> tuple[str, str | None, str | None, str | None, str | None]:
    """``extract_html`` plus a warning for the ingest report (or None)."""
    text = title = when = site = note = None
    if _lxml_depth_limited(html):
        note = (
            f"HTML nested deeper than {_LXML_MAX_DEPTH} levels: main-text extraction skipped, "
            "all page text kept"
        )
    else:
        text, title, when, site = _trafilatura_extract(html)
    if not text or not text.strip():
        text = _fallback_text(html)
        text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    if title:
        title = _clean_inline(title)
        head = text.lstrip()[: len(title) + 200]
        if title not in head:
            text = f"{title}\n\n{text}"
    return text, title, when, (_clean_inline(site) if site else None), note


def _trafilatura_extract(html: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(text, title, date string, site name) from trafilatura; all None when it finds nothing
    or fails."""
    try:
        import trafilatura

        # trafilatura's own log lines ("discarding data: None") name no input file
        with _quiet_loggers("trafilatura", "htmldate", "courlan"):
            doc = trafilatura.bare_extraction(
                html,
                include_comments=False,
                include_tables=True,
                with_metadata=True,
                deduplicate=False,
                # dates from the page's markup only: a date mentioned in the body is not
                # the publication date
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
        if doc is not None:
            d = doc if isinstance(doc, dict) else doc.as_dict()
            return d.get("text"), d.get("title"), d.get("date"), d.get("sitename")
    except Exception as exc:  # trafilatura failing on one page must not stop the run
        log.debug("trafilatura failed: %s", exc)
    return None, None, None, None


@contextlib.contextmanager
def _quiet_loggers(*names: str) -> Iterator[None]:
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _strip_markdown(text: str) -> str:
    return re.sub(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", r"\1", text)

