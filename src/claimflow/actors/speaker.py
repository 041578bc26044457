"""The document speaker: the issuing body a statement speaks for, found in its opening lines."""

from __future__ import annotations

import re

from spacy.tokens import Span

from claimflow.actors.gazetteer import LABEL_IGO, LABEL_INST, LABEL_NGO, LABEL_STATE, Gazetteer
from claimflow.nlp.datelines import dateline_end

# ---------------------------------------------------------------------- speaker
_SUBJ_VERBS = (
    r"(?:has|have|had)\s+(?:also\s+|already\s+)?(?:issued|released|adopted|made|published|"
    r"sent|addressed|expressed|stated|declared|announced|condemned|rejected|appealed|called)"
    r"|issued|issues|releases|released|adopts|adopted\s+(?:a|an)\s+(?:statement|declaration|"
    r"appeal|resolution)"
    r"|said|says|stated|states|considers|considered|answers|answered|announced|announces"
    r"|declared|declares|noted|notes|stressed|stresses|emphasi[sz]ed|emphasi[sz]es"
    r"|condemned|condemns|denounced|denounces|rejected|rejects|protested|protests"
    r"|addressed|addresses|appealed|appeals|called\s+on|calls\s+on|urged|urges|expressed"
    r"|expresses|informed|informs|reported|(?:sent|sends)\s+(?:a|an)\s+(?:letter|note|message|appeal)"
    r"|pointed\s+out|responded|responds"
    r"|welcomed|welcomes|commented|comments|demanded|demands|warned|warns|accused|accuses"
    r"|voiced|voices|critici[sz]ed|critici[sz]es|dismissed|dismisses|denied|denies"
    r"|described|describes|slammed|slams|lodged|lodges|insisted|insists|reiterated|reiterates"
    r"|regretted|regrets|objected|objects|told|tells"
    r"|(?:cannot|can\s*not|does\s+not|do\s+not|will\s+not|will\s+never)\s+accept"
)


_SUBJ_RE = re.compile(r"\b(?:" + _SUBJ_VERBS + r")\b")


_INV_RE = re.compile(
    r"(?:,\s*(?:said|stated|informed|reported|noted|announced|declared)|\baccording\s+to)\s+$",
    re.I,
)


# a mention after one of these is a target or a place, never the speaker
_TARGET_PREP = re.compile(
    r"\b(?:to|against|towards|toward|with|at|on|by|from|for|over|about|in|into|inside|near"
    r"|across|within|throughout)\s+(?:the\s+)?$",
    re.I,
)


# an inverted reporting clause closing a sentence: "..., the Joint Chiefs of Staff said"
_INV_CLAUSE = re.compile(
    r",\s+[^,.;]{0,100}?\b(?:said|says|told|added|stated|announced|noted|stressed|warned"
    r"|insisted|explained|recalled)\b"
)


_SENT_BREAK = re.compile(r"[.!?][\"'\u201d\u2019]?\s+(?=[A-Z\"\u201c])|\n")


_RANK = {LABEL_INST: 3, LABEL_IGO: 3, LABEL_NGO: 3, LABEL_STATE: 2}


# Words that may stand before the sentence's subject ("The", "Foreign Minister ...").
_LEAD_IN = re.compile(
    r"^(?:[\"\u201c]?(?:the|a|an|in|on|today|yesterday|meanwhile|[A-Z][\w.'-]*)[\s,]+){0,4}$",
    re.I,
)


# What follows a subject: a finite verb, an adverb + verb, or an apposition / time phrase.
# ("A Saudi government source has ...", "Colombian Foreign Minister Rosa Villavicencio has ...")
_AFTER_SUBJECT = re.compile(
    r"^\s*(?:,[^,.]{0,80},\s*)?"
    r"(?:(?:source|sources|official|officials|spokes(?:person|man|woman)|envoy)\s+)?"
    r"(?:[A-Z][\w.'\-]*\s+){0,4}(?:on\s+\w+day\s+)?(?:\w+ly\s+)?"
    r"(?:has|have|had|is|was|were|will|would|did|does|do|\w+ed|\w+s)\b"
)


