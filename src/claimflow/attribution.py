"""Who a claim is about (target) and who is quoted as making it (in-sentence speaker).

Both work on one parsed sentence Doc plus its actor mentions, from the dependency tree only
(what survives ``docbridge.doc_from_rows``). Word lists come from ``data/cues/lexicon.json``.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from claimflow.cues import load_lexicon
from claimflow.docbridge import ActorMention

# Mention labels that never name a party.
_NON_ACTOR = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY",
                        "LANGUAGE", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT"})
_FIRST = frozenset({"we", "i", "us", "our", "my", "ourselves"})
_SUBJ = ("nsubj", "nsubjpass")
_BASE = -1.0


@lru_cache(maxsize=1)
def _lex() -> dict[str, frozenset[str]]:
    return load_lexicon()


def _actor_mentions(mentions: list[ActorMention]) -> list[ActorMention]:
    return [m for m in mentions if m.label not in _NON_ACTOR and m.end > m.start]


def _head(doc: Doc, m: ActorMention) -> Token:
    """Syntactic head of a mention span (the token whose head lies outside it)."""
    span = doc[m.start : m.end]
    return span.root


def _trigger_tokens(doc: Doc, trigger: tuple[int, int] | None) -> list[Token]:
    if trigger is None:
        return []
    span = doc.char_span(trigger[0], trigger[1], alignment_mode="expand")
    return list(span) if span is not None else []


def _speaker_heads(doc: Doc) -> set[int]:
    """Tokens that are the subject of a reporting, denying or demanding verb (the speaker)."""
    lex = _lex()
    verbs = lex["report_verbs"] | lex["deny_verbs"] | lex["demand_verbs"] | {
        "consider", "regard", "express", "lodge", "protest", "condemn", "denounce", "criticise",
        "criticize", "voice", "reaffirm", "send", "issue", "summon", "remain", "invite"}
    out: set[int] = set()
    for t in doc:
        if t.dep_ in _SUBJ and t.head.lemma_.lower() in verbs:
            out.add(t.i)
        if t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according":
            out.add(t.i)
    return out


def _score(doc: Doc, m: ActorMention, claim_type: str, trig: list[Token],
           speakers: set[int]) -> float:
    lex = _lex()
    h = _head(doc, m)
    s = 0.0
    span_ids = set(range(m.start, m.end))
    if h.i in speakers or span_ids & speakers:
        s -= 3.0
    if h.lower_ in _FIRST:
        s -= 3.0
    else:
        s += _BASE  # a named party vs carrying the previous target forward
    if m.label == "NORP":
        s -= 0.75  # "Palestinian side", "Chinese ambassador": usually not the party itself
    dep, head = h.dep_, h.head
    hl = head.lemma_.lower()
    # climb through prepositions: "calls on X", "claims by X", "accused X of"
    prep = None
    if dep == "pobj" and head.dep_ in ("prep", "agent", "dative"):
        prep = head.lower_
        head2 = head.head
        hl2 = head2.lemma_.lower()
    else:
        head2, hl2 = head, hl
    if claim_type == "demand":
        if prep in ("on", "upon") and hl2 in ("call", "appeal"):
            s += 5
        if dep in ("dobj", "dative") and hl in lex["demand_verbs"]:
            s += 5
        if dep in _SUBJ and any(c.tag_ == "MD" for c in head.children):
            s += 4
        if prep == "to" and hl2 in ("appeal", "call"):
            s += 4
        if dep in _SUBJ and head.tag_ == "VB" and head.dep_ in ("ccomp", "xcomp"):
            s += 3  # "demanded that Moscow halt"
    elif claim_type == "denial":
        if dep == "poss" and hl in lex["claim_nouns"]:
            s += 5
        if prep in ("by", "of", "from") and hl2 in lex["claim_nouns"]:
            s += 4
        if dep == "agent" or (prep == "by" and head.dep_ == "agent"):
            s += 3
        if dep == "compound" and hl in lex["claim_nouns"]:
            s += 4
        if dep in ("dobj",) and hl in lex["deny_verbs"]:
            s += 3
        if dep in _SUBJ and hl in lex["report_verbs"] and h.i not in speakers:
            s += 1
    else:  # accusation
        if dep in ("dobj",) and hl in ("accuse", "blame", "condemn", "denounce"):
            s += 5
        if dep in _SUBJ and (hl in lex["accuse_verbs"] or head.pos_ in ("VERB", "AUX")):
            s += 2 if h.i not in speakers else 0
        if dep == "poss" and (hl in lex["wrong_nouns"] or hl in lex["claim_nouns"]):
            s += 3
        if dep == "agent" or prep == "by":
            s += 2
        if dep == "amod" or dep == "compound":  # "Israeli strikes", "Armenian occupation"
            s += 1.0
        if dep == "poss" and head.dep_ == "dobj" and head.head.lemma_.lower() in (
                "condemn", "denounce", "criticise", "criticize", "deplore"):
            s += 2.5  # "condemned Israel's military operation"
        if prep in ("on", "upon") and hl2 in ("call", "appeal"):
            s += 3
    # closeness to the trigger
    if trig:
        anc = {a.i for a in h.ancestors}
        if any(t.i in anc for t in trig):
            s += 1.5
        dist = min(abs(h.i - t.i) for t in trig)
        s += max(0.0, 1.0 - dist / 20)
    return s


def _state(code: str | None) -> str | None:
    return code.split("-")[0] if code else None


def find_target(doc: Doc, claim_type: str, mentions: list[ActorMention],
                trigger: tuple[int, int] | None,
                context_target: tuple[str, str | None] | None = None,
                speaker_code: str | None = None,
                ) -> tuple[str | None, str | None]:
    """The party accused, called upon or whose statement is denied: (text as written, code).

    ``trigger`` is the claim's trigger (Doc-relative chars) or None. ``context_target`` is
    the previous target in the same document; it is returned when the sentence names no
    suitable party (the claim then usually continues about the same party). Mentions of the
    speaker's own state or body (``speaker_code``) and first-person references are not
    targets: a statement rarely accuses itself.
    """
    own = _state(speaker_code)
    cands = [m for m in _actor_mentions(mentions)
             if m.label != "SELF" and not (own and _state(m.actor_code) == own)]
    if cands:
        trig = _trigger_tokens(doc, trigger)
        speakers = _speaker_heads(doc)
        scored = [(_score(doc, m, claim_type, trig, speakers), -m.start, m) for m in cands]
        best = max(scored, key=lambda x: (x[0], x[1]))
        if best[0] > 0 or (context_target is None and best[0] > -2):
            m = best[2]
            return _clean(m.text), m.actor_code
    if context_target is not None:
        return context_target
    return None, None


def _clean(text: str) -> str:
    """Mention text as written, without a trailing possessive."""
    for suf in ("'s", "’s", "'", "’"):
        if text.endswith(suf) and len(text) > len(suf) + 1:
            return text[: -len(suf)]
    return text


def find_reported_speaker(doc: Doc, mentions: list[ActorMention]
                          ) -> tuple[str, str | None] | None:
    """The source the sentence quotes or reports ("the ministry said", "according to X"),
    as (text as written, actor code or None); None when the sentence reports no one."""
    lex = _lex()
    report = lex["report_verbs"]
    for t in doc:
        if t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according":
            return _phrase(doc, t, mentions)
    for t in doc:
        if t.dep_ != "ROOT":
            continue
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
                if c.lower_ in _FIRST:
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
