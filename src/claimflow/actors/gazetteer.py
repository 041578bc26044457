"""Political-actor gazetteer: states, intergovernmental bodies, national institutions.

The generic English model mislabels this domain ("The Milli Majlis of the Republic of
Azerbaijan" as WORK_OF_ART, "Azerbaijan" as PERSON).  This module keeps an actor
gazetteer as data files (``claimflow/data/actors/``, see its README.md) and applies it
with two pipeline components added by :meth:`Gazetteer.add_to`:

* ``actor_ruler``: spaCy's ``entity_ruler`` (``phrase_matcher_attr="LOWER"``,
  ``overwrite_ents=True``) with state names / official names / short forms, demonyms,
  capitals, intergovernmental bodies, named national institutions, non-actor names and
  first-person pronouns; every pattern has ``"id": code`` so ``ent.ent_id_`` is the code.
  Single-token acronyms ("US", "UN", "WHO", "U.S."), names of several words written all in
  capitals ("ARTICLE 19") and pronouns are case-sensitive patterns, so "us" is never the
  United States and "Article 19" of a treaty never the NGO.
* ``actor_composer``: applies the role templates of ``roles.jsonl`` (state list x
  templates, without materialising ~100k phrase patterns): "Ministry of Foreign Affairs of"
  + [the] + STATE, STATE + "'s" + "MFA", ADJ + "Foreign Ministry", STATE + "Chamber of
  Deputies" become one ``ACTOR_INST`` span with id ``XXX-ROLE``; named institutions
  absorb their own state ("Azerbaijan's Milli Majlis").  It replaces the entities the
  composed span overlaps (longest match wins) and drops ruler matches written all in lower
  case ("turkey", "chad").

Codes (``ent.ent_id_`` of ruler/composer spans, ``actor_code`` of mentions)
--------------------------------------------------------------------------
* states: ISO 3166-1 alpha-3 (``AZE``, ``ARM``, ``LUX``); state list from pycountry,
  extra short forms, demonyms and capitals from ``states.csv``;
* intergovernmental bodies: stable codes from ``bodies.jsonl`` (``UN``, ``UNSC``,
  ``UNGA``, ``EU``, ``EP`` European Parliament, ``EC`` European Commission, ``CEU``
  Council of the EU, ``EUCO`` European Council, ``COE``, ``PACE``, ``OSCE``,
  ``OSCE-MG`` Minsk Group and its co-chairs, ``ODIHR``, ``NATO``, ``OIC``, ``GUAM``,
  ``OTS`` Organization of Turkic States / Turkic Council, ``ICRC``, ``CIS``, ...);
* national institutions: ``<alpha-3>-<ROLE>`` with ROLE one of ``LEG`` (parliament or
  any chamber or its members: "Milli Majlis", "State Duma", "Azerbaijani deputies"),
  ``MFA`` (foreign ministry / minister), ``EMB`` (embassies, ambassadors, permanent
  missions), ``GOV`` (government, cabinet, prime minister, authorities, leadership),
  ``PRES`` (president, presidential administration, "Kremlin"), ``MIL`` (armed forces,
  defence ministry, peacekeepers, border guards), ``JUD`` (courts, prosecutor general).

Labels (``ent.label_`` / mention ``label``)
--------------------------------------------
* ``ACTOR_STATE``  a state by name, official name, short form, capital used as metonym
  ("Baku"), or "the Armenian side";                         code = alpha-3
* ``ACTOR_ADJ``    demonym / adjective / people noun ("Armenian", "Azerbaijanis");
  NORP-like, the state is referred to indirectly;           code = alpha-3
* ``ACTOR_IGO``    intergovernmental body;                   code = body code
* ``ACTOR_INST``   national institution;                     code = ``XXX-ROLE``
* ``ACTOR_NGO``    non-governmental organisation (``ngos.jsonl``: ``AMNESTY``, ``HRW``, ...)
* ``SELF``         first-person reference ("we", "us", "our", "our country");
  resolved to the document speaker by :func:`extract_mentions`: "we/us/our" get the
  speaker's code and name, "our country/lands/territories/people" get the speaker's
  *state* (``AZE`` for speaker ``AZE-LEG``).  Without a speaker actor and code are None.
* non-actor names that contain actor names ("UN Charter" LAW, "Patriotic War" EVENT,
  news agencies ORG) are matched with their spaCy label and id ``NONACTOR``, so "UN"
  inside "UN Charter" is not an actor mention; they come out with actor=None.

Mentions in a leading dateline ("BAKU, Azerbaijan, November 21.") name the place of
filing, not an actor: :func:`extract_mentions` gives them label ``GPE`` and no actor.

API: :class:`Gazetteer` (``load``, ``add_to``, ``name``, ``normalise``, ``label_for``,
``state_of``, ``blank_nlp``), :func:`extract_mentions`, :func:`find_speaker`.
"""

