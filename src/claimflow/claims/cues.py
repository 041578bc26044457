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

from spacy.tokens import Doc
from spacy.vocab import Vocab

from claimflow.config import PACKAGE_DATA
from claimflow.contract.schemas import CLAIM_TYPES
from claimflow.errors import ClaimflowError

log = logging.getLogger(__name__)

DEFAULT_CUES_DIR = PACKAGE_DATA / "cues"
CUE_LABELS = (*CLAIM_TYPES, "none")  # "none": patterns that argue against every type
# demand cues that are the speaker's own commitment when the subject is "we" ("we must",
# "we will ensure"); "we call on", "we urge" stay demands
_SELF_SENSITIVE = frozenset({"demand:stop_cease", "demand:modal_must", "demand:immediately",
                             "demand:let_imperative"})
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


@dataclass
class SentView:
    """Plain-list view of one parsed sentence (fast to scan repeatedly)."""

    doc: Doc
    lower: list[str]
    lemma: list[str]  # lowercased
    pos: list[str]
    tag: list[str]
    dep: list[str]
    head: list[int]
    children: list[list[int]]
    punct: list[bool]

    @classmethod
    def of(cls, doc: Doc) -> SentView:
        lower, lemma, pos, tag, dep, head, punct = [], [], [], [], [], [], []
        for t in doc:
            lower.append(t.lower_)
            lemma.append(t.lemma_.lower())
            p = t.pos_
            pos.append(p)
            tag.append(t.tag_)
            dep.append(t.dep_)
            head.append(t.head.i)
            punct.append(p == "PUNCT" or t.is_punct)
        children: list[list[int]] = [[] for _ in lower]
        for i, h in enumerate(head):
            if h != i:
                children[h].append(i)
        return cls(doc, lower, lemma, pos, tag, dep, head, children, punct)

    def negated(self, start: int, end: int) -> bool:
        """A negator among the children of the span's tokens or heads, or just before it."""
        dep, ch, head = self.dep, self.children, self.head
        for i in range(start, end):
            for c in ch[i]:
                if dep[c] == "neg":
                    return True
            for c in ch[head[i]]:
                if dep[c] == "neg":
                    return True
        for i in range(max(0, start - 3), start):
            if self.lower[i] in NEGATORS:
                return True
        return False


# --------------------------------------------------------------------------- token patterns
# A small subset of spaCy Matcher token patterns (LOWER, LEMMA, TEXT, POS, TAG with a string
# or {"IN": [...]}, IS_PUNCT, IS_SENT_START; OP "?", "*", "+", "{n,m}"), matched in pure
# Python from an index on each pattern's first word: spaCy's Matcher evaluates set
# predicates in Python for every token, which cost more than the whole rest of classify.
_FIELDS = {"LOWER": "lower", "LEMMA": "lemma", "TEXT": "lower", "POS": "pos", "TAG": "tag"}


def _compile_spec(spec: dict) -> tuple[tuple, int, int]:
    checks = []
    for key, val in spec.items():
        if key == "OP":
            continue
        if key in _FIELDS:
            if isinstance(val, dict):
                if set(val) != {"IN"}:
                    raise ClaimflowError(f"unsupported cue predicate {val}")
                vals = val["IN"]
            else:
                vals = [val]
            if key in ("LOWER", "LEMMA", "TEXT"):
                vals = [v.lower() for v in vals]
            checks.append((_FIELDS[key], frozenset(vals)))
        elif key == "IS_PUNCT":
            checks.append(("punct", bool(val)))
        elif key == "IS_SENT_START":
            checks.append(("sent_start", bool(val)))
        else:
            raise ClaimflowError(f"unsupported cue attribute {key}")
    op = spec.get("OP")
    if op is None:
        lo, hi = 1, 1
    elif op == "?":
        lo, hi = 0, 1
    elif op == "*":
        lo, hi = 0, 10_000
    elif op == "+":
        lo, hi = 1, 10_000
    elif op.startswith("{") and op.endswith("}"):
        a, _, b = op[1:-1].partition(",")
        lo, hi = int(a or 0), int(b) if b else 10_000
    else:
        raise ClaimflowError(f"unsupported cue OP {op}")
    return tuple(checks), lo, hi


