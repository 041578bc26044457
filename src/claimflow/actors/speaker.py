"""The document speaker: the issuing body a statement speaks for, found in its opening lines.

Every word list and pattern lives in ``speaker.json`` in the gazetteer's folder (see the
actor README); this module only combines them.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from claimflow.actors.gazetteer import (
    LABEL_ADJ,
    LABEL_IGO,
    LABEL_INST,
    LABEL_NGO,
    LABEL_STATE,
    Gazetteer,
)
from claimflow.errors import ClaimflowError
from claimflow.nlp.datelines import date_pattern, dateline_end, filing_place, find_dateline

RULES_FILE = "speaker.json"


# a bare institution ("the Ministry of Foreign Affairs", "Foreign Ministry spokesperson"):
# its state is the document's home state, resolved once the speaker is chosen
LABEL_ROLE = "ROLE"


_PERSON_AFTER_COLON = re.compile(r"\s*:\s*[A-Z][\w.'\u2019\-]*(?:\s+[A-Z][\w.'\u2019\-]*){0,4}\s*")
# (not after a title: "H.E. Ambassador", "Dr. Name")
_SENT_BREAK = re.compile(
    r"(?<!\bH\.E)(?<!\bM[rs])(?<!\bMrs)(?<!\bDr)[.!?][\"'\u201d\u2019]?\s+(?=[A-Z\"\u201c])|\n")
_APPOSED = re.compile(r"(?:\s+[A-Z][\w.'\u2019\-]*){1,4},\s+(?:the\s+)?")  # ", title of X"
_OPENING_QUOTE = re.compile(r"\s*(?:\u201c[^\u201d]{20,1500}\u201d|\"[^\"\n]{20,1500}\")")
_REPORTED_OPENING = re.compile(r"\s*(?:[\u201c\"]|According\s+to\b)")
_ABOUT = re.compile(r"(?:^|\n)[^\S\n]*About\s+(?:the\s+)?([A-Z][^\n:]{2,80}?)[^\S\n]*(?::|\n)")
_APPOSITIVE = re.compile(r",\s+the\s+$")  # "X, the <mention> body ..."
# the verb of a sentence whose subject is a header's words ("Statements by X ... accused Y")
_HEADER_AS_SUBJECT = re.compile(
    r"\b(?:accused|alleged|claimed|charged|asserted)\b(?!\s+(?:by|on|in|at)\b)")
# "Statements by X of 14 May ..., alleging that ..., are groundless": a sentence's subject
_HEADER_PREDICATE = re.compile(
    r"\b(?:are|is|were|was)\s+(?:\w+\s+){0,2}?(?:groundless|unfounded|false|baseless|untrue|"
    r"unacceptable|misleading|inaccurate)\b|\bcannot\s+be\s+accepted\b")
_AS_OFFICE = re.compile(r"(?:^|[.!?:]\s+|\n\s*)As\s+(?:the\s+)?$")
_FIRST_PERSON = re.compile(r"[^,.;\n]{0,60}?,\s+(?:I|we)\b")
# the unit of an office named on its own line ("... Communication Service", "... Media Office")
# an office's unit ("Communication Service", "Press and Public Diplomacy Directorate")
_UNIT_WORD = (r"(?:Service|Office|Unit|Department|Division|Centre|Center|Bureau|Directorate|"
              r"Secretariat|Headquarters|Section)")
_UNIT_NAME = re.compile(r"[^\S\n]+(?:[A-Z][a-z]+[^\S\n]+){0,2}" + _UNIT_WORD + r"[^\S\n]*")
_BAR_UNIT = re.compile(
    r"[^\S\n]*[|\u2013\u2014,][^\S\n]*(?:(?:[A-Z][a-z]+[^\S\n]+(?:(?:and|of|for)[^\S\n]+)?){0,4}"
    + _UNIT_WORD +
    # (or named in Portuguese, Spanish or French: "Gabinete de Comunica\u00e7\u00e3o ...")
    r"|(?:Gabinete|Oficina|Direcci\u00f3n|Dire\u00e7\u00e3o|Servi\u00e7o|Servicio|Secretar\u00eda|Cellule|"
    r"Direction)[^\S\n]+(?:de|du|des|da|do)\b[^\n|]{0,80}?)[^\S\n]*")
_SPOKESPERSON_OF_LINE = re.compile(r"[^\S\n]+(?:Chief[^\S\n]+)?Spokes(?:person|man|woman)[^\S\n]*")
_OWN_ACRONYM = re.compile(r"\s*\([A-Z][A-Za-z]{1,9}\)")
_HEADER_DASH = re.compile(r"[^\S\n]*[\u2013\u2014|][^\S\n]*(?:the\s+)?[A-Z]")  # "Briefing \u2014 X"
_HEADER_BY = re.compile(r"\s+(?:by|of)\s+(?:the\s+)?[A-Z]")
_ADDRESSED_TO = re.compile(r"\b(?:compliments|addressed)\s+to\s+(?:the\s+)?$")
_MADE_THE_FOLLOWING = re.compile(
    r"(?:\s+[A-Z][\w.'\u2019\-]*){0,4}\s+(?:made|issued|delivered|released|gave)\s+the\s+"
    r"following\b")
_MEMBER_OF = re.compile(r"\b[Mm]ember\s+of\s+(?:the\s+)?$")  # a title's affiliation
_AS_NAME = re.compile(r"\bas\s+(?:the\s+)?$")  # "meeting as the <group>"
_DISCLAIMER = re.compile(
    r"(?i)(?:letters?\s+to\s+the\s+editor\b|editor['\u2019]s\s+note\b|views\s+expressed|"
    r"the\s+views\s+expressed|"
    r"\u00a9|copyright\b|all\s+rights\s+reserved|this\s+e-?mail\b)")
_ABOUT_IS = re.compile(
    r"(?m)^[^\S\n]*(?:The\s+)?([A-Z][^\n]{2,80}?)\s+is\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,5}?"
    r"(?:movement|organi[sz]ation|NGO|network|coalition|charity|foundation)\b")
_RELATED = re.compile(r"(?i)(?:related|more\s+from|see\s+also|read\s+more|latest)\b[^\n]{0,30}:?$")
# a web page's buttons under the text ("Share | Print | Back to News")
_WEB_CHROME = re.compile(
    r"(?i)(?:(?:share(?:\s+this(?:\s+(?:page|article|letter|story|post))?)?:?|print(?:\s+this"
    r"\s+page)?|e-?mail|tweet|back(?:\s+to\s+[\w ]{1,20})?|top|facebook|twitter|x|linkedin"
    r"|whatsapp|telegram|copy\s+link|report\s+an?\s+(?:error|typo|problem|mistake)"
    r"|download(?:\s+pdf)?|tags?:[^|]*|comments?\s*(?:\(\d+\))?|(?:most\s+read|more\s+\w+):[^|]*"
    r"|[-\u2013\u2014_*=~]+)[^\S\n]*(?:[|\u00b7\u2022/][^\S\n]*)?)+")
_ADDRESSEE = re.compile(
    r"(?:To|cc|CC|Copy\s+to|Distribution)\s*:|(?:His|Her)\s+Excellency\b|H\.\s?E\.(?:\s|$)")
_BAR = re.compile(r"\s*[|>\u203a\u00bb\u2013\u2014]\s*")  # site-bar separators


_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?$")


# between two items of a list of officials: "Kamikawa Yoko, " / " and "
_LIST_ITEM = re.compile(
    r"(?:\s+[A-Z][\w.'\-]*){0,4},?\s+(?:and\s+)?(?:the\s+)?(?:[A-Z][\w.'\-]*\s+)?"
)


def _role(mn) -> str:
    """The office of a mention: its bare role or the role part of its code ("MFA")."""
    return mn.role or (mn.code.split("-", 1)[1] if mn.code and "-" in mn.code else "")


_DASHES = ("\u2014", "\u2013", "-")


_AUX = re.compile(r"\b(?:has|have|had|is|are|was|were|will)\b")


def _alt(items: list[str]) -> str:
    return "(?:" + "|".join(items) + ")"


class _Rules:
    """The compiled lexicons of ``speaker.json``."""

    def __init__(self, cfg: dict):
        self.rank: dict[str, int] = dict(cfg["rank"])
        self.subj = re.compile(r"\b(?:" + "|".join(cfg["subject_verbs"]) + r")\b")
        # a joint issuer takes the plural: "The Governments of A and B ... declare"
        self.subj_plural = re.compile(
            r"\b(?:" + "|".join(cfg["subject_verbs"] + cfg["plural_subject_verbs"]["verbs"])
            + r")\b"
        )
        # an inverted reporting clause before the mention: "..., informed the X"
        self.inv = re.compile(
            r"(?:,\s*" + _alt(cfg["inverted_reporting_verbs"]) + r"|\baccording\s+to)\s+$", re.I
        )
        # a mention after one of these is a target or a place, never the speaker
        # "a spokesman for the X said": X speaks through its official
        self.speaker_of = re.compile(cfg["speaker_of"], re.I)
        # '"...," said Name Surname' before "spokesperson of the X"
        self.inv_named = re.compile(
            r",[\"'\u201d\u2019]?\s*" + _alt(cfg["inverted_reporting_verbs"])
            + r"\s+(?-i:[A-Z])[\w.'\u2019\-]*(?:\s+(?-i:[A-Z])[\w.'\u2019\-]*){0,3}$", re.I
        )
        self.target_prep = re.compile(
            r"\b" + _alt(cfg["target_prepositions"]) + r"\s+(?:the\s+)?$", re.I
        )
        # an inverted reporting clause closing a sentence: "..., the Joint Chiefs of Staff said"
        self.inv_clause = re.compile(
            # (not a participle with its agent: ", on the measures announced by X")
            r",\s+[^,.;]{0,100}?\b" + _alt(cfg["inverted_clause_verbs"]) + r"\b(?!\s+by\b)"
        )
        # words that may stand before the sentence's subject ("The", "Foreign Minister ...")
        self.lead_in = re.compile(
            r"^(?:[\"\u201c]?(?:" + "|".join(cfg["lead_in_words"])
            + r"|[A-Z][\w.'-]*)[\s,]+){0,4}$",
            re.I,
        )
        # an official named with a title before the office ("Official Spokesperson of the",
        # "Senior Colonel X, spokesperson for the"): the office is the lead's subject
        self.office_lead_in = re.compile(cfg["office_lead_in"])
        # a clause before the subject ("Responding to a story in X, ...")
        self.lead_clause = re.compile(r"^(?:" + _alt(cfg["lead_clause_openers"]) + r")\b", re.I)
        # what follows a subject: a finite verb, an adverb + verb, or an apposition / time
        # phrase ("A Saudi government source has ...", "Colombian Foreign Minister X has ...",
        # "Minister X held a press conference", "..., Karim Khan, announced"), maybe after
        # an acronym ("The Parliamentary Assembly of the Council of Europe (PACE) today voted")
        name_word = r"(?:[A-Z][\w.'\-]*|" + _alt(cfg["name_particles"]) + r")"
        self.after_subject = re.compile(
            r"^\s*(?:\([^()\n]{1,20}\)\s*)?(?:,[^,;\n]{0,80}?,\s*)?(?:"
            + _alt(cfg["subject_nouns"]) + r"\s+)?"
            r"(?:" + name_word + r"\s+){0,5}(?:on\s+\w+day\s+)?(?:"
            + _alt(cfg["subject_adverbs"]) + r"\s+|\w+ly\s+)?"
            r"(?:has|have|had|is|was|were|will|would|did|does|do|\w+ed|\w+s|"
            + _alt(cfg["irregular_past"]) + r")\b"
        )
        # an apposition closes at the verb: "X, spokesperson for the Y, answered"
        self.appos_after = re.compile(
            r"^(?:\s+(?:of\s+)?(?:the\s+)?[A-Z][^,;.\n]{0,60}?)?,\s+(?:"
            + _alt(cfg["subject_adverbs"]) + r"\s+|\w+ly\s+)?(?:\w+ed|"
            + _alt(cfg["irregular_past"]) + r")\b"
        )
        self.claim_verb = re.compile(r"\b" + _alt(cfg["claim_verbs"]) + r"$")
        # ("X had claimed", "X has also alleged")
        self.claim_after_aux = re.compile(
            r"(?:(?<=\bhas)|(?<=\bhave)|(?<=\bhad))\s+(?:\w+ly\s+|also\s+)?"
            + _alt(cfg["claim_verbs"]) + r"\b")
        # a place followed by a date ("Vilnius, 14 May 2024"): the dates of a dateline
        date = date_pattern()
        # (or a dash and a dated weekday: "..., Ministry of Foreign Affairs, Islamabad – Friday,
        # 14 November 2025")
        self.place_after = re.compile(
            r"^\s*(?:,\s*(?:" + date + r"|\d)|\s*[.;]\s*$|\s*$"
            r"|[^\S\n]*[\u2013\u2014-][^\S\n]*(?:[A-Z][a-z]+day,?[^\S\n]*)?(?:" + date + r"|\d))")
        # (with a region between: "Washington, DC \u2013 April 29, 2025")
        self.place_dated = re.compile(
            r"^\s*,\s*(?:[A-Z][A-Za-z.]{0,15}\s*[,\u2013\u2014-]\s*)?(?:" + date + r"|\d)")
        speech = _alt(cfg["speech_nouns"])
        self.answered_marker = re.compile(r"\b" + _alt(cfg["answered_markers"]) + r"\b", re.I)
        self.speech_owner = re.compile(r"^['\u2019]s?\s+(?:[\w-]+\s+){0,3}?" + speech + r"\b", re.I)
        # "the claims made by X", "accusations by officials of X"
        self.speech_of = re.compile(
            r"\b" + _alt(cfg["claim_nouns"]) + r"\s+(?:" + _alt(cfg["speech_participles"])
            + r"\s+)?(?:by|of|from)\s+[^,;.:()]{0,60}$",
            re.I,
        )
        # "the statement issued by X" (not "the following statement issued by")
        self.speech_issued_by = re.compile(
            cfg["speech_nouns_issued"] + r"\b" + speech + r"\s+" + _alt(cfg["speech_participles"])
            + r"\s+(?:\w+\s+){0,2}?by\s+(?:the\s+)?$",
            re.I,
        )
        # "rejects both the address of X and the statement of the Y"
        self.rejected_speech = re.compile(
            r"\b" + cfg["rejection_verbs"] + r"\s+(?:[^.;:\n]{0,60}?\s)?(?:the\s+)?" + speech
            + r"\s+(?:" + _alt(cfg["speech_participles"]) + r"\s+)?(?:of|by|from)\s+(?:the\s+)?$",
            re.I,
        )
        self.answered_object = re.compile(
            r"\b" + _alt(cfg["answered_objects"]) + r"\s+(?:the\s+)?$", re.I
        )
        # the agent of a reaction ("are rejected by X") or of an issue ("issued by X")
        self.reaction_agent = re.compile(
            r"\b" + _alt(cfg["reaction_agent"]) + r"\s+(?:the\s+)?$", re.I
        )
        self.passive_agent = re.compile(
            r"\b" + _alt(cfg["reaction_agent"] + cfg["passive_agent"]) + r"\s+(?:the\s+)?$",
            re.I,
        )
        self.issuer_marker = re.compile(r"\b" + _alt(cfg["issuer_markers"]) + r"\b", re.I)
        reply = cfg["reply_to_lead"]
        self.reply_to_lead = re.compile(
            r"\b" + _alt(reply["verbs"]) + r"\s+" + reply["objects"]
            + _alt(cfg["claim_nouns"] + ["statements?", "words", "speech"]) + r"\b",
            re.I,
        )
        self.reply_present = re.compile(
            r"\s+(?:\w+ly\s+)?" + _alt(reply["present_verbs"]) + r"\s+" + reply["objects"]
            + _alt(cfg["claim_nouns"] + ["statements?", "words", "speech", "resolution"])
            + r"\b", re.I,
        )
        self.reply_sentences = int(reply["sentences"])
        # an office rejecting in a headline ("COMMITTEE ON X REJECTS US EMBASSY CLAIMS")
        self.headline_rejects = re.compile(r"\s+" + _alt(reply["present_verbs"]) + r"\b", re.I)
        self.rebuttal_opening = re.compile(cfg["rebuttal_opening"])
        self.group_members: dict[str, list[str]] = dict(cfg["group_members"])
        self.group_office = re.compile(cfg["group_office"], re.I)
        self.visit_host = re.compile(cfg["visit_host"])
        self.closing_place_prefix = re.compile(cfg["closing_place_prefix"])
        self.question = re.compile(cfg["question_start"])
        self.turn = re.compile(cfg["turn_start"])
        self.question_turn = re.compile(cfg["question_turn"])  # "Reuters: ... ?" paragraph
        self.header = re.compile(
            r"^\s*" + cfg["header_not_start"] + r"(?:[^.;:\n]{0,80}?['\u2019]s\s+)?"
            # (bounded, spaces taken whole: no blow-up on capitals or runs of spaces)
            r"(?:" + _alt(cfg["header_prefix"]) + r"\s*+){0,4}"
            + _alt(cfg["header_types"]) + r"\b",
            re.I,
        )
        phrase = cfg["header_issuer_phrase"]
        self.header_issuer_phrase = re.compile(
            phrase["opens"] + r"(?:" + _alt(cfg["header_prefix"]) + r"\s*+){0,4}"
            + _alt(cfg["header_types"]) + phrase["joins"],
            re.I,
        )
        self.header_topic = re.compile(r"\b" + _alt(cfg["header_topic"]) + r"\b", re.I)
        self.header_resume = re.compile(_alt(cfg["header_topic_end"]), re.I)
        self.header_place_prep = re.compile(
            r"\b" + _alt(cfg["header_place_prepositions"]) + r"\s+(?:the\s+)?$", re.I
        )
        self.bare_roles = [
            (r["role"], re.compile(r"\b(?:" + r["pattern"] + r")\b")) for r in cfg["bare_roles"]
        ]
        # the same offices in a line written all in capitals ("CONGRESS OF ...")
        self.bare_roles_caps = [
            (role, re.compile(pat.pattern, re.I)) for role, pat in self.bare_roles
        ]
        # a title line naming its issuer: "TWENTY-THIRD CONGRESS OF X", "X – Press statement",
        # "Chamber of Senators – Oriental Republic of Uruguay"
        title = cfg["title_header"]
        self.title_ordinal = re.compile(
            r"[\"\u201c]?\s*(?:" + title["signed_by"] + r")?(?:the\s+)?(?:(?:" + title["ordinal"]
            + "|" + _alt(title["honorifics"]) + r")\s+|" + title["units"] + ")?",
            re.I
        )
        self.title_type = re.compile(
            title["type_joins"] + r"(?:" + _alt(cfg["header_prefix"]) + r"\s*){0,4}"
            + _alt(cfg["header_types"]) + r"\b",
            re.I,
        )
        self.office_state_joins = re.compile(title["office_state_joins"], re.I)
        self.bare_bodies = [
            (b["code"], re.compile(r"\b(?:" + b["pattern"] + r")\b")) for b in cfg["bare_bodies"]
        ]
        self.bare_not_before = re.compile(r"^" + cfg["bare_role_not_followed_by"])
        # "Ministry of Foreign Affairs of X", "Foreign Minister Ann Linde of X"
        self.office_of = re.compile(
            r"\s+(?:(?:[A-Z][\w.'\-]*|" + _alt(cfg["name_particles"]) + r")\s+){0,4}"
            r"(?i:of)\s+(?:(?i:the)\s+)?"  # (also in a capitals letterhead: "... OF THE X")
        )
        # "the Government of the Transition of the Republic of Mali": a qualified office
        self.office_qualified_of = re.compile(cfg["office_qualified_of"])
        # a title line that only names an institution ("Embassy of X in Canada")
        self.title_rest = re.compile(cfg["title_only_rest"], re.I)
        self.title_spokesperson = re.compile(cfg["title_spokesperson"], re.I)
        # what a claimant is said to have claimed is the answered content
        self.claim_content = re.compile(
            r"\b" + _alt(cfg["claim_content_verbs"]) + r"\s+that\b"
        )
        # a briefing transcript and the office in an answer's turn label "Name (Office):"
        self.briefing = re.compile(cfg["briefing_header"], re.I)
        # "the weekly press briefing held on Thursday by Ambassador X, Spokesperson of the Y"
        self.briefing_by = re.compile(
            cfg["briefing_header"] + r"\s+(?:held|given|conducted|hosted)\b[^.;\n]{0,60}?\bby\s+",
            re.I)
        self.turn_office_before = re.compile(r"(?:^|[\n?.!]\s*)[A-Z][\w.'\u2019\-]*"
                                             r"(?:\s+[A-Z][\w.'\u2019\-]*){0,3}\s*\(\s*$")
        self.turn_office_after = re.compile(r"\s*\)\s*:")
        self.body_lead_in = re.compile(r"(?:^|[.;:\n]\s*|\bthe\s+)$", re.I)
        self.lead_reply = re.compile(cfg["lead_reply"], re.I)
        self.lead_voice = re.compile(cfg["lead_voice"], re.I)
        self.web_domain = re.compile(cfg["web_domain"], re.I)
        self.domain_aliases: dict[str, str] = dict(cfg["domain_aliases"])
        # (a letterhead's state and office lines join; a paragraph break does not: "Washington"
        # ending one paragraph and "Prime Minister" opening the next are two mentions)
        self.adjacent = re.compile(
            r"^(?:['\u2019]s)?(?:[^\S\n]+|[^\S\n]*\n[^\S\n]*)"
            r"(?:[A-Z][\w.\-]*[^\S\n]+(?:and[^\S\n]+)?){0,4}\Z")  # (not across a blank line)
        v = cfg["voice"]
        verbs = "|".join(cfg["subject_verbs"] + cfg["inverted_clause_verbs"])
        self.voice_window = int(v["verb_window"])
        self.voice_min = int(v["min_sentences"])
        self.voice_ratio = float(v["ratio"])
        # "the ministry said", "its spokesperson added": a voice named by an anaphor
        anaphor = (
            r"(?:(?P<gov>" + v["anaphor_gov"] + r")|(?P<org>" + v["anaphor_org"] + r")|(?P<doc>"
            + v["anaphor_doc"] + r"))\b"
        )
        # before a statement verb, or opening the sentence before a finite verb
        self.anaphor = re.compile(
            r"\b" + anaphor + r"(?=[^.;:]{0,40}?\b(?:" + verbs + r")\b)", re.I
        )
        self.anaphor_start = re.compile(v["subject_start"] + anaphor + v["finite"], re.I)
        self.subject_start = re.compile(v["subject_start"] + r"$", re.I)
        # a sentence subject after a time phrase: "In March 2025 Moldova declared ..."
        self.dated_subject_start = re.compile(
            r"^(?:" + v["time_phrase"] + r")?" + v["subject_start"][1:] + r"$", re.I
        )
        self.finite = re.compile(v["finite"])
        # "He said ...", "..., she added": the previous voice goes on
        self.pronoun = re.compile(
            r"(?:^|,\s+)" + v["pronoun"] + r"\s+(?:\w+ly\s+)?(?:also\s+)?(?:" + verbs + r")\b", re.I
        )
        self.first_person = re.compile(v["first_person"])
        self.pluperfect = re.compile(r"(?:['\u2019]s\s+[^,.;]{0,40}?)?\s+had\s+(?!been\b)")
        self.verbs_after = re.compile(r"\b(?:" + verbs + r")\b")
        self.parent = {k: c for k, c in cfg["speaker_code_parent"].items() if not k.startswith("_")}
        organ = cfg["state_organ"]
        self.state_organs = [(re.compile(organ["pattern"], re.I), organ["role"])] + [
            (re.compile(p, re.I), role) for role, p in organ.get("other_roles", {}).items()
        ]
        self.preamble = re.compile(cfg["resolution_preamble"]["pattern"], re.I)
        self.preamble_chars = int(cfg["resolution_preamble"]["max_chars"])
        self.un_letter = re.compile(cfg["un_letter_title"]["pattern"])
        self.un_letter_chars = int(cfg["un_letter_title"]["max_chars"])
        self.mission = re.compile(cfg["mission_role"]["pattern"], re.I)
        self.mission_role = cfg["mission_role"]["role"]
        self.mission_appos = re.compile(cfg["mission_role"]["apposition"], re.I)
        dual = cfg["dual_title"]
        self.dual_first = re.compile(r"(?:^|\s)(?:" + dual["first"] + r")$", re.I)
        self.dual_joins = re.compile(dual["joins"] + r"$", re.I)
        self.joint = [
            (role, re.compile(r"\b(?:the\s+)?" + pat + r"\s+of\s+(?:the\s+)?$", re.I), False)
            for pat, role in cfg["joint_roles"].items()
        ] + [
            (role, re.compile(r"\b(?:the\s+)?" + pat + r"\s+of\s+(?:the\s+)?$", re.I), True)
            for pat, role in cfg.get("joint_list_roles", {}).items()
        ]
        # a headline opening with its speaker and a colon ("X Foreign Minister: ...")
        hs = cfg["headline_speaker"]
        words = r"(?:\s+[\w'\u2019\-]+){0," + str(int(hs["max_words"]) - 1) + r"}?"
        self.headline_tail = re.compile(
            r"(?:" + words + r"\s+" + hs["tail_nouns"] + r")?\s*:", re.I
        )
        self.headline_state_tail = re.compile(
            words + r"\s+" + hs["state_tail"] + r"\s*:", re.I
        )
        # "Days before the visit of X, Y gave ...": X does not speak
        self.subordinate = re.compile(cfg["subordinate_clause"]["pattern"], re.I)
        # a header after a headline without a full stop ("... Belize says Press release of
        # the Government of Belize, Belmopan, September 2025.")
        inner = cfg["inner_header"]
        self.inner_header = re.compile(
            r"(?<=\s)(?=[A-Z])(?:" + inner["prefix"] + r"\s+)?(?i:" + _alt(cfg["header_types"])
            + r")(?:\s+" + inner["participle"] + r")?" + inner["joins"]
        )
        self.inner_gap = int(inner["max_gap"])
        self.inner_sentences = int(inner["sentences"])
        self.date = re.compile(date_pattern())


_RULES: dict[Path, _Rules] = {}


_LOCK = threading.Lock()


def load_rules(actors_dir: Path) -> _Rules:
    """The speaker lexicons of an actors folder (``speaker.json``), cached per folder."""
    key = Path(actors_dir).resolve()
    with _LOCK:
        if key not in _RULES:
            path = key / RULES_FILE
            try:
                with open(path, encoding="utf-8") as fh:
                    _RULES[key] = _Rules(json.load(fh))
            except OSError as exc:
                msg = f"{path}: cannot read speaker rules ({exc.strerror})"
                raise ClaimflowError(msg) from None
            except json.JSONDecodeError as exc:
                raise ClaimflowError(f"{path}: not valid JSON ({exc})") from None
            except KeyError as exc:
                raise ClaimflowError(f"{path}: missing key {exc}") from None
            except (TypeError, ValueError, AttributeError, re.error) as exc:
                msg = " ".join(str(exc).split())
                raise ClaimflowError(f"{path}: malformed speaker rules ({msg})") from None
        return _RULES[key]


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    label: str
    code: str | None  # None for a bare role whose state is not known yet
    role: str = ""
    joint: bool = False  # "the governments of A, B and C"


@dataclass
class _Context:
    head: str
    gaz: Gazetteer
    rules: _Rules
    body_start: int
    mentions: list[_Mention]
    places: list[str] = field(default_factory=list)  # states of datelines / header places
    answered: set[int] = field(default_factory=set)  # starts of answered-party mentions
    lead_end: int = 0
    dateline_end: int = 0  # end of a dated dateline after a headline
    text: str = ""  # the whole text (its closing lines give a last-resort home state)
    asked: set[int] = field(default_factory=set)  # starts of mentions inside a question put


def find_speaker(
    text: str, gazetteer: Gazetteer | None = None, head_chars: int = 4000,
    place: str | None = None, outlet: str | None = None,
) -> tuple[str | None, str | None]:
    """(name, code) of the body issuing the statement, from the start of the document.

    1. A header naming the document ("Statement by X", "Press release of the Embassy of X",
       "Foreign Ministry Spokesperson X's Regular Press Conference, Beijing") gives the
       issuer: the first actor before the header's topic ("on ...", "regarding ...").
    2. Otherwise candidates are actor mentions that are the subject of a statement verb
       ("X has issued a statement", "X considers", "X said", "... informed X") or the agent
       of a reaction ("... are rejected by X", "has drawn a response from X"), in the title
       or the first ``head_chars`` characters.  The lead outranks the rest, then the first
       actor of its sentence, then institutions and bodies over states, then the earliest.
       Mentions governed by a preposition ("a letter to the European Parliament") are
       targets or places; the party a statement answers ("in response to X", "X's claims",
       "the statement by X", the subject of "X claimed") is never the speaker.
    3. A bare institution ("the Ministry of Foreign Affairs said", "Foreign Ministry
       Spokesperson Z") takes the document's home state: the state of the dateline or
       header place, else of the best named candidate, else the most-named state.  A state
       that wins while its own institution also speaks is replaced by that institution.

    ``place``: the dateline place that ingest cut off the text ("Monrovia"), a header place
    like one still in the text. ``outlet``: the site that published the text (ingest's
    ``outlet``, such as the holder of a page's copyright line): when it is an office and
    nothing above names the issuer, the office.

    A joint statement has several issuers, but the data contract has one speaker per
    document: the first issuer named ("The governments of Brazil, Colombia and Mexico" ->
    the Government of Brazil) is returned.
    """
    gaz = gazetteer or Gazetteer.load()
    headers = list(_MAIL_HEADERS.finditer(text, 0, 3000))
    if headers:
        text = text[headers[-1].end() :]  # a forwarded e-mail: the message under its headers
    head = text[:head_chars]
    if not head.strip():
        return None, None
    ctx = _context(head, gaz)
    if not ctx.mentions:
        return None, None
    dateline_state = gaz.state_of(gaz.normalise(place, "GPE")[1]) if place else None
    if dateline_state and dateline_state not in ctx.places:
        ctx.places.insert(0, dateline_state)
    ctx.text = text
    best = _header_issuer(ctx)
    if best is not None and best[-1].label == LABEL_STATE:
        # "Joint Statement by the Ministers responsible for Transport of A, B and C": the
        # signatories below name the organ
        signed = _joint_signatories(text, gaz)
        if signed is not None and gaz.state_of(signed) == best[-1].code:
            return gaz.name(signed), signed
    if best is None:
        signed = (_joint_signatories(text, gaz) or _closing_issued_by(text, gaz, ctx)
                  or _signature_issuer(text, gaz, ctx) or _closing_header(text, gaz)
                  or _author_office(text, gaz) or _about_issuer(text, gaz)
                  or _site_owner(text, gaz, ctx, outlet))
        if signed is not None:
            return gaz.name(signed), signed
        best = _best_candidate(ctx) or _visit_host(ctx)
    code = _code_of(best[-1], _resolve(best, ctx), ctx) if best is not None else None
    code = _dominant_voice(ctx, code, header=best is not None and best[0] == 3)
    code = _state_organ(ctx, code)
    code = _group_office(ctx, best, code)
    if code is None or gaz.name(code) is None:
        return None, None
    return gaz.name(code), code


def _closing_issued_by(text: str, gaz: Gazetteer, ctx: _Context) -> str | None:
    """The body a closing line says issued the text ("Adopted by the Milli Majlis of X at its
    plenary session of 13 March 2026.", "Issued by the Ministry of Foreign Affairs")."""
    for paragraph in text.rstrip().split("\n\n")[-3:]:
        m = _ISSUED_BY.match(paragraph.strip())
        if m is None:
            continue
        sig = _context(paragraph.strip()[:300], gaz)
        mn = next((o for o in sig.mentions if o.start == m.end()), None)
        if mn is None:
            # an office's unit before it ("Issued by the Office of the Spokesperson of the
            # Presidency of the Republic")
            mn = next((o for o in sig.mentions if o.start > m.end()), None)
            if mn is not None and not _UNIT_OF.fullmatch(sig.head, m.end(), mn.start):
                mn = None
        if m.group().startswith(("For", "On", "Signed")) and (
                mn is None or mn.label == LABEL_STATE or not mn.code and mn.role == "EMB"):
            continue  # "For the Republic of X" (a signatory state), "For the Ambassador, absent"
        if ":" in m.group() or "\n" in m.group():
            # "Issued by: / Name / Chief Communications Specialist to the President / State
            # House / Lusaka, 27 January 2026": the office of the signature block
            offices = [o for o in sig.mentions if o.start >= m.end() and o.label != LABEL_STATE]
            # (a ministry over its unit: "Government Communication Unit / Ministry of X")
            mn = next((o for o in offices if _role(o) not in ("", "GOV")),
                      offices[0] if offices else None)
        if mn is None:
            continue
        if mn.code:
            return _code_of(mn, mn.code, sig)
        # a bare office takes the place under it ("... / Ministry of Information / Lusaka")
        # (not a topic: "Caucus on Myanmar, Parliament of Malaysia")
        below = [gaz.state_of(o.code) for o in sig.mentions if o.start > mn.end and o.code
                 and not re.search(r"\bon\s+(?:the\s+)?$", sig.head[max(0, o.start - 8) : o.start])]
        below = [st for st in below if st]
        state = below[0] if below else _home_state(ctx)
        return f"{state}-{mn.role}" if state and mn.role else None
    return None


def _author_office(text: str, gaz: Gazetteer) -> str | None:
    """The office an author's closing note says she writes for ("X is Minister-Counsellor at
    the Embassy of Y in Canberra and writes on its behalf."): a right of reply's issuer."""
    for paragraph in text.rstrip().split("\n\n")[-4:]:
        m = _AUTHOR_FOR.match(paragraph.strip())
        if m is None:
            continue
        sig = _context(m.group()[:400], gaz)
        mn = next((o for o in sig.mentions if o.code and o.label != LABEL_STATE), None)
        if mn is not None:
            return _code_of(mn, mn.code, sig)
    return None


_AUTHOR_FOR = re.compile(
    r"[A-Z][\w.'\u2019\- ]{2,60}?\s+is\s+[^\n]{5,200}?\b(?:writes|writing|wrote)\s+on\s+"
    r"(?:its|their|the\s+[\w ]{2,40}['\u2019]s)\s+behalf")


_PAGE_MARK = re.compile(
    r"(?im)^[-\u2013\u2014=\s]*page\s+\d+(?:\s+of\s+\d+)?[-\u2013\u2014=\s]*$\n?")


def _closing_header(text: str, gaz: Gazetteer) -> str | None:
    """A header that closes a transcript instead of opening it ("— / Transcript of the
    weekly media briefing of X, Official Spokesperson of the Ministry of Y. Doha, ...")."""
    paragraph = _PAGE_MARK.sub("", text.rstrip().split("\n\n")[-1]).lstrip("\u2014\u2013-_* \n")
    sig = _context(paragraph[:400], gaz)
    if not sig.rules.header.match(paragraph):
        return None
    found = _line_header(sig)
    if found is None or not found[-1].code:
        return None
    return _code_of(found[-1], found[-1].code, sig)


_ISSUED_BY = re.compile(
    r"(?:(?:Adopted|Issued|Approved|Released|Published)(?:\s+\w+){0,3}?\s+by(?:\s*:)?\s+|"
    # "Adopted at the sitting of the Foreign Affairs Committee of the Saeima ..."
    r"Adopted\s+at\s+(?:the|a|its)\s+(?:\w+\s+){0,2}?(?:sitting|session|meeting)\s+of\s+|"
    # "For the Government of the Republic of X, / Name / Minister, Government Spokesperson"
    r"(?:Signed\s+)?(?:For|[Oo]n\s+behalf\s+of)(?:\s+and\s+on\s+behalf\s+of)?\s+(?=the\s+[A-Z])|"
    # "Contact for the media: Communication Division, Ministry of the Interior of X"
    r"(?:(?:Media|Press)\s+)?(?:Contacts?|[Ee]nquiries|[Ii]nquiries)(?:\s+for\s+the\s+media)?"
    r"(?::|[^\S\n]*\n)\s*(?:[A-Z][\w ]{0,40}?,\s*)?)"
    r"(?:the\s+)?")


_UNIT_COMMA = re.compile(r"(?:[A-Z][\w-]*[^\S\n]+(?:(?:and|of|for)[^\S\n]+)?){1,5}"
                         + _UNIT_WORD + r",[^\S\n]+")


_UNIT_OF = re.compile(r"(?:[A-Z][\w-]*[^\S\n]+){0,3}?" + _UNIT_WORD
                      + r"[^\S\n]+of[^\S\n]+(?:(?:the|[A-Z][\w-]*)[^\S\n]+|of[^\S\n]+){0,6}")


def _part_span(part: re.Match, offset: int) -> tuple[int, int]:
    """The span of a part of a bar line without the separator it opens with."""
    lead = len(part.group()) - len(part.group().lstrip(" |\u00b7\u2013\u2014"))
    return offset + part.start() + lead, offset + part.end()


def _signature_issuer(text: str, gaz: Gazetteer, ctx: _Context) -> str | None:
    """The office that signs the statement at its end: a closing block of at most four short
    lines, one of them only an office's name, the rest its place and date ("Ministry of
    Foreign Affairs and International Cooperation / Kigali, 2 June 2025").
    A bare office takes the state of its place, else the document's home state."""
    lines = _closing_lines(text)
    if not lines:
        return None
    sig = _context("\n".join(lines), gaz)
    mn, start, end = None, 0, 0
    for line in lines:  # the first line (or part of a bar) that is only an office's name
        end = start + len(line)
        # (the parts of a bar, or else after a unit and a comma: "Army Public Relations Centre,
        # Royal Thai Army")
        parts = list(_BAR_PARTS.finditer(line))
        unit = _UNIT_COMMA.match(line)
        for part in parts + ([unit] if unit else []):
            a, b = _part_span(part, start) if part is not unit else (start + unit.end(), end)
            offices = [m for m in sig.mentions if a <= m.start < b and m.label != LABEL_STATE]
            if offices and _names_issuer(sig.head[a : offices[0].start],
                                         sig.head[offices[0].end : b], offices[0], sig.rules):
                mn = offices[0]
                break
        if mn is not None:
            break
        start = end + 1
    if mn is None:
        return None
    if mn.code:
        code = _code_of(mn, mn.code, sig)
        return None if code in _addressee_codes(ctx) else code
    states = [gaz.state_of(m.code) for m in sig.mentions
              if not start <= m.start < end and m.code]
    state = next((st for st in states if st), None) or (sig.places or [None])[0]
    state = state or _home_state(ctx)
    role = mn.role
    if role == "EMB" and sig.rules.mission.search("\n".join(lines)):
        role = sig.rules.mission_role  # "Ambassador / Permanent Representative"
    return f"{state}-{role}" if state else None


def _addressee_codes(ctx: _Context) -> set[str]:
    """Codes of the parties a note or letter is addressed to ("presents its compliments to the
    Office of ...", "addressed to the President of ..."): an address block naming one of them
    under the text is not its signature."""
    return {mn.code for mn in ctx.mentions
            if mn.code and _ADDRESSED_TO.search(ctx.head, max(0, mn.start - 40), mn.start)}


def _joint_signatories(text: str, gaz: Gazetteer) -> str | None:
    """The first of the signatories of two or more states or bodies that close a joint
    statement: short blocks naming a state and an office each ("For the Republic of Chad / The
    Minister of the Armed Forces / General ...", "Kenji Tsukamoto / Minister of Defense,
    Japan"), or a list of such lines ("Minister of Foreign Affairs of Canada / ...") or of
    organisations ("Signatories: / Amnesty International / ARTICLE 19 / ...")."""
    rules = load_rules(gaz.dir)
    signed: list[str] = []
    for paragraph in reversed(text.rstrip().split("\n\n")[-12:]):
        lines = [ln.strip() for ln in paragraph.split("\n") if ln.strip()]
        if lines and _RELATED.match(lines[0]):
            continue  # links to a site's other items
        if not lines or (not signed and (_CONTACTS.match(lines[0]) or _ADDRESSEE.match(lines[0]))):
            continue  # (a contact line or the addressee under the signatures)
        if any(len(ln) > 120 or (ln[-1] in ".;!?" and len(ln.split()) > 6) for ln in lines):
            break  # the body
        listed = [s for ln in lines if (s := _signatory(ln, gaz, rules))] if len(lines) > 1 else []
        if len({gaz.state_of(code) or code for code in listed}) >= 2:
            signed = listed + signed
        elif len(lines) <= 4:
            block = _signatory("\n".join(lines), gaz, rules, bodies=False)
            signed = ([block] if block else []) + signed  # not "Done at N'Djamena, 27 March"
        else:
            break
    if len({gaz.state_of(code) or code for code in signed}) < 2:
        return None
    return signed[0]


def _signatory(block: str, gaz: Gazetteer, rules: _Rules, bodies: bool = True) -> str | None:
    """The code of a signature naming one state and an office (or, with ``bodies``, a line
    that is only an organisation's name), else None."""
    ents = list(gaz.blank_nlp()(block).ents)
    if (bodies and ents and len({e.ent_id_ for e in ents}) == 1
            and ents[0].label_ in (LABEL_NGO, LABEL_IGO)
            and _SIGNED_BODY_REST.fullmatch(block, ents[0].end_char)
            and not block[: ents[0].start_char].strip()):
        return ents[0].ent_id_  # "Committee to Protect Journalists (CPJ)", "ARTICLE 19 West Africa"
    states = {gaz.state_of(e.ent_id_) for e in ents} - {None}
    offices = sorted((m.start(), role != "GOV", role) for role, p in rules.bare_roles
                     for m in [p.search(block)] if m is not None)
    if len(states) != 1 or not offices:
        return None
    # a portfolio before a rank ("Deputy Prime Minister and Minister for Defence")
    role = next((r for _, specific, r in offices if specific), offices[0][2])
    state = states.pop()
    return f"{state}-{role}" if gaz.name(f"{state}-{role}") else state


# the header block of an e-mail ("From: ... / Sent: ... / To: ... / Subject: ...")
_MAIL_HEADERS = re.compile(
    r"(?m)^From:[^\n]*\n(?:(?:Sent|Date|To|Cc|Subject):[^\n]*\n){2,}")
_CONTACTS = re.compile(
    r"(?i)(?:media\s+|press\s+)?contacts?\b|for\s+(?:more|further)\s+information|"
    r"press\s+enquiries|[-\u2013\u2014#\s]*ends?[-\u2013\u2014#\s]*$")
_SIGNED_BODY_REST = re.compile(
    r"[^\S\n]*(?:\([^()\n]{1,20}\)|(?:[A-Z][\w\-]*[^\S\n]*){0,3})[^\S\n]*[,;.]?\s*")


def _visit_host(ctx: _Context) -> tuple | None:
    """The host of a visit that a joint communiqu\u00e9 reports in its lead."""
    for m in ctx.rules.visit_host.finditer(ctx.head, ctx.body_start, ctx.lead_end):
        host = next((mn for mn in ctx.mentions if mn.start >= m.end()), None)
        # (the host by name and title: "His Excellency Mr A B, President of X")
        if host is not None and host.code and host.start - m.end() <= 80:
            return (2, True, ctx.rules.rank[host.label], -host.start, host)
    return None


def _closing_place(text: str, gaz: Gazetteer, rules: _Rules) -> str | None:
    """The state of a dated place line among the closing lines ("Dodoma, 6 August 2025")."""
    for line in reversed(_closing_lines(text)):
        line = line.strip()
        line = line[rules.closing_place_prefix.match(line).end() :]
        if rules.date.search(line):
            first = next(iter(gaz.blank_nlp()(line).ents), None)  # the line opens with it
            if first is not None and first.start_char == 0 and first.label_ == LABEL_STATE:
                return gaz.state_of(first.ent_id_)
    return None


def _group_office(ctx: _Context, best: tuple | None, code: str | None) -> str | None:
    """A group's ministers ("G7 Foreign Ministers' Statement"): its first member's ministry;
    the group alone ("Benelux"): its first member."""
    members = ctx.rules.group_members.get(code or "")
    if not members:
        return code
    m = ctx.rules.group_office.match(ctx.head, best[-1].end) if best is not None else None
    return f"{members[0]}-{m.lastgroup}" if m is not None else members[0]


# a web page's owner line at its foot: "\u00a9 2025 Ministry of ...", "Copyright \u00a9 X"
_COPYRIGHT = re.compile(
    r"(?i)^(?:copyright\s*)?\u00a9\s*(?:\d{4}(?:\s*[-\u2013]\s*\d{4})?[,.]?\s*)?")
# or its name before its address and links: "Parliament of X | PO Box 15, Cape Town | Contact"
_OWNER_BAR = re.compile(r"[^\S\n]+(?:[|/\u00b7\u2022]|[-\u2013\u2014](?=[^\S\n]))")


def _site_owner(text: str, gaz: Gazetteer, ctx: _Context, outlet: str | None = None,
                max_lines: int = 6) -> str | None:
    """The body that owns the web page a statement was copied from, named in its footer (a
    copyright line, or a footer line that opens with the body's name and goes on with its
    address or links), else the ``outlet`` ingest found. A bare office takes the state named
    with it, else the home state."""
    lines = [ln.strip() for ln in text.rstrip().split("\n") if ln.strip()][-max_lines:]
    named = [(_COPYRIGHT.match(ln), ln) for ln in reversed(lines)]
    for mark, line in named + ([(True, outlet)] if outlet else []):
        rest = line[mark.end() :] if isinstance(mark, re.Match) else line
        if mark is None and not _OWNER_BAR.search(rest):
            continue
        sig = _context(rest, gaz)
        first = next(iter(sig.mentions), None)
        if first is None or first.start > 0 or first.label == LABEL_STATE:
            continue
        after = rest[first.end :]
        if mark is None and not _OWNER_BAR.match(after):
            continue  # a sentence, not the owner's name before its address
        code = first.code
        if code is None:  # "Ministry of Foreign Affairs, ... \u2013 Kingdom of X"
            state = next((gaz.state_of(m.code) for m in sig.mentions[1:] if m.code), None)
            state = state or _home_state(ctx)
            code = f"{state}-{first.role}" if state and first.role else None
        code = _code_of(first, code, sig)
        if code and code not in _addressee_codes(ctx):
            return code
    return None


def _about_issuer(text: str, gaz: Gazetteer) -> str | None:
    """The organisation of a closing "About X:" paragraph (a press release's boilerplate), or
    of a closing paragraph that describes it ("Amnesty International is a global movement
    of ...")."""
    found = next(reversed(list(_ABOUT.finditer(text[-2500:]))), None)  # the last one
    if found is None:
        found = next(reversed(list(_ABOUT_IS.finditer(text[-1500:]))), None)
    if found is None:
        return None
    doc = gaz.blank_nlp()(found.group(1))
    first = next((e for e in doc.ents if e.start_char == 0 and e.label_ in (
        LABEL_NGO, LABEL_IGO, LABEL_INST)), None)
    return first.ent_id_ if first is not None and gaz.name(first.ent_id_) else None


def _closing_lines(text: str, max_lines: int = 5, max_chars: int = 150) -> list[str]:
    """The short lines that close a statement, over blank lines ("Adopted in the Chamber,
    Windhoek, 27 May 2025" / "Speaker of the National Assembly"): at most ``max_lines``, each
    shorter than ``max_chars`` and none a sentence of the body (over six words with a full
    stop); none when the last line is such a sentence."""
    out: list[str] = []
    for paragraph in reversed(text.rstrip().split("\n\n")):
        lines = [ln.strip() for ln in paragraph.split("\n") if ln.strip()]
        if lines and _RELATED.match(lines[0]):
            continue  # a web page's links to other items ("Related news: / \u203a ...")
        if not lines or (not out and (_ADDRESSEE.match(lines[0]) or _DISCLAIMER.match(lines[0])
                                      or _CONTACTS.match(lines[0])
                                      or all(_WEB_CHROME.fullmatch(ln) or _DISCLAIMER.match(ln)
                                             for ln in lines))):
            continue  # (an addressee, a site's disclaimer or a contact under the signature)
        if len(out) + len(lines) > max_lines or any(
            len(ln) > max_chars or (ln[-1] in ".;!?" and len(ln.split()) > 6) for ln in lines
        ):
            break  # a long line or a sentence belongs to the body
        out = lines + out
    return out


def _code_of(mn: _Mention, code: str | None, ctx: _Context) -> str | None:
    """The speaker code of a mention: a permanent mission speaks for its foreign ministry,
    a subsidiary organ for its parent body (``speaker_code_parent``)."""
    if code is None:
        return None
    rules = ctx.rules
    if code.endswith("-EMB") and (rules.mission.search(ctx.head[mn.start : mn.end])
                                  or rules.mission_appos.match(ctx.head, mn.end)):
        code = f"{code[:-4]}-{rules.mission_role}"
    return rules.parent.get(code, code)


def _state_organ(ctx: _Context, code: str | None) -> str | None:
    """A bare state speaks through its foreign ministry when the text names such an organ
    ("Colombia has dismissed ... The ministry said"), not one of another party: the organ
    is not part of another state's name, nor an anaphor of another state's institution."""
    if code is None or "-" in code or ctx.gaz.state_of(code) != code:
        return code
    gaz = ctx.gaz
    # an organ of that state speaking in the lead: "Joint statement by Australia, ... /
    # Joint statement from the Foreign Ministers of Australia, ..."
    for mn in ctx.mentions:
        if (mn.start < ctx.lead_end and mn.code and "-" in mn.code
                and gaz.state_of(mn.code) == code and _candidate(mn, ctx) is not None):
            return mn.code
    # in text order; at one place the longest ("government spokesperson", not "spokesperson")
    found = sorted(
        ((m, role) for pat, role in ctx.rules.state_organs
         for m in pat.finditer(ctx.head, ctx.body_start)),
        key=lambda x: (x[0].start(), -x[0].end()),
    )
    for m, role in found:
        owner = [mn for mn in ctx.mentions if mn.start < m.end() and m.start() < mn.end]
        if not owner:  # "the ministry said": the institution named last
            owner = [mn for mn in ctx.mentions if mn.end <= m.start() and mn.start
                     not in ctx.answered and mn.code and "-" in mn.code][-1:]
        if all(mn.code is None or gaz.state_of(mn.code) == code for mn in owner):
            return f"{code}-{role}"
    return code


# ---------------------------------------------------------------------- mentions
def _inner_dateline(head: str, body_start: int) -> tuple[int, int] | None:
    """A dated dateline after a headline without a full stop ("Carter Center questions ...
    final report Atlanta, December 2023 — The Carter Center has published ..."): its span."""
    brk = _SENT_BREAK.search(head, body_start + 1)
    end = brk.start() if brk else len(head)
    for m in re.finditer(r"(?<=\S\s)(?=[A-Z])", head[:end]):
        if m.start() <= body_start:
            continue
        e = dateline_end(head[m.start() : end + 2])
        if e and head[m.start() : m.start() + e].rstrip()[-1:] in _DASHES:
            return m.start(), m.start() + e
    return None


def _context(head: str, gaz: Gazetteer) -> _Context:
    rules = load_rules(gaz.dir)
    body_start = dateline_end(head, undated=True)
    inner = _inner_dateline(head, body_start)
    if inner is not None and head[inner[1] - 1].isspace():
        # the headline is a title line: the body opens after the dateline
        head = head[: inner[1] - 1] + "\n" + head[inner[1] :]
    doc = gaz.blank_nlp()(head)
    if not re.search(r"\d", head[:body_start]) and (
            any(e.end_char <= body_start and (
                e.label_ in (LABEL_INST, LABEL_NGO)
                # "European Commission \u2013 Midday Briefing", "OAS \u2013 ..." (not
                # "BRUSSELS \u2014")
                or (e.label_ == LABEL_IGO
                    and (len(e.text.split()) > 1 or (e.text.isupper() and len(e.text) <= 5))))
                for e in doc.ents)
            or any(p.search(head, 0, body_start) for _, p in rules.bare_roles)):
        # "Mainland Affairs Council \u2013 Regular Press Conference", "MoFA Ethiopia \u2013
        # Press Briefing": an office's name, not a dateline
        body_start = 0
    places = [
        gaz.state_of(e.ent_id_) for e in doc.ents
        if (e.end_char <= body_start or (inner and inner[0] <= e.start_char < inner[1]))
        and gaz.state_of(e.ent_id_)
    ]
    # demonyms are kept only to give a bare office its state ("Japanese Minister of Defense")
    mentions = [
        _Mention(e.start_char, e.end_char, e.label_, e.ent_id_)
        for e in doc.ents
        if (e.label_ in rules.rank or e.label_ == LABEL_ADJ) and gaz.name(e.ent_id_)
        and e.start_char >= body_start and not (inner and inner[0] <= e.start_char < inner[1])
    ]
    mentions = _add_joint(head, mentions, rules)
    mentions = _add_bare(head, mentions, rules, body_start, gaz.capitals)
    mentions = _merge_dual_titles(head, mentions, rules)
    mentions = [mn for mn in mentions if mn.label in rules.rank]
    # "the Transitional Presidential Council (CPT)": the acronym is the name's, not another
    # body's that shares it
    mentions = [mn for i, mn in enumerate(mentions) if not (
        i and _OWN_ACRONYM.fullmatch(head, mentions[i - 1].end, mn.end + 1)
        and head[mn.start : mn.end].isupper())]
    ctx = _Context(head, gaz, rules, body_start, mentions, places)
    ctx.dateline_end = inner[1] if inner is not None else 0
    ctx.lead_end = _lead_end(head, body_start)
    kept = []
    for mn in ctx.mentions:
        if _is_place(mn, ctx):
            ctx.places.append(mn.code.split("-")[0])  # type: ignore[union-attr]
        else:
            kept.append(mn)
    ctx.mentions = kept
    ctx.places += _web_domain_states(head, gaz, rules)
    if not ctx.places:
        ctx.places += _addressed_people(head, doc, gaz)
    ctx.answered = _answered(ctx)
    title = head[body_start : ctx.lead_end]
    if (rules.header.match(title) and not _AUX.search(title) and not rules.subj.search(title)
            and _header_issuer(ctx) is None):
        # a header line that names no issuer ("Joint Statement on ..., Tokyo, 5 June
        # 2024.") and the sentence after it form the lead
        ctx.lead_end = _lead_end(head, ctx.lead_end)
        ctx.answered = _answered(ctx)
    return ctx


def _addressed_people(head: str, doc, gaz: Gazetteer) -> list[str]:
    """The state of the people an address opens on ("My fellow Malawians,", "Malagasy men and
    women, dear compatriots,"): a speech to one's own nation."""
    for e in doc.ents:
        if e.label_ != LABEL_ADJ or not gaz.state_of(e.ent_id_):
            continue
        line_start = head.rfind("\n", 0, e.start_char) + 1
        if ((_VOCATIVE_BEFORE.fullmatch(head, line_start, e.start_char)
             and head.startswith(",", e.end_char))
                or (not head[line_start : e.start_char].strip()
                    and _VOCATIVE_AFTER.match(head, e.end_char))):
            return [gaz.state_of(e.ent_id_)]  # type: ignore[list-item]
    return []


_VOCATIVE_BEFORE = re.compile(r"[^\S\n]*(?:My\s+(?:dear\s+)?fellow|Fellow|Dear\s+fellow)\s+")
_VOCATIVE_AFTER = re.compile(
    r"\s+(?:men\s+and\s+women|women\s+and\s+men|brothers\s+and\s+sisters),")


def _web_domain_states(head: str, gaz: Gazetteer, rules: _Rules, max_lines: int = 6
                       ) -> list[str]:
    """States of the government web addresses among the opening lines ("GOV.SI" -> SVN)."""
    out = []
    for line in head.split("\n", max_lines)[:max_lines]:
        for m in rules.web_domain.finditer(line):
            tld = m["tld"].lower()
            state = rules.domain_aliases.get(tld) or gaz.domains.get(tld)
            if state and state not in out:
                out.append(state)
    return out


def _add_joint(head: str, mentions: list[_Mention], rules: _Rules) -> list[_Mention]:
    """"The governments of Brazil, Colombia and Mexico": one mention of the first issuer."""
    out: list[_Mention] = []
    listing: str | None = None  # the role of the joint list being read
    single: dict[int, _Mention] = {}  # list-only roles, undone when no list follows
    for mn in mentions:
        if listing and mn.label == LABEL_STATE and _LIST_GAP.match(head[out[-1].end : mn.start]):
            single.pop(len(out) - 1, None)
            out[-1] = replace(out[-1], end=mn.end)  # "..., Colombia and Mexico"
            continue
        listing = None
        before = head[max(0, mn.start - 100) : mn.start]
        for role, pat, list_only in rules.joint:
            m = pat.search(before) if mn.label == LABEL_STATE else None
            if m:
                if list_only:
                    single[len(out)] = mn
                start = mn.start - len(before) + m.start()
                mn = _Mention(start, mn.end, "ACTOR_INST", f"{mn.code}-{role}", role, joint=True)
                listing = role
                break
        out.append(mn)
    for i, mn in single.items():
        out[i] = mn  # "on behalf of Canada": one state, as named
    return out


def _add_bare(
    head: str, mentions: list[_Mention], rules: _Rules, body_start: int, capitals: set[str]
) -> list[_Mention]:
    """Institutions named without their state; an adjacent state gives it ("US Secretary")."""
    taken = [(mn.start, mn.end) for mn in mentions]
    found: list[_Mention] = []
    # demonyms and organisations inside an office's name ("Ministry of Foreign Affairs and
    # Tunisians Abroad", "Ministry of Foreign and CARICOM Affairs")
    absorbed: set[tuple[int, int]] = set()
    pats = [(role, None, p, False) for role, p in rules.bare_roles]
    pats += [("", code, p, False) for code, p in rules.bare_bodies]
    pats += [(role, None, p, True) for role, p in rules.bare_roles_caps]
    caps_lines = list(_caps_lines(head, body_start))
    for role, code, pat, caps in pats:
        spans = caps_lines if caps else [(body_start, len(head))]
        for m in (m for a, b in spans for m in pat.finditer(head, a, b)):
            s, e = m.span()
            inner = {(mn.start, mn.end) for mn in mentions if mn.label in (LABEL_ADJ, LABEL_IGO)
                     and s < mn.start and mn.end <= e}
            # a letterhead line that names a portfolio some state's institution is known by
            # ("REPUBLIC OF NAURU / DEPARTMENT OF FOREIGN AFFAIRS AND TRADE", Australia's
            # name) names the letterhead's office, not that state's
            inner |= {(mn.start, mn.end) for mn in mentions if caps and mn.label == LABEL_INST
                      and (mn.start, mn.end) == (s, e) and mn.code
                      and mn.code.endswith(f"-{role}")}
            if any(a < e and s < b and (a, b) not in inner for a, b in taken):
                continue
            if rules.bare_not_before.match(head[e:]) and not any(
                re.fullmatch(r"\s+of\s+(?:the\s+)?", head[e:mn.start])
                or rules.office_qualified_of.fullmatch(head[e:mn.start])
                for mn in mentions if e < mn.start <= e + 60 and (
                    mn.label == LABEL_STATE
                    # "Foreign Affairs Committee of Althingi": an office of that institution
                    or (role and mn.code and mn.code.endswith(f"-{role}")))
            ):
                continue  # "the President of the Security Council"
            if code is not None:
                if not rules.body_lead_in.search(head[max(0, s - 20) : s]):
                    continue
                found.append(_Mention(s, e, LABEL_IGO, code))
            else:
                found.append(_Mention(s, e, LABEL_ROLE, None, role))
            taken.append((s, e))
            absorbed |= inner
    mentions = [mn for mn in mentions if (mn.start, mn.end) not in absorbed]
    out = sorted(mentions + found, key=lambda mn: mn.start)
    merged: list[_Mention] = []
    for mn in out:
        prev = merged[-1] if merged else None
        if (
            mn.label == LABEL_STATE and prev is not None and prev.label == LABEL_ROLE
            and (rules.office_of.fullmatch(head[prev.end : mn.start])
                 or rules.office_qualified_of.fullmatch(head[prev.end : mn.start])
                 # "Permanent Representative of" + "Ukraine"
                 or (re.search(r"\sof$", head[prev.start : prev.end])
                     and re.fullmatch(r"\s+(?:the\s+)?", head[prev.end : mn.start])))
        ):
            # "the Department of Foreign Affairs of the Philippines"
            merged[-1] = _office_of(prev, mn, mn.code)  # type: ignore[arg-type]
            continue
        if (
            mn.label == LABEL_STATE and prev is not None and prev.label == LABEL_ROLE
            and head[prev.end : mn.start] == " "
            and (_OFFICE_ACRONYM.fullmatch(head[prev.start : prev.end])
                 or _whole_line(head, prev.start, mn.end))
        ):
            # "MoFA Ethiopia", "MFA Russia": an office's acronym before its state; an office
            # and its state alone on a line ("State House Uganda")
            merged[-1] = _office_of(prev, mn, mn.code)  # type: ignore[arg-type]
            continue
        if (
            mn.label == LABEL_STATE and prev is not None and prev.label == LABEL_ROLE
            and _OFFICE_OF_STATE.fullmatch(head, prev.end, mn.start)
        ):
            # "Asamblea Nacional de la Rep\u00fablica del Ecuador", "Senate of the Republic of X"
            merged[-1] = _office_of(prev, mn, mn.code)  # type: ignore[arg-type]
            continue
        if (
            mn.label == "ACTOR_INST" and prev is not None and prev.label == LABEL_ROLE
            and mn.code and mn.code.endswith("-GOV") and prev.role
            and re.fullmatch(r"[^\S\n]+[|\u2013\u2014-][^\S\n]+", head[prev.end : mn.start])
        ):
            # "Ministry of the Interior \u2013 Government of Chile": the office of that state
            merged[-1] = _office_of(prev, mn, mn.code.split("-")[0])
            continue
        pair = _title_office_and_state(head, prev, mn, rules)
        if pair is not None:
            # a title line "Chamber of Senators – Oriental Republic of Uruguay", or the other
            # way round "Federal Republic of Somalia – Ministry of Foreign Affairs and ..."
            state, office = pair
            merged[-1] = _Mention(prev.start, mn.end, "ACTOR_INST",
                                  f"{state.code}-{office.role}", office.role)
            continue
        if (
            mn.label == "ACTOR_INST" and prev is not None and prev.label == LABEL_ROLE
            and mn.code and mn.code.endswith(f"-{prev.role}")
            and re.fullmatch(r"(?i:\s+of\s+(?:the\s+)?)", head[prev.end : mn.start])
        ):
            # "the Foreign Affairs Committee of Althingi", "SENATE OF THE PARLIAMENT OF X"
            merged[-1] = replace(mn, start=prev.start)
            continue
        if (
            mn.label == LABEL_ROLE and prev is not None
            and prev.label in (LABEL_STATE, LABEL_ADJ)
            and rules.adjacent.match(head[prev.end : mn.start])
        ):
            merged[-1] = _Mention(prev.start, mn.end, "ACTOR_INST", f"{prev.code}-{mn.role}",
                                  mn.role)
            continue
        if (
            mn.label == "ACTOR_INST" and prev is not None and prev.label == LABEL_STATE
            and mn.code and mn.code.split("-")[0] == prev.code
            and head[prev.end : mn.start] == " "
        ):
            # "Bangladesh Jatiya Sangsad": an institution after its state's name
            merged[-1] = replace(mn, start=prev.start)
            continue
        if (
            mn.label == LABEL_STATE and prev is not None and prev.label == "ACTOR_INST"
            and prev.code and prev.code.split("-")[0] == mn.code
            and re.fullmatch(r"\s+(?:\([A-Z]{2,8}\)\s+)?of\s+(?:the\s+)?",
                             head[prev.end : mn.start])
        ):
            # "the National People's Congress (NPC) of the People's Republic of China": one
            merged[-1] = replace(prev, end=mn.end)
            continue
        if (
            mn.label in (LABEL_STATE,) and prev is not None and prev.label == LABEL_ROLE
            and head[mn.start : mn.end].lower() in capitals
            and re.fullmatch(r"\s+in\s+", head[prev.end : mn.start])
        ):
            # "The Ministry of Defence in London": the ministry of that capital's state
            merged[-1] = replace(prev, label="ACTOR_INST", code=f"{mn.code}-{prev.role}")
        merged.append(mn)
    return merged


def _office_of(office: _Mention, named: _Mention, state: str) -> _Mention:
    """One mention of a bare office and the state named after it."""
    return _Mention(office.start, named.end, "ACTOR_INST", f"{state}-{office.role}", office.role)


# between an office and its state: "of the Republic of", "de la Rep\u00fablica del"
_OFFICE_OF_STATE = re.compile(
    r"[^\S\n]+(?:of|de|del|du|da|do)[^\S\n]+(?:(?:the|la|el|le|l['\u2019]|a|o)[^\S\n]*)?"
    r"(?:(?:Republic|Rep\u00fablica|R\u00e9publique|Kingdom|Reino|Royaume|State|Estado|"
    r"\u00c9tat)[^\S\n]+(?:of|de|del|du|da|do)[^\S\n]+(?:(?:the|la|el|le|l['\u2019])[^\S\n]*)?)?",
    re.I)


def _whole_line(head: str, start: int, end: int) -> bool:
    """``head[start:end]`` is a line of its own."""
    line_start = head.rfind("\n", 0, start) + 1
    line_end = head.find("\n", end)
    return not (head[line_start:start].strip()
                or head[end : line_end if line_end >= 0 else len(head)].strip())


# the parts of a title bar: between "|", ">", "/", "::" or a spaced dash
_NAME_LINE_PARTS = re.compile(
    r"(?:(?!\s[\u2013\u2014]\s)(?:[^|>\u203a\u00bb/:]|(?<=\S)/(?=\S)|(?<!:):(?!:)))+")
_SPACED_BAR = re.compile(r"[^\S\n]+[|\u2013\u2014][^\S\n]+")  # " | ", " \u2013 " in a title bar
_OFFICE_ACRONYM = re.compile(r"[A-Z][A-Za-z]?[A-Z]{1,4}")


def _title_rest(head: str, pos: int, rules: _Rules) -> bool:
    """The rest of the line from ``pos`` adds nothing to a title naming an institution: a
    place, the document type ("– Press statement, 25 August 2025") or nothing."""
    nl = head.find("\n", pos)
    rest = head[pos : nl if nl >= 0 else len(head)]
    return bool(rules.title_rest.fullmatch(rest) or rules.title_type.match(rest))


def _caps_lines(head: str, start: int):
    """Spans of the lines from ``start`` written all in capitals ("CONGRESS OF THE ..."), or of
    such parts of a site bar ("REPUBLIC OF X – MINISTRY OF FOREIGN AFFAIRS | Press Briefing")."""
    for m in re.finditer(r"[^\n]+", head[start:]):
        for part in _BAR_PARTS.finditer(m.group()):
            text = part.group()
            if text.upper() == text and sum(c.isalpha() for c in text) >= 4:
                yield start + m.start() + part.start(), start + m.start() + part.end()


# the parts of a line between site-bar separators (" | ", " – ", " — ")
# (also a signature's: "MFA of X | Press service | ...", "Unit \u00b7 Office of X")
_BAR_PARTS = re.compile(r"(?:(?!\s[|\u00b7\u2013\u2014]\s).)+")


def _title_office_and_state(head: str, prev: _Mention | None, mn: _Mention, rules: _Rules
                            ) -> tuple[_Mention, _Mention] | None:
    """(state, office) when ``prev`` and ``mn`` open a line as an office and its state joined
    by a dash, in either order; a state first needs the rest of a title after the office."""
    if prev is None or {prev.label, mn.label} != {LABEL_STATE, LABEL_ROLE}:
        return None
    joins = head[prev.end : mn.start]
    # "Ministry of National Defense, Republic of Korea | Press Releases", "Weekly Media
    # Briefing \u2013 Ministry of Foreign Affairs, State of Qatar \u2013 Official Spokesperson"
    comma = mn.label == LABEL_STATE and bool(re.fullmatch(r",\s+(?:the\s+)?", joins)) and (
        _title_rest(head, mn.end, rules) or bool(_SPACED_BAR.match(head, mn.end)))
    if not rules.office_state_joins.fullmatch(joins) and not comma:
        return None
    before = head[head.rfind("\n", 0, prev.start) + 1 : prev.start]
    if comma:
        before = _SPACED_BAR.split(before)[-1]
    if before.strip(" \"\u201c"):
        return None  # not at the start of its line (or of a part of a site bar)
    if mn.label == LABEL_STATE:
        return mn, prev
    return (prev, mn) if _title_rest(head, mn.end, rules) else None


def _merge_dual_titles(head: str, mentions: list[_Mention], rules: _Rules) -> list[_Mention]:
    """"Deputy Prime Minister and Minister of Foreign Affairs": one person, who speaks
    through the second office (``dual_title``); it takes the first office's state."""
    out: list[_Mention] = []
    for mn in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None and _role(prev) and _role(mn)
            and rules.dual_first.search(head[prev.start : prev.end])
            and rules.dual_joins.fullmatch(head[prev.end : mn.start])
        ):
            state = prev.code.split("-")[0] if prev.code else None
            if mn.code is None and state:
                mn = replace(mn, label="ACTOR_INST", code=f"{state}-{mn.role}")
            out[-1] = replace(mn, start=prev.start)
            continue
        out.append(mn)
    return out


def _is_place(mn: _Mention, ctx: _Context) -> bool:
    """A capital or city named as a place ("in Vilnius", "..., Beijing, 13 February 2023",
    a dateline line after a headline: "Accra, 18 February 2025")."""
    if mn.label != LABEL_STATE:
        return False
    if ctx.head[mn.start : mn.end].lower() not in ctx.gaz.capitals:
        return False
    before = ctx.head[max(0, mn.start - 40) : mn.start]
    after = ctx.head[mn.end : mn.end + 40]
    if re.search(r"(?:^|\n)[ \t]*$", before) and mn.start > 0:
        # a capital alone on a letterhead's line ("DEFENCE HEADQUARTERS / ABUJA")
        alone = re.match(r"[ \t]*\n", after) and mn.start < ctx.lead_end
        return bool(alone or ctx.rules.place_dated.match(after))
    if re.search(r"\s[-\u2013\u2014|]\s*$", before) and ctx.rules.place_dated.match(after):
        return True  # "Briefing of the Government Spokesperson - Kinshasa, 19 March 2026"
    return bool(re.search(r",\s*$", before) and ctx.rules.place_after.match(after))


def _answered(ctx: _Context) -> set[int]:
    """Mentions of the party a statement answers: "in response to X", "X's claims"."""
    head, rules = ctx.head, ctx.rules
    out: set[int] = set()
    regions = []
    for m in rules.answered_marker.finditer(head, ctx.body_start):
        stop = re.compile(r"[,;]|" + _SENT_BREAK.pattern).search(head, m.end())
        end = stop.start() if stop else len(head)
        agent = _first_agent(head, m.end(), end, rules)
        regions.append((m.start(), agent if agent is not None else end))
    # "X alleged that ...": the parties named in the allegation belong to its content
    for m in rules.claim_content.finditer(head, ctx.body_start, ctx.lead_end):
        brk = _SENT_BREAK.search(head, m.end())
        end = brk.start() if brk else len(head)
        inv = rules.inv_clause.search(head, m.end(), end)  # "..., the ministry said"
        regions.append((m.end(), inv.start() if inv else end))
    # "Days before the visit of X, Y gave ...": an introductory clause before an actor subject
    for s in [ctx.body_start] + [b.end() for b in _SENT_BREAK.finditer(head, ctx.body_start)]:
        m = rules.subordinate.match(head[s : s + 200])
        if m is None:
            continue
        end = s + m.end()
        main = next((mn for mn in ctx.mentions if mn.start >= end), None)
        if any(s <= mn.start < end and rules.finite.match(head, mn.end) for mn in ctx.mentions):
            continue  # "During the visit the Commission confirmed ...": no clause
        if main is not None and (rules.lead_in.match(head[end : main.start])
                                 or rules.office_lead_in.match(head[end : main.start])):
            regions.append((s, end))
    # a question put to a spokesperson names what the answer replies to
    questions = []
    for m in rules.question.finditer(head, ctx.body_start):
        turn = rules.turn.search(head, m.end() + 1)
        questions.append((m.start(), turn.start() if turn else len(head)))
    for m in rules.question_turn.finditer(head, ctx.body_start):
        questions.append((m.start(), m.end()))
    regions += questions
    ctx.asked = {mn.start for mn in ctx.mentions if any(a <= mn.start < b for a, b in questions)}
    # a quotation opening the body is the voice answered ("\u201cThe regime profits ...,\u201d
    # the State Department said. \u201cThese accusations are false,\u201d said ..."), or, if the
    # issuer's own, names it again in its attribution
    opening = _OPENING_QUOTE.match(head, ctx.body_start)
    if opening is not None:
        regions.append(opening.span())
    # a text that opens with the other side's charge, then rebuts it in its next paragraph
    # ("According to the X, ... . / \u201cThese claims are false,\u201d said ...")
    para = ctx.body_start
    for _ in range(3 if _REPORTED_OPENING.match(head, ctx.body_start) else 0):
        para = head.find("\n", para + 1)
        if para < 0:
            break
        if rules.rebuttal_opening.match(head, para):
            regions.append((ctx.body_start, para))
            break
    rejected: list[_Mention] = []
    for mn in ctx.mentions:
        if any(a <= mn.start < b for a, b in regions):
            out.add(mn.start)
        elif rules.speech_owner.match(head[mn.end : mn.end + 60]):
            out.add(mn.start)
        elif rules.speech_of.search(head[max(0, mn.start - 90) : mn.start]):
            out.add(mn.start)
        elif rules.speech_issued_by.search(head[max(0, mn.start - 90) : mn.start]):
            out.add(mn.start)
        elif rules.answered_object.search(head[max(0, mn.start - 30) : mn.start]):
            out.add(mn.start)
        elif rules.rejected_speech.search(head[max(0, mn.start - 120) : mn.start]):
            out.add(mn.start)
            rejected.append(mn)
    if rejected:
        # "On 3 April, X adopted ... / The Committee firmly rejects the statement of X": the
        # party rejected is answered in the opening paragraphs before the rejection too
        para = head.rfind("\n", 0, rejected[0].start)
        codes = {mn.code for mn in rejected if mn.code}
        out |= {mn.start for mn in ctx.mentions if mn.start < para and mn.code in codes}
    # a state answered in the title ("Response to the statement of France") is answered
    # throughout the lead, its ministry included
    title_end = head.find("\n", ctx.body_start)
    gaz = ctx.gaz
    states = {gaz.state_of(mn.code) for mn in ctx.mentions
              if mn.start in out and mn.code and mn.start < title_end} - {None}
    out |= {mn.start for mn in ctx.mentions
            if mn.start < ctx.lead_end and mn.code and gaz.state_of(mn.code) in states}
    return out


def _first_agent(head: str, start: int, end: int, rules: _Rules) -> int | None:
    """Where a reaction's agent opens inside [start, end): "... are rejected by "."""
    for m in re.finditer(r"\s(?=\S)", head[start:end]):
        pos = start + m.end()
        if rules.reaction_agent.search(head[max(0, pos - 60) : pos]):
            return pos
    return None


# ---------------------------------------------------------------------- header
def _header_issuer(ctx: _Context) -> tuple | None:
    """The issuer named by a header ("Statement by X on Y", "Press release of X, City"),
    opening the text or following a headline."""
    found = (_social_poster(ctx) or _un_letter_sender(ctx)
             or _answered_title(ctx, _line_header(ctx)))
    if found is None:
        # "JOINT STATEMENT / by the Secretary General of X and ...": the issuer below the type
        end = ctx.head.find("\n", ctx.body_start)
        m = ctx.rules.header.match(ctx.head, ctx.body_start, end if end >= 0 else 0)
        if m is not None and not ctx.head[m.end() : end].strip():
            found = _continued_header(ctx, end) or _office_line(ctx, end)
    if found is None:
        found = _next_title_line(ctx)
    if found is None and ctx.dateline_end:
        # "Alofi, Niue, August 2008 — Press statement of the X on ...": the header after
        # a headline's dateline
        found = _line_header(ctx, ctx.dateline_end, header_only=True)
    if found is None:
        found = _inner_header(ctx)
    if found is not None and _OPENING_QUOTE.match(ctx.head, ctx.body_start) and (
            found[-1].start in ctx.answered):
        found = None  # the quoted title of what the text answers ('"X resolution of ..."')
    if found is None:
        # "Chad: convoys held at Adré / Statement attributable to the Head of Office of X":
        # a header line right under the headline, or one that only names the issuer
        brk = _SENT_BREAK.search(ctx.head, ctx.body_start + 1)
        after = _SENT_BREAK.search(ctx.head, brk.end() + 1) if brk is not None else None
        if (brk is not None and brk.group().endswith("\n") and brk.group()[0] not in ".!?"
                and (after is None or after.group()[0] not in ".!?")):
            # (a title line itself: the line after it does not end a sentence)
            found = _line_header(ctx, brk.end(), header_only=True)
    if found is None:
        found = _caps_header_below(ctx)
    if found is not None:
        found = _spokesperson_office(ctx, found)
    if found is None:
        found = (_preamble_body(ctx) or _briefing_title(ctx) or _name_line(ctx)
                 or _transcript_speaker(ctx))
    elif not found[-1].code:
        # a bare office in a header ("Government Info press conference") under a site bar
        # that names its state ("Government of Hungary | About the Government | News")
        named = _name_line(ctx)
        state = ctx.gaz.state_of(named[-1].code) if named and named[-1].code else None
        if state and state not in ctx.places[:1]:
            ctx.places.insert(0, state)
    title_end = ctx.head.find("\n", ctx.body_start)
    if (found is not None and _REPLY_TO_TITLE.match(ctx.head, ctx.body_start)
            and ctx.body_start <= found[-1].start < title_end):
        # "Response to the Communiqu\u00e9 of the Ministry of X dated ...": what it answers
        ctx.answered.add(found[-1].start)
        found = None
    return found if found is not None else _headline_speaker(ctx)


def _social_poster(ctx: _Context, max_lines: int = 3) -> tuple | None:
    """The account that posts a social-media text or thread ("State House Zambia \u2714
    @StateHouseZM \u00b7 3 Sep 2026"), named on one of its first lines."""
    lines = [m for m in re.finditer(r"[^\n]+", ctx.head[ctx.body_start : ctx.body_start + 600])
             if m.group().strip()][:max_lines]
    for line in lines:
        m = _POSTER.fullmatch(line.group())
        if m is None:
            continue
        a, b = ctx.body_start + line.start() + m.start("name"), ctx.body_start + line.start(
        ) + m.end("name")
        named = [o for o in ctx.mentions if a <= o.start < b]
        if (len(named) == 2 and named[0].label == LABEL_ROLE and named[0].role
                and named[1].label == LABEL_STATE
                and not ctx.head[named[0].end : named[1].start].strip()):
            # "State House Zambia": the office of that state
            named = [_office_of(named[0], named[1], named[1].code)]  # type: ignore[arg-type]
        mn = next((o for o in named if o.code), None)
        return (3, True, ctx.rules.rank[mn.label], -mn.start, mn) if mn is not None else None
    return None


_POSTER = re.compile(
    r"[^\S\n]*(?P<name>[^\n@]{3,80}?)[^\S\n]*(?:[\u2714\u2713\u2611]\ufe0f?)?[^\S\n]*"
    r"@\w{2,30}(?:[^\S\n]*[\u00b7\u2022][^\n]*)?[^\S\n]*")


def _answered_title(ctx: _Context, found: tuple | None) -> tuple | None:
    """A title naming what the text answers, over a line that only says so ("European
    Parliament resolution of 19 February on X / Reply"): its party is answered, not the
    issuer."""
    if found is None:
        return None
    end = ctx.head.find("\n", found[-1].end)
    if end < 0 or not _REPLY_LINE.match(ctx.head, end):
        return found
    ctx.answered.add(found[-1].start)
    return None


_REPLY_WORD = r"\s*(?:Response|Reply|Answer|Rebuttal|Right\s+of\s+reply)"
_REPLY_TO_TITLE = re.compile(_REPLY_WORD + r"\s+to\b", re.I)
_REPLY_LINE = re.compile(_REPLY_WORD + r"[^\S\n]*\n")


def _spokesperson_office(ctx: _Context, found: tuple) -> tuple:
    """A header that names only a spokesperson ("Spokesperson X's Remarks on ...") under a
    body whose first sentence opens with an office ("State House Spokesperson X today made
    ...", "The Government has read ..."): that office."""
    mn = found[-1]
    if mn.code or not _BARE_SPOKESPERSON.fullmatch(ctx.head, mn.start, mn.end):
        return found
    line_end = ctx.head.find("\n", mn.end)
    if line_end < 0:
        return found
    body = re.compile(r"\s*").match(ctx.head, line_end).end()
    first = next((o for o in ctx.mentions if o.start >= body), None)
    if (first is None or first.code or first.role in ("", "MFA")
            or not ctx.rules.lead_in.match(ctx.head[body : first.start])):
        return found
    return (3, True, ctx.rules.rank[first.label], -first.start, first)


_BARE_SPOKESPERSON = re.compile(r"Spokes(?:person|man|woman)")


def _briefing_title(ctx: _Context) -> tuple | None:
    """The office that opens a transcript's title line before a dash or colon ("KREMLIN -
    Press Secretary ..., daily conference call with journalists (unofficial transcript)")."""
    end = ctx.head.find("\n", ctx.body_start)
    line = ctx.head[ctx.body_start : end if end >= 0 else len(ctx.head)]
    first = next((o for o in ctx.mentions if o.start >= ctx.body_start), None)
    if (first is None or not first.code or first.label == LABEL_STATE
            or ctx.head[ctx.body_start : first.start].strip()
            or not re.match(r"\s*[-\u2013\u2014:|]", ctx.head[first.end :])
            or not ctx.rules.briefing.search(line)):
        return None
    return (3, True, ctx.rules.rank[first.label], -first.start, first)


def _caps_header_below(ctx: _Context, max_paragraphs: int = 3) -> tuple | None:
    """A header line in capitals (or "... by X") opening one of the next paragraphs, under an
    opening paragraph that reports the other side ("... were left without notice. / JOINT
    STATEMENT OF THE MINISTRIES OF FOREIGN AFFAIRS OF ...")."""
    pos = ctx.body_start
    for _ in range(max_paragraphs):
        pos = ctx.head.find("\n\n", pos)
        if pos < 0:
            return None
        pos = re.compile(r"\s*").match(ctx.head, pos).end()
        end = ctx.head.find("\n", pos)
        line = ctx.head[pos : end if end >= 0 else len(ctx.head)]
        m = ctx.rules.header.match(line)
        found = _dated_paragraph_subject(ctx, pos)
        if found is not None:
            return found
        if _CONTINUATION.match(line) and not line.rstrip().endswith("."):
            # the rest of a header whose type line was cut as a menu word ("of the Standing
            # Committee on Foreign Relations of X" under "STATEMENT")
            found = _continued_header(ctx, pos - 1)
            if found is not None:
                return found
        if line.upper() == line and sum(c.isalpha() for c in line) >= 4:
            # a header ("JOINT STATEMENT OF ..."), a letterhead that only names the issuer
            # ("PRESIDENCY OF THE REPUBLIC OF X"), or a bare type ("COMMUNIQU\u00c9") over
            # a paragraph that opens with the issuer
            found = _line_header(ctx, pos, header_only=True) or _headline_rejecter(ctx, pos)
            if found is None and m is not None and end >= 0:
                # (a type and its topic: "COMMUNIQU\u00c9 FOLLOWING THE CLOSURE OF ...")
                found = ((_continued_header(ctx, end) if m.end() == len(line.rstrip()) else None)
                         or _paragraph_subject(ctx, end))
            if found is not None and not found[-1].code and end >= 0:
                _place_below(ctx, end)
            if found is not None or m is not None:
                return found
        if m is None:
            stop = ctx.head.find("\n\n", pos)
            if stop >= 0 and _letterhead_block(ctx.head[pos:stop]) and _SENTENCE.search(
                    ctx.head, stop):
                # "Jatiya Sangsad Secretariat / Sher-e-Bangla Nagar, Dhaka" over the release
                # (not an address block under the text)
                found = _line_header(ctx, pos, header_only=True)
                if (found is not None and found[-1].code
                        and found[-1].code not in _addressee_codes(ctx)):
                    return found
            continue
        if (_HEADER_BY.match(line, m.end()) or _HEADER_DASH.match(line, m.end())) and not (
                line.rstrip().endswith(".")):
            # "Daily Press Briefing by the Office of ..." under a transcript's note
            found = _line_header(ctx, pos, header_only=True)
            return found if found is not None and found[-1].label != LABEL_STATE else None
    return None


_SENTENCE = re.compile(r"[A-Z][^\n]{40,}?[.!?]")


def _letterhead_block(block: str, max_lines: int = 3, max_chars: int = 80) -> bool:
    """A paragraph of at most three short lines, none ending a sentence: a letterhead."""
    lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
    return 0 < len(lines) <= max_lines and all(
        len(ln) <= max_chars and ln[-1] not in ".!?;:," for ln in lines)


def _place_below(ctx: _Context, pos: int, lines: int = 2) -> None:
    """A bare office in a header takes the place on the lines below it ("STATE HOUSE /
    LUSAKA", "STATEMENT BY THE COMMITTEE ON ... / National Assembly, Parliament Buildings,
    Nairobi")."""
    end = pos
    for _ in range(lines):
        nxt = ctx.head.find("\n", end + 1)
        end = nxt if nxt >= 0 else len(ctx.head)
    if ctx.places:
        return  # a dateline's place is the surer
    for o in ctx.mentions:
        line_end = ctx.head.find("\n", o.end)
        rest = ctx.head[o.end : line_end if line_end >= 0 else len(ctx.head)]
        if pos < o.start < end and o.label == LABEL_STATE and o.code and (
                _whole_line(ctx.head, o.start, o.end)
                or ctx.head[o.start : o.end].lower() in ctx.gaz.capitals and not rest.strip()):
            # (a city closing its line: "National Assembly, Parliament Buildings, Nairobi")
            ctx.places.insert(0, o.code)
            return


def _headline_rejecter(ctx: _Context, pos: int) -> tuple | None:
    """The office opening a headline in capitals as the subject of a rejection ("COMMITTEE ON
    INTERNATIONAL RELATIONS REJECTS US EMBASSY CLAIMS ..."), below an opening paragraph."""
    mn = next((o for o in ctx.mentions if o.start >= pos), None)
    if (mn is None or mn.label == LABEL_STATE or ctx.head[pos : mn.start].strip(" \"\u201c")
            or not ctx.rules.headline_rejects.match(ctx.head, mn.end)
            or not mn.code and mn.role in ("", "GOV")):  # (a bare "GOVERNMENT" names no one)
        return None
    return (3, True, ctx.rules.rank[mn.label], -mn.start, mn)


def _dated_paragraph_subject(ctx: _Context, pos: int) -> tuple | None:
    """The issuer opening a paragraph after its own dateline, below an opening paragraph on
    the other side ("Parliament, Cape Town, 6 August 2026 \u2013 The Portfolio Committee on
    International Relations rejects ..."); the dateline's place gives a bare office's state."""
    found = find_dateline(ctx.head[pos : pos + 200], 1)
    if found is None or found.start != 0:
        return None
    subject = _paragraph_subject(ctx, pos + found.end - 1)
    if subject is not None and not subject[-1].code and not ctx.places:
        state = ctx.gaz.state_of(ctx.gaz.normalise(filing_place(found), "GPE")[1])
        if state:
            ctx.places.insert(0, state)
    return subject


def _office_line(ctx: _Context, pos: int) -> tuple | None:
    """The office opening the line after ``pos`` ("JOINT STATEMENT / Prime Minister of Tuvalu
    and Minister of Foreign Affairs of Vanuatu / on ..."): the first issuer."""
    start = pos + 1
    mn = next((o for o in ctx.mentions if o.start >= start), None)
    if (mn is None or not mn.code or mn.label == LABEL_STATE
            or ctx.head[start : mn.start].strip() or "\n" in ctx.head[start : mn.start]):
        return None
    return (3, True, ctx.rules.rank[mn.label], -mn.start, mn)


def _continued_header(ctx: _Context, pos: int) -> tuple | None:
    """The issuer on the line under a bare header type ("STATEMENT / of the Standing
    Committee on Foreign Relations of the National Assembly of X")."""
    m = _HEADER_CONTINUED.match(ctx.head, pos)
    mn = next((o for o in ctx.mentions if m is not None and o.start == m.end()), None)
    return (3, True, ctx.rules.rank[mn.label], -mn.start, mn) if mn is not None else None


_CONTINUATION = re.compile(r"(?:of|by|from)\s+(?:the\s+)?")
_HEADER_CONTINUED = re.compile(
    r"\n[^\S\n]*" + _CONTINUATION.pattern
    # (a body's head: "by the Secretary General of the Pacific Islands Forum and ...")
    + r"(?:(?:Secretary[\s-]General|Director[\s-]General|President|Chair(?:person|man)?|"
    r"Executive\s+Secretary|Commissioner|High\s+Representative)\s+of\s+(?:the\s+)?)?")


def _paragraph_subject(ctx: _Context, pos: int) -> tuple | None:
    """The actor opening the paragraph after ``pos`` as its subject ("The Ministry of Foreign
    Affairs of X has taken note of these statements ...")."""
    start = re.compile(r"\s*").match(ctx.head, pos).end()
    first = next((o for o in ctx.mentions if o.start >= start), None)
    if (first is None or first.label == LABEL_STATE or ctx.head.find("\n", start, first.start) >= 0
            or not ctx.rules.lead_in.match(ctx.head[start : first.start])
            or not ctx.rules.finite.match(ctx.head, first.end)):
        return None
    return (3, True, ctx.rules.rank[first.label], -first.start, first)


def _transcript_speaker(ctx: _Context, max_chars: int = 800) -> tuple | None:
    """The office of the person a transcript's header line names as its speaker ("Speaker:
    Dr. X, Adviser to the Prime Minister and Official Spokesperson for the Ministry of
    Foreign Affairs"): the last office on that line."""
    m = _SPEAKER_LINE.search(ctx.head, ctx.body_start, ctx.body_start + max_chars)
    if m is None:
        return None
    offices = [o for o in ctx.mentions
               if m.start("rest") <= o.start < m.end("rest") and o.label != LABEL_STATE]
    if not offices:
        return None
    mn = offices[-1]
    return (3, True, ctx.rules.rank[mn.label], -mn.start, mn)


_SPEAKER_LINE = re.compile(r"(?m)^[^\S\n]*(?:Speakers?|Briefer|Presenter)[^\S\n]*:[^\S\n]*"
                           r"(?P<rest>[^\n]+)")


def _preamble_body(ctx: _Context) -> tuple | None:
    """The body that opens a resolution's preamble ("The European Parliament, / \u2013 having
    regard to ...")."""
    m = ctx.rules.preamble.search(ctx.head, ctx.body_start, ctx.rules.preamble_chars)
    # (the body's first actor: "the SECOND COMMITTEE of the SENATE OF THE REPUBLIC OF X,")
    mn = next((o for o in ctx.mentions
               if m is not None and m.start("body") <= o.start < m.end("body")), None)
    return (3, True, ctx.rules.rank[mn.label], -mn.start, mn) if mn is not None else None


def _un_letter_sender(ctx: _Context) -> tuple | None:
    """The sender named by a UN document's title under its letterhead ("Letter dated ...
    from the Permanent Representative of X to the United Nations addressed to ...")."""
    m = ctx.rules.un_letter.search(ctx.head, 0, ctx.rules.un_letter_chars)
    # (the sender's office, maybe after his rank: "from the Charg\u00e9 d'affaires a.i. of the
    # Permanent Mission of Iraq")
    mn = next((mn for mn in ctx.mentions if m is not None and m.end() <= mn.start
               and not re.search(r"\n|\baddressed\b", ctx.head[m.end() : mn.start])
               and mn.start - m.end() <= 60), None)
    return (3, True, ctx.rules.rank[mn.label], -mn.start, mn) if mn is not None else None


def _name_line(ctx: _Context, max_lines: int = 4) -> tuple | None:
    """The issuer of a title line (or a part of one between bars) that only names it, among
    the title lines that open the text ("Serbia: press freedom under pressure / Mission
    report (excerpt) / International Press Institute | Vienna, 16 October 2025"); title
    lines end in no full stop."""
    head, start = ctx.head, ctx.body_start
    seen = 0
    while seen < max_lines:
        end = head.find("\n", start)
        if end < 0:
            return None
        line = head[start:end]
        if line.strip():
            seen += 1
            if line.rstrip()[-1] in ".!?;" or len(line) > 160:
                return None
            # a site's title bar names it among other parts: "La Moncloa | Government of X",
            # and so does a breadcrumb ("UK Parliament > Committees > ... > News") or a
            # name in two languages ("Médecins Sans Frontières / Doctors Without Borders")
            named = []
            for part in _NAME_LINE_PARTS.finditer(line):
                # (a part after a spaced dash opens with it: "X (ECCAS) – African Union
                # Commission")
                a, b = _part_span(part, start)
                title = [mn for mn in ctx.mentions if a <= mn.start < b]
                if title and _SESSION.match(head, b):
                    continue  # the forum of a session: "Human Rights Council \u2013 63rd Session"
                if title and _names_issuer(head[a : title[0].start], head[title[0].end : b],
                                           title[0], ctx.rules):
                    named.append(title[0])
            if named:
                # (co-issuers of a joint text in their order: "JOINT COMMUNIQU\u00c9 / X \u2013 Y")
                last = _bodies_on_bar(named) and not _JOINT.search(head, ctx.body_start, start)
                mn = _portal_office(ctx, named[-1] if last else named[0])
                if not mn.code:
                    _place_below(ctx, end)  # "Federal Parliament Secretariat / ..., Kathmandu"
                return (3, True, ctx.rules.rank[mn.label], -mn.start, mn)
        start = end + 1
    return None


_JOINT = re.compile(r"\bjoint\b", re.I)


def _bodies_on_bar(named: list[_Mention]) -> bool:
    """Several bodies named on one title bar ("OAS :: IACHR", "United Nations | MINUSCA"): the
    last is the office's own."""
    return len(named) > 1 and all(n.label == LABEL_IGO for n in named)


def _portal_office(ctx: _Context, mn: _Mention) -> _Mention:
    """A site bar that names a government, then one of its offices ("Government of Mexico |
    Presidency of the Republic", or on the next line): the office speaks, in its state."""
    state = ctx.gaz.state_of(mn.code) if mn.code else None
    bare_government = mn.code is None and mn.role == "GOV"  # "Government of National Unity"
    if not bare_government and (not state or mn.code not in (state, f"{state}-GOV")):
        return mn
    line_end = ctx.head.find("\n", mn.end)
    line_end = line_end if line_end >= 0 else len(ctx.head)
    next_end = ctx.head.find("\n", line_end + 1)
    next_end = next_end if next_end >= 0 else len(ctx.head)
    for o in ctx.mentions:
        if o.start < mn.end:
            continue
        # after a bar on its line, or alone on the next line ("Islamic Emirate of X /
        # Ministry of Foreign Affairs")
        if not o.code and o.role not in ("", "GOV") and (
                (o.start < line_end and _BAR.fullmatch(ctx.head[mn.end : o.start]))
                or (not ctx.head[mn.end : o.start].strip()
                    and not ctx.head[o.end : next_end].strip())):
            if state and state not in ctx.places[:1]:
                ctx.places.insert(0, state)
            return o
        break
    # (or as a whole part of a breadcrumb or byline below: "You are here: Front page >
    # Ministry for Foreign Affairs > News", "12.2.2026 | Ministry for Foreign Affairs")
    end = line_end
    for _ in range(4):
        nxt = ctx.head.find("\n", end + 1)
        nxt = nxt if nxt >= 0 else len(ctx.head)
        line = ctx.head[end + 1 : nxt]
        if any(sep in line for sep in "|>\u203a\u00bb"):
            for part in _NAME_LINE_PARTS.finditer(line):
                a, b = end + 1 + part.start(), end + 1 + part.end()
                inside = [o for o in ctx.mentions if a <= o.start < b]
                if (len(inside) == 1 and not inside[0].code
                        and inside[0].role not in ("", "GOV")
                        and not (ctx.head[a : inside[0].start] + ctx.head[inside[0].end : b]
                                 ).strip(" :")):
                    if state and state not in ctx.places[:1]:
                        ctx.places.insert(0, state)
                    return inside[0]
        end = nxt
    return mn


def _next_title_line(ctx: _Context) -> tuple | None:
    """The issuer of the second title line after a header that names none ("AFM statement
    regarding ...", then "Armed Forces of Malta – Press statement, 25 August 2025")."""
    head, rules = ctx.head, ctx.rules
    first = _SENT_BREAK.search(head, ctx.body_start + 1)
    if first is None or not first.group().endswith("\n"):
        return None
    line = head[ctx.body_start : first.start()]
    if not rules.header.match(line) or _AUX.search(line) or rules.subj.search(line):
        return None
    second = _SENT_BREAK.search(head, first.end() + 1)
    if second is None or not second.group().endswith("\n") or second.group().startswith("."):
        return None  # a body sentence, not a title line
    return _line_header(ctx, first.end())


def _headline_speaker(ctx: _Context) -> tuple | None:
    """A headline that opens with its speaker and a colon: "X Foreign Minister: ...",
    "UN report: ...", "Sahel governments: ..." (not a state alone: "Georgia: ..." is a topic)."""
    head, rules = ctx.head, ctx.rules
    colon = head.find(":", ctx.body_start, ctx.lead_end)
    if colon < 0:
        return None
    title = [mn for mn in ctx.mentions if ctx.body_start <= mn.start < colon]
    if not title:
        return None
    mn = title[0]
    line_start = head.rfind("\n", 0, mn.start) + 1
    if head[ctx.body_start : mn.start].strip(" \"\u201c") and (
        # (site furniture without actors may stand above the headline: "PRESS RELEASES |
        # SPECIAL PROCEDURES")
        mn.label != LABEL_STATE or head[line_start : mn.start].strip(" \"\u201c")
    ):
        return None
    if mn.label == LABEL_STATE and head[mn.end : colon].strip() == "":
        # "Pakistan: UN experts urge ...", "Malaysia: UNHCR alarmed by ...": the state is the
        # topic, the body or NGO that acts right after the colon speaks
        after = next((o for o in ctx.mentions if o.start > colon), None)
        if (after is not None and after.label not in (LABEL_STATE, LABEL_ROLE)
                and not head[colon + 1 : after.start].strip()
                and re.match(r"[^\S\n]+[a-z]", head[after.end : after.end + 3])):
            # (unless a body or NGO of its own speaks in the text: "UN experts" in the
            # headline, "the UN Working Group on Arbitrary Detention called on" in the lead)
            best = _best_candidate(ctx)
            if best is None or not best[-1].code or ctx.gaz.state_of(best[-1].code):
                return (3, True, rules.rank[after.label], -after.start, after)
        return None
    rest = head[mn.end : colon + 1]
    if mn.label == LABEL_STATE:
        if not rules.headline_state_tail.fullmatch(rest):
            return None
    elif not rules.headline_tail.fullmatch(rest):
        return None
    return (3, True, rules.rank[mn.label], -mn.start, mn)


def _inner_header(ctx: _Context) -> tuple | None:
    """A dated header after a headline: "Sahel ministers denounce Kyiv ... Letter dated 19
    August 2024 from the Ministers for Foreign Affairs of A, B and C, ...".  Its issuer wins
    over the parties the headline names (the answered party, as a rule)."""
    head, rules = ctx.head, ctx.rules
    end = ctx.body_start
    for _ in range(rules.inner_sentences):
        brk = _SENT_BREAK.search(head, end + 1)
        end = brk.end() if brk else len(head)
    for m in rules.inner_header.finditer(head, ctx.body_start, end):
        brk = _SENT_BREAK.search(head, m.end())
        seg_end = brk.start() if brk else len(head)
        if not rules.date.search(head, m.start(), seg_end):
            continue
        # (a joint issuer's mention opens with its article: "the Ministers for ... of A, B")
        after = [mn for mn in ctx.mentions if m.start() < mn.start < seg_end and mn.end > m.end()
                 and not rules.header_place_prep.search(head[max(0, mn.start - 30) : mn.start])]
        if not after or max(0, after[0].start - m.end()) > rules.inner_gap:
            continue
        mn = after[0]
        lead = head[m.start() : mn.start]
        if _AUX.search(lead) or rules.subj.search(head, m.end(), max(m.end(), mn.start)):
            continue
        if rules.inv_clause.search(head, mn.end, seg_end) or _HEADER_PREDICATE.search(
                head, mn.end, seg_end):
            continue  # the subject of a sentence ("Remarks made by X ... are false, Y said")
        return (3, True, rules.rank[mn.label], -mn.start, mn)
    return None


def _line_header(ctx: _Context, start: int | None = None,
                 header_only: bool = False) -> tuple | None:
    """The issuer of a header opening the text (or the line from ``start``)."""
    head, rules = ctx.head, ctx.rules
    start = ctx.body_start if start is None else start
    brk = _SENT_BREAK.search(head, start + 1)
    h_end = brk.start() if brk else len(head)
    line = head[start:h_end]
    m = rules.header.match(line)
    title = [mn for mn in ctx.mentions if start <= mn.start < h_end]
    if (m is None and _bodies_on_bar(title)
            and all(_BAR.fullmatch(head, a.end, b.start)
                    for a, b in zip(title, title[1:], strict=False))
            and not head[start : title[0].start].strip()
            and not head[title[-1].end : h_end].strip()):
        return (3, True, ctx.rules.rank[title[-1].label], -title[-1].start, title[-1])
    if m is None and title and _names_issuer(line[: title[0].start - start],
                                             head[title[0].end : h_end], title[0], rules):
        # the line is only the issuer's name ("CIVICUS Monitor | 9 July 2025")
        mn = _portal_office(ctx, title[0])
        return (3, True, ctx.rules.rank[mn.label], -mn.start, mn)
    if header_only and m is None:
        return None
    if m is None and not _AUX.search(line) and not rules.subj.search(line):
        found = _issuer_phrase(ctx, title)
        if found is not None:
            return found
    if m is None or _AUX.search(line) or rules.subj.search(line[: m.end()]) or (
        rules.inv_clause.search(line)
    ):
        return None
    verb = _HEADER_AS_SUBJECT.search(line, m.end()) or _HEADER_PREDICATE.search(line, m.end())
    if verb and not re.search(r"\b(?:which|that|who|whom)\b", line[m.end() : verb.start()]):
        return None  # "Statements by X, broadcast on 12 April, accused Y ...": a sentence
    if rules.briefing.search(m.group()):
        # a transcript: the office in the first answer's turn ("Burger (Federal Foreign
        # Office): ...") speaks, not the host named by the header ("Government press
        # conference")
        for mn in ctx.mentions:
            if (mn.start not in ctx.answered
                    and rules.turn_office_before.search(head[max(0, mn.start - 60) : mn.start])
                    and rules.turn_office_after.match(head[mn.end : mn.end + 4])):
                return (3, True, ctx.rules.rank[mn.label], -mn.start, mn)
    topic = rules.header_topic.search(head, start + m.end(), h_end)
    resume = rules.header_resume.search(head, topic.end(), h_end) if topic else None
    for mn in ctx.mentions:
        if not start <= mn.start < h_end or rules.speech_owner.match(head[mn.end : mn.end + 60]):
            continue  # "Remarks on X's claims" names the party answered
        if topic and topic.start() <= mn.start and not (resume and mn.start >= resume.start()):
            continue
        if rules.header_place_prep.search(head[max(0, mn.start - 30) : mn.start]):
            continue
        if mn.label == LABEL_STATE and head[mn.start : mn.end].lower() in ctx.gaz.capitals:
            continue  # "Port Vila Declaration on ...": named after its place
        if mn.code is None:
            # "Statement by H.E. Ambassador Name, Permanent Representative of X to the UN"
            nxt = next((o for o in ctx.mentions if o.start >= mn.end), None)
            if (nxt is not None and nxt.code and nxt.start < h_end
                    and _APPOSED.fullmatch(head[mn.end : nxt.start])):
                mn = nxt
        return (3, True, ctx.rules.rank[mn.label], -mn.start, mn)
    return None


_SESSION = re.compile(r"\s*[\u2013\u2014,:-]\s*\d+(?:st|nd|rd|th)\s+(?:\w+\s+)?[Ss]ession\b")


def _names_issuer(before: str, rest: str, mn: _Mention, rules: _Rules) -> bool:
    """A title line that only names an institution ("Embassy of X in Canada."), maybe after an
    ordinal ("TWENTY-THIRD CONGRESS OF X") or before the document type ("X – Press
    statement, 25 August 2025")."""
    if mn.label == LABEL_STATE or _SESSION.match(rest):
        return False  # ("Human Rights Council \u2013 63rd Session": where it was delivered)
    if rules.title_spokesperson.fullmatch(before) and _PERSON_AFTER_COLON.fullmatch(rest):
        return True  # "Spokesperson for the X: Name"
    if before.strip(" \"\u201c") and not rules.title_ordinal.fullmatch(before):
        return False
    if (mn.label == LABEL_ROLE or mn.code and "-" in mn.code) and (
            _UNIT_NAME.fullmatch(rest) or _BAR_UNIT.fullmatch(rest)):
        # "FDRE Government Communication Service", "X | Press and Public Diplomacy
        # Directorate": the office's unit
        return True
    if mn.label != LABEL_STATE and _SPOKESPERSON_OF_LINE.fullmatch(rest):
        return True  # "State House Spokesperson" signing
    return bool(rules.title_rest.fullmatch(rest) or rules.title_type.match(rest))


def _issuer_phrase(ctx: _Context, title: list[_Mention]) -> tuple | None:
    """A header after a heading ("Human Rights Council, 54th session, ...: statement by X,
    delivered by Y"): X, or the official Y of X who delivered it (and is coded as such)."""
    head, rules, gaz = ctx.head, ctx.rules, ctx.gaz
    for i, mn in enumerate(title):
        if mn.start in ctx.answered or not rules.header_issuer_phrase.search(
                head[max(ctx.body_start, mn.start - 100) : mn.start]):
            continue
        state = gaz.state_of(mn.code) if mn.code else None
        for o in title[i + 1 :]:
            if not rules.passive_agent.search(head[max(0, o.start - 60) : o.start]):
                continue
            if o.code is None and state:
                mn = replace(o, label="ACTOR_INST", code=f"{state}-{o.role}")
            elif o.code and gaz.state_of(o.code) == state:
                mn = o
            break
        return (3, True, rules.rank[mn.label], -mn.start, mn)
    return None


# ---------------------------------------------------------------------- candidates
def _best_candidate(ctx: _Context) -> tuple | None:
    """The highest-ranked speaker candidate; a state gives way to its own institution."""
    cands = [c for mn in ctx.mentions if (c := _candidate(mn, ctx)) is not None]
    if not cands:
        return None
    best = max(cands, key=lambda c: c[:4])
    mn = best[-1]
    if mn.label == LABEL_STATE:
        # "Türkiye has rejected ... the Ministry of Foreign Affairs said": the ministry
        own = [c for c in cands if c[-1].role and (
            c[-1].code is None or ctx.gaz.state_of(c[-1].code) == mn.code)]
        own += [c for c in cands if c[-1].label == "ACTOR_INST"
                and c[-1].code and ctx.gaz.state_of(c[-1].code) == mn.code]
        if own:
            inst = max(own, key=lambda c: c[:4])[-1]
            return (*best[:4], replace(inst, code=inst.code or f"{mn.code}-{inst.role}"))
    return best


def _candidate(mn: _Mention, ctx: _Context) -> tuple | None:
    """(tier, first, rank, -start, mention) when ``mn`` is in a speaker position, else None.

    Tier 2: the lead (title and first sentence); tier 1: the subject of a lead that reports
    someone ("X did Y, Z said"); tier 0: the rest of the text.
    """
    head, rules = ctx.head, ctx.rules
    if mn.start in ctx.answered:
        return None
    if mn.label == LABEL_STATE and not head[ctx.body_start : mn.start].strip() and (
            head.startswith(":", mn.end)):
        return None  # "Peru: logging roads close in ...": the headline's topic
    if mn.code is None and _POSSESSED.search(head, max(0, mn.start - 40), mn.start):
        return None  # "the draft submitted by the Council's Committee on ...": another's office
    in_lead = mn.start < ctx.lead_end
    before = head[max(0, mn.start - 60) : mn.start]
    if _AS_OFFICE.search(before) and _FIRST_PERSON.match(head, mn.end):
        return _rank(mn, ctx, 3)  # "As Minister for Foreign Affairs, I have ...": the speaker
    # "... are categorically rejected by X", "has drawn a response from X"
    brk = _SENT_BREAK.search(head, mn.end)
    sent_end = brk.start() if brk else len(head)
    # "X has issued the following statement": the document's own issuer
    # (the mention nearest before the marker: "X said ..., and Y has responded with the
    # following statement" is Y's)
    marker = rules.issuer_marker.search(head, mn.end, sent_end)
    # (co-issuers of the same office listed before the marker do not block: "Foreign
    # Minister A of X, Foreign Minister B of Y and ... issued the following statement")
    # (nor does a body named in apposition: "The IACHR, the OAS body charged with ..., today
    # released"; the apposition itself is no issuer)
    appositive = any(_APPOSITIVE.fullmatch(head, o.end, mn.start)
                     for o in ctx.mentions if mn.start - 8 <= o.end <= mn.start)
    bump = 3 if marker and not appositive and not any(
        mn.end <= o.start < marker.start()
        and not rules.target_prep.search(head[max(0, o.start - 40) : o.start])
        and not (_role(mn) and _role(o) == _role(mn))
        and not _APPOSITIVE.fullmatch(head, mn.end, o.start)
        # "Minister of State for Foreign Affairs and Member of the Council of Ministers X"
        and not _MEMBER_OF.search(head, max(0, o.start - 30), o.start)
        for o in ctx.mentions
    ) else 0
    if not in_lead and not bump and _replies_to_lead(mn, ctx, sent_end):
        bump = 3
    if mn.code and mn.label != LABEL_STATE and _briefing_host(mn, ctx):
        return _rank(mn, ctx, 3)
    if rules.passive_agent.search(before):
        sent_start = _sentence_start(head, mn.start, ctx.body_start)
        bump = 3 if rules.issuer_marker.search(head, sent_start, mn.start) else 0
        return _rank(mn, ctx, max(bump, 2 * in_lead))
    # inverted reporting clause: "..., informed the Azerbaijani Parliament"
    if rules.inv.search(re.sub(r"\bthe\s+$", "", before[-40:], flags=re.I)):
        return _rank(mn, ctx, 2 * in_lead)
    # '"...," said Name, spokesperson of the X'
    wide = head[max(0, mn.start - 120) : mn.start]
    official = rules.speaker_of.search(wide)
    if official is not None and rules.inv_named.search(wide, 0, official.start()):
        return _rank(mn, ctx, 2 * in_lead)
    if rules.target_prep.search(before[-40:]) and not rules.speaker_of.search(before):
        return None
    possessor = head[mn.end : mn.end + 2] in ("'s", "\u2019s")
    # "North Korea launched a missile, Matsuno told reporters": the sentence up to the
    # reporting clause is what someone else said, so its subject is not the speaker
    inv = rules.inv_clause.search(head, mn.end, sent_end)
    if inv and inv.start() - mn.end < 40 and rules.speaker_of.search(before):
        # "..., Name, Country Director for X in Haiti, said:": the official's body speaks
        return _rank(mn, ctx, 2 * in_lead)
    sent_start = _sentence_start(head, mn.start, ctx.body_start)
    if inv and inv.start() == mn.end and rules.subject_start.match(head[sent_start : mn.start]):
        # "The X, the Y and four other groups said": the clause goes on with the subject
        inv = None
    tier = _lead_subject_tier(mn, ctx, sent_start, in_lead, possessor, inv is not None)
    if tier is not None:
        return _rank(mn, ctx, max(tier, bump)) if tier >= 0 else None
    if bump and marker and "today" in marker.group().lower() and rules.subject_start.match(
            head[sent_start : mn.start]):
        return _rank(mn, ctx, bump)  # "The X (ABC) today published evidence that ..."
    if possessor:
        return None  # "Washington's decision": the possessed noun is the subject
    if re.match(r"\s*according\s+to\b", head[sent_start : mn.start], re.I):
        return None  # "According to the minister, Morocco has ...": reported content
    if bump and _MADE_THE_FOLLOWING.match(head, mn.end):
        return _rank(mn, ctx, bump)  # "Minister of X Name Surname made the following statement"
    # subject: a reporting verb follows within the same sentence (before a closing
    # reporting clause), with no other candidate mention in between
    window_end = min(mn.end + 160, inv.start() if inv else sent_end)
    # "A, B and C condemn ...": a list of bodies takes the plural verb, the first speaks
    members: set[int] = set()
    end = mn.end
    for o in ctx.mentions:
        if o.start < end:
            continue
        if o.label != mn.label or not _LIST_GAP.match(head[end : o.start]):
            break
        members.add(o.start)
        end = o.end
    listed = bool(members)
    m = (rules.subj_plural if mn.joint or listed else rules.subj).search(
        head, mn.end, window_end)
    if not m:
        return None
    for o in ctx.mentions:
        if o is not mn and o.start not in members and mn.end <= o.start < m.start() and not (
                _role(mn) and _role(o) == _role(mn)) and not _AS_NAME.search(
                head, max(0, o.start - 12), o.start  # "..., meeting as the Lublin Triangle,"
            ) and not _MEMBER_OF.search(head, max(0, o.start - 30), o.start):
            if not rules.target_prep.search(head[max(0, o.start - 40) : o.start]):
                return None
    return _rank(mn, ctx, max(bump, 2 * in_lead))


_TOPIC_OF = re.compile(r"\b(?:on|about|regarding|concerning|at|to|after|following)\s+"
                       r"(?:the|a|an|its|his|her|their)\s+(?:[\w-]+\s+){0,2}$", re.I)


_POSSESSED = re.compile(
    r"\bthe\s+[A-Z]\w+['\u2019]s\s+$|\b(?:its|their)\s+(?:[A-Z][\w]*[\s-]+){0,2}$")


def _briefing_host(mn: _Mention, ctx: _Context) -> bool:
    """``mn`` holds the briefing the text transcribes ("... dominated the weekly press
    briefing held on Thursday by Ambassador X, Spokesperson of the Ministry of Y")."""
    sent_start = _sentence_start(ctx.head, mn.start, ctx.body_start)
    by = next(reversed(list(ctx.rules.briefing_by.finditer(ctx.head, sent_start, mn.start))),
              None)
    if by is None or mn.start - by.end() > 100 or "\n" in ctx.head[by.end() : mn.start]:
        return False
    if _TOPIC_OF.search(ctx.head, max(0, by.start() - 40), by.start()):
        return False  # "a statement on the press conference held by X": what it answers
    return not any(by.end() <= o.start < mn.start and o.code for o in ctx.mentions)


def _replies_to_lead(mn: _Mention, ctx: _Context, sent_end: int) -> bool:
    """The subject of the sentence after the lead answers the lead's speaker ("Y, who took
    the floor after him, answered his accusations"): the reply is the document's."""
    head, rules = ctx.head, ctx.rules
    sent_start = _sentence_start(head, mn.start, ctx.body_start)
    if not (rules.lead_in.match(head[sent_start : mn.start])
            or rules.office_lead_in.match(head[sent_start : mn.start])):
        return False
    if sent_start != ctx.lead_end:
        # a few sentences on, in the present ("... / The Presidency of X categorically
        # rejects these statements.")
        between = head[ctx.lead_end : sent_start]
        return (sent_start > ctx.lead_end
                and len(_SENT_BREAK.findall(between)) < rules.reply_sentences
                and rules.reply_present.match(head, mn.end) is not None)
    m = rules.reply_to_lead.search(head, mn.end, sent_end)
    return m is not None and not any(mn.end <= o.start < m.start() for o in ctx.mentions)


def _lead_subject_tier(
    mn: _Mention, ctx: _Context, sent_start: int, in_lead: bool, possessor: bool,
    reported: bool,
) -> int | None:
    """Tier of the grammatical subject opening a lead sentence; -1 when it only claims.

    "The Ministry of Foreign Affairs of X has described ...", "Saudi Arabia does not accept
    ..."; when the lead reports someone ("..., Matsuno told reporters") it ranks below that
    source; "X claimed that ..." is the party answered.  None: not a lead subject.
    """
    head, rules = ctx.head, ctx.rules
    if not in_lead:
        return None
    lead_in = head[sent_start : mn.start]
    if rules.office_lead_in.search(lead_in) and rules.appos_after.match(head[mn.end:]):
        return 1 if reported else 2  # "X, spokesperson for the Y, answered ..."
    if not (rules.lead_in.match(lead_in) or rules.office_lead_in.match(lead_in) or (
        rules.lead_clause.match(lead_in) and any(
            rules.lead_in.match(lead_in[c.end():]) or rules.office_lead_in.match(lead_in[c.end():])
            for c in re.finditer(r",\s+", lead_in)
        )
    )):
        return None
    # "Minister A of X, Minister B of Y and Secretary C of Z met ...": the list's verb
    end = mn.end
    for o in ctx.mentions:
        if o.start >= end and _role(o) and _role(o) == _role(mn) and _LIST_ITEM.fullmatch(
                head[end : o.start]):
            end = o.end
        elif o.start >= end:
            break
    after = rules.after_subject.match(head[end : end + 120])
    if not ((possessor and not reported) or after):
        return None
    if after and not possessor and (rules.claim_verb.search(after.group())
                                    or rules.claim_after_aux.match(head, end + after.end())):
        return -1
    return 1 if reported else 2  # also the owner: "Egypt's State ... Service"


def _rank(mn: _Mention, ctx: _Context, tier: int) -> tuple:
    # the first actor named in its sentence (the subject, as a rule) outranks later ones;
    # then institutions and bodies beat states, then the earliest wins
    sent_start = _sentence_start(ctx.head, mn.start, ctx.body_start)
    first = not any(
        sent_start <= o.start < mn.start and o.start not in ctx.answered for o in ctx.mentions
    )
    return (tier, first, ctx.rules.rank[mn.label], -mn.start, mn)


# ---------------------------------------------------------------------- resolution
def _resolve(best: tuple, ctx: _Context) -> str | None:
    """The winner's code; a bare institution takes the document's home state."""
    mn = best[-1]
    if mn.code:
        return mn.code
    state = _home_state(ctx)
    return f"{state}-{mn.role}" if state else None


def _home_state(ctx: _Context) -> str | None:
    """The issuer's state: the dateline/header place, the best named candidate, the most
    named (a dateline outranks the state of another party acting in the lead: "Accra ... The
    Ministry ... fishermen detained by the authorities of Côte d'Ivoire")."""
    named = [c for m in ctx.mentions if m.code and (c := _candidate(m, ctx)) is not None]
    named = [c for c in named if c[0] >= 1 and ctx.gaz.state_of(c[-1].code)]
    if ctx.places:
        return ctx.places[0]
    if named:
        return ctx.gaz.state_of(max(named, key=lambda c: c[:4])[-1].code)
    closing = _closing_place(ctx.text, ctx.gaz, ctx.rules) if ctx.text else None
    if closing:
        return closing  # "N'Djamena, 30 January 2025" under the text (parsed only when needed)
    # a bare ministry answering a foreign embassy in its lead ("the statement published by
    # the Embassy of X in Bucharest") is of the host state
    for emb, host in zip(ctx.mentions, ctx.mentions[1:], strict=False):
        if (emb.start < ctx.lead_end and emb.code and emb.code.endswith("-EMB")
                and re.search(r"\bby\s+(?:the\s+)?$", ctx.head[max(0, emb.start - 20) : emb.start])
                and host.label == LABEL_STATE and host.code != ctx.gaz.state_of(emb.code)
                and re.fullmatch(r"\s+in\s+", ctx.head[emb.end : host.start])):
            return host.code
    # an office that answers a party in its lead ("summoned the Russian ambassador over ...")
    # is not of that party's state
    # (a journalist's question names the spokesperson's own state as often as any other)
    replied = {ctx.gaz.state_of(m.code) for m in ctx.mentions
               if m.code and m.start in ctx.answered and m.start < ctx.lead_end
               and m.start not in ctx.asked}
    # else the state that opens most statements later on ("The Philippines calls on China");
    # "Beijing had announced" reports an earlier act
    spoken = [m.code for m in ctx.mentions if m.code and m.label == LABEL_STATE
              and m.code not in replied and not ctx.rules.pluperfect.match(ctx.head, m.end)
              and ctx.rules.dated_subject_start.match(
                  ctx.head[_sentence_start(ctx.head, m.start, ctx.body_start) : m.start])
              and _candidate(m, ctx) is not None]
    if spoken:
        counts = Counter(spoken)
        return max(dict.fromkeys(spoken), key=lambda s: counts[s])
    # an issuer names its own country ("Japan's territorial sea"), the other side mostly
    # through its organs ("Chinese government ships"): count state names first; places and
    # targets ("brought into Ukraine") say nothing of the issuer
    pool = [m for m in ctx.mentions if m.code and m.start not in ctx.answered
            and ctx.gaz.state_of(m.code) and ctx.gaz.state_of(m.code) not in replied
            and (ctx.head[m.end : m.end + 2] in ("'s", "\u2019s")
                 or not ctx.rules.target_prep.search(ctx.head[max(0, m.start - 40) : m.start]))]
    # ties go against the party answered; a territory ("Greenland") is the topic of a
    # sovereign state's statement rather than its issuer
    answered = {ctx.gaz.state_of(m.code) for m in ctx.mentions
                if m.code and m.start in ctx.answered}
    for labels in ((LABEL_STATE,), None):
        states = [ctx.gaz.state_of(m.code) for m in pool if labels is None or m.label in labels]
        if states:
            counts = Counter(states)
            return max(dict.fromkeys(states), key=lambda s: (
                s not in ctx.gaz.territories, counts[s], s not in answered))
    return None


# ---------------------------------------------------------------------- whole-text voice
def _side(code: str, gaz: Gazetteer) -> str:
    return gaz.state_of(code) or code


def _voices(ctx: _Context, lead: str | None) -> tuple[Counter, dict[str, Counter]]:
    """Sentences spoken per party over the whole text, and the codes each party speaks as.

    A sentence's voice is the subject of a statement verb in it (or the agent of a reaction),
    else an anaphor before a statement verb ("the ministry said", "the report notes"), a
    pronoun ("he added"), or first person ("we", "our"), which continue the last voice of
    that kind, the lead's issuer first; a sentence with none of these continues the last
    voice (quoted text) at half weight.  The subject of a pluperfect ("X had said", "X had
    accused") reports the earlier act a statement answers and is no voice.
    """
    head, rules, gaz = ctx.head, ctx.rules, ctx.gaz
    home: list[str | None] = []

    def code_of(mn: _Mention) -> str | None:
        if mn.code:
            return _code_of(mn, mn.code, ctx)
        if not home:
            home.append(_home_state(ctx))
        return f"{home[0]}-{mn.role}" if home[0] else None

    speaking = {
        mn.start for mn in ctx.mentions
        if _candidate(mn, ctx) is not None and not rules.pluperfect.match(head, mn.end)
    }
    if lead is not None and "-" not in lead and gaz.state_of(lead):
        lead = None  # a bare state is no "ministry" or "report"
    counts: Counter = Counter()
    codes: dict[str, Counter] = {}
    last: str | None = None  # code of the last voice
    last_kind: dict[bool, str] = {}  # last voice per kind (True: a state's organ)
    starts = [ctx.body_start] + [m.end() for m in _SENT_BREAK.finditer(head, ctx.body_start)]
    ends = starts[1:] + [len(head)]
    mi = 0
    mentions = ctx.mentions
    for s, e in zip(starts, ends, strict=True):
        if s >= e:
            continue
        voice = None
        explicit = False
        weight = 1.0
        before: list[_Mention] = []
        while mi < len(mentions) and mentions[mi].start < s:
            mi += 1
        for mn in mentions[mi:]:
            if mn.start >= e:
                break
            if mn.start in speaking or (
                rules.rank[mn.label] > rules.rank[LABEL_STATE]
                and mn.start not in ctx.answered
                and rules.subject_start.match(head[s : mn.start])
                and rules.finite.match(head, mn.end)
                and not rules.pluperfect.match(head, mn.end)
            ):
                voice = code_of(mn)
                explicit = voice is not None
                if explicit:
                    if mn.label in (LABEL_STATE, LABEL_ADJ):
                        weight = 0.5  # "Yerevan distorts ...": narrative as often as voice
                    break
        if voice is None:
            a = rules.anaphor_start.match(head[s:e]) or rules.anaphor.search(head, s, e)
            if a is not None and a.group("doc") is not None:
                voice = lead or last
            elif a is not None:
                gov = a.group("gov") is not None
                voice = lead if lead and bool(gaz.state_of(lead)) == gov else None
                voice = voice or last_kind.get(gov)
                if voice is None:
                    prev = [mn for mn in mentions[:mi] if mn.start not in ctx.answered
                            and (mn.code is None or bool(gaz.state_of(mn.code))) == gov]
                    before = prev[-1:]
                    voice = code_of(before[0]) if before else None
            elif rules.pronoun.search(head[s:e]) or rules.first_person.search(head, s, e):
                voice = last
            else:
                voice, weight = last, 0.5
        if voice is None:
            continue
        side = _side(voice, gaz)
        counts[side] += weight
        codes.setdefault(side, Counter())[voice] += 1 + explicit
        last = voice
        last_kind[bool(gaz.state_of(voice))] = voice
    return counts, codes


def _dominant_voice(ctx: _Context, code: str | None, header: bool) -> str | None:
    """The lead's issuer, unless another party clearly speaks most of the text."""
    rules = ctx.rules
    counts, codes = _voices(ctx, code)
    if not counts:
        return code
    top, n = counts.most_common(1)[0]
    own = counts.get(_side(code, ctx.gaz), 0) if code else 0
    # only a report's author (a body or NGO) gives way, to a government that answers at
    # greater length through its organs (a ministry, a minister: not the bare state name)
    pool = codes[top]
    replies = any(mn.code == code and mn.start < ctx.lead_end
                  and (rules.lead_reply.match(ctx.head, mn.end)
                       or rules.lead_voice.match(ctx.head, mn.end)) for mn in ctx.mentions)
    if code is not None and (
        header or replies or ctx.gaz.state_of(code) or not ctx.gaz.state_of(top)
        or not any("-" in c for c in pool)
        or n < rules.voice_min or n < rules.voice_ratio * own
    ):
        return code
    # the party's most frequent code, an institution before its bare state
    return max(pool, key=lambda c: (pool[c] + ("-" in c), -list(pool).index(c)))


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
    # (endpos pos + 1: the break's look-ahead sees the sentence's first letter)
    for m in _SENT_BREAK.finditer(head, floor, pos + 1):
        if m.end() <= pos:
            start = m.end()
    return start