from __future__ import annotations

import csv
import json
import re
import threading
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from claimflow.config import PACKAGE_DATA, Settings
from claimflow.nlp.datelines import dateline_end

LABEL_STATE = "ACTOR_STATE"
LABEL_ADJ = "ACTOR_ADJ"


LABEL_IGO = "ACTOR_IGO"


LABEL_INST = "ACTOR_INST"


LABEL_NGO = "ACTOR_NGO"


LABEL_SELF = "SELF"


ACTOR_LABELS = frozenset({LABEL_STATE, LABEL_ADJ, LABEL_IGO, LABEL_INST, LABEL_NGO, LABEL_SELF})


SELF_ID = "SELF"


SELF_STATE_ID = "SELF-STATE"


NONACTOR_ID = "NONACTOR"


RULER_NAME = "actor_ruler"


COMPOSER_NAME = "actor_composer"


CASED_NAME = "actor_cased"


DEFAULT_DIR = PACKAGE_DATA / "actors"


_CACHE: dict[Path, Gazetteer] = {}


_LOCK = threading.Lock()


_APOSTROPHES = ("'s", "\u2019s")


# model labels that may be actors when their text is a known alias
_NORMALISABLE = {"GPE", "NORP", "ORG", "LOC", "FAC", "PERSON", "WORK_OF_ART", "LAW", "EVENT"}


