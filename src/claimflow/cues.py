"""Cue patterns: the words that carry a denial, accusation or demand.

Patterns live in data files (``data/cues/<claim_type>.jsonl``, spaCy ``Matcher`` token
patterns, one per line: ``{"id", "pattern", "weight"}``; ``none.jsonl`` holds hard-negative
contexts such as "the court rejected the appeal" or "calls for tenders"), plus
``lexicon.json``, word lists used by a few dependency rules coded below (a denial verb whose
object is a claim noun, a modal whose subject is not the speaker, "calls on X to").

Cue hits are features for the classifier (the model decides), and they give each positive
prediction its *trigger*: the character span of the words that carry the claim.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from claimflow.errors import ClaimflowError

log = logging.getLogger(__name__)

DEFAULT_CUES_DIR = Path(__file__).parent / "data" / "cues"
CUE_LABELS = ("denial", "accusation", "demand", "none")
NEGATORS = frozenset({"not", "no", "never", "n't", "neither", "nor", "without", "cannot"})


@dataclass(frozen=True)
class CueHit:
    cue_id: str  # "<label>:<id>"
    label: str  # denial | accusation | demand | none
    start: int  # token index
    end: int  # token index, exclusive
    weight: float
    negated: bool


def load_lexicon(cues_dir: Path | None = None) -> dict[str, frozenset[str]]:
    path = Path(cues_dir or DEFAULT_CUES_DIR) / "lexicon.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ClaimflowError(f"{path}: cannot read cue lexicon ({exc})") from None
    return {k: frozenset(w.lower() for w in v) for k, v in raw.items()}


class CueMatcher:
    """Token-pattern and dependency cues over one sentence Doc."""

    def __init__(self, vocab: Vocab, patterns: dict[str, list[dict]], lexicon: dict):
        self.vocab = vocab
        self.lex = lexicon
        self.matcher = Matcher(vocab, validate=True)
        self.meta: dict[int, tuple[str, str, float]] = {}
        for label, rows in patterns.items():
            for row in rows:
                key = f"{label}:{row['id']}"
                self.matcher.add(key, [row["pattern"]])
                self.meta[vocab.strings[key]] = (key, label, float(row.get("weight", 1.0)))

    @classmethod
    def load(cls, vocab: Vocab, cues_dir: Path | None = None) -> CueMatcher:
        cues_dir = Path(cues_dir or DEFAULT_CUES_DIR)
        patterns: dict[str, list[dict]] = {}
        for label in CUE_LABELS:
            path = cues_dir / f"{label}.jsonl"
            if not path.exists():
                continue
            rows = []
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ClaimflowError(f"{path}:{n}: not valid JSON ({exc})") from None
            patterns[label] = rows
        if not patterns:
            raise ClaimflowError(f"{cues_dir}: no cue pattern files found")
        return cls(vocab, patterns, load_lexicon(cues_dir))

    # ------------------------------------------------------------------ hits
    def hits(self, doc: Doc) -> list[CueHit]:
        """All cue hits in ``doc``: token patterns first, then dependency rules."""
        best: dict[tuple[int, int], int] = {}
        for match_id, start, end in self.matcher(doc):
            k = (match_id, start)
            if k not in best or end < best[k]:  # shortest span per pattern and start
                best[k] = end
        out: list[CueHit] = []
        for (match_id, start), end in best.items():
            key, label, weight = self.meta[match_id]
            out.append(CueHit(key, label, start, end, weight, _negated(doc, start, end)))
        out.extend(self._dep_hits(doc))
        return out

    def _dep_hits(self, doc: Doc) -> list[CueHit]:
        lex = self.lex
        claim_nouns = lex["claim_nouns"]
        deny_verbs = lex["deny_verbs"]
        false_adjs = lex["false_adjs"]
        modal = lex["modal_demand"]
        first = lex["first_person"]
        demand_verbs = lex["demand_verbs"]
        out: list[CueHit] = []
        for t in doc:
            lem = t.lemma_.lower()
            if lem in deny_verbs and t.pos_ == "VERB":
                for c in t.children:
                    if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in claim_nouns:
                        s, e = min(t.i, c.i), max(t.i, c.i) + 1
                        out.append(CueHit("denial:dep_deny_claim", "denial", s, e, 4.0,
                                          _negated(doc, t.i, t.i + 1)))
                        break
            elif lem in claim_nouns and t.pos_ in ("NOUN", "PROPN"):
                # "the claims ... are unfounded", "baseless claims"
                for c in t.children:
                    if c.dep_ == "amod" and c.lower_ in false_adjs:
                        out.append(CueHit("denial:dep_false_claim", "denial", min(c.i, t.i),
                                          max(c.i, t.i) + 1, 3.0, False))
                        break
                if t.dep_ in ("nsubj", "nsubjpass"):
                    h = t.head
                    for c in h.children:
                        if c.dep_ in ("acomp", "attr") and c.lower_ in false_adjs:
                            out.append(CueHit("denial:dep_claim_is_false", "denial", t.i, c.i + 1,
                                              3.0, _negated(doc, h.i, h.i + 1)))
                            break
            elif t.tag_ == "MD" and lem in modal or (lem == "need" and t.dep_ == "aux"):
                head = t.head
                subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
                if subj and subj[0].lower_ in first:
                    kind = "self"
                elif subj and any(c.dep_ == "nsubjpass" for c in subj):
                    kind = "passive"
                elif subj:
                    kind = "other"
                else:
                    kind = "none"
                out.append(CueHit(f"demand:dep_modal_{kind}", "demand", t.i, head.i + 1
                                  if head.i > t.i else t.i + 1,
                                  2.0 if kind == "other" else 0.5, _negated(doc, t.i, t.i + 1)))
            elif lem in demand_verbs and t.pos_ == "VERB":
                obj = [c for c in t.children if c.dep_ in ("dobj", "dative")]
                comp = [c for c in t.children if c.dep_ in ("xcomp", "ccomp")]
                if obj and comp:
                    out.append(CueHit("demand:dep_verb_obj_comp", "demand", t.i,
                                      max(obj[0].i, t.i) + 1, 2.0, _negated(doc, t.i, t.i + 1)))
        return out

    # ------------------------------------------------------------------ triggers
    def triggers(self, doc: Doc) -> dict[str, list[tuple[int, int]]]:
        """claim_type -> (start_char, end_char) spans, Doc-relative, best first."""
        by_type: dict[str, list[CueHit]] = {}
        for h in self.hits(doc):
            if h.label == "none" or h.negated and h.label != "denial":
                continue
            by_type.setdefault(h.label, []).append(h)
        out: dict[str, list[tuple[int, int]]] = {}
        for label, hs in by_type.items():
            hs.sort(key=lambda h: (-h.weight, -(h.end - h.start), h.start))
            spans: list[tuple[int, int]] = []
            toks: list[tuple[int, int]] = []
            for h in hs:
                if any(s <= h.start and h.end <= e for s, e in toks):
                    continue  # inside a better span already kept
                toks.append((h.start, h.end))
                span = doc[h.start : h.end]
                spans.append((span.start_char, span.end_char))
            out[label] = spans
        return out


def _negated(doc: Doc, start: int, end: int) -> bool:
    """A negator within the span, among its heads' children, or just before it."""
    for t in doc[start:end]:
        if any(c.dep_ == "neg" for c in t.children) or any(
            c.dep_ == "neg" for c in t.head.children
        ):
            return True
    for t in doc[max(0, start - 3) : start]:
        if t.lower_ in NEGATORS:
            return True
    return False
