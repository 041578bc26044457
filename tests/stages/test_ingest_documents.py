"""Ingest of PDF and DOCX statements, and datelines in the opening lines.

The PDF and DOCX files are made here: a PDF with a real text layer written by hand (Type 1
Helvetica, one text object a page), a DOCX by python-docx, an encrypted PDF by pypdf.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from claimflow.config import IngestSettings
from claimflow.stages.ingest import RawFile, build_documents, discover, metadata
from claimflow.stages.ingest.metadata import DATELINES_FILE
from claimflow.stages.ingest.paged import unwrap_lines

HEADLINE = "Statement of the Ministry of Foreign Affairs on the resolution"
DATELINE = "ASTANA, 14 March 2025."
# a statement wrapped as a PDF would wrap it (about 80 characters a line)
BODY_LINES = [
    "The Ministry of Foreign Affairs of the Republic of Kazakhstan categorically",
    "rejects the accusations made against our country in the resolution adopted by",
    "the European Parliament on 13 March 2025.",
    "We call on the European Parliament to refrain from interfering in the internal",
    "affairs of sovereign states and to respect the norms of international law.",
]
BODY = " ".join(BODY_LINES[:3]) + "\n" + " ".join(BODY_LINES[3:])
ENGLISH = (
    "The Presidency categorically rejects the accusations made against our country and calls on "
    "the parliament to refrain from interference in internal affairs."
)


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A minimal, valid PDF: one page per list of lines, each line a text-showing operator."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    n = len(pages)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        (
            "<< /Type /Pages /Kids ["
            + " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
            + f"] /Count {n} >>"
        ).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        ops = " ".join(f"({esc(line)}) Tj T*" for line in lines)
        stream = f"BT /F1 10 Tf 14 TL 50 760 Td {ops} ET".encode("cp1252")
        objs.append(
            (
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>"
            ).encode()
        )
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    info = None
    if title is not None:
        objs.append(f"<< /Title ({esc(title)}) >>".encode())
        info = len(objs)
    out = b"%PDF-1.4\n"
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"/Size {len(objs) + 1} /Root 1 0 R" + (f" /Info {info} 0 R" if info else "")
    out += f"trailer\n<< {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


STATEMENT_PDF = make_pdf([[HEADLINE, "", DATELINE + " " + BODY_LINES[0], *BODY_LINES[1:]]])
STATEMENT_DOCX = make_docx([HEADLINE, "3 June 2024, Vilnius", BODY])


def ingest(files: dict[str, bytes], **kw):
    settings = IngestSettings(**kw)
    raw = [RawFile(Path(rel), rel, data, None) for rel, data in files.items()]
    docs, report = build_documents(raw, settings)
    return docs.set_index("doc_id", drop=False), report


def reasons(report, path: str) -> list[tuple[str, str]]:
    rows = report[report["path"] == path]
    return list(zip(rows["status"], rows["reason"], strict=True))


# ----------------------------------------------------------------------------- PDF / DOCX


def test_pdf_statement_text_layer_and_metadata():
    docs, report = ingest({"kz/statement.pdf": STATEMENT_PDF})
    assert report.empty, report.to_dict("records")
    d = docs.loc["kz/statement"]
    assert d.path == "kz/statement.pdf"
    assert d.title == HEADLINE
    assert d.published == date(2025, 3, 14)
    assert d.place == "Astana"
    assert d.lang == "en"
    assert "ASTANA" not in d.text and "14 March 2025" not in d.text
    # the wrapped lines are one line (one unit for the sentence splitter) again
    assert f"{HEADLINE}\n\n{' '.join(BODY_LINES[:3])}\n{' '.join(BODY_LINES[3:])}" == d.text


def test_docx_statement_paragraphs_and_date_first_dateline():
    docs, report = ingest({"lt.docx": STATEMENT_DOCX})
    assert report.empty, report.to_dict("records")
    d = docs.loc["lt"]
    assert (d.title, d.published, d.place) == (HEADLINE, date(2024, 6, 3), "Vilnius")
    assert d.text == f"{HEADLINE}\n{BODY}"


def test_docx_tables_are_read_in_order():
    table = [["Signed by", "Ministry of Foreign Affairs"]]
    data = make_docx(["Joint statement", BODY], table=table)
    docs, _ = ingest({"t.docx": data})
    assert docs.loc["t"].text.endswith("Signed by\nMinistry of Foreign Affairs")


def test_pdf_pages_and_title_property():
    data = make_pdf([[BODY_LINES[0] + "."], [BODY_LINES[3], BODY_LINES[4]]], title="Press release")
    docs, _ = ingest({"p.pdf": data})
    d = docs.loc["p"]
    assert d.text == BODY_LINES[0] + ".\n\n" + " ".join(BODY_LINES[3:])
    assert d.title == "Press release"  # no headline in the text: the PDF's title property


def test_pdf_encrypted_with_empty_password_is_read():
    docs, report = ingest({"open.pdf": encrypt_pdf(STATEMENT_PDF, "")})
    assert report.empty, report.to_dict("records")
    assert docs.loc["open"].place == "Astana"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("locked.pdf", encrypt_pdf(STATEMENT_PDF, "secret"),
         "encrypted PDF (password required), not supported"),
        ("truncated.pdf", STATEMENT_PDF[:300], "unreadable PDF"),
        ("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8, "unreadable PDF"),
        ("scan.pdf", make_pdf([[]]), "PDF has no text layer (scanned image?), not supported"),
        ("fake.pdf", b"This is a text file named .pdf, long enough.", "not a PDF file"),
        ("fake.docx", b"This is a text file named .docx, long enough.", "not a DOCX file"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 200, "unreadable DOCX"),
        ("notword.docx", None, "unreadable DOCX"),
        ("legacy.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
         "encrypted or legacy (.doc) Word file"),
        ("empty.docx", make_docx([]), "DOCX has no text"),
    ],
)
def test_unreadable_pdf_or_docx_is_one_report_line_and_the_run_goes_on(name, data, reason):
    if data is None:  # a zip that is no Word document
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("hello.txt", "not a word document")
        data = buf.getvalue()
    docs, report = ingest({name: data, "good.pdf": STATEMENT_PDF})
    assert list(docs.index) == ["good"]
    [(status, why)] = reasons(report, name)
    assert status == "skipped" and why.startswith(reason), why


def test_docx_zip_bomb_is_not_unpacked():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b" " * (6 * 1024 * 1024))
    docs, report = ingest({"bomb.docx": buf.getvalue()}, max_file_mb=1.0)
    assert docs.empty
    [(status, why)] = reasons(report, "bomb.docx")
    assert status == "skipped" and why == "DOCX unpacks to more than 5 MB, not read"


def test_discover_reads_pdf_and_docx_from_a_folder(tmp_path):
    (tmp_path / "a.pdf").write_bytes(STATEMENT_PDF)
    (tmp_path / "b.docx").write_bytes(make_docx(["3 June 2024, Vilnius", ENGLISH]))
    (tmp_path / "c.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    settings = IngestSettings()
    docs, report = build_documents(discover(tmp_path, settings), settings)
    assert sorted(docs["doc_id"]) == ["a", "b"]
    assert reasons(report, "c.doc") == [("skipped", "unsupported file type (.doc)")]


def test_unwrap_lines():
    page = "Heading\nA long line of text that goes on and on and\nends here.\n\nNext para-\ngraph."
    assert unwrap_lines(page) == (
        "Heading\nA long line of text that goes on and on and ends here.\n\nNext para-graph."
    )


# ----------------------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    ("text", "place", "published", "first_line"),
    [
        # the dateline on the line under the headline
        (f"{HEADLINE}\nASTANA, 14 March 2025. {BODY}", "Astana", date(2025, 3, 14), HEADLINE),
        (f"{HEADLINE}\n\nBrussels, 5 May 2024 – {BODY}", "Brussels", date(2024, 5, 5), HEADLINE),
        # date first, on a line of its own or before the body
        (f"{HEADLINE}\n3 June 2024, Vilnius\n{BODY}", "Vilnius", date(2024, 6, 3), HEADLINE),
        # a seat of government before its city: the city is the place
        (f"{HEADLINE}\nParliament Buildings, Georgetown, 21 October 2025\n{BODY}", "Georgetown",
         date(2025, 10, 21), HEADLINE),
        (f"3 June 2024, Vilnius – {BODY}", "Vilnius", date(2024, 6, 3), BODY_LINES[0][:20]),
        (f"{HEADLINE}\nJune 3, 2024, Vilnius, Lithuania\n\n{BODY}", "Vilnius",
         date(2024, 6, 3), HEADLINE),
        (f"The Hague, 14 March 2025 – {BODY}", "The Hague", date(2025, 3, 14), BODY[:20]),
        # first line, as before: place, country, month and day
        (f"BAKU, Azerbaijan, November 21. {BODY}", "Baku", None, BODY[:20]),
        (f"BAKU, November 21\n{BODY}", "Baku", None, BODY[:20]),
    ],
)
def test_dateline_in_the_opening_lines(text, place, published, first_line):
    docs, _ = ingest({"d.txt": text.encode()})
    d = docs.loc["d"]
    assert (d.place, d.published) == (place, published)
    assert d.text.startswith(first_line)
    dates = ("14 March 2025", "5 May 2024", "3 June 2024", "June 3, 2024", "November 21")
    assert not [s for s in dates if s in d.text]


@pytest.mark.parametrize(
    "text",
    [
        f"{HEADLINE}\nHowever, 14 March 2025 – the ministry said nothing. {BODY}",
        f"{HEADLINE}\nOn 14 March 2025, the ministry said nothing. {BODY}",
        f"{HEADLINE}\nBrussels, March 14 - {BODY}",  # a later line needs a year or capitals
        "Line one\nLine two\nLine three\nLine four\nLine five\n"
        f"Baku, 14 March 2025. {BODY}",  # beyond the opening lines
    ],
)
def test_sentences_shaped_like_datelines_stay(text):
    docs, _ = ingest({"d.txt": text.encode()})
    d = docs.loc["d"]
    assert d.place is None
    assert "14 March" in d.text or "March 14" in d.text


def test_dateline_rules_are_data_without_country_names():
    import pycountry

    rules = json.loads(DATELINES_FILE.read_text(encoding="utf-8"))
    assert rules["opening_lines"] >= 2
    names = {c.name.casefold() for c in pycountry.countries}
    assert not names & {w.casefold() for w in rules["not_places"]}
    patterns = " ".join(
        p.pattern.casefold() for p in (metadata._DATELINE, metadata._DATELINE_DATE_FIRST)
    )
    assert not [n for n in names if n in patterns]


# ----------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_pdf_and_docx_statements_through_claimflow_run(tmp_path):
    from typer.testing import CliRunner

    from claimflow.cli import app
    from claimflow.contract.parquet import read_table
    from claimflow.contract.schemas import DOCUMENTS, SENTENCES

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "kz.pdf").write_bytes(STATEMENT_PDF)
    (raw / "lt.docx").write_bytes(
        make_docx([
            "Statement of the Ministry of Foreign Affairs of Lithuania",
            "3 June 2024, Vilnius",
            "The Ministry of Foreign Affairs of the Republic of Lithuania strongly condemns "
            "the statement made by Russia and rejects its accusations as unfounded.",
            "We call on Russia to stop spreading disinformation.",
        ])
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["run", str(raw), "--out-dir", str(out), "--set", "classify.backend=linear"]
    )
    assert result.exit_code == 0, result.output
    docs = read_table(out / DOCUMENTS.filename, DOCUMENTS).set_index("doc_id")
    assert (docs.loc["kz", "published"], docs.loc["kz", "place"]) == (date(2025, 3, 14), "Astana")
    assert (docs.loc["lt", "published"], docs.loc["lt", "place"]) == (date(2024, 6, 3), "Vilnius")
    assert docs.loc["kz", "speaker_code"] == "KAZ-MFA"
    assert docs.loc["lt", "speaker_code"] == "LTU-MFA"
    sents = read_table(out / SENTENCES.filename, SENTENCES)
    assert not sents["text"].str.contains("ASTANA|14 March 2025|2024, Vilnius", regex=True).any()
    assert sents.groupby("doc_id").size().min() >= 3