def _fold(text: str) -> str:
    """ASCII-fold ("Türkiye" -> "Turkiye")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


class Gazetteer:
    """Actor patterns, role templates and the code -> canonical name table."""

    def __init__(self, actors_dir: Path):
        self.dir = Path(actors_dir)
        self.names: dict[str, str] = {}
        self.kinds: dict[str, str] = {}  # code -> "state" | "body" | "inst"
        self.states: set[str] = set()
        self.territories: set[str] = set()  # states.csv kind "territory" (Greenland, Guam)
        self.domains: dict[str, str] = {}  # country-code top-level domain -> state ("si")
        self.capitals: set[str] = set()  # lower-cased capital names (metonyms)
        self.role_names: dict[str, str] = {}  # ROLE -> name template
        # composition rules from role templates: (kind, phrase, role, label)
        self.role_rules: list[tuple[str, str, str, str]] = []
        self.compose_codes: set[str] = set()  # named institutions that take a state
        # exact pattern text -> (label, code, priority); matched on LOWER
        self._phrases: dict[str, tuple[str, str, int]] = {}
        self._conflicts: set[str] = set()
        self._token_patterns: dict[str, tuple[str, str]] = {}  # acronym -> (label, code)
        self._index: dict[str, tuple[str, str]] = {}  # lower-cased alias -> (code, label)
        self._index_cs: dict[str, tuple[str, str]] = {}  # exact-case acronyms
        self._patterns: list[dict] | None = None
        self._blank: Language | None = None
        self._composed: dict[str, tuple[str, str] | None] = {}
        self._build()

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, actors_dir: Path | None = None) -> Gazetteer:
        key = Path(actors_dir or DEFAULT_DIR).resolve()
        with _LOCK:
            gaz = _CACHE.get(key)
            if gaz is None:
                gaz = cls(key)
                _CACHE[key] = gaz
            return gaz

    def _add(self, label: str, text: str, code: str, priority: int = 0) -> None:
        text = re.sub(r"\s+", " ", text).strip()
        for variant in {text, _fold(text)}:
            if not variant:
                continue
            if self._is_case_sensitive(variant):
                self._token_patterns.setdefault(variant, (label, code))
                continue
            variants = [variant]
            if "'" in variant:
                variants.append(variant.replace("'", "\u2019"))
            for v in variants:
                key = v.lower()
                old = self._phrases.get(key)
                if old is None or priority > old[2]:
                    self._phrases[key] = (label, code, priority)
                    self._conflicts.discard(key)
                elif (old[1] != code or old[0] != label) and priority == old[2]:
                    self._conflicts.add(key)

    @staticmethod
    def _is_case_sensitive(text: str) -> bool:
        """Single-token acronyms ("US", "UN", "WHO", "U.S.", "CoE") match case-sensitively, and
        so do names of several words written all in capitals ("ARTICLE 19", "OSCE PA"): "Article
        19" is a treaty article, not the NGO."""
        if " " in text:
            letters = [c for c in text if c.isalpha()]
            return len(letters) >= 2 and all(c.isupper() for c in letters)
        if "-" in text.strip("-") and any(c.islower() for c in text):
            return False  # "Guinea-Bissau", "Nagorno-Karabakh": words, not an acronym
        letters = [c for c in text if c.isalpha()]
        if len(letters) < 2:
            return False
        return sum(c.isupper() for c in letters) >= 2

    def _build(self) -> None:
        d = self.dir
        self._load_states(d / "states.csv")
        self._load_bodies(d / "bodies.jsonl", "body", LABEL_IGO)
        if (d / "ngos.jsonl").exists():  # Amnesty International, Human Rights Watch, ...
            self._load_bodies(d / "ngos.jsonl", "ngo", LABEL_NGO)
        self._load_roles(d / "roles.jsonl")
        self._load_institutions(d / "institutions.jsonl")
        # names that contain actor names but are not actors ("UN Charter")
        for group in _jsonl(d / "nonactors.jsonl"):
            for alias in group["aliases"]:
                self._add(group["label"], alias, NONACTOR_ID, priority=5)
        with open(d / "self.json", encoding="utf-8") as fh:
            self_cfg = json.load(fh)
        self._self_pronouns = list(self_cfg["pronouns"])
        self._self_nouns = list(self_cfg["state_nouns"])
        self._index_phrases()

    def _load_states(self, path: Path) -> None:
        """Every pycountry state, with the names, capitals and adjectives of states.csv; a
        row of states.csv whose code pycountry lacks (Kosovo, ``XKX``) adds a state."""
        import pycountry

        extra: dict[str, dict[str, str]] = {}
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                extra[row["code"]] = row
        countries = list(pycountry.countries)
        known = {c.alpha_3 for c in countries}
        countries += [SimpleNamespace(alpha_3=code, name=row["canonical"])
                      for code, row in extra.items() if code not in known and row["canonical"]]
        for country in countries:
            code = country.alpha_3
            if getattr(country, "alpha_2", None):
                self.domains[country.alpha_2.lower()] = code
            row = extra.get(code, {})
            kind = row.get("kind") or "state"
            if kind == "exclude":
                continue
            common = getattr(country, "common_name", None)
            official = getattr(country, "official_name", None)
            canonical = row.get("canonical") or common or country.name
            nouns: list[str] = []
            for n in [canonical, common, country.name, official, *_split(row.get("aliases"))]:
                if not n or "," in n or "(" in n:
                    continue
                n = n[4:] if n.lower().startswith("the ") else n
                if n not in nouns:
                    nouns.append(n)
            self.names[code] = canonical
            self.kinds[code] = "state"
            self.states.add(code)
            noun_keys = {n.lower() for n in nouns}
            for n in nouns:
                self._add(LABEL_STATE, n, code, priority=2)
            if kind != "state":
                self.territories.add(code)
                continue
            for c in _split(row.get("capitals")):
                self._add(LABEL_STATE, c, code, priority=1)
                self.capitals.update({c.lower(), _fold(c).lower()})
            for a in _split(row.get("adjectives")) + _split(row.get("people")):
                if a.lower() not in noun_keys:
                    self._add(LABEL_ADJ, a, code, priority=1)

    def _load_bodies(self, path: Path, kind: str, label: str) -> None:
        """Intergovernmental bodies or NGOs: a code, a name and aliases each."""
        for body in _jsonl(path):
            self.names[body["code"]] = body["name"]
            self.kinds[body["code"]] = kind
            for alias in body["aliases"]:
                self._add(label, alias, body["code"], priority=3)

    def _load_roles(self, path: Path) -> None:
        """National institutions as role templates, applied to any state by composition."""
        for role in _jsonl(path):
            if role["role"]:
                self.role_names[role["role"]] = role["name"]
            for tpl in role["templates"]:
                self.role_rules.append((*_parse_template(tpl), role["role"], role["label"]))

    def _load_institutions(self, path: Path) -> None:
        """Named national institutions (Milli Majlis, State Duma, Kremlin, ...)."""
        for inst in _jsonl(path):
            code = inst["code"]
            self.names[code] = inst["name"]
            self.kinds[code] = "inst"
            if inst.get("compose"):
                self.compose_codes.add(code)
            for alias in inst["aliases"]:
                self._add(LABEL_INST, alias, code, priority=4)

    def _index_phrases(self) -> None:
        """Drop ambiguous names; index the rest for lookup (case-folded and exact)."""
        for key in self._conflicts:
            self._phrases.pop(key, None)
        for key, (label, code, _prio) in self._phrases.items():
            self._index.setdefault(key.replace("\u2019", "'"), (code, label))
        for text, (label, code) in self._token_patterns.items():
            self._index_cs.setdefault(text, (code, label))

    # ------------------------------------------------------------------ patterns
    def patterns(self) -> list[dict]:
        """Entity-ruler patterns (phrase patterns on LOWER; acronyms as exact token text)."""
        if self._patterns is None:
            pats: list[dict] = [
                {"label": label, "pattern": text, "id": code}
                for text, (label, code, _p) in self._phrases.items()
            ]
            pats += [
                {"label": label, "pattern": text, "id": code}
                for text, (label, code) in self._token_patterns.items()
            ]
            self._patterns = pats
        return self._patterns

    def _ruler_patterns(self, nlp: Language) -> list[dict]:
        """Case-insensitive phrase patterns for the entity ruler."""
        out = [p for p in self.patterns() if not self._is_case_sensitive(p["pattern"])]
        out += [{"label": LABEL_SELF, "id": SELF_STATE_ID, "pattern": f"our {noun}"}
                for noun in self._self_nouns]
        return out

    def cased_patterns(self) -> list[tuple[str, str, str]]:
        """(label, code, text) matched with exact case ("US" the state, "us" the pronoun).

        These go to a PhraseMatcher on ORTH: the token Matcher costs ~4 ms per pattern per
        500 sentences, a phrase matcher next to nothing.
        """
        out = [(p["label"], p["id"], p["pattern"]) for p in self.patterns()
               if self._is_case_sensitive(p["pattern"])]
        out += [(LABEL_SELF, SELF_ID, pronoun) for pronoun in self._self_pronouns]
        return out

    def add_to(self, nlp: Language) -> None:
        """Add the actor ruler and composer to ``nlp`` (after "ner" if present)."""
        if RULER_NAME in nlp.pipe_names:
            return
        kwargs: dict = {
            "name": RULER_NAME,
            "config": {"phrase_matcher_attr": "LOWER", "overwrite_ents": True, "validate": False},
        }
        if "ner" in nlp.pipe_names:
            kwargs["after"] = "ner"
        nlp.add_pipe(CASED_NAME, name=CASED_NAME, before=None, after=kwargs.get("after"),
                     config={"actors_dir": str(self.dir)})
        kwargs["after"] = CASED_NAME
        ruler = nlp.add_pipe("entity_ruler", **kwargs)
        # tokenise the phrase patterns with the tokenizer only (add_patterns would otherwise
        # run every earlier pipe, e.g. tagger/parser/ner, over the patterns)
        others = [p for p in nlp.pipe_names if p != RULER_NAME]
        with nlp.select_pipes(disable=others):
            ruler.add_patterns(self._ruler_patterns(nlp))  # type: ignore[attr-defined]
        nlp.add_pipe(
            COMPOSER_NAME,
            name=COMPOSER_NAME,
            after=RULER_NAME,
            config={"actors_dir": str(self.dir)},
        )

    # ------------------------------------------------------------------ lookups
    def name(self, code: str) -> str | None:
        """Canonical name for a code ("AZE" -> "Azerbaijan", "ARM-MFA" -> "Ministry of ...")."""
        if code in self.names:
            return self.names[code]
        state, _, role = code.partition("-")
        if state in self.states and role in self.role_names:
            return self.role_names[role].format(name=self.names[state])
        return None

    def label_for(self, code: str | None, text: str = "") -> str | None:
        """Actor label for a code (``ACTOR_ADJ`` if ``text`` is a demonym of the state)."""
        if not code:
            return None
        state, _, role = code.partition("-")
        kind = self.kinds.get(code) or ("inst" if state in self.states and role else None)
        if kind == "state":
            hit = self._index.get(text.replace("\u2019", "'").strip().lower())
            return LABEL_ADJ if hit and hit[1] == LABEL_ADJ else LABEL_STATE
        if kind == "body":
            return LABEL_IGO
        if kind == "ngo":
            return LABEL_NGO
        if kind == "inst":
            return LABEL_INST
        return None

    def state_of(self, code: str | None) -> str | None:
        """The state part of a code ("AZE-LEG" -> "AZE"); None for bodies."""
        if not code:
            return None
        head = code.split("-")[0]
        return head if head in self.states else None

    def normalise(self, text: str, label: str) -> tuple[str | None, str | None]:
        """(actor, code) for a model entity; (None, None) when it is not an actor."""
        if label not in _NORMALISABLE:
            return None, None
        t = re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip()
        t = re.sub(r"^(?:the|The|THE)\s+", "", t)
        t = re.sub(r"'s?$", "", t).strip()
        if not t:
            return None, None
        code, hit_label = self._lookup(t)
        if code is None or code == NONACTOR_ID:
            return None, None
        if label == "PERSON" and hit_label != LABEL_STATE:
            return None, None
        return self.name(code), code

    def _lookup(self, t: str) -> tuple[str | None, str | None]:
        for cand in dict.fromkeys((t, _fold(t))):
            hit = self._index_cs.get(cand) or self._index.get(cand.lower())
            if hit:
                return hit
        if any(c.isupper() for c in t) and len(t) < 200:
            # composed institutions ("Armenian Foreign Ministry"): run the ruler once
            if t not in self._composed:
                doc = self.blank_nlp()(t)
                ents = [e for e in doc.ents if e.ent_id_]
                hit = None
                if len(ents) == 1 and ents[0].start == 0 and ents[0].end == len(doc):
                    hit = (ents[0].ent_id_, ents[0].label_)
                if len(self._composed) > 100_000:
                    self._composed.clear()
                self._composed[t] = hit
            if self._composed[t]:
                return self._composed[t]  # type: ignore[return-value]
        return None, None

    # ------------------------------------------------------------------ blank pipeline
    def blank_nlp(self) -> Language:
        """Tokenizer-only English pipeline with the actor ruler (cached)."""
        if self._blank is None:
            nlp = spacy.blank("en")
            self.add_to(nlp)
            self._blank = nlp
        return self._blank


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _parse_template(tpl: str) -> tuple[str, str]:
    """Role template -> (kind, phrase).

    ``"X of {N}"`` -> ("pre", "X of"): the phrase, optional "the", then a state name;
    ``"{N}'s X"`` -> ("poss", "X"); ``"{S} X"`` -> ("post_state", "X"): a state name used
    attributively ("Luxembourg Chamber of Deputies"); ``"{A} X"`` -> ("post_adj", "X").
    """
    tpl = tpl.strip()
    if tpl.startswith("{N}'s "):
        return "poss", tpl[len("{N}'s ") :]
    if tpl.startswith("{S} "):
        return "post_state", tpl[4:]
    if tpl.startswith("{A} "):
        return "post_adj", tpl[4:]
    if tpl.endswith(" {N}") or tpl.endswith(" {S}"):
        return "pre", tpl[:-4]
    raise ValueError(f"unsupported role template {tpl!r}")


