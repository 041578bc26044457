"""Cue patterns: the words that carry a denial, accusation or demand.

Patterns live in data files (``data/cues/<claim_type>.jsonl``, spaCy ``Matcher`` token
patterns, one per line: ``{"id", "pattern", "weight"}``; ``none.jsonl`` holds hard-negative
contexts such as "the court rejected the appeal" or "calls for tenders", and a hard negative
with ``"vetoes": [claim types]`` rules those types out of its sentence unless a cue of the
type fires too, as the guidelines' hard negatives say), plus
``lexicon.json``, word lists used by a few dependency rules (a denial verb whose object is a
claim noun, a modal whose subject is not the speaker, "calls on X to").

Matching is spaCy's: one-token word lists through ``PhraseMatcher``, the other token patterns
through ``Matcher`` (each pattern's shortest match from each start is a hit), the dependency
rules through ``DependencyMatcher``. LOWER and LEMMA values are written lowercase; LEMMA
also matches a capitalised lemma (a headline word tagged PROPN).

Each cue (and each dependency rule) has a matcher of its own, run only on the sentences that
hold the words it requires (a word of each LEMMA/LOWER list of each token that is not
optional), so the hits are those of one matcher with every pattern: spaCy's ``Matcher``
tests word lists (``IN``) in Python at every token for every pattern, and most sentences need
one matcher or none.

Cue hits are features for the classifier (the model decides), and they give each positive
prediction its *trigger*: the character span of the words that carry the claim.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
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
_WORD_ATTRS = ("LEMMA", "LOWER")
_REQUIRED_OPS = (None, "1", "+")  # a token with one of these operators must be in the match
# token attributes a matcher refuses to read on a Doc that lacks them (spaCy's own check)
_ANNOTATIONS = ("TAG", "POS", "MORPH", "LEMMA", "DEP")
_DEP_RULE_ORDER = {"deny_claim": 0, "false_claim": 1, "claim_is_false": 2, "modal": 3,
                   "verb_obj_comp": 4}
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

    def words(self) -> dict[str, set[str]]:
        """The lowercased lemmas and words, by matcher attribute."""
        return {"LEMMA": set(self.lemma), "LOWER": set(self.lower)}

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


# --------------------------------------------------------------------------- matching


def _cased(words) -> list[str]:
    """A lowercase word list as the spellings a lemma can take."""
    out: dict[str, None] = {}
    for w in words:
        w = str(w).lower()
        for form in (w, w.capitalize(), w.title(), w.upper()):
            out.setdefault(form, None)
    return list(out)


def _token_spec(spec: dict, where: str) -> dict:
    if not isinstance(spec, dict):
        raise ClaimflowError(f"{where}: a pattern token must be an object, got {spec!r}")
    out = dict(spec)
    for key, spell in (("LOWER", lambda ws: [str(w).lower() for w in ws]), ("LEMMA", _cased)):
        val = out.get(key)
        if isinstance(val, str):
            out[key] = {"IN": spell([val])}
        elif isinstance(val, dict) and "IN" in val:
            out[key] = {**val, "IN": spell(val["IN"])}
    return out


def _lexicon_patterns(lex: dict[str, frozenset[str]]) -> dict[str, list]:
    """Patterns over lexicon words: ``Matcher`` token patterns for modals, and
    ``DependencyMatcher`` patterns for a claim denied, a false claim, and a demand verb with an
    addressee and a complement ("calls on X to ...")."""
    deny, claim = _cased(lex["deny_verbs"]), _cased(lex["claim_nouns"])
    false_adj, demand = sorted(lex["false_adjs"]), _cased(lex["demand_verbs"])
    claim_noun = {"LEMMA": {"IN": claim}, "POS": {"IN": ["NOUN", "PROPN"]}}
    return {
        "modal": [[{"TAG": "MD", "LEMMA": {"IN": _cased(lex["modal_demand"])}}],
                  [{"LEMMA": {"IN": _cased(["need"])}, "DEP": "aux"}]],
        "deny_claim": [[
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": deny}, "POS": "VERB"}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "claim",
             "RIGHT_ATTRS": {"DEP": {"IN": ["dobj", "nsubjpass"]}, "LEMMA": {"IN": claim}}}]],
        # "baseless claims"
        "false_claim": [[
            {"RIGHT_ID": "claim", "RIGHT_ATTRS": claim_noun},
            {"LEFT_ID": "claim", "REL_OP": ">", "RIGHT_ID": "adj",
             "RIGHT_ATTRS": {"DEP": "amod", "LOWER": {"IN": false_adj}}}]],
        # "the claims ... are unfounded"
        "claim_is_false": [[
            {"RIGHT_ID": "claim",
             "RIGHT_ATTRS": {**claim_noun, "DEP": {"IN": ["nsubj", "nsubjpass"]}}},
            {"LEFT_ID": "claim", "REL_OP": "$++", "RIGHT_ID": "adj",
             "RIGHT_ATTRS": {"DEP": {"IN": ["acomp", "attr"]}, "LOWER": {"IN": false_adj}}}]],
        "verb_obj_comp": [[
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": demand}, "POS": "VERB"}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "obj",
             "RIGHT_ATTRS": {"DEP": {"IN": ["dobj", "dative"]}}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "comp",
             "RIGHT_ATTRS": {"DEP": {"IN": ["xcomp", "ccomp"]}}}]],
    }


_Needs = tuple[tuple[tuple[str, frozenset[str]], ...], ...]  # per pattern: (attr, words)


def _required_words(tokens: list[dict]) -> tuple[tuple[str, frozenset[str]], ...]:
    """(LEMMA|LOWER, lowercased words) of each token of a pattern that must match: a
    sentence without one of these words cannot match it."""
    out = []
    for spec in tokens:
        if spec.get("OP") not in _REQUIRED_OPS:
            continue
        for attr in _WORD_ATTRS:
            val = spec.get(attr)
            if isinstance(val, dict) and "IN" in val:
                out.append((attr, frozenset(str(w).lower() for w in val["IN"])))
    return tuple(out)


class _Prefiltered:
    """Matchers, each with the words its patterns require (:func:`_required_words`), and an
    index from a word to the matchers that require it (each pattern by its shortest word
    list), so a sentence runs only the matchers whose required words it holds."""

    def __init__(self) -> None:
        self.matchers: list[Matcher | DependencyMatcher] = []
        self.needs: list[_Needs] = []
        self.by_word: dict[str, dict[str, set[int]]] = {attr: {} for attr in _WORD_ATTRS}
        self.always: set[int] = set()  # a pattern that requires no word

    def add(self, matcher: Matcher | DependencyMatcher, needs: _Needs) -> None:
        n = len(self.matchers)
        self.matchers.append(matcher)
        self.needs.append(needs)
        for pattern in needs:
            if not pattern:
                self.always.add(n)
                continue
            attr, words = min(pattern, key=lambda need: len(need[1]))
            for w in words:
                self.by_word[attr].setdefault(w, set()).add(n)

    def __call__(self, words: dict[str, set[str]]) -> list[Matcher | DependencyMatcher]:
        """The matchers that may match a sentence of these lowercased lemmas and words."""
        candidates = set(self.always)
        for attr, index in self.by_word.items():
            for w in words[attr]:
                found = index.get(w)
                if found:
                    candidates |= found
        return [self.matchers[n] for n in sorted(candidates)
                if any(all(not ws.isdisjoint(words[attr]) for attr, ws in pattern)
                       for pattern in self.needs[n])]


@dataclass(frozen=True)
class _Cue:
    key: str  # "<label>:<id>"
    label: str
    weight: float
    order: int  # position in the pattern files: hits at one token come in this order


class CueMatcher:
    """Cue hits of one sentence Doc: the data files' token patterns through spaCy's
    ``Matcher``, and rules over the lexicon through ``Matcher``/``DependencyMatcher``."""

    def __init__(self, vocab: Vocab, patterns: dict[str, list[dict]], lexicon: dict,
                 cues_dir: Path | None = None):
        self.vocab = vocab
        self.lex = lexicon
        # lemma/word -> lexicon classes, for class-level features in the classifier
        classes: dict[str, list[str]] = {}
        for cls_, words in lexicon.items():
            for w in words:
                classes.setdefault(w, []).append(cls_)
        self.word_classes: dict[str, tuple[str, ...]] = {w: tuple(c) for w, c in classes.items()}
        self.wrong_words = lexicon["accuse_verbs"] | lexicon["wrong_nouns"] | lexicon["wrong_adjs"]
        # word-list cues of one token ({"LEMMA"|"LOWER": {"IN": [...]}}) go to a
        # PhraseMatcher (a hash lookup per token), every other cue to a Matcher of its own
        self.token_matchers = _Prefiltered()
        self.annotations: set[str] = set()  # token attributes the patterns read
        self.word_matchers = {attr: PhraseMatcher(vocab, attr=attr) for attr in _WORD_ATTRS}
        self.cues: dict[int, _Cue] = {}  # match id (the key's string hash) -> cue
        self.vetoes: dict[str, frozenset[str]] = {}  # hard-negative cue key -> types it rules out
        for label, rows in patterns.items():
            for row in rows:
                where = f"{Path(cues_dir or '') / f'{label}.jsonl'}: cue {row.get('id')!r}"
                try:
                    key = f"{label}:{row['id']}"
                    pattern = [_token_spec(s, where) for s in row["pattern"]]
                    if not self._add_word_list(key, pattern):
                        self._add_token_matcher(key, [pattern])
                    cue = _Cue(key, label, float(row.get("weight", 1.0)), len(self.cues))
                except KeyError as exc:
                    raise ClaimflowError(f"{where}: no {exc} field") from None
                except (TypeError, ValueError) as exc:
                    msg = str(exc).strip().splitlines()
                    raise ClaimflowError(f"{where}: not a valid spaCy Matcher pattern "
                                         f"({msg[-1] if msg else exc!r})") from None
                self.cues[self.vocab.strings[key]] = cue
                vetoes = row.get("vetoes", [])
                if not isinstance(vetoes, list) or not all(v in CLAIM_TYPES for v in vetoes):
                    raise ClaimflowError(f"{where}: vetoes must be a list of claim types "
                                         f"({', '.join(CLAIM_TYPES)})")
                if vetoes:
                    self.vetoes[key] = frozenset(vetoes)
        lex_patterns = _lexicon_patterns(lexicon)
        self._modal = self.vocab.strings.add("_modal")
        self._add_token_matcher("_modal", lex_patterns.pop("modal"))
        self.dep_matchers = _Prefiltered()
        for name, pats in lex_patterns.items():
            dep_matcher = DependencyMatcher(vocab, validate=True)
            dep_matcher.add(name, pats)
            nodes = [[node["RIGHT_ATTRS"] for node in p] for p in pats]
            self.dep_matchers.add(dep_matcher, tuple(_required_words(n) for n in nodes))
            self._read_annotations(nodes)
            self.annotations.add("DEP")  # the relations between the nodes

    def _add_token_matcher(self, key: str, patterns: list[list[dict]]) -> None:
        matcher = Matcher(self.vocab, validate=True)
        matcher.add(key, patterns)
        self.token_matchers.add(matcher, tuple(_required_words(p) for p in patterns))
        self._read_annotations(patterns)

    def _read_annotations(self, patterns: list[list[dict]]) -> None:
        self.annotations.update(a for p in patterns for spec in p for a in spec
                                if a in _ANNOTATIONS)

    def _add_word_list(self, key: str, pattern: list[dict]) -> bool:
        """Add a one-token pattern that only lists words to the PhraseMatcher of its
        attribute; False for any other pattern."""
        if len(pattern) != 1 or len(pattern[0]) != 1:
            return False
        (attr, val), = pattern[0].items()
        if attr not in _WORD_ATTRS or not isinstance(val, dict) or set(val) != {"IN"}:
            return False
        words = [str(w) for w in val["IN"]]
        lemmas = words if attr == "LEMMA" else None
        self.word_matchers[attr].add(key, [Doc(self.vocab, words=[w], lemmas=lemmas and [w])
                                           for w in words])
        return True

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
        return cls(vocab, patterns, load_lexicon(cues_dir), cues_dir)

    # ------------------------------------------------------------------ hits
    def hits(self, doc: Doc | SentView) -> list[CueHit]:
        """All cue hits: token patterns (the shortest match of each pattern at each start),
        then dependency rules."""
        v = doc if isinstance(doc, SentView) else SentView.of(doc)
        for attr in _ANNOTATIONS:  # spaCy's check, done once for all the matchers
            if attr in self.annotations and not v.doc.has_annotation(attr):
                raise ClaimflowError(f"cue patterns need a tagged sentence (no {attr} "
                                     "annotation)")
        shortest: dict[tuple[int, int], int] = {}  # (start, match id) -> end
        modals: list[int] = []
        words = v.words()
        found = []
        for matcher in self.token_matchers(words):
            found += matcher(v.doc, allow_missing=True)
        for word_matcher in self.word_matchers.values():
            found += word_matcher(v.doc)
        for match_id, start, end in found:
            if match_id == self._modal:
                modals.append(start)
            elif shortest.get((start, match_id), end) >= end:
                shortest[(start, match_id)] = end
        cues = self.cues
        out: list[CueHit] = []
        for (i, match_id), e in sorted(shortest.items(),
                                       key=lambda kv: (kv[0][0], cues[kv[0][1]].order)):
            cue = cues[match_id]
            if cue.key in _SELF_SENSITIVE and self._self_subject(v, i):
                # "we will ensure ...": the speaker's own commitment, not a demand
                out.append(CueHit(cue.key + ":self", "none", i, e, cue.weight, False))
            else:
                out.append(CueHit(cue.key, cue.label, i, e, cue.weight, v.negated(i, e)))
        out.extend(self._dep_hits(v, sorted(set(modals)), words))
        return out

    def vetoed(self, hits: list[CueHit]) -> frozenset[str]:
        """Claim types a sentence's hard negatives rule out ("calls for tenders": no demand),
        unless a cue of that type fired elsewhere in it ("calls for tenders and urges X to
        ...")."""
        vetoing = [h for h in hits if h.cue_id in self.vetoes and not h.negated]
        out: set[str] = set()
        for v in vetoing:
            out |= self.vetoes[v.cue_id]
        for h in hits:
            if h.label in out and not h.negated and not any(
                    h.start < v.end and v.start < h.end for v in vetoing):
                out.discard(h.label)
        return frozenset(out)

    def _self_subject(self, v: SentView, i: int) -> bool:
        """The verb at ``i`` (or the verb it hangs on) has a first-person subject."""
        first = self.lex["first_person"]
        for h in (i, v.head[i]):
            for c in v.children[h]:
                if v.dep[c] in ("nsubj", "nsubjpass") and v.lower[c] in first:
                    return True
        return False

    def _dep_hits(self, v: SentView, modals: list[int], words: dict[str, set[str]]
                  ) -> list[CueHit]:
        """Hits of the lexicon rules, in token order (one rule per token: a denial verb, a
        claim noun, a modal, a demand verb); of several matching children the first counts."""
        first: dict[tuple[str, int], list[int]] = {}
        strings = self.vocab.strings
        for dep_matcher in self.dep_matchers(words):
            for match_id, toks in sorted(dep_matcher(v.doc), key=lambda m: m[1]):
                first.setdefault((strings[match_id], toks[0]), toks)
        found: list[tuple[int, int, CueHit]] = []
        negated = v.negated
        for (rule, i), toks in first.items():
            if rule == "deny_claim":
                c = toks[1]
                hit = CueHit("denial:dep_deny_claim", "denial", min(i, c), max(i, c) + 1, 4.0,
                             negated(i, i + 1))
            elif rule == "false_claim":
                c = toks[1]
                hit = CueHit("denial:dep_false_claim", "denial", min(c, i), max(c, i) + 1, 3.0,
                             False)
            elif rule == "claim_is_false":
                h = v.head[i]
                hit = CueHit("denial:dep_claim_is_false", "denial", i, toks[1] + 1, 3.0,
                             negated(h, h + 1))
            elif i in modals:  # verb_obj_comp: "need" as an auxiliary is a modal instead
                continue
            else:
                hit = CueHit("demand:dep_verb_obj_comp", "demand", i, max(toks[1], i) + 1, 2.0,
                             negated(i, i + 1))
            found.append((i, _DEP_RULE_ORDER[rule], hit))
        found.extend((i, _DEP_RULE_ORDER["modal"], self._modal_hit(v, i)) for i in modals)
        return [hit for _, _, hit in sorted(found, key=lambda f: f[:2])]

    def _modal_hit(self, v: SentView, i: int) -> CueHit:
        """A modal of obligation, by who must act: the speaker, a passive, someone else."""
        h = v.head[i]
        subj = [c for c in v.children[h] if v.dep[c] in ("nsubj", "nsubjpass", "expl")]
        if subj and v.lower[subj[0]] in self.lex["first_person"]:
            kind = "self"
        elif subj and v.dep[subj[0]] == "nsubjpass":
            kind = "passive"
        elif subj:
            kind = "other"
        else:
            kind = "none"
        end = h + 1 if h > i else i + 1
        return CueHit(f"demand:dep_modal_{kind}", "demand", i, end,
                      2.0 if kind == "other" else 0.5, v.negated(i, i + 1))

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

