"""Who a claim is about (target) and who is quoted as making it (in-sentence speaker).

Both work on one parsed sentence Doc plus its actor mentions, from the dependency tree only
(what survives ``docbridge.doc_from_rows``). Word lists come from ``data/cues/lexicon.json``
and ``data/cues/parties.json``.

Target attribution is a learned ranker: :func:`target_candidates` proposes parties (actor
mentions, noun phrases headed by party nouns such as "the de facto authorities", the
previous target of the document and the document's most frequent other actors) and
describes each with sparse binary features; a logistic-regression model
(``data/target_model.json``, plain weights, trained by ``training/train_targets.py``)
scores them and :func:`find_target` returns the best one.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from claimflow.claims.cues import DEFAULT_CUES_DIR, load_lexicon
from claimflow.config import PACKAGE_DATA
from claimflow.errors import ModelFileError
from claimflow.nlp.docs import ActorMention

DEFAULT_RANKER = PACKAGE_DATA / "target_model.json"

# Mention labels that never name a party.
_NON_ACTOR = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY",
                        "LANGUAGE", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT"})
# Places: a party only when the gazetteer gave them an actor code.
_PLACES = frozenset({"GPE", "LOC", "FAC"})
_SUBJ = ("nsubj", "nsubjpass")
_DETS = frozenset({"the", "this", "that", "these", "those"})


@dataclass(frozen=True, eq=False)
class AttributionData:
    """What attribution reads: the cue lexicon, the word lists of ``parties.json`` and the
    target ranker ({"bias", "weights": {feature: weight}, "threshold"}).

    ``hard_own``: mentions of the speaker's own state or body are never targets. The default
    (False) keeps them as candidates marked "own_state" for the ranker, which learns when the
    speaker's own side is the target: a rebuttal that reports the charge made against it
    ("X accused the government of Y" -> the government).
    ``governing_lemmas``: raw governing-lemma features. ``doc_candidates``: how many of the
    document's most frequent other actors become candidates; ``doc_uncoded``: how many of
    its most frequent uncoded parties (organisations and persons the gazetteer does not
    know: a newspaper, a panel whose report is rebutted, a politician); ``doc_sources``: how
    many of the parties that author a claim in the document (the report a rebuttal denies)
    become candidates when no other candidate already stands for them. ``doc_objects``:
    candidates the document accuses or addresses elsewhere ("urged X to", "accused X of")
    are marked "doc_object".
    """

    lexicon: dict[str, frozenset[str]]
    parties: dict[str, frozenset[str]]
    ranker: dict
    hard_own: bool = False
    governing_lemmas: bool = True
    doc_candidates: int = 2
    doc_uncoded: int = 1
    claim_sources: bool = True
    doc_sources: int = 2
    doc_objects: bool = True

    @property
    def first_person(self) -> frozenset[str]:
        return self.lexicon["first_person"]

    @classmethod
    def load(cls, cues_dir: Path | None = None, ranker: Path | None = None) -> AttributionData:
        """From a cue folder (``lexicon.json``, ``parties.json``) and a ranker file; cached."""
        return _load(Path(cues_dir or DEFAULT_CUES_DIR), Path(ranker or DEFAULT_RANKER))


@lru_cache(maxsize=8)
def _load(cues_dir: Path, ranker: Path) -> AttributionData:
    raw = json.loads((cues_dir / "parties.json").read_text(encoding="utf-8"))
    parties = {k: frozenset(v) for k, v in raw.items() if isinstance(v, list)}
    return AttributionData(load_lexicon(cues_dir), parties, load_ranker(ranker))


def load_ranker(path: Path) -> dict:
    """The target ranker of a JSON file: {"weights": {feature: number}, "bias", "threshold"}.

    A missing, unreadable or malformed file raises :class:`ModelFileError` naming it."""
    try:
        model = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot read target model ({exc.strerror})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{path}: target model is not valid JSON ({exc})") from None
    if not isinstance(model, dict) or not isinstance(model.get("weights"), dict):
        raise ModelFileError(f"{path}: target model needs a 'weights' object")
    numbers = [model.get("bias", 0.0), model.get("threshold", -math.inf),
               *model["weights"].values()]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
        raise ModelFileError(f"{path}: target model 'bias', 'threshold' and 'weights' "
                             "must be numbers")
    if not all(math.isfinite(v) for v in numbers[2:]) or math.isnan(numbers[0]):
        raise ModelFileError(f"{path}: target model weights must be finite numbers")
    return {**model, "bias": float(numbers[0]), "threshold": float(numbers[1])}


@dataclass
class Candidate:
    """One possible target: text as written, actor code, where it came from, features."""

    text: str
    code: str | None
    kind: str  # "mention" | "np" | "context" | "doc"
    start: int = -1  # head token index in the sentence (-1 when not in the sentence)
    features: list[str] = field(default_factory=list)


# Uncoded mentions that name a party the document may be answering (a newspaper, a panel,
# a politician); passed in ``doc_actors`` keyed by (text, None).
UNCODED_PARTY_LABELS = frozenset({"ORG", "PERSON"})


def document_actors(mentions: Iterable[list[ActorMention]],
                    uncoded_labels: frozenset[str] = UNCODED_PARTY_LABELS,
                    docs: Iterable[Doc] | None = None,
                    data: AttributionData | None = None) -> Counter:
    """``doc_actors`` for :func:`find_target`: (text, actor code) of the coded, non-SELF
    mentions of a document's sentences, plus (text, None) of its uncoded organisations and
    persons (``uncoded_labels``). With the sentences' ``docs``, a mention that authors a
    claim ("the newspaper's report", "a report by X", "X alleged") also counts under
    (text, code, "source"): the party whose statement a rebuttal denies; a mention that a
    claim verb accuses or addresses ("urged X to", "accused X of", "allegations against X")
    also counts under (text, code, "object")."""
    data = data or AttributionData.load()
    out: Counter = Counter()
    pairs = zip(mentions, docs, strict=True) if docs is not None else ((ms, None)
                                                                      for ms in mentions)
    for ms, doc in pairs:
        for m in ms:
            if m.label == "SELF" or m.end <= m.start:
                continue
            if not m.actor_code and m.label not in uncoded_labels:
                continue
            key = (clean_mention(m.text), m.actor_code or None)
            out[key] += 1
            if doc is not None and _claim_source(doc, m, data):
                out[(*key, "source")] += 1
            if doc is not None and data.doc_objects and _accused_object(doc, m, data):
                out[(*key, "object")] += 1
    return out


def _claim_source(doc: Doc, m: ActorMention, data: AttributionData) -> bool:
    """The mention authors a claim: "X's report", "a report by / in X", "the X report",
    "X alleged / published ...", "published by X"."""
    nouns = data.lexicon["claim_nouns"]
    verbs = data.parties.get("source_verbs", frozenset())
    h = _head(doc, m)
    while h.dep_ in ("appos", "compound") and h.head is not h and h.head.pos_ == "PROPN":
        h = h.head  # "the Russian daily Izvestia", "the Forbidden Stories consortium"
    gov = h.head
    if gov is h:
        return False

    def claim(t: Token) -> bool:
        return t.lemma_.lower() in nouns or t.lower_ in nouns

    if h.dep_ in ("poss", "compound", "nmod") and claim(gov):
        return True
    if h.dep_ == "nsubj" and gov.lemma_.lower() in verbs:
        return True
    if h.dep_ == "pobj" and gov.lower_ in ("by", "in", "of", "from"):
        gg = gov.head
        if claim(gg) or (gov.lower_ == "by" and gg.lemma_.lower() in verbs):
            return True
        # "a report in the Russian daily Izvestia": daily <- in <- report
    if h.dep_ == "appos" and gov.dep_ == "pobj" and gov.head.head is not gov.head:
        return claim(gov.head.head)
    return False


def _accused_object(doc: Doc, m: ActorMention, data: AttributionData) -> bool:
    """The mention is the party a verb accuses or addresses ("accused X", "urged X",
    "called on X") or the party something is aimed at ("accusations against X")."""
    verbs = data.parties["accuse_objects"]
    h = _head(doc, m)
    while h.dep_ in ("appos", "compound", "conj") and h.head is not h and \
            h.head.pos_ in ("PROPN", "NOUN"):
        h = h.head
    gov = h.head
    if gov is h:
        return False
    if h.dep_ in ("dobj", "nsubjpass") and gov.lemma_.lower() in verbs:
        return True
    if h.dep_ == "pobj" and gov.head is not gov:
        if gov.lower_ == "against":
            return True
        if gov.lower_ in ("on", "upon") and gov.head.lemma_.lower() in verbs:
            return True
    return False


def _actor_mentions(mentions: list[ActorMention]) -> list[ActorMention]:
    return [m for m in mentions if m.label not in _NON_ACTOR and m.end > m.start]


def _head(doc: Doc, m: ActorMention) -> Token:
    """Syntactic head of a mention span (the token whose head lies outside it)."""
    return doc[m.start : m.end].root


def _trigger_tokens(doc: Doc, trigger: tuple[int, int] | None) -> list[Token]:
    if trigger is None:
        return []
    span = doc.char_span(trigger[0], trigger[1], alignment_mode="expand")
    return list(span) if span is not None else []


def _speaker_heads(doc: Doc, data: AttributionData) -> set[int]:
    """Tokens that are the subject of a reporting, denying or demanding verb (the speaker)."""
    lex = data.lexicon
    verbs = (lex["report_verbs"] | lex["deny_verbs"] | lex["demand_verbs"]
             | data.parties.get("speaker_verbs", frozenset()))
    out: set[int] = set()
    for t in doc:
        if t.dep_ in _SUBJ and t.head.lemma_.lower() in verbs:
            out.add(t.i)
        if t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according":
            out.add(t.i)
    return out


def _is_place(doc: Doc, m: ActorMention, data: AttributionData) -> bool:
    """An uncoded entity used as a location: object of "in", "near", "along", ..."""
    h = _head(doc, m)
    return (h.dep_ == "pobj" and h.head.lower_ in data.parties["place_preps"]
            and m.label not in ("PERSON",))


def _state(code: str | None) -> str | None:
    return code.split("-")[0] if code else None


def clean_mention(text: str) -> str:
    """Mention text as written, without a trailing possessive."""
    for suf in ("'s", "’s", "'", "’"):
        if text.endswith(suf) and len(text) > len(suf) + 1:
            return text[: -len(suf)]
    return text


def _norm(text: str) -> str:
    t = text.lower().replace("’", "'")
    if t.endswith("'s"):
        t = t[:-2]
    for det in ("the ", "its ", "their "):
        if t.startswith(det):
            t = t[len(det):]
    return " ".join(t.split())


def _gov_class(tok: Token, data: AttributionData) -> str:
    """A coarse class of a governing word, so features generalise beyond seen lemmas."""
    lex, par = data.lexicon, data.parties
    lem = tok.lemma_.lower()
    low = tok.lower_
    if lem in ("accuse", "blame", "condemn", "denounce", "criticise", "criticize", "deplore",
               "reproach", "censure", "rebuke", "hold"):
        return "ACCUSEV"
    if lem in lex["demand_verbs"]:
        return "DEMANDV"
    if lem in lex["deny_verbs"]:
        return "DENYV"
    if lem in par["positive_verbs"] or low in par["positive_words"]:
        return "POS"
    if lem in lex["claim_nouns"] or low in lex["claim_nouns"]:
        return "CLAIMN"
    if lem in lex["wrong_nouns"]:
        return "WRONGN"
    if lem in lex["accuse_verbs"]:
        return "WRONGV"
    if lem in lex["report_verbs"]:
        return "REPORTV"
    if tok.tag_ == "MD":
        return "MODAL"
    return tok.pos_ or "X"


def _positive_frame(h: Token, data: AttributionData) -> bool:
    """The party is mentioned approvingly: "supported by X", "thanks to X", "grateful to X"."""
    par = data.parties
    t = h
    for _ in range(4):
        head = t.head
        if head is t:
            return False
        lem, low = head.lemma_.lower(), head.lower_
        if lem in par["positive_verbs"] or low in par["positive_words"]:
            return True
        if low == "to" and head.head.lower_ in ("thanks", "grateful", "gratitude", "thank"):
            return True
        if low == "with" and head.head.lower_ in ("together", "cooperation", "partnership",
                                                  "along"):
            return True
        if head.pos_ == "VERB" and head.dep_ in ("ROOT", "ccomp", "advcl", "conj", "relcl"):
            return False
        t = head
    return False


def _np_span(doc: Doc, tok: Token) -> tuple[int, int]:
    """Token span of the noun phrase headed by ``tok``: left modifiers plus an 'of'-phrase."""
    left = tok.i
    for c in tok.lefts:
        if c.dep_ in ("det", "amod", "compound", "nmod", "poss", "nummod", "quantmod",
                      "predet", "advmod") or c.dep_ == "punct" and c.text in ("-",):
            left = min(left, c.left_edge.i)
    right = tok.i + 1
    for c in tok.rights:
        if c.dep_ in ("compound", "flat", "appos"):
            continue
        if c.dep_ == "prep" and c.lower_ in ("of", "in", "behind") and c.right_edge.i - tok.i <= 8:
            right = c.right_edge.i + 1
        break
    # drop a leading determiner / first-person possessive: "the", "our"
    while left < tok.i and doc[left].lower_ in _DETS:
        left += 1
    return left, right


def _claim_content_dep(h: Token, data: AttributionData) -> str | None:
    """The dependency of the clause that holds ``h`` when that clause is what a claim verb
    or claim noun asserts ("X claimed that <h> ...", "the allegation that <h> ..."), else
    None. Only the clause nearest to ``h`` is looked at."""
    verbs = data.parties.get("source_verbs", frozenset())
    nouns = data.lexicon["claim_nouns"]
    t = h
    for _ in range(8):
        if t.head is t:
            return None
        if t.dep_ in ("ccomp", "acl", "relcl"):
            gov = t.head
            lem = gov.lemma_.lower()
            if lem in verbs or lem in nouns or gov.lower_ in nouns:
                return t.dep_
            if t.dep_ == "relcl" and gov.head is not gov and (
                    gov.lemma_.lower() in nouns or gov.lower_ in nouns):
                return t.dep_
            return None
        t = t.head
    return None


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return f"<={e}"
    return f">{edges[-1]}"


def _syntax_features(doc: Doc, h: Token, claim_type: str, trig: list[Token],
                     speakers: set[int], span: tuple[int, int], data: AttributionData
                     ) -> list[str]:
    ct = claim_type
    f: list[str] = []
    dep = h.dep_ or "dep"
    gov = h.head
    prep = "-"
    if dep in ("pobj", "pcomp") and gov.dep_ in ("prep", "agent", "dative") and gov.head is not gov:
        prep = gov.lower_
        gov = gov.head
    elif dep == "agent":
        prep = "by"
    if dep == "conj":  # "X and Y": take the first conjunct's role
        first = h.head
        while first.dep_ == "conj" and first.head is not first:
            first = first.head
        f.append("conj")
        dep = first.dep_ or "dep"
        gov = first.head
        if dep == "pobj" and gov.dep_ in ("prep", "agent", "dative") and gov.head is not gov:
            prep = gov.lower_
            gov = gov.head
    gcls = _gov_class(gov, data) if gov is not h else "ROOT"
    f += [f"dep={dep}", f"dep={dep}|ct={ct}", f"gcls={gcls}", f"gcls={gcls}|ct={ct}",
          f"dep={dep}|gcls={gcls}", f"dep={dep}|gcls={gcls}|ct={ct}"]
    if prep != "-":
        f += [f"prep={prep}", f"prep={prep}|gcls={gcls}", f"prep={prep}|gcls={gcls}|ct={ct}",
              f"prep={prep}|ct={ct}"]
    lem = gov.lemma_.lower()
    if data.governing_lemmas:
        f.append(f"glem={lem}|dep={dep}|prep={prep}")
    if (dep in ("poss", "amod", "compound", "nmod") or prep == "of") and (
            lem in data.parties["victim_nouns"] or gov.lower_ in data.parties["victim_nouns"]):
        f += ["victim_noun", f"victim_noun|ct={ct}"]
    # the governor's own role: "condemned Israel's operation" (poss of a dobj of condemn)
    if dep in ("poss", "compound", "amod", "nmod") or prep in ("of", "by"):
        gg = gov.head
        if gg is not gov:
            f.append(f"gdep={gov.dep_}|ggcls={_gov_class(gg, data)}")
            f.append(f"dep={dep}|gdep={gov.dep_}|ct={ct}")
    if dep in _SUBJ:
        if any(c.tag_ == "MD" for c in gov.children):
            f += ["subj_modal", f"subj_modal|ct={ct}"]
        if gov.tag_ == "VB" and gov.dep_ in ("ccomp", "xcomp"):
            f.append(f"subj_of_comp_vb|ct={ct}")
        if gov.dep_ in ("ccomp", "xcomp", "advcl", "relcl"):
            f.append(f"subj_embedded|ct={ct}")
        if any(c.dep_ == "neg" for c in gov.children):
            f.append("subj_negated")
    if h.i in speakers or any(i in speakers for i in range(*span)):
        f += ["speaker", f"speaker|ct={ct}"]
    content = _claim_content_dep(h, data)
    if content is not None:
        # inside what someone claims ("allegations which claim that X sent arms"): the
        # content of a denied claim, not its author
        f += ["claim_content", f"claim_content|ct={ct}", f"claim_content|dep={dep}|ct={ct}"]
    if _positive_frame(h, data):
        f += ["posframe", f"posframe|ct={ct}"]
    first = data.first_person
    if h.lower_ in first or any(doc[i].lower_ in first for i in range(*span)):
        f.append("first_person")
    # quotation: candidate inside quotation marks
    # trigger
    if trig:
        tids = {t.i for t in trig}
        if any(i in tids for i in range(*span)):
            f.append("in_trigger")
        anc = {a.i for a in h.ancestors}
        if tids & anc:
            f += ["trig_ancestor", f"trig_ancestor|ct={ct}"]
        if any(h.i in {a.i for a in t.ancestors} for t in trig):
            f.append("trig_descendant")
        dist = min(abs(h.i - t.i) for t in trig)
        f += [f"tdist{_bucket(dist, (1, 3, 6, 10, 20))}"]
        f.append("before_trig" if h.i < min(tids) else "after_trig")
    else:
        f.append("no_trigger")
    pos = h.i / max(1, len(doc) - 1)
    f.append(f"spos={int(pos * 4)}")
    return f


def target_candidates(doc: Doc, claim_type: str, mentions: list[ActorMention],
                      trigger: tuple[int, int] | None,
                      context_target: tuple[str, str | None] | None = None,
                      speaker_code: str | None = None,
                      doc_actors: Counter | None = None,
                      data: AttributionData | None = None) -> list[Candidate]:
    """Candidate targets with their features (see :func:`find_target` for the arguments)."""
    data = data or AttributionData.load()
    own = _state(speaker_code)
    trig = _trigger_tokens(doc, trigger)
    speakers = _speaker_heads(doc, data)
    cands = _mention_candidates(doc, claim_type, mentions, trig, speakers, speaker_code, data)
    cands += _noun_phrase_candidates(doc, claim_type, mentions, trig, speakers, own, data)
    top_doc = _doc_top(doc_actors, own, data)
    rows, alias = _doc_uncoded(doc_actors) if data.doc_uncoded else ([], {})
    uncoded = (rows, alias, _doc_sources(doc_actors, alias) if data.claim_sources else set(),
               _doc_objects(doc_actors, alias))
    _add_sentence_features(cands, doc_actors, top_doc, uncoded, context_target)
    cands += _document_candidates(claim_type, cands, doc_actors, top_doc, uncoded,
                                  context_target, own, data)
    for c in cands:
        if "claim_source" in c.features:
            c.features.append(f"claim_source|ct={claim_type}")
        c.features.append("bias")
    return cands


def _mention_candidates(doc: Doc, ct: str, mentions: list[ActorMention], trig: list[Token],
                        speakers: set[int], speaker_code: str | None, data: AttributionData
                        ) -> list[Candidate]:
    """Actor mentions of the sentence that may be the target (never the speaker's own)."""
    own = _state(speaker_code)
    cands: list[Candidate] = []
    for m in _actor_mentions(mentions):
        if m.label == "SELF":
            continue
        is_own = bool(own and _state(m.actor_code) == own)
        if is_own and data.hard_own:
            continue
        if not m.actor_code and (m.label in _PLACES or _is_place(doc, m, data)):
            continue
        c = Candidate(clean_mention(m.text), m.actor_code, "mention", m.start)
        if is_own:
            c.features += ["own_state", f"own_state|exact={m.actor_code == speaker_code}"]
        c.features += [f"label={m.label}", f"label={m.label}|ct={ct}",
                       "has_code" if m.actor_code else "no_code"]
        h = _head(doc, m)
        if h.lemma_.lower() in data.parties["non_party_heads"]:
            c.features.append("nonparty_head")
        c.features += _syntax_features(doc, h, ct, trig, speakers, (m.start, m.end), data)
        _own_features(c, ct)
        if c.code and "-" in c.code and h.lemma_.lower() in data.parties["official_heads"]:
            c.code = _state(c.code)  # "Chinese diplomats", "Greek troops": their state
        cands.append(c)
    return cands


def _own_features(c: Candidate, ct: str) -> None:
    """Conjoin "own_state" with the candidate's role, so that the ranker can tell the
    reported charge against the speaker's own side ("X accused the government of Y") from
    the speaker's own voice."""
    if "own_state" not in c.features:
        return
    roles = [f for f in c.features if f.startswith(("dep=", "gcls=", "prep=", "kind="))
             and "|" not in f]
    c.features += [f"own_state|ct={ct}"] + [f"own_state|{f}" for f in roles]
    c.features += [f"own_state|{f}|ct={ct}" for f in roles if f.startswith(("dep=", "gcls="))]


def _noun_phrase_candidates(doc: Doc, ct: str, mentions: list[ActorMention], trig: list[Token],
                            speakers: set[int], own: str | None, data: AttributionData
                            ) -> list[Candidate]:
    """Noun phrases headed by party nouns ("the authorities") that no entity covers."""
    par = data.parties
    actor_mentions = _actor_mentions(mentions)
    covered = {i for m in actor_mentions for i in range(m.start, m.end)}
    inner = {i: m for m in actor_mentions for i in range(m.start, m.end)}
    cands: list[Candidate] = []
    for t in doc:
        if t.pos_ not in ("NOUN", "PROPN") or t.i in covered:
            continue
        if t.lower_ not in par["party_nouns"] and t.lemma_.lower() not in par["party_nouns"]:
            continue
        left, right = _np_span(doc, t)
        if any(doc[i].lower_ in data.first_person for i in range(left, right)):
            continue  # "our government": the speaker itself
        ms = [inner[i] for i in range(left, right) if i in inner]
        code = None
        feats = []
        for m in ms:
            if m.label == "SELF" or (data.hard_own and own and _state(m.actor_code) == own):
                code = "__own__"
                break
            if own and _state(m.actor_code) == own:
                feats.append("own_state")
            if m.actor_code and code is None:
                code = m.actor_code
                feats.append(f"np_inner={m.label}")
        if code == "__own__":
            continue
        c = Candidate(doc[left:right].text, code, "np", t.i)
        c.features += ["label=NP", f"label=NP|ct={ct}", f"nphead={t.lemma_.lower()}",
                       "np_has_code" if code else "np_no_code",
                       "np_plural" if t.tag_ in ("NNS", "NNPS") else "np_sing",
                       "np_has_mod" if left < t.i else "np_bare"]
        if any(doc[i].lower_ in _DETS for i in range(max(0, left - 1), left)):
            c.features.append("np_det")
        c.features += feats
        c.features += _syntax_features(doc, t, ct, trig, speakers, (left, right), data)
        if _norm(c.text) in par["generic_parties"]:
            # "its international partners", "foreign governments": the generic addressee
            c.features += ["generic", f"generic|ct={ct}"]
            c.text = "international community"
        _own_features(c, ct)
        cands.append(c)
    return cands


def _add_sentence_features(cands: list[Candidate], doc_actors: Counter | None, top_doc,
                           uncoded, context_target: tuple[str, str | None] | None) -> None:
    """Features shared by the in-sentence candidates: count, order, document frequency."""
    n = len(cands)
    ordered = sorted(range(n), key=lambda k: cands[k].start)
    ctx_code = context_target[1] if context_target else None
    ctx_norm = _norm(context_target[0]) if context_target and context_target[0] else None
    for rank, k in enumerate(ordered):
        c = cands[k]
        c.features.append(f"ncand={_bucket(n, (1, 2, 3))}")
        if rank == 0:
            c.features.append("first_cand")
        if rank == n - 1:
            c.features.append("last_cand")
        _doc_features(c, doc_actors, top_doc, uncoded, ctx_code, ctx_norm)
        dup = sum(1 for o in cands if o.code and o.code == c.code)
        if dup > 1:
            c.features.append("repeated_in_sent")


def _document_candidates(ct: str, here: list[Candidate], doc_actors: Counter | None,
                         top_doc, uncoded, context_target: tuple[str, str | None] | None,
                         own: str | None, data: AttributionData) -> list[Candidate]:
    """The previous target of the document, its most frequent other actors and its most
    frequent uncoded parties."""
    n = len(here)
    codes_here = {c.code for c in here if c.code}
    ctx_code = context_target[1] if context_target else None
    ctx_norm = _norm(context_target[0]) if context_target and context_target[0] else None
    own_codes = {r[1] for r in top_doc if own and _state(r[1]) == own}
    nb = _bucket(n, (0, 1, 2))
    cands: list[Candidate] = []
    if context_target and context_target[0]:
        c = Candidate(context_target[0], ctx_code, "context")
        c.features += ["kind=context", f"kind=context|ct={ct}", f"kind=context|n={nb}"]
        if ctx_code and ctx_code in codes_here:
            c.features.append("context_in_sent")
        if own and _state(ctx_code) == own:
            c.features.append("own_state")
        _doc_features(c, doc_actors, top_doc, uncoded, None, None)
        cands.append(c)
    for r, (text, code, _cnt) in enumerate(top_doc[:data.doc_candidates]):
        if code == ctx_code:
            continue
        c = Candidate(text, code, "doc")
        c.features += [f"kind=doc{r}", f"kind=doc{r}|ct={ct}", f"kind=doc{r}|n={nb}"]
        if code in codes_here:
            c.features.append("doc_in_sent")
        if code in own_codes:
            c.features.append("own_state")
        _doc_features(c, doc_actors, top_doc, uncoded, None, None)
        _own_features(c, ct)
        cands.append(c)
    rows, alias, _src, _obj = uncoded
    rows_here = {alias.get(_norm(c.text)) for c in here if not c.code}
    for r, (text, _code, _cnt) in enumerate(rows[:data.doc_uncoded]):
        if ctx_code is None and ctx_norm is not None and alias.get(ctx_norm) == r:
            continue  # already the context candidate
        c = Candidate(text, None, "doc")
        c.features += ["uncoded", f"kind=udoc{r}", f"kind=udoc{r}|ct={ct}",
                       f"kind=udoc{r}|n={nb}"]
        if r in rows_here:
            c.features.append("udoc_in_sent")
        _doc_features(c, doc_actors, top_doc, uncoded, None, None)
        cands.append(c)
    if data.doc_sources and data.claim_sources:
        taken = {_source_key(c.text, c.code, alias) for c in cands}
        taken |= {_source_key(c.text, c.code, alias) for c in here}
        n_src = 0
        for r, (text, code, _cnt) in enumerate(_source_rows(doc_actors, alias)):
            if n_src >= data.doc_sources:
                break
            if _source_key(text, code, alias) in taken or (own and _state(code) == own):
                continue
            c = Candidate(text, code, "doc")
            c.features += ["kind=src", f"kind=src|ct={ct}", f"kind=src|n={nb}",
                           f"kind=src|r={r}", "has_code" if code else "no_code"]
            _doc_features(c, doc_actors, top_doc, uncoded, None, None)
            cands.append(c)
            n_src += 1
    return cands


def _source_key(text: str, code: str | None, alias: dict[str, int]):
    """What identifies a party among the document candidates: its state (coded) or its
    uncoded row (else its normalised text)."""
    if code:
        return _state(code)
    k = _norm(text)
    r = alias.get(k)
    return ("row", r) if r is not None else ("text", k)


def _source_rows(doc_actors: Counter | None, alias: dict[str, int]
                 ) -> list[tuple[str, str | None, int]]:
    """(text, code, count) of the parties that author a claim in the document (keys
    (text, code, "source") of :func:`document_actors`), most frequent first, one row per
    code or uncoded party."""
    groups: dict = {}
    for key, cnt in (doc_actors or Counter()).items():
        if not (isinstance(key, tuple) and len(key) == 3 and key[2] == "source" and key[0]):
            continue
        g = _source_key(key[0], key[1], alias)
        groups.setdefault(g, Counter())[(key[0], key[1])] += cnt
    rows = [(*texts.most_common(1)[0][0], sum(texts.values())) for texts in groups.values()]
    rows.sort(key=lambda r: -r[2])
    return rows


def _doc_top(doc_actors: Counter | None, own: str | None, data: AttributionData
             ) -> list[tuple[str, str, int]]:
    """(text, code, count) of the document's other actors, most frequent first."""
    if not doc_actors:
        return []
    by_code: dict[str, Counter] = {}
    for key, cnt in doc_actors.items():
        if isinstance(key, tuple) and len(key) != 2:
            continue
        text, code = key if isinstance(key, tuple) else (key, key)
        if not code or (data.hard_own and own and _state(code) == own):
            continue
        by_code.setdefault(code, Counter())[text] += cnt
    rows = [(texts.most_common(1)[0][0], code, sum(texts.values()))
            for code, texts in by_code.items()]
    rows.sort(key=lambda r: -r[2])
    return rows


def _doc_uncoded(doc_actors: Counter | None
                 ) -> tuple[list[tuple[str, None, int]], dict[str, int]]:
    """The document's uncoded parties, most frequent first, as (text, None, count) rows, and
    a map from each normalised mention text to its row. A one-word mention joins the longer
    mention it ends ("Netanyahu" -> "Benjamin Netanyahu")."""
    if not doc_actors:
        return [], {}
    groups: dict[str, Counter] = {}
    for key, cnt in doc_actors.items():
        if not isinstance(key, tuple) or len(key) != 2 or key[1] is not None or not key[0]:
            continue
        k = _norm(key[0])
        if k:
            groups.setdefault(k, Counter())[key[0]] += cnt
    parent = {}
    for k in groups:
        if " " not in k:
            longer = [o for o in groups if o != k and o.split()[-1] == k]
            if len(longer) == 1:
                parent[k] = longer[0]
    merged: dict[str, Counter] = {}
    for k, texts in groups.items():
        merged.setdefault(parent.get(k, k), Counter()).update(texts)
    order = sorted(merged, key=lambda k: -sum(merged[k].values()))
    rows = [(max(merged[k], key=lambda t: (merged[k][t], len(t))), None,
             sum(merged[k].values())) for k in order]
    index = {k: i for i, k in enumerate(order)}
    alias = {k: index[parent.get(k, k)] for k in groups}
    return rows, alias


def _doc_sources(doc_actors: Counter | None, alias: dict[str, int]) -> set:
    """Codes and uncoded-row numbers of the parties that author a claim in the document."""
    out: set = set()
    for key in doc_actors or ():
        if isinstance(key, tuple) and len(key) == 3 and key[2] == "source":
            out.add(key[1] or alias.get(_norm(key[0]), -1))
    out.discard(-1)
    return out


def _doc_objects(doc_actors: Counter | None, alias: dict[str, int]) -> set:
    """Codes (and their states) and uncoded-row numbers of the parties that the document
    accuses or addresses somewhere (keys (text, code, "object") of :func:`document_actors`)."""
    out: set = set()
    for key in doc_actors or ():
        if isinstance(key, tuple) and len(key) == 3 and key[2] == "object":
            if key[1]:
                out |= {key[1], _state(key[1])}
            else:
                out.add(alias.get(_norm(key[0]), -1))
    out.discard(-1)
    return out


def _doc_features(c: Candidate, doc_actors, top_doc, uncoded, ctx_code, ctx_norm) -> None:
    if doc_actors is not None:
        cnt = 0
        if c.code:
            cnt = next((r[2] for r in top_doc if r[1] == c.code), 0)
        c.features.append(f"df{_bucket(cnt, (0, 1, 3, 6))}")
        if top_doc and c.code and c.code == top_doc[0][1]:
            c.features.append("doc_top")
        elif len(top_doc) > 1 and c.code and c.code == top_doc[1][1]:
            c.features.append("doc_second")
        rows, alias, sources, objects = uncoded
        r = None
        if rows and not c.code:
            r = alias.get(_norm(c.text))
            ucnt = rows[r][2] if r is not None else 0
            c.features.append(f"udf{_bucket(ucnt, (0, 1, 3, 6))}")
            if r == 0:
                c.features.append("udoc_top")
        if sources and ((c.code and (c.code in sources or _state(c.code) in sources))
                        or (r is not None and r in sources)):
            c.features += ["claim_source", f"claim_source|kind={c.kind}"]
        if objects and ((c.code and (c.code in objects or _state(c.code) in objects))
                        or (r is not None and r in objects)):
            c.features += ["doc_object", f"doc_object|kind={c.kind}"]
    if ctx_code and c.code == ctx_code or ctx_norm and _norm(c.text) == ctx_norm:
        c.features.append("is_context")


def score_candidate(c: Candidate, model: dict) -> float:
    w = model["weights"]
    return model.get("bias", 0.0) + sum(w.get(f, 0.0) for f in c.features)


def find_target(doc: Doc, claim_type: str, mentions: list[ActorMention],
                trigger: tuple[int, int] | None,
                context_target: tuple[str, str | None] | None = None,
                speaker_code: str | None = None,
                doc_actors: Counter | None = None,
                data: AttributionData | None = None,
                ) -> tuple[str | None, str | None]:
    """The party accused, called upon or whose statement is denied: (text as written, code).

    ``trigger`` is the claim's trigger (Doc-relative chars) or None. ``context_target`` is
    the previous target in the same document. First-person references are never targets;
    mentions of the speaker's own state or body (``speaker_code``) are candidates marked
    "own_state" (never, with ``data.hard_own``). ``doc_actors``
    counts the actor mentions of the whole document, keyed by ``(text, actor_code)`` (or
    by code alone); the most frequent ones not belonging to the speaker are candidates too.
    When no candidate scores above the model's threshold the context target, then the
    document's most frequent other actor is returned, else (None, None).
    """
    data = data or AttributionData.load()
    cands = target_candidates(doc, claim_type, mentions, trigger, context_target,
                              speaker_code, doc_actors, data)
    model = data.ranker
    if cands:
        best = max(cands, key=lambda c: score_candidate(c, model))
        if score_candidate(best, model) >= model.get("threshold", -math.inf):
            return best.text, best.code
    if context_target is not None and context_target[0]:
        return context_target
    top = _doc_top(doc_actors, _state(speaker_code), data)
    if top:
        return top[0][0], top[0][1]
    return None, None


def find_reported_speaker(doc: Doc, mentions: list[ActorMention],
                          data: AttributionData | None = None) -> tuple[str, str | None] | None:
    """The source the sentence quotes or reports ("the ministry said", "according to X") or
    the subject of its claim verb ("Seoul urged Tokyo to ...", ``claimant_verbs`` of parties.json),
    as (text as written, actor code or None); None when the sentence reports no one."""
    data = data or AttributionData.load()
    report = data.lexicon["report_verbs"]
    claimant = data.parties.get("claimant_verbs", frozenset())
    first = data.first_person
    for t in doc:
        if t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according":
            return _phrase(doc, t, mentions)
    for t in doc:
        if t.dep_ != "ROOT":
            continue
        if t.lemma_.lower() in claimant:
            # "Seoul urged Tokyo to ...", "Moscow denied ...": the subject makes the claim
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is None or subj.lower_ in first:
                return None
            return _phrase(doc, subj, mentions)
        if t.lemma_.lower() not in report:
            return None
        if not any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in t.children) and not any(
            c.dep_ == "dobj" and c.lemma_.lower() in ("that",) for c in t.children
        ):
            # "X, the ministry said." still carries a ccomp; no complement -> not a report
            if t.i < len(doc) * 0.5:
                return None
        for c in t.children:
            if c.dep_ in _SUBJ:
                if c.lower_ in first:
                    return None
                return _phrase(doc, c, mentions)
    return None