_POSS = {"'s", "\u2019s", "'", "\u2019"}


class ActorComposer:
    """Composes national institutions from role phrases next to state mentions.

    Runs after the entity ruler: "Ministry of Foreign Affairs of" + [the] + STATE,
    STATE + "'s" + "Foreign Ministry", ADJ/STATE + "Foreign Ministry" become one
    ``ACTOR_INST`` span with id ``XXX-MFA`` (longest match; overlapping entities are
    replaced).  Named institutions extend over an adjacent state of their own
    ("Azerbaijan's Milli Majlis").  Finally drops ruler matches written all in lower case
    ("turkey", "chad"), except SELF.
    """

    def __init__(self, nlp: Language, gaz: Gazetteer):
        from spacy.matcher import PhraseMatcher

        self.gaz = gaz
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        groups: dict[str, list[str]] = {}
        for kind, phrase, role, label in gaz.role_rules:
            variants = [phrase] + ([phrase.replace("'", "\u2019")] if "'" in phrase else [])
            groups.setdefault(f"{kind}|{role}|{label}", []).extend(variants)
        self._rules: dict[int, tuple[str, str, str]] = {}
        for key, phrases in groups.items():
            self.matcher.add(key, list(nlp.tokenizer.pipe(phrases)))
            kind, role, label = key.split("|")
            self._rules[nlp.vocab.strings.add(key)] = (kind, role, label)

    def _state_ent(self, ent: Span | None, *, adj: bool = False, short: bool = False):
        if ent is None or ent.ent_id_ not in self.gaz.states:
            return None
        if adj:
            return ent if ent.label_ == LABEL_ADJ else None
        if ent.label_ != LABEL_STATE or ent.text.lower() in self.gaz.capitals:
            return None
        if short and " of " in ent.text:
            return None
        return ent

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        by_start = {e.start: e for e in ents}
        by_end = {e.end: e for e in ents}
        new: list[Span] = []

        def add(start: int, end: int, state: str, role: str, label: str) -> None:
            code = f"{state}-{role}" if role else state
            new.append(Span(doc, start, end, label=label, span_id=code))

        for key, s, e in self.matcher(doc):
            kind, role, label = self._rules[key]
            if kind == "pre":
                j = e + 1 if e < len(doc) and doc[e].lower_ == "the" else e
                st = self._state_ent(by_start.get(j))
                if st is not None:
                    add(s, st.end, st.ent_id_, role, label)
            elif kind == "poss":
                if s >= 2 and doc[s - 1].lower_ in _POSS:
                    st = self._state_ent(by_end.get(s - 1))
                    if st is not None:
                        add(st.start, e, st.ent_id_, role, label)
            else:
                st = self._state_ent(
                    by_end.get(s), adj=kind == "post_adj", short=kind == "post_state"
                )
                if st is not None:
                    add(st.start, e, st.ent_id_, role, label)
        # named institutions with their own state: "Azerbaijan's Milli Majlis",
        # "the Azerbaijani Milli Majlis", "Milli Majlis of the Republic of Azerbaijan"
        for ent in ents:
            if ent.ent_id_ not in self.gaz.compose_codes:
                continue
            state = self.gaz.state_of(ent.ent_id_)
            start, end = ent.start, ent.end
            prev = (
                by_end.get(start - 1)
                if start >= 1 and doc[start - 1].lower_ in _POSS
                else by_end.get(start)
            )
            if (
                prev is not None
                and prev.ent_id_ == state
                and prev.label_ in (LABEL_STATE, LABEL_ADJ)
            ):
                start = prev.start
            j = end + 1 if end < len(doc) and doc[end].lower_ == "of" else None
            if j is not None:
                j = j + 1 if j < len(doc) and doc[j].lower_ == "the" else j
                nxt = by_start.get(j)
                if nxt is not None and nxt.ent_id_ == state and nxt.label_ == LABEL_STATE:
                    end = nxt.end
            if (start, end) != (ent.start, ent.end):
                new.append(Span(doc, start, end, label=ent.label_, span_id=ent.ent_id_))
        if new:
            new = filter_spans(new)
            taken = set()
            for span in new:
                taken.update(range(span.start, span.end))
            ents = [e for e in ents if not any(i in taken for i in range(e.start, e.end))]
            ents.extend(new)
        kept = [
            e
            for e in ents
            if not (e.ent_id_ and e.label_ != LABEL_SELF and not any(c.isupper() for c in e.text))
        ]
        doc.ents = sorted(kept, key=lambda x: x.start)
        return doc