def find_speaker(
    text: str, gazetteer: Gazetteer | None = None, head_chars: int = 2000
) -> tuple[str | None, str | None]:
    """(name, code) of the body issuing the statement, from the start of the document.

    Candidates are actor mentions that are the subject of a statement/reporting verb
    ("X has issued a statement", "X considers", "X said", "... informed X"), in the title
    or the first ``head_chars`` characters.  Institutions and bodies are preferred over
    states, then the earliest candidate.  Mentions governed by a preposition ("a letter
    to the European Parliament") are targets, never speakers.
    """
    gaz = gazetteer or Gazetteer.load()
    head = text[:head_chars]
    if not head.strip():
        return None, None
    nlp = gaz.blank_nlp()
    doc = nlp(head)
    dl_end = dateline_end(head)
    mentions = [
        e for e in doc.ents if e.label_ in _RANK and gaz.name(e.ent_id_) and e.start_char >= dl_end
    ]
    if not mentions:
        return None, None
    best: tuple | None = None

    def consider(ent: Span, tier: int) -> None:
        # the lead (title and first sentence) outranks the rest of the text (tier 2 vs 0;
        # tier 1: the subject of a lead that reports someone: "X did Y, Z said"); then the
        # first actor named in its sentence (the subject, as a rule) outranks later ones;
        # then institutions and bodies beat states, then the earliest wins
        nonlocal best
        sent_start = _sentence_start(head, ent.start_char, dl_end)
        first = not any(sent_start <= o.start_char < ent.start_char for o in mentions)
        cand = (tier, first, _RANK[ent.label_], -ent.start_char, ent.ent_id_)
        if best is None or cand[:4] > best[:4]:
            best = cand

    lead_end = _lead_end(head, dl_end)
    for ent in mentions:
        before = head[max(0, ent.start_char - 40) : ent.start_char]
        in_lead = ent.start_char < lead_end
        # inverted reporting clause: "..., informed the Azerbaijani Parliament"
        if _INV_RE.search(re.sub(r"\bthe\s+$", "", before, flags=re.I)):
            consider(ent, 2 * in_lead)
            continue
        if _TARGET_PREP.search(before):
            continue
        possessor = head[ent.end_char : ent.end_char + 2] in ("'s", "’s")
        after_start = ent.end_char
        brk = _SENT_BREAK.search(head, after_start)
        sent_end = brk.start() if brk else len(head)
        # "North Korea launched a missile, Matsuno told reporters": the sentence up to the
        # reporting clause is what someone else said, so its subject is not the speaker
        inv = _INV_CLAUSE.search(head, after_start, sent_end)
        reported = inv is not None
        # the grammatical subject opening the lead sentence: "The Ministry of Foreign
        # Affairs of X has described ...", "Saudi Arabia does not accept ..."; when the
        # lead reports someone ("..., Matsuno told reporters") it ranks below that source
        sent_start = _sentence_start(head, ent.start_char, dl_end)
        if in_lead and _LEAD_IN.match(head[sent_start : ent.start_char]) and (
            (possessor and not reported)
            or _AFTER_SUBJECT.match(head[ent.end_char : ent.end_char + 120])
        ):
            consider(ent, 1 if reported else 2)  # also the owner: "Egypt's State ... Service"
            continue
        if possessor:
            continue  # "Washington's decision": the possessed noun is the subject
        if re.match(r"\s*according\s+to\b", head[sent_start : ent.start_char], re.I):
            continue  # "According to the minister, Morocco has ...": reported content
        # subject: a reporting verb follows within the same sentence (before a closing
        # reporting clause), with no other candidate mention in between
        window = head[after_start : min(after_start + 160, inv.start() if reported else sent_end)]
        m = _SUBJ_RE.search(window)
        if not m:
            continue
        verb_at = after_start + m.start()
        if any(o is not ent and after_start <= o.start_char < verb_at for o in mentions):
            continue
        consider(ent, 2 * in_lead)
    if best is None:
        return None, None
    code = best[-1]
    return gaz.name(code), code


def _lead_end(head: str, start: int) -> int:
    """End of the title line or first sentence after the dateline."""
    m = _SENT_BREAK.search(head, start + 1)
    end = m.end() if m else len(head)
    # a title line is followed by the first body sentence: both count as the lead
    if m and m.group().endswith("\n") and not head[start:m.start()].rstrip().endswith("."):
        m2 = _SENT_BREAK.search(head, end + 1)
        end = m2.end() if m2 else len(head)
    return end


def _sentence_start(head: str, pos: int, floor: int) -> int:
    start = floor
    for m in _SENT_BREAK.finditer(head, floor, pos):
        start = m.end()
    return start