def _ok(v: SentView, i: int, checks: tuple) -> bool:
    for field, want in checks:
        if field == "punct":
            if v.punct[i] != want:
                return False
        elif field == "sent_start":
            if (i == 0) != want:
                return False
        elif getattr(v, field)[i] not in want:
            return False
    return True


def _ends(v: SentView, specs: list, k: int, i: int, n: int, out: list[int]) -> None:
    if k == len(specs):
        out.append(i)
        return
    checks, lo, hi = specs[k]
    if lo == 0:
        _ends(v, specs, k + 1, i, n, out)
    j, pos = 0, i
    while j < hi and pos < n and _ok(v, pos, checks):
        pos += 1
        j += 1
        if j >= lo:
            _ends(v, specs, k + 1, pos, n, out)


class _Pattern:
    __slots__ = ("key", "label", "weight", "specs")

    def __init__(self, key, label, weight, specs):
        self.key, self.label, self.weight, self.specs = key, label, weight, specs


class CueMatcher:
    """Token-pattern and dependency cues over one sentence Doc."""

    def __init__(self, vocab: Vocab, patterns: dict[str, list[dict]], lexicon: dict):
        self.vocab = vocab
        self.lex = lexicon
        # lemma/word -> lexicon classes, for class-level features in the classifier
        classes: dict[str, list[str]] = {}
        for cls_, words in lexicon.items():
            for w in words:
                classes.setdefault(w, []).append(cls_)
        self.word_classes: dict[str, tuple[str, ...]] = {w: tuple(c) for w, c in classes.items()}
        self.wrong_words = lexicon["accuse_verbs"] | lexicon["wrong_nouns"] | lexicon["wrong_adjs"]
        # index: (field, word) -> patterns whose first token needs that word
        self.index: dict[tuple[str, str], list[_Pattern]] = {}
        self.unanchored: list[_Pattern] = []
        for label, rows in patterns.items():
            for row in rows:
                key = f"{label}:{row['id']}"
                specs = [_compile_spec(s) for s in row["pattern"]]
                for variant in _expand_leading_optional(specs):
                    pat = _Pattern(key, label, float(row.get("weight", 1.0)), variant)
                    anchor = next(((f, w) for f, w in variant[0][0]
                                   if f in ("lower", "lemma")), None)
                    if anchor is None:
                        self.unanchored.append(pat)
                        continue
                    for w in anchor[1]:
                        self.index.setdefault((anchor[0], w), []).append(pat)
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
    def hits(self, doc: Doc | SentView) -> list[CueHit]:
        """All cue hits: token patterns (shortest match per pattern and start), then
        dependency rules."""
        v = doc if isinstance(doc, SentView) else SentView.of(doc)
        n = len(v.lower)
        out: list[CueHit] = []
        seen: set[tuple[str, int]] = set()
        index = self.index
        for i in range(n):
            cands = index.get(("lemma", v.lemma[i]), ())
            c2 = index.get(("lower", v.lower[i]), ())
            if c2:
                cands = [*cands, *c2]
            if self.unanchored:
                cands = [*cands, *self.unanchored]
            for pat in cands:
                if (pat.key, i) in seen:
                    continue
                ends: list[int] = []
                _ends(v, pat.specs, 0, i, n, ends)
                ends = [e for e in ends if e > i]
                if ends:
                    seen.add((pat.key, i))
                    e = min(ends)
                    if pat.key in _SELF_SENSITIVE and self._self_subject(v, i):
                        # "we will ensure ...": the speaker's own commitment, not a demand
                        out.append(CueHit(pat.key + ":self", "none", i, e, pat.weight, False))
                        continue
                    out.append(CueHit(pat.key, pat.label, i, e, pat.weight, v.negated(i, e)))
        out.extend(self._dep_hits(v))
        return out

    def _self_subject(self, v: SentView, i: int) -> bool:
        """The verb at ``i`` (or the verb it hangs on) has a first-person subject."""
        first = self.lex["first_person"]
        for h in (i, v.head[i]):
            for c in v.children[h]:
                if v.dep[c] in ("nsubj", "nsubjpass") and v.lower[c] in first:
                    return True
        return False

    def _dep_hits(self, v: SentView) -> list[CueHit]:
        lex = self.lex
        claim_nouns = lex["claim_nouns"]
        deny_verbs = lex["deny_verbs"]
        false_adjs = lex["false_adjs"]
        modal = lex["modal_demand"]
        first = lex["first_person"]
        demand_verbs = lex["demand_verbs"]
        lemma, lower, pos, dep, ch, head = v.lemma, v.lower, v.pos, v.dep, v.children, v.head
        out: list[CueHit] = []
        for i, lem in enumerate(lemma):
            if lem in deny_verbs and pos[i] == "VERB":
                for c in ch[i]:
                    if dep[c] in ("dobj", "nsubjpass") and lemma[c] in claim_nouns:
                        out.append(CueHit("denial:dep_deny_claim", "denial", min(i, c),
                                          max(i, c) + 1, 4.0, v.negated(i, i + 1)))
                        break
            elif lem in claim_nouns and pos[i] in ("NOUN", "PROPN"):
                # "baseless claims", "the claims ... are unfounded"
                for c in ch[i]:
                    if dep[c] == "amod" and lower[c] in false_adjs:
                        out.append(CueHit("denial:dep_false_claim", "denial", min(c, i),
                                          max(c, i) + 1, 3.0, False))
                        break
                if dep[i] in ("nsubj", "nsubjpass"):
                    h = head[i]
                    for c in ch[h]:
                        if dep[c] in ("acomp", "attr") and lower[c] in false_adjs and c > i:
                            out.append(CueHit("denial:dep_claim_is_false", "denial", i, c + 1,
                                              3.0, v.negated(h, h + 1)))
                            break
            elif (v.tag[i] == "MD" and lem in modal) or (lem == "need" and dep[i] == "aux"):
                h = head[i]
                subj = [c for c in ch[h] if dep[c] in ("nsubj", "nsubjpass", "expl")]
                if subj and lower[subj[0]] in first:
                    kind = "self"
                elif subj and dep[subj[0]] == "nsubjpass":
                    kind = "passive"
                elif subj:
                    kind = "other"
                else:
                    kind = "none"
                end = h + 1 if h > i else i + 1
                out.append(CueHit(f"demand:dep_modal_{kind}", "demand", i, end,
                                  2.0 if kind == "other" else 0.5, v.negated(i, i + 1)))
            elif lem in demand_verbs and pos[i] == "VERB":
                obj = [c for c in ch[i] if dep[c] in ("dobj", "dative")]
                comp = [c for c in ch[i] if dep[c] in ("xcomp", "ccomp")]
                if obj and comp:
                    out.append(CueHit("demand:dep_verb_obj_comp", "demand", i,
                                      max(obj[0], i) + 1, 2.0, v.negated(i, i + 1)))
        return out

    # ------------------------------------------------------------------ triggers
    def triggers(self, doc: Doc, hits: list[CueHit] | None = None
                 ) -> dict[str, list[tuple[int, int]]]:
        """claim_type -> (start_char, end_char) spans, Doc-relative, best first."""
        by_type: dict[str, list[CueHit]] = {}
        for h in self.hits(doc) if hits is None else hits:
            if h.label == "none" or (h.negated and h.label != "denial"):
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


def _expand_leading_optional(specs: list) -> list[list]:
    """Patterns starting with optional tokens become variants with and without them."""
    if not specs:
        raise ClaimflowError("empty cue pattern")
    checks, lo, hi = specs[0]
    if lo >= 1:
        return [specs]
    rest = _expand_leading_optional(specs[1:]) if len(specs) > 1 else []
    if hi == 1:
        return [[(checks, 1, 1), *specs[1:]], *rest]
    return [[(checks, 1, hi), *specs[1:]], *rest]