class CasedActorMatcher:
    """Exact-case actor names and pronouns ("UAE", "US", "we") as entities, before the ruler.

    Matches overwrite overlapping model entities; the case-insensitive ruler that follows
    overwrites these where it finds an overlapping (usually longer) name.
    """

    def __init__(self, nlp: Language, gazetteer: Gazetteer):
        from spacy.matcher import PhraseMatcher

        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.labels: dict[int, tuple[str, str]] = {}
        for label, code, text in gazetteer.cased_patterns():
            key = f"{label}|{code}"
            self.labels[nlp.vocab.strings.add(key)] = (label, code)
            self.matcher.add(key, [nlp.make_doc(text)])

    def __call__(self, doc: Doc) -> Doc:
        from spacy.util import filter_spans

        found = [Span(doc, s, e, label=self.labels[k][0], span_id=self.labels[k][1])
                 for k, s, e in self.matcher(doc)]
        if not found:
            return doc
        found = filter_spans(found)
        taken = {i for span in found for i in range(span.start, span.end)}
        kept = [e for e in doc.ents if not taken.intersection(range(e.start, e.end))]
        doc.ents = sorted(kept + found, key=lambda span: span.start)
        return doc


@Language.factory(CASED_NAME, default_config={"actors_dir": ""})
def _make_cased(nlp: Language, name: str, actors_dir: str) -> CasedActorMatcher:
    return CasedActorMatcher(nlp, Gazetteer.load(Path(actors_dir) if actors_dir else None))