def _phrase(doc: Doc, tok: Token, mentions: list[ActorMention]) -> tuple[str, str | None]:
    """The noun phrase headed by ``tok`` (without relative clauses), and a mention's code."""
    left = tok.left_edge.i
    right = tok.i + 1
    for c in tok.rights:
        if c.dep_ in ("compound", "flat", "appos") or (c.dep_ == "prep" and c.lower_ == "of"):
            right = c.right_edge.i + 1
    span = doc[left:right]
    code = None
    for m in mentions:
        if m.start < right and left < m.end and m.actor_code:
            code = m.actor_code
            break
    return span.text, code


@functools.lru_cache(maxsize=8)
def _source_patterns(data: AttributionData) -> tuple[re.Pattern, re.Pattern]:
    """From parties.json: phrases that stand for the issuing body itself ("the statement
    reads"), and the words a reported source without an actor code must contain."""
    words = data.parties

    def alt(items) -> str:
        return "|".join(re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "")
                        for w in sorted(items))

    self_sources = re.compile(
        r"^(?:the|this|its|our)?\s*(?:" + alt(words.get("self_sources", ())) + r")$",
        re.IGNORECASE)
    source_words = re.compile(r"\b(?:" + alt(words.get("source_words", ())) + r")\b",
                              re.IGNORECASE)
    return self_sources, source_words


def sentence_speaker(
    reported: tuple[str, str | None] | None, doc_speaker: dict, mentions: list[ActorMention],
    data: AttributionData | None = None,
) -> tuple[str | None, str | None]:
    """The in-sentence source when it names someone, otherwise the document's speaker.

    Generic references to the statement itself ("the letter stated"), the news outlet that
    carries it ("Trend reports") and phrases that name no person or body fall back to the
    document's speaker.
    """
    if reported is not None and reported[1] is None:
        text = reported[0].strip()
        outlet = doc_speaker.get("outlet")
        named = any(m.label == "PERSON" or (m.label == "ORG" and m.text in text)
                    for m in mentions if m.text in text)
        self_sources, source_words = _source_patterns(data or AttributionData.load())
        if (self_sources.match(text) or (outlet and outlet.lower() in text.lower())
                or not (named or source_words.search(text))):
            reported = None
    if reported is None:
        return doc_speaker.get("speaker"), doc_speaker.get("speaker_code")
    return reported

