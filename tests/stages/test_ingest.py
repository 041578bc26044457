"""Ingest stage: real seed statements, bad input, determinism."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from claimflow.config import IngestSettings
from claimflow.contract.parquet import to_table
from claimflow.contract.schemas import DOCUMENTS, INGEST_REPORT
from claimflow.errors import ClaimflowError
from claimflow.stages.ingest import RawFile, build_documents, decode_bytes, discover, discovery

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
GOLD = Path(__file__).resolve().parents[3] / "shared" / "gold" / "seeds.jsonl"

D000 = "000_f4b2c18048fe893e"
D001 = "001_c56c4b56bacef168"
D003 = "003_9a27125245b60c55"
D004 = "004_54f105280d23d448"


def run(raw_dir: Path, **kw):
    settings = IngestSettings(**kw)
    return build_documents(discover(raw_dir, settings), settings)


def reasons(report, path: str) -> list[tuple[str, str]]:
    rows = report[report["path"] == path]
    return list(zip(rows["status"], rows["reason"], strict=True))


# ----------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seeds():
    if not RAW.is_dir():
        pytest.skip("data/raw not present")
    docs, report = run(RAW)
    return docs.set_index("doc_id", drop=False), report


def test_ingest_frames_match_contract(seeds):
    docs, report = seeds
    assert list(docs.columns) == DOCUMENTS.columns
    assert list(report.columns) == INGEST_REPORT.columns
    to_table(docs.reset_index(drop=True), DOCUMENTS)  # raises on nulls / wrong types
    to_table(report, INGEST_REPORT)
    assert (docs["n_chars"] == docs["text"].str.len()).all()
    assert docs["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert report.empty, report.to_dict("records")


def test_ingest_seed_000_dateline(seeds):
    docs, _ = seeds
    d = docs.loc[D000]
    assert d.published == date(2024, 11, 21)
    assert d.place == "Baku"
    assert d.outlet == "Trend"
    assert d.speaker is None and d.speaker_code is None
    assert d.text.startswith("The National Parliament of the Republic of Azerbaijan")
    assert "date 2024" not in d.text and "BAKU" not in d.text
    assert "Trend reports." in d.text  # the credit is inside a sentence: kept


def test_the_holder_of_a_page_copyright_line_is_its_outlet(tmp_path):
    (tmp_path / "page.txt").write_text(
        "Home | Press Service | Contacts\n\nComment of the Press Service\n\nWe reject the "
        "claims made on 3 May by the neighbouring ministry.\n\nSitemap | RSS\n"
        "\u00a9 2025 Ministry of Foreign Affairs of the Republic of Estonia. All rights "
        "reserved.\n", encoding="utf-8")
    (tmp_path / "wire.txt").write_text(
        "The ministry rejected the claims on Monday.\n\nCopyright 2025\n", encoding="utf-8")
    docs, _ = run(tmp_path)
    docs = docs.set_index("path")
    holder = "Ministry of Foreign Affairs of the Republic of Estonia"
    assert docs.loc["page.txt", "outlet"] == holder
    assert "\u00a9" not in docs.loc["page.txt", "text"]  # the line itself is boilerplate
    assert docs.loc["wire.txt", "outlet"] is None


def test_ingest_seed_001_title_outlet_byline(seeds):
    docs, _ = seeds
    d = docs.loc[D001]
    assert d.outlet == "Caliber.Az"
    assert d.title == "Azerbaijan denounces European Parliament's biased resolution over Karabakh"
    assert d.text.startswith(d.title)
    assert "Tamilla Hasanova" not in d.text


def test_ingest_seed_003_number_and_russian(seeds):
    docs, _ = seeds
    d = docs.loc[D003]
    assert d.doc_number == "065/20"
    assert d.title.startswith("Head of the Press Service Department")
    assert d.lang == "en"
    assert "Министерство" in d.text or "МИД" in d.text
    assert "Share this page" not in d.text and "All rights reserved" not in d.text
    assert "Privacy Policy" not in d.text


def test_ingest_seed_004_teaser_and_boilerplate(seeds):
    docs, _ = seeds
    d = docs.loc[D004]
    title = "Azerbaijan’s MFA releases statement on latest situation in region"
    assert d.published == date(2023, 7, 29)
    assert d.outlet == "Report"
    assert d.title == title
    assert d.text.count(title) == 1
    assert "when one m\n" not in d.text and not d.text.rstrip().endswith("when one m")
    assert d.text.count("The Republic of Azerbaijan for almost 30 years") == 1
    for junk in ("Latest news", "Orphus sistemi", "Foreign policy", "09:19"):
        assert junk not in d.text


def test_ingest_gold_sentences_are_substrings(seeds):
    if not GOLD.exists():
        pytest.skip("gold seeds not available")
    docs, _ = seeds
    missing = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if rec["doc_id"] not in docs.index:
            missing.append((rec["doc_id"], "doc"))
        elif rec["text"] not in docs.loc[rec["doc_id"]].text:
            missing.append((rec["doc_id"], rec["sent_index"]))
    assert not missing


# ----------------------------------------------------------------------------- bad input

ENGLISH = (
    "The Ministry of Foreign Affairs categorically rejects the accusations made against our "
    "country and calls on the parliament to refrain from interference in internal affairs.\n"
)
FRENCH = (
    "Le ministère des Affaires étrangères rejette catégoriquement les accusations portées contre "
    "notre pays et appelle le parlement à s'abstenir de toute ingérence dans les affaires "
    "intérieures de l'État.\n"
)
HTML = """<!doctype html><html><head><title>Statement on the resolution | MFA</title>
<meta property="article:published_time" content="2024-03-14T10:00:00+04:00">
<script>var tracking = "ignore me";</script></head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Statement on the resolution</h1>
<p>The Ministry of Foreign Affairs categorically rejects the resolution adopted by the European
Parliament on 13 March 2024, which contains baseless claims against our country.</p>
<p>We call on the European Parliament to refrain from interfering in the internal affairs of
sovereign states and to respect the norms of international law.</p></article>
<footer>All rights reserved.</footer></body></html>"""


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    (raw / "a_good.txt").write_text(
        "Ministry statement on the resolution\n\n" + ENGLISH, encoding="utf-8"
    )
    (raw / "empty.txt").write_bytes(b"")
    (raw / "blank.txt").write_bytes(b"  \n\n\t\n")
    (raw / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (raw / "undecodable.txt").write_bytes(bytes(range(0x80, 0x100)) * 4)
    (raw / "latin1.txt").write_bytes(
        (
            "Communiqué du Ministère\n\nThe Ministère des Affaires étrangères rejects the claims "
            "made against the country in the resolution of the Senate.\n"
        ).encode("latin-1")
    )
    (raw / "big.txt").write_text(ENGLISH * 200, encoding="utf-8")  # ~35 kB > 0.01 MB
    (raw / "page.html").write_text(HTML, encoding="utf-8")
    (raw / "french.txt").write_text(FRENCH, encoding="utf-8")
    (raw / "z_dup_bytes.txt").write_bytes((raw / "a_good.txt").read_bytes())
    (raw / "z_dup_text.md").write_bytes((raw / "a_good.txt").read_bytes().replace(b"\n", b"\r\n"))
    (raw / "bom.txt").write_bytes(
        b"\xef\xbb\xbf" + ("BOM statement\n\n" + ENGLISH.replace("Ministry", "Cabinet")).encode()
    )
    (raw / "archive.txt.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"x" * 40)
    (raw / "scan.pdf").write_bytes(b"%PDF-1.4 whatever")
    (raw / ".hidden.txt").write_text(ENGLISH)
    sub = raw / "sub" / "deep"
    sub.mkdir(parents=True)
    (sub / "nested.txt").write_text(ENGLISH.replace("parliament", "senate"), encoding="utf-8")
    (raw / "dangling.txt").symlink_to(raw / "no-such-file.txt")
    (raw / "sub" / "loop").symlink_to(raw / "sub", target_is_directory=True)
    (raw / "selfloop.txt").symlink_to(raw / "selfloop.txt")
    records = [
        json.dumps(
            {
                "id": "r1",
                "text": ENGLISH.replace("Ministry", "Presidency"),
                "title": "R one",
                "date": "2024-03-01",
                "url": "https://example.org/r1",
            }
        ),
        "{not json at all",
        json.dumps({"id": "r2", "title": "no text here"}),
        json.dumps({"id": "../../etc/x\x00", "text": ENGLISH.replace("country", "nation")}),
        json.dumps({"id": "a/b\x07c", "text": ENGLISH.replace("country", "state")}),
        json.dumps({"id": "r1", "text": "A different text with the same id as an earlier record."}),
        json.dumps(
            {"id": "r3", "text": ENGLISH.replace("Ministry", "Office"), "date": "yesterday-ish"}
        ),
    ]
    (raw / "records.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    (raw / "table.csv").write_text(
        "id,title,date,text\n"
        f'c1,CSV title,"July 29, 2023","{ENGLISH.strip().replace("Ministry", "Embassy")}"\n'
        "c2,,,\n",
        encoding="utf-8",
    )
    locked = raw / "locked.txt"
    locked.write_text(ENGLISH.replace("Ministry", "Senate"))
    locked.chmod(0)
    logged = []
    settings = IngestSettings(max_file_mb=0.01)
    with pytest.MonkeyPatch.context() as mp:
        if os.geteuid() == 0:  # root reads a chmod 000 file: refuse it as the OS would
            mp.setattr(discovery, "open", _open_refusing(locked), raising=False)
        docs, report = build_documents(discover(raw, settings), settings, log_fn=logged.append)
    yield raw, docs.set_index("doc_id", drop=False), report, logged
    locked.chmod(0o644)


def _open_refusing(locked: Path):
    def refusing_open(path, *args, **kwargs):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return open(path, *args, **kwargs)
    return refusing_open


def test_ingest_bad_input_run_goes_on(bad_corpus):
    _, docs, report, logged = bad_corpus
    assert "a_good" in docs.index
    assert len(logged) == len(report)
    assert set(report["status"]) <= {"skipped", "duplicate", "warning"}
    assert report["reason"].str.len().gt(5).all()
    to_table(docs.reset_index(drop=True), DOCUMENTS)
    to_table(report, INGEST_REPORT)


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [
        ("empty.txt", "skipped", "empty file"),
        ("blank.txt", "skipped", "empty file"),
        ("binary.txt", "skipped", "binary file (NUL bytes)"),
        ("undecodable.txt", "skipped", "undecodable bytes"),
        ("archive.txt.gz", "skipped", "compressed file, not supported"),
        ("scan.pdf", "skipped", "unreadable PDF (Stream has ended unexpectedly)"),
        ("z_dup_bytes.txt", "duplicate", "duplicate of a_good"),
        ("z_dup_text.md", "duplicate", "duplicate of a_good"),
        ("dangling.txt", "skipped", "broken symlink (target missing)"),
        ("selfloop.txt", "skipped", "symlink loop"),
        ("sub/loop", "skipped", "symlink loop (folder already visited)"),
        ("french.txt", "warning", "not English (detected fr): only sentence splitting applies"),
        ("table.csv#3", "skipped", "line 3: record has no text"),
        ("records.jsonl#2", "skipped", "line 2: not valid JSON, line skipped"),
        ("records.jsonl#3", "skipped", "line 3: record has no text"),
        ("records.jsonl#6", "skipped", "doc_id already used by records.jsonl#1"),
        ("records.jsonl#7", "warning", "line 7: unparseable date 'yesterday-ish'"),
    ],
)
def test_ingest_bad_input_reported(bad_corpus, path, status, reason):
    _, _, report, _ = bad_corpus
    assert (status, reason) in reasons(report, path)


def test_ingest_too_large(bad_corpus):
    _, docs, report, _ = bad_corpus
    [(status, reason)] = reasons(report, "big.txt")
    assert status == "skipped" and reason.startswith("larger than 0.01 MB limit")
    assert "big" not in docs.index


def test_ingest_unreadable_path(bad_corpus):
    _, docs, report, _ = bad_corpus
    assert reasons(report, "locked.txt") == [("skipped", "permission denied")]
    assert "locked" not in docs.index


def test_ingest_latin1_html_french_bom_nested(bad_corpus):
    _, docs, report, _ = bad_corpus
    lat = docs.loc["latin1"]
    assert "Ministère des Affaires étrangères" in lat.text and lat.lang == "en"
    page = docs.loc["page"]
    assert "categorically rejects the resolution" in page.text
    assert "tracking" not in page.text and "All rights reserved" not in page.text
    assert page.title and "Statement on the resolution" in page.title
    assert page.published == date(2024, 3, 14)
    fr = docs.loc["french"]
    assert fr.lang == "fr" and "Le ministère" in fr.text
    assert not docs.loc["bom"].text.startswith("\ufeff")
    assert "sub/deep/nested" in docs.index
    assert ".hidden" not in " ".join(docs.index)


def test_ingest_records(bad_corpus):
    _, docs, _, _ = bad_corpus
    r1 = docs.loc["r1"]
    assert r1.title == "R one" and r1.published == date(2024, 3, 1)
    assert r1.path == "records.jsonl#1"
    assert r1.text.startswith("The Presidency")
    assert "../../etc/x" in docs.index  # kept as plain data, NUL stripped
    assert "a/bc" in docs.index
    c1 = docs.loc["c1"]
    assert c1.title == "CSV title" and c1.published == date(2023, 7, 29)
    assert c1.path == "table.csv#2"


def test_ingest_missing_or_empty_raw_dir(tmp_path):
    with pytest.raises(ClaimflowError):
        discover(tmp_path / "nope", IngestSettings())
    (tmp_path / "empty").mkdir()
    with pytest.raises(ClaimflowError):
        discover(tmp_path / "empty", IngestSettings())
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ClaimflowError):
        discover(tmp_path / "afile", IngestSettings())


# ----------------------------------------------------------------------------- determinism


def test_ingest_deterministic_and_order_independent(bad_corpus):
    raw = bad_corpus[0]
    settings = IngestSettings(max_file_mb=0.01)
    files = list(discover(raw, settings))
    assert [f.rel for f in files] == sorted(f.rel for f in files)
    a = build_documents(files, settings)
    b = build_documents(list(reversed(files)), settings)
    c = build_documents(discover(raw, settings), settings)
    for x, y in ((a, b), (a, c)):
        assert x[0].equals(y[0])
        assert x[1].equals(y[1])


def test_ingest_build_is_pure_on_memory_input():
    settings = IngestSettings()
    text = ("Statement\n\n" + ENGLISH).encode()
    files = [
        RawFile(Path("x/b.txt"), "x/b.txt", text, None),
        RawFile(Path("a.txt"), "a.txt", text, None),
    ]
    docs, report = build_documents(files, settings)
    assert list(docs["doc_id"]) == ["a"]
    assert report.to_dict("records") == [
        {"path": "x/b.txt", "doc_id": "x/b", "status": "duplicate", "reason": "duplicate of a"}
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ministère".encode("cp1252"), "Ministère"),
        ("“Quoted” — text".encode("cp1252"), "“Quoted” — text"),
        (
            "Министерство иностранных дел отвергает обвинения.".encode("cp1251"),
            "Министерство иностранных дел отвергает обвинения.",
        ),
        ("Ünïcödé text".encode(), "Ünïcödé text"),
    ],
)
def test_ingest_decode(raw, expected):
    assert decode_bytes(raw) == (expected, None)


def test_ingest_permission_error_reported(tmp_path, monkeypatch):
    """Works as root too: opening the file raises PermissionError."""
    from claimflow.stages.ingest import discovery as ingest

    (tmp_path / "a.txt").write_text(ENGLISH)
    (tmp_path / "b.txt").write_text(ENGLISH.replace("Ministry", "Senate"))
    real_open = open

    def fake_open(path, *a, **kw):
        if Path(path).name == "a.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(path, *a, **kw)

    monkeypatch.setattr(ingest, "open", fake_open, raising=False)
    docs, report = run(tmp_path)
    assert list(docs["doc_id"]) == ["b"]
    assert reasons(report, "a.txt") == [("skipped", "permission denied")]


def test_ingest_html_fallback_when_trafilatura_returns_nothing(tmp_path, monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **kw: None)
    (tmp_path / "p.htm").write_text(HTML, encoding="utf-8")
    docs, report = run(tmp_path)
    text = docs.iloc[0].text
    assert "categorically rejects the resolution" in text
    assert "tracking" not in text and "Home" not in text and "All rights reserved" not in text
    assert report.empty


def test_ingest_outlet_not_taken_from_ordinary_sentences():
    settings = IngestSettings()
    body = (
        "Statement\n\nAzerbaijan’s Foreign Ministry reported that the talks went well. "
        "The Ministry reports to parliament every year on the situation in the region.\n"
    ).encode()
    docs, _ = build_documents([RawFile(Path("s.txt"), "s.txt", body, None)], settings)
    assert docs.iloc[0].outlet is None


def test_ingest_boilerplate_never_matches_gold_sentences():
    if not GOLD.exists():
        pytest.skip("gold seeds not available")
    from claimflow.stages.ingest import load_boilerplate

    patterns = load_boilerplate(IngestSettings().boilerplate)
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        assert not any(p.fullmatch(text.strip()) for p in patterns), text


def test_ingest_normalize_text_idempotent():
    from hypothesis import given
    from hypothesis import settings as hsettings
    from hypothesis import strategies as st

    from claimflow.stages.ingest import normalize_text

    @hsettings(max_examples=200, deadline=None)
    @given(st.text())
    def check(s):
        once = normalize_text(s)
        assert normalize_text(once) == once
        assert "\r" not in once and "\x00" not in once

    check()


def test_ingest_reads_each_raw_file_when_it_is_processed(tmp_path):
    """discover() holds no file's bytes: each file is read when build_documents reaches it
    (never the whole corpus at once), so a file gone by then is reported, not ingested."""
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ENGLISH.replace("Ministry", "Senate"), encoding="utf-8")
    settings = IngestSettings()
    files = list(discover(tmp_path, settings))
    (tmp_path / "a.txt").write_text(ENGLISH.replace("Ministry", "Parliament"), encoding="utf-8")
    (tmp_path / "b.txt").unlink()
    docs, report = build_documents(files, settings)
    assert list(docs["doc_id"]) == ["a"] and "Parliament" in docs["text"].iloc[0]
    assert reasons(report, "b.txt") == [("skipped", "file disappeared before it could be read")]