@Language.factory(COMPOSER_NAME, default_config={"actors_dir": ""})
def _make_composer(nlp: Language, name: str, actors_dir: str) -> ActorComposer:
    return ActorComposer(nlp, Gazetteer.load(Path(actors_dir) if actors_dir else None))


def _mention(ent: Span, label: str, actor: str | None, code: str | None, source: str) -> dict:
    return {
        "start_char": ent.start_char,
        "end_char": ent.end_char,
        "text": ent.text,
        "label": label,
        "actor": actor,
        "actor_code": code,
        "source": source,
    }


def extract_mentions(
    doc: Doc, gazetteer: Gazetteer, speaker: str | None, speaker_code: str | None
) -> list[dict]:
    """Entity mentions of a Doc processed by an nlp with ``gazetteer.add_to`` applied."""
    dl_end = dateline_end(doc.text)
    speaker_state = gazetteer.state_of(speaker_code)
    out: dict[tuple[int, int], dict] = {}
    for ent in doc.ents:
        key = (ent.start_char, ent.end_char)
        if key in out:
            continue
        ent_id = ent.ent_id_
        from_ruler = bool(ent_id) and (
            ent_id in (SELF_ID, SELF_STATE_ID, NONACTOR_ID) or gazetteer.name(ent_id) is not None
        )
        if (
            ent.end_char <= dl_end
            and ent.label_ != LABEL_SELF
            and (from_ruler or gazetteer.normalise(ent.text, ent.label_)[1])
        ):
            # "BAKU, Azerbaijan, November 21." names the place of filing, not an actor
            out[key] = _mention(ent, "GPE", None, None, "gazetteer" if from_ruler else "model")
            continue
        if from_ruler:
            if ent_id == NONACTOR_ID:
                out[key] = _mention(ent, ent.label_, None, None, "gazetteer")
            elif ent.label_ == LABEL_SELF:
                if ent_id == SELF_STATE_ID and speaker_state:
                    code, actor = speaker_state, gazetteer.name(speaker_state)
                else:
                    code, actor = speaker_code, speaker
                out[key] = _mention(ent, LABEL_SELF, actor, code, "gazetteer")
            else:
                out[key] = _mention(ent, ent.label_, gazetteer.name(ent_id), ent_id, "gazetteer")
            continue
        actor, code = gazetteer.normalise(ent.text, ent.label_)
        if code:
            label = gazetteer.label_for(code, ent.text) or ent.label_
            out[key] = _mention(ent, label, actor, code, "model")
        else:
            label = ent.label_
            if label == "PERSON" and gazetteer.normalise(ent.text, "GPE")[1]:
                label = "GPE"  # never a PERSON
            out[key] = _mention(ent, label, None, None, "model")
    return sorted(out.values(), key=lambda m: (m["start_char"], m["end_char"]))


def tagging_pipeline(settings: Settings):
    """The configured spaCy pipeline with the actor gazetteer added (cached per process)."""
    from claimflow.actors.gazetteer import Gazetteer
    from claimflow.nlp.models import load_model, model_names

    nlp = load_model(model_names(settings.nlp.model, settings.nlp.fallbacks), "tag")
    if "claimflow_actors" not in nlp.pipe_names and "entity_ruler" not in nlp.pipe_names:
        Gazetteer.load(settings.tag.actors_dir).add_to(nlp)
    return nlp
