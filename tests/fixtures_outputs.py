"""A small but realistic set of the six stage outputs, written with the real schemas.

Tests of the viewers (report, show, stats, notebook) use this instead of running the NLP
stages. Offsets are consistent: sentences index into ``documents.text``, triggers index
into the document too (``trigger_start - sentence.start_char`` is the offset in the
sentence). One document is hostile: its title, text, speaker and trigger carry HTML and
JavaScript that a viewer must show as text, never run.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from claimflow.contract.parquet import write_table
from claimflow.contract.schemas import CLAIMS, DOCUMENTS, ENTITIES, INGEST_REPORT, SENTENCES, TOKENS

HOSTILE_SCRIPT = "<script>document.title='pwned';alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_JS = "javascript:alert(1)"
HOSTILE_TITLE = "<script>alert(1)</script> Statement on </script><!-- injection"

# (doc_id, title, published, speaker, speaker_code, sentences)
# each sentence: (text, lang, claims) with claims: (type, trigger, target, target_code, conf)
_DOCS = [
    (
        "aze-leg-2024-11-21",
        "Statement of the Milli Majlis on the Luxembourg resolution",
        dt.date(2024, 11, 21),
        "Milli Majlis",
        "AZE-LEG",
        [
            ("The Milli Majlis of the Republic of Azerbaijan considers the resolution adopted "
             "by the Luxembourg Chamber of Deputies to be biased and unjust.", "en",
             [("accusation", "biased", "Luxembourg Chamber of Deputies", "LUX-LEG", 0.91)]),
            ("The allegations regarding the extraordinary presidential elections held on "
             "7 February 2024 are completely unfounded.", "en",
             [("denial", "completely unfounded", None, None, 0.88)]),
            ("Azerbaijan's progress in improving election practices has been recognised "
             "internationally.", "en", []),
            ("We call on the Luxembourg Parliament to refrain from such provocative steps.",
             "en", [("demand", "call on", "Luxembourg Parliament", "LUX-LEG", 0.83)]),
        ],
    ),
    (
        "arm-mfa-2024-12-05",
        "Comment of the MFA of Armenia on the statement of the Azerbaijani side",
        dt.date(2024, 12, 5),
        "Ministry of Foreign Affairs of Armenia",
        "ARM-MFA",
        [
            ("Azerbaijan continues to violate the ceasefire along the border, targeting "
             "civilian infrastructure.", "en",
             [("accusation", "violate", "Azerbaijan", "AZE", 0.94)]),
            ("Armenia has never shelled Azerbaijani positions, and such claims are "
             "disinformation.", "en",
             [("denial", "never", None, None, 0.79),
              ("accusation", "disinformation", "Azerbaijan", "AZE", 0.61)]),
            ("We urge Baku to withdraw its troops from the sovereign territory of Armenia.",
             "en", [("demand", "urge", "Azerbaijan", "AZE", 0.9)]),
            ("Армения остается приверженной мирной повестке.", "ru", []),
        ],
    ),
    (
        "aze-mfa-2024-12-05",
        "Response of the MFA of Azerbaijan to the European Parliament",
        dt.date(2024, 12, 5),
        "Ministry of Foreign Affairs of Azerbaijan",
        "AZE-MFA",
        [
            ("The European Parliament once again demonstrates its biased approach towards "
             "Azerbaijan.", "en",
             [("accusation", "biased approach", "European Parliament", "EP", 0.87)]),
            ("We demand that the European Parliament stop interfering in the internal "
             "affairs of Azerbaijan.", "en",
             [("demand", "demand", "European Parliament", "EP", 0.92)]),
            ("Azerbaijan rejects the accusations of ethnic cleansing as groundless.", "en",
             [("denial", "rejects", None, None, 0.9)]),
        ],
    ),
    (
        "ep-resolution-undated",
        "European Parliament resolution on Azerbaijan",
        None,
        "European Parliament",
        "EP",
        [
            ("The European Parliament calls on Azerbaijan to release all political "
             "prisoners.", "en",
             [("demand", "calls on", "Azerbaijan", "AZE", 0.95)]),
            ("The Parliament condemns the continued crackdown on independent media.", "en",
             [("accusation", "condemns", "Azerbaijan", "AZE", 0.8)]),
            ("Le Parlement européen suit la situation de près.", "fr", []),
        ],
    ),
    (
        "arm-2025-02-01-hostile",
        HOSTILE_TITLE,
        dt.date(2025, 2, 1),
        f"Spokesperson {HOSTILE_IMG}",
        "ARM",
        [
            (f"Officials deny the report {HOSTILE_SCRIPT} as fabricated.", "en",
             [("denial", HOSTILE_SCRIPT, None, None, 0.7)]),
            (f"They accuse the site {HOSTILE_IMG} of spreading lies; see {HOSTILE_JS} "
             "for details.", "en",
             [("accusation", "accuse", f"Site {HOSTILE_IMG}", "=CMD|' /C calc'!A0", 0.66)]),
            ("+1 we demand an apology from Azerbaijan.", "en",
             [("demand", "demand", "Azerbaijan", "AZE", 0.71)]),
        ],
    ),
]

_ACTOR_CODES = {
    "Azerbaijan": "AZE",
    "Armenia": "ARM",
    "Baku": "AZE",
    "European Parliament": "EP",
    "Luxembourg": "LUX",
    "Milli Majlis": "AZE-LEG",
}


def fixture_frames() -> dict[str, pd.DataFrame]:
    docs, sents, ents, toks, claims = [], [], [], [], []
    for doc_id, title, published, speaker, speaker_code, sentences in _DOCS:
        text = ""
        for sent_id, (stext, lang, sclaims) in enumerate(sentences):
            if text:
                text += " " if sent_id % 2 else "\n\n"
            start = len(text)
            text += stext
            sents.append(dict(doc_id=doc_id, sent_id=sent_id, start_char=start,
                              end_char=start + len(stext), text=stext, lang=lang))
            if lang == "en":
                for i, m in enumerate(re.finditer(r"\S+", stext)):
                    toks.append(dict(doc_id=doc_id, sent_id=sent_id, i=i,
                                     start_char=start + m.start(), end_char=start + m.end(),
                                     text=m.group(), ws=True, lemma=m.group().lower(),
                                     pos="X", tag="X", dep="dep", head=0))
                for name, code in _ACTOR_CODES.items():
                    for m in re.finditer(re.escape(name), stext):
                        ents.append(dict(doc_id=doc_id, sent_id=sent_id,
                                         start_char=start + m.start(),
                                         end_char=start + m.end(), text=name,
                                         label="GPE" if len(code) == 3 else "ORG",
                                         actor=name, actor_code=code, source="gazetteer"))
            for ctype, trigger, target, target_code, conf in sclaims:
                pos = stext.find(trigger)
                assert pos >= 0, trigger
                claims.append(dict(
                    doc_id=doc_id, sent_id=sent_id, claim_type=ctype, confidence=conf,
                    trigger=trigger, trigger_start=start + pos,
                    trigger_end=start + pos + len(trigger), speaker=speaker,
                    speaker_code=speaker_code, target=target, target_code=target_code,
                    method="model+cue", text=stext))
        docs.append(dict(
            doc_id=doc_id, path=f"data/raw/{doc_id}.txt", sha256=f"{len(docs):064x}",
            title=title, published=published, place=None, outlet="fixture",
            doc_number=None, speaker=speaker, speaker_code=speaker_code, lang="en",
            text=text, n_chars=len(text)))
    report = pd.DataFrame([
        dict(path="data/raw/empty.txt", doc_id=None, status="skipped", reason="empty file"),
        dict(path="data/raw/copy.txt", doc_id="aze-mfa-2024-12-05", status="duplicate",
             reason="same text as aze-mfa-2024-12-05"),
        dict(path="data/raw/odd.html", doc_id="ep-resolution-undated", status="warning",
             reason="no date found"),
    ])
    return {
        "documents": pd.DataFrame(docs),
        "sentences": pd.DataFrame(sents),
        "entities": pd.DataFrame(ents),
        "tokens": pd.DataFrame(toks),
        "claims": pd.DataFrame(claims),
        "ingest_report": report,
    }


def write_fixture_outputs(out_dir: Path) -> Path:
    """Write the six parquet outputs into ``out_dir``; return it."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = fixture_frames()
    for spec in (DOCUMENTS, SENTENCES, ENTITIES, TOKENS, CLAIMS, INGEST_REPORT):
        write_table(frames[spec.kind], out_dir / spec.filename, spec)
    return out_dir


if __name__ == "__main__":  # pragma: no cover - handy for trying the viewers by hand
    import sys

    print(write_fixture_outputs(Path(sys.argv[1] if len(sys.argv) > 1 else "fixture_out")))
