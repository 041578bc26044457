"""Fuzz targets for the ingest decoder and HTML extraction (hypothesis; a few seconds in CI).

The suite runs a short, derandomized pass. For a long fuzzing session:

    CLAIMFLOW_FUZZ_EXAMPLES=20000 CLAIMFLOW_FUZZ_RANDOM=1 .venv/bin/pytest tests/test_fuzz.py

Properties: no exception escapes; results have the documented types; decoding round-trips
text it is given in a declared encoding; HTML extraction takes linear time on markup built to
make a naive parser quadratic, and never loses text at any nesting depth.
"""

from __future__ import annotations

import codecs

from examples import property_settings
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from claimflow.stages.ingest import decode_bytes, extract_html, sniff_container

FUZZ = property_settings(150)

# ----------------------------------------------------------------------------- decoder

BOMS = [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
        codecs.BOM_UTF32_BE]
MAGIC = [b"\x1f\x8b", b"PK\x03\x04", b"BZh91AY&SY", b"\xfd7zXZ\x00", b"%PDF-1.7"]


def _check_decoded(result) -> str | None:
    text, why = result
    assert (text is None) != (why is None)
    if text is None:
        assert isinstance(why, str) and why
        return None
    assert isinstance(text, str) and text.strip()
    text.encode("utf-8")  # no lone surrogates
    return text


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.builds(lambda b, rest: b + rest, st.sampled_from(BOMS + MAGIC), st.binary(max_size=300)),
        st.builds(lambda t, enc: t.encode(enc, "replace"), st.text(max_size=300),
                  st.sampled_from(["utf-8", "cp1252", "cp1251", "latin-1", "utf-16-le",
                                   "shift_jis", "gb18030", "koi8-r", "iso8859-8"])),
    )
)
@example(data=b"")
@example(data=b"\xff\xfe\x00\xd8")  # UTF-16 BOM, lone surrogate
@example(data=b"\xef\xbb\xbf\xff")  # UTF-8 BOM, invalid byte
@example(data=b"\x00" * 50)
def test_decode_bytes_never_raises(data):
    _check_decoded(decode_bytes(data))
    sniff_container(data)


@FUZZ
@given(text=st.text(max_size=400), bom=st.sampled_from(["utf-8-sig", "utf-16", "utf-32"]))
def test_decode_bytes_round_trips_text_with_a_bom(text, bom):
    data = text.encode(bom)
    # UTF-16-LE BOM + U+0000 is byte for byte the UTF-32-LE BOM: inherently ambiguous
    assume(bom != "utf-16" or not data.startswith(codecs.BOM_UTF32_LE))
    expected = (text, None) if text.strip() else (None, "empty file")
    assert decode_bytes(data) == expected


@FUZZ
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=400))
def test_decode_bytes_round_trips_plain_utf8(text):
    text = text.lstrip("\ufeff")
    data = text.encode("utf-8")
    result = decode_bytes(data)
    if result[0] is not None:
        assert result == (text, None)
    else:
        assert result[1] == "empty file" and not text.strip()


# ----------------------------------------------------------------------------- HTML

TOKENS = [
    "<div>", "</div>", "<p>", "</p>", "<br/>", "<span class='x'>", "</span>", "<script>",
    "</script>", "<style>", "</style>", "<nav>", "</nav>", "<svg/>", "<!--", "-->",
    "<!DOCTYPE html>", "<?xml ?>",
    "<![CDATA[", "]]>", "<", ">", "</", "<a ", "<p a='", "'", '"', "&", "&amp;", "&#0;", "&#xD800;",
    "&#99999999;", "&nbsp;", "<title>", "</title>", "<meta charset='utf-16'>",
    "<meta property='article:published_time' content='2024-02-30'>", "<table><tr><td>",
    "\x00", "\u202e", "😀", "שלום", " ", "\n", "The ministry rejects the claims. ",
]
markup = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(max_size=20)), max_size=80
).map("".join)


def _check_extracted(result) -> None:
    text, title, when, site = result
    assert isinstance(text, str)
    for value in (title, when, site):
        assert value is None or isinstance(value, str)


@FUZZ
@given(html=st.one_of(markup, st.text(max_size=500)))
@example(html="")
@example(html="<html>")
@example(html="<!--")
def test_extract_html_never_raises(html):
    _check_extracted(extract_html(html))


@settings(FUZZ, max_examples=max(10, FUZZ.max_examples // 10))
@given(token=st.sampled_from(TOKENS[:40]), n=st.integers(2000, 20_000))
def test_extract_html_is_linear_on_repeated_broken_markup(token, n):
    """Regression: html.parser rescans to the end for each unclosed tag/comment (minutes)."""
    html = token * n + "<p>The ministry rejects the claims.</p>"
    _check_extracted(extract_html(html))


@settings(FUZZ, max_examples=max(5, FUZZ.max_examples // 15))
@given(depth=st.integers(200, 3000), tag=st.sampled_from(["div", "span", "section", "b"]))
def test_extract_html_keeps_text_at_any_nesting_depth(depth, tag):
    """Regression: libxml2 (under trafilatura) silently drops content below depth 255."""
    body = "The ministry categorically rejects the baseless claims made against the country."
    html = (
        "<html><body><p>A short introduction to the statement of the ministry today.</p>"
        + f"<{tag}>" * depth + f"<p>{body}</p>" + f"</{tag}>" * depth + "</body></html>"
    )
    text = extract_html(html)[0]
    assert body in text


@FUZZ
@given(text=st.text(st.characters(blacklist_characters="<&", blacklist_categories=("Cs",)),
                    max_size=300))
def test_extract_html_keeps_plain_text(text):
    """Text without markup survives the fallback whole (modulo whitespace)."""
    from claimflow.stages.ingest.html import _fallback_text

    assert _fallback_text(text) == text
    got = extract_html(f"<p>{text}</p>")[0]
    assert " ".join(got.split()) in (" ".join(text.split()), "")  # trafilatura may drop it
