"""The spaCy component ``claimflow_claims``: claimflow's claims on your own pipeline.

Registered through the ``spacy_factories`` entry point, so with claimflow installed::

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("claimflow_claims")
    doc = nlp(text)
    doc._.claims                       # [Claim(type, sent, trigger, confidence, ...), ...]
    [s._.claim_types for s in doc.sents]

The component needs a parsed English Doc (tagger, lemmatizer, parser: it uses ``doc.sents``
and the dependency tree) and adds the actor gazetteer (``actor_cased``, ``actor_ruler``,
``actor_composer``, after ``ner``) to the pipeline when it is not there yet. Your
``doc.sents`` are cut, glued and trimmed by the split stage's rules (:func:`sentence_pieces`),
and each sentence then goes through the very code of the classify stage: its parse and actor
mentions become the token and entity rows the tag stage writes, and
:func:`claimflow.stages.classify.classify_sentences` decides and attributes the claims
(document speaker from :func:`claimflow.actors.speaker.find_speaker` on ``doc.text``). On
the cleaned text of a document (``documents.text``) the claims are those of ``claimflow
run`` except where your pipeline parses a sentence differently (the tag stage parses each
sentence alone) or splits it differently (the split stage uses the ``senter``).

spaCy imports this module whenever it creates any pipeline, so it imports nothing heavy:
claimflow's models load when the component is created (the classifier on first use).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

FACTORY = "claimflow_claims"
CLAIMS_ATTR = "claims"  # Doc._.claims: list of Claim
TYPES_ATTR = "claim_types"  # Span._.claim_types: claim types of the sentences in the span
ROWS_ATTR = "claimflow_claims"  # Doc._.claimflow_claims: the same claims as plain dicts
# colours for displacy.render(displacy_claims(doc), style="span", manual=True,
# options=DISPLACY_OPTIONS)
DISPLACY_OPTIONS = {"colors": {"denial": "#7fd3e6", "accusation": "#f4a6a6",
                               "demand": "#f7de7b"}}


@dataclass(frozen=True)
class Claim:
    """One claim of a Doc: a (sentence, claim type) row of ``claims.parquet`` as spans."""

    type: str  # denial | accusation | demand
    sent: Span  # the sentence
    trigger: Span | None  # the words that carry the claim (None when none is known)
    confidence: float
    speaker: str | None
    speaker_code: str | None
    target: str | None
    target_code: str | None
    method: str  # "ensemble+cue", "model", ...: as the ``method`` column


def register_extensions() -> None:
    """``Doc._.claims``, ``Doc._.claimflow_claims`` and ``Span._.claim_types``."""
    if not Doc.has_extension(ROWS_ATTR):
        Doc.set_extension(ROWS_ATTR, default=None)
    if not Doc.has_extension(CLAIMS_ATTR):
        Doc.set_extension(CLAIMS_ATTR, getter=claims_of)
    if not Span.has_extension(TYPES_ATTR):
        Span.set_extension(TYPES_ATTR, getter=claim_types_of)


def claims_of(doc: Doc) -> list[Claim]:
    """The claims the component found in ``doc`` (empty when it has not run)."""
    out = []
    for row in doc._.get(ROWS_ATTR) or []:
        trigger = None
        if row["trigger_start"] is not None:
            trigger = doc.char_span(row["trigger_start"], row["trigger_end"],
                                    alignment_mode="expand")
        out.append(Claim(
            type=row["claim_type"],
            sent=doc.char_span(row["sent_start"], row["sent_end"], alignment_mode="expand"),
            trigger=trigger, confidence=row["confidence"], speaker=row["speaker"],
            speaker_code=row["speaker_code"], target=row["target"],
            target_code=row["target_code"], method=row["method"],
        ))
    return out


def claim_types_of(span: Span) -> list[str]:
    """Claim types of the claims whose sentence overlaps ``span``: for a sentence of
    ``doc.sents``, its own claim types, in the order denial, accusation, demand."""
    types: list[str] = []
    for row in span.doc._.get(ROWS_ATTR) or []:
        overlaps = row["sent_start"] < span.end_char and span.start_char < row["sent_end"]
        if overlaps and row["claim_type"] not in types:
            types.append(row["claim_type"])
    return types


class ClaimsComponent:
    """Sets ``Doc._.claims`` and ``Span._.claim_types`` (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, config_path: str | None,
                 overrides: dict[str, Any], add_actors: bool):
        from pathlib import Path

        from claimflow.actors.gazetteer import Gazetteer
        from claimflow.config import load_settings

        self.name = name
        self.settings = load_settings(Path(config_path) if config_path else None, overrides)
        self.gazetteer = Gazetteer.load(self.settings.tag.actors_dir)
        if add_actors:
            self.gazetteer.add_to(nlp)  # no-op when the actor ruler is there already
        self._classifier = None
        register_extensions()

    @property
    def classifier(self):
        if self._classifier is None:
            from claimflow.claims.ensemble import ClaimClassifier

            self._classifier = ClaimClassifier.cached(self.settings)
        return self._classifier

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Documents in batches (``nlp.pipe`` passes its ``batch_size``): one classifier
        call per batch, so the MiniLM scores many sentences at once."""
        from spacy.util import minibatch

        for batch in minibatch(stream, size=batch_size):
            self._annotate(batch)
            yield from batch

    def _annotate(self, docs: list[Doc]) -> None:
        import pandas as pd

        from claimflow.contract.schemas import ENTITIES, SENTENCES, TOKENS
        from claimflow.nlp.docs import doc_token_rows
        from claimflow.stages.classify import classify_sentences
        from claimflow.stages.tag import add_entity_rows

        sents: dict[str, list] = {c: [] for c in SENTENCES.columns}
        toks: dict[str, list] = {c: [] for c in TOKENS.columns}
        ents: dict[str, list] = {c: [] for c in ENTITIES.columns}
        speakers: dict[str, list] = {"doc_id": [], "speaker": [], "speaker_code": []}
        for n, doc in enumerate(docs):
            doc_id = str(n)
            speaker, speaker_code = self._speaker(doc)
            for key, value in (("doc_id", doc_id), ("speaker", speaker),
                               ("speaker_code", speaker_code)):
                speakers[key].append(value)
            for sent_id, span in enumerate(sentence_pieces(doc)):
                offset = span.start_char
                for key, value in zip(SENTENCES.columns, (doc_id, sent_id, offset, span.end_char,
                                                          span.text, "en"), strict=True):
                    sents[key].append(value)
                sent_doc = span.as_doc()
                rows = doc_token_rows(sent_doc, doc_id, sent_id, offset)
                rows["ws"][-1] = False  # the split stage strips each sentence
                for key, values in rows.items():
                    toks[key].extend(values)
                add_entity_rows(ents, sent_doc, self.gazetteer, doc_id, sent_id, offset,
                                speaker, speaker_code)
        sentences = pd.DataFrame(sents)
        claims = classify_sentences(sentences, pd.DataFrame(toks), pd.DataFrame(ents),
                                    pd.DataFrame(speakers), self.classifier)
        bounds = dict(zip(zip(sentences["doc_id"], sentences["sent_id"], strict=True),
                          zip(sentences["start_char"], sentences["end_char"], strict=True),
                          strict=True))
        found: list[list[dict]] = [[] for _ in docs]
        for row in claims.to_dict("records"):
            start, end = bounds[(row["doc_id"], row["sent_id"])]
            found[int(row["doc_id"])].append({
                "claim_type": row["claim_type"],
                "confidence": float(row["confidence"]),
                "sent_start": int(start),
                "sent_end": int(end),
                "trigger_start": _int(row["trigger_start"]),
                "trigger_end": _int(row["trigger_end"]),
                "trigger": _str(row["trigger"]),
                **{k: _str(row[k]) for k in ("speaker", "speaker_code", "target",
                                             "target_code", "method")},
            })
        for doc, rows in zip(docs, found, strict=True):
            doc._.set(ROWS_ATTR, rows)

    def _speaker(self, doc: Doc):
        from claimflow.actors.speaker import find_speaker

        return find_speaker(doc.text, self.gazetteer)


def sentence_pieces(doc: Doc) -> list[Span]:
    """The sentences of ``doc`` that the classify stage would see, as spans of ``doc``.

    The split stage's rules over your pipeline's ``doc.sents``: every line is its own unit
    and lines identified as another language than English are left out; sentences are cut
    at line ends, glued back where the split stage glues them ("Caliber.Az", "No. 5"), and
    lose surrounding space, a Q&A label ("Question:") and an unmatched opening quote.
    """
    from claimflow.stages.split import finish_english_spans, iter_units

    if not doc.text.strip():
        return []
    if not doc.has_annotation("DEP"):
        raise ValueError(f"[{FACTORY}] needs the dependency parse: add it after the parser "
                         "of an English pipeline (e.g. en_core_web_sm)")
    text = doc.text
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    out: list[Span] = []
    first = 0
    for unit in iter_units(text, "en", len(text) + 1):
        while first < len(sents) and sents[first][1] <= unit.start:
            first += 1
        if unit.lang != "en":
            continue
        spans = []
        k = first
        while k < len(sents) and sents[k][0] < unit.end:
            start, end = max(sents[k][0], unit.start), min(sents[k][1], unit.end)
            if start < end:
                spans.append((start, end))
            k += 1
        for start, end in finish_english_spans(text, spans):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None and len(span):
                out.append(span)
    return out


def displacy_claims(doc: Doc, title: str | None = None) -> dict[str, Any]:
    """``doc``'s claims for ``displacy.render(..., style="span", manual=True)``: each
    claim's trigger (its sentence when it has none) as a span labelled with its type."""
    spans = []
    for claim in claims_of(doc):
        span = claim.trigger if claim.trigger is not None else claim.sent
        spans.append({"start_token": span.start, "end_token": span.end, "label": claim.type})
    spans.sort(key=lambda s: (s["start_token"], -s["end_token"], s["label"]))
    return {"text": doc.text, "tokens": [t.text for t in doc], "spans": spans, "title": title}


def _int(value) -> int | None:
    return None if value is None or value != value else int(value)


def _str(value) -> str | None:
    return value if isinstance(value, str) else None


@Language.factory(
    FACTORY,
    default_config={"config_path": None, "overrides": {}, "add_actors": True},
)
def make_claims_component(nlp: Language, name: str, config_path: str | None,
                          overrides: dict[str, Any], add_actors: bool) -> ClaimsComponent:
    """``nlp.add_pipe("claimflow_claims", config={...})``: ``config_path`` a claimflow
    settings TOML (default: the shipped settings), ``overrides`` dotted settings keys
    (``{"classify.backend": "linear"}``), ``add_actors`` adds the actor gazetteer when
    absent."""
    return ClaimsComponent(nlp, name, config_path, overrides, add_actors)
