"""Sentence claim classifier: sparse parse features + cue hits -> per-class logistic regression.

Prediction is plain numpy over a stored vocabulary (``model.json``) and weight matrix
(``weights.npy``); no pickle, no scikit-learn. Training (``train_model``) uses scikit-learn
and is deterministic for a given seed.
"""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import Field
from spacy.tokens import Doc

from claimflow.claims.batch import SentenceBatch, in_claim_type_order
from claimflow.claims.context import (
    CONTEXT_FILE,
    ContextModel,
    ModelFile,
    check_length,
    check_thresholds,
    read_model_file,
)
from claimflow.claims.cues import DEFAULT_CUES_DIR, CueHit, CueMatcher, SentView
from claimflow.claims.scores import sigmoid
from claimflow.config import PACKAGE_DATA
from claimflow.contract.schemas import CLAIM_TYPES
from claimflow.errors import ClaimflowError, ModelFileError
from claimflow.nlp.docs import ActorMention

log = logging.getLogger(__name__)


LABELS = CLAIM_TYPES


DEFAULT_MODEL_DIR = PACKAGE_DATA / "model"


FORMAT_VERSION = 1


_SKIP_POS = frozenset({"PUNCT", "SPACE", "DET", "NUM", "SYM", "X"})


_NOT_TRIGGER_POS = frozenset({"PUNCT", "SPACE", "DET", "NUM", "SYM", "X", "PROPN", "PRON", "ADP",
                              "CCONJ", "SCONJ", "AUX"})


_DEP_KEEP = frozenset(
    {"nsubj", "nsubjpass", "dobj", "ccomp", "xcomp", "amod", "advmod", "neg", "acomp", "attr",
     "aux", "prep", "pobj", "agent", "dative", "advcl", "compound", "poss", "relcl", "acl",
     "conj", "appos", "npadvmod", "oprd", "pcomp", "mark", "auxpass"}
)


_QUOTES = frozenset({'"', "“", "”", "‘", "’", "'", "«", "»"})


_ENT_ACTOR = frozenset({"GPE", "ORG", "NORP", "PERSON", "LOC", "FAC"})


# ---------------------------------------------------------------------------- features
def featurize(v: SentView, mentions: list[ActorMention], hits: list[CueHit], cues: CueMatcher
              ) -> list[str]:
    """Feature names for one sentence (binary presence)."""
    f: list[str] = []
    toks = [i for i in range(len(v.lower)) if v.pos[i] not in ("PUNCT", "SPACE")]
    ment_tok = {i for m in mentions for i in range(m.start, m.end)}
    cls_of = _lexical_features(v, toks, cues, f)
    root = _dependency_features(v, toks, cls_of, f)
    has_q = any(w in _QUOTES for w in v.lower)
    if has_q:
        f.append("QUOTE")
    if root >= 0:
        _root_features(v, toks, root, ment_tok, cues, f)
    _wrongdoing_features(v, toks, ment_tok, cues, f)
    _actor_and_cue_features(mentions, hits, has_q, f)
    k = len(toks)
    f.append("len:" + ("s" if k < 10 else "m" if k < 25 else "l" if k < 45 else "xl"))
    return f


def _lexical_features(v: SentView, toks: list[int], cues: CueMatcher, f: list[str]
                      ) -> list[tuple[str, ...] | None]:
    """Lemma unigrams (content), words (function), lemma bigrams, lexicon classes; returns
    each token's lexicon classes."""
    add, wc = f.append, cues.word_classes
    prev = "<s>"
    cls_of: list[tuple[str, ...] | None] = [None] * len(v.lower)
    for i in toks:
        lm = v.lemma[i]
        if v.pos[i] not in _SKIP_POS:
            add("l:" + lm)
        else:
            add("w:" + v.lower[i])
        add("b:" + prev + "_" + lm)
        prev = lm
        cl = wc.get(lm) or wc.get(v.lower[i])
        if cl:
            cls_of[i] = cl
            for c in cl:
                add("c:" + c)
    return cls_of


def _dependency_features(v: SentView, toks: list[int], cls_of, f: list[str]) -> int:
    """Head-lemma / dep / child-lemma triples, and the same over lexicon classes; returns
    the root's index (-1 when none)."""
    add, lemma, lower, dep, head = f.append, v.lemma, v.lower, v.dep, v.head
    root = -1
    for i in toks:
        d = dep[i]
        if d == "ROOT":
            root = i
            continue
        if d not in _DEP_KEEP:
            continue
        h = head[i]
        hc, tc = cls_of[h], cls_of[i]
        if hc or tc:
            for a in hc or ("_",):
                for b in tc or ("_",):
                    add("D:" + a + ">" + d + ">" + b)
        if d == "pobj" and dep[h] == "prep":
            add("d:" + lemma[head[h]] + ">" + lower[h] + ">" + lemma[i])
        else:
            add("d:" + lemma[h] + ">" + d + ">" + lemma[i])
        if d == "neg":
            add("neg:" + lemma[h])
    return root


def _root_features(v: SentView, toks: list[int], root: int, ment_tok: set[int],
                   cues: CueMatcher, f: list[str]) -> None:
    """The main verb: reporting frames and their complement, subject, imperative, passive."""
    add, lemma, dep, ch = f.append, v.lemma, v.dep, v.children
    rl = lemma[root]
    add("root:" + rl)
    kids = ch[root]
    comp = [c for c in kids if dep[c] in ("ccomp", "xcomp")]
    subj = [c for c in kids if dep[c] in ("nsubj", "nsubjpass")]
    if rl in cues.lex["report_verbs"] and comp:
        add("REPORT")
        c = comp[0]
        add("croot:" + lemma[c])
        for cc in ch[c]:
            if dep[cc] in ("nsubj", "nsubjpass", "dobj", "acomp", "attr", "neg", "aux"):
                add("cd:" + lemma[c] + ">" + dep[cc] + ">" + lemma[cc])
    if subj:
        s = subj[0]
        add("rsubj:" + ("1p" if v.lower[s] in cues.lex["first_person"] else v.pos[s]))
        if s in ment_tok:
            add("rsubj:ENT")
        add("rsv:" + lemma[s] + ">" + rl)
    if v.tag[root] == "VB" and not subj and toks and root == toks[0]:
        add("IMPERATIVE")
    if any(dep[c] == "nsubjpass" for c in kids):
        add("PASSIVE")


def _wrongdoing_features(v: SentView, toks: list[int], ment_tok: set[int], cues: CueMatcher,
                         f: list[str]) -> None:
    """Scope of wrongdoing words: negated, inside a rejected claim, who is the subject."""
    add, lemma, head = f.append, v.lemma, v.head
    deny_v, claim_n = cues.lex["deny_verbs"], cues.lex["claim_nouns"]
    first = cues.lex["first_person"]
    wrong = cues.wrong_words
    for i in toks:
        if lemma[i] not in wrong:
            continue
        a, hops = i, 0
        while head[a] != a and hops < 6:
            a = head[a]
            hops += 1
            if lemma[a] in deny_v:
                add("W:in_denied")
            elif lemma[a] in claim_n:
                add("W:in_claim")
        vb = i if v.pos[i] in ("VERB", "AUX") else head[i]
        for c in v.children[vb]:
            dc = v.dep[c]
            if dc == "neg":
                add("W:neg")
            elif dc in ("nsubj", "agent"):
                if v.lower[c] in first:
                    add("W:subj1p")
                elif c in ment_tok:
                    add("W:subjENT")
                else:
                    add("W:subj" + v.pos[c])


def _actor_and_cue_features(mentions: list[ActorMention], hits: list[CueHit], has_q: bool,
                            f: list[str]) -> None:
    labs = {m.label for m in mentions}
    for lb in labs:
        f.append("ent:" + lb)
    if not (labs & _ENT_ACTOR):
        f.append("NOENT")
    for h in hits:
        neg = ":NEG" if h.negated else ""
        f.append("cue:" + h.cue_id + neg)
        f.append("cuet:" + h.label + neg)
        if has_q:
            f.append("cueq:" + h.label)


@functools.lru_cache(maxsize=4)
def trigger_words(cues_dir: Path | None = None
                  ) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Claim type -> (lexicon classes, extra lemmas) whose words may stand as its trigger."""
    path = Path(cues_dir or DEFAULT_CUES_DIR) / "trigger_classes.json"
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ClaimflowError(f"{path}: cannot read trigger classes ({exc})") from None
    extra = raw.get("extra_words", {})
    return {k: (frozenset(v), frozenset(w.lower() for w in extra.get(k, ())))
            for k, v in raw.items() if isinstance(v, list)}


# ---------------------------------------------------------------------------- model
class ModelJson(ModelFile):
    """``model.json`` of the linear model."""

    format: int
    labels: list[str]
    thresholds: dict[str, float]
    bias: list[float]
    features: list[str]
    meta: dict[str, Any] = Field(default_factory=dict)


class ClaimModel:
    labels: tuple[str, ...]
    thresholds: dict[str, float]

    def __init__(self, vocab: dict[str, int], weights: np.ndarray, bias: np.ndarray,
                 thresholds: dict[str, float],
                 meta: dict | None = None, cues_dir: Path | None = None,
                 context: ContextModel | None = None):
        self.vocab = vocab
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.thresholds = dict(thresholds)
        self.labels = LABELS  # weight columns and outputs in CLAIM_TYPES order
        self.meta = meta or {}
        self.cues_dir = cues_dir
        self.context = context  # document-context layer over this model's probabilities
        self._cues: CueMatcher | None = None
        self._cues_vocab = None

    # --- cues are loaded lazily against the vocab of the first Doc we see
    def cue_matcher(self, vocab) -> CueMatcher:
        if self._cues is None or self._cues_vocab is not vocab:
            self._cues = CueMatcher.load(vocab, self.cues_dir)
            self._cues_vocab = vocab
        return self._cues

    def features(self, docs: list[Doc], mentions: list[list[ActorMention]]) -> list[list[str]]:
        return self.features_and_hits(docs, mentions)[0]

    def features_and_hits(
        self, docs: list[Doc], mentions: list[list[ActorMention]]
    ) -> tuple[list[list[str]], list[list[CueHit]]]:
        """Features per Doc, and the cue hits they were built from (reusable for triggers)."""
        if not docs:
            return [], []
        cm = self.cue_matcher(docs[0].vocab)
        feats, hits = [], []
        for d, m in zip(docs, mentions, strict=True):
            v = SentView.of(d)
            found = cm.hits(v)
            feats.append(featurize(v, m, found, cm))
            hits.append(found)
        return feats, hits

    def predict_proba(self, batch: SentenceBatch) -> np.ndarray:
        return self.proba_from_features(self.features(batch.docs, batch.mentions))

    def proba_from_features(self, feats: list[list[str]]) -> np.ndarray:
        vocab = self.vocab
        rows: list[int] = []
        cols: list[int] = []
        for i, fs in enumerate(feats):
            idx = {vocab[x] for x in fs if x in vocab}
            rows.extend([i] * len(idx))
            cols.extend(idx)
        z = np.tile(self.bias.astype(np.float64), (len(feats), 1))
        if cols:
            np.add.at(z, np.asarray(rows), self.weights[np.asarray(cols)].astype(np.float64))
        return sigmoid(z)

    def predict(self, batch: SentenceBatch) -> list[list[str]]:
        p = self.predict_proba(batch)
        th = np.array([self.thresholds[lb] for lb in self.labels])
        return [[lb for lb, on in zip(self.labels, row >= th, strict=True) if on] for row in p]

    def key_span(self, doc: Doc, label: str, max_tokens: int = 4) -> tuple[int, int] | None:
        """Char span (Doc-relative) of the words that weigh most for ``label`` in this
        model: per token, the weights of its word, lemma and lexicon-class features plus half
        of each dependency triple it is part of. The centre is the best-weighing word of the
        lexicon classes (or extra words) that ``trigger_classes.json`` allows for the label,
        widened to neighbours that weigh at least a third as much. None when no such word
        weighs for it."""
        j = self.labels.index(label)
        vocab, weights = self.vocab, self.weights

        def w(name: str) -> float:
            k = vocab.get(name)
            return float(weights[k, j]) if k is not None else 0.0

        cues = self.cue_matcher(doc.vocab)
        wc = cues.word_classes
        v = SentView.of(doc)
        lower, lemma, pos, dep, head = v.lower, v.lemma, v.pos, v.dep, v.head
        score = [0.0] * len(lower)
        for i in range(len(lower)):
            if pos[i] in ("PUNCT", "SPACE"):
                continue
            lm = lemma[i]
            score[i] += w(("w:" + lower[i]) if pos[i] in _SKIP_POS else ("l:" + lm))
            score[i] += sum(w("c:" + c) for c in wc.get(lm) or wc.get(lower[i]) or ())
            d, h = dep[i], head[i]
            if d in _DEP_KEEP and h != i:
                if d == "pobj" and dep[h] == "prep":
                    half = w("d:" + lemma[head[h]] + ">" + lower[h] + ">" + lm) / 2
                    h = head[h]
                else:
                    half = w("d:" + lemma[h] + ">" + d + ">" + lm) / 2
                score[i] += half
                score[h] += half
        # a trigger is a content word, not a name (the target) nor a reporting verb
        report = cues.lex["report_verbs"]
        ok = [pos[i] not in _NOT_TRIGGER_POS and lemma[i] not in report
              and (pos[i] != "PART" or dep[i] == "neg") for i in range(len(lower))]
        # ... and its centre a lexicon word of a class that can carry this claim type
        classes, extra = trigger_words(self.cues_dir).get(label, (frozenset(), frozenset()))
        centre = [i for i in range(len(lower)) if ok[i] and (
            lemma[i] in extra or classes.intersection(wc.get(lemma[i]) or wc.get(lower[i]) or ()))]
        best = max(centre, key=score.__getitem__, default=None)
        if best is None or score[best] <= 0:
            return None
        lo = hi = best
        floor = score[best] / 3
        while hi - lo + 1 < max_tokens:
            left = score[lo - 1] if lo > 0 and pos[lo - 1] != "PUNCT" else -1.0
            right = score[hi + 1] if hi + 1 < len(score) and pos[hi + 1] != "PUNCT" else -1.0
            if max(left, right) < floor:
                break
            if left >= right:
                lo -= 1
            else:
                hi += 1
        while lo < best and not ok[lo]:
            lo += 1
        while hi > best and not ok[hi]:
            hi -= 1
        return doc[lo].idx, doc[hi].idx + len(doc[hi])

    # --- persistence: model.json (vocab, thresholds, report) + weights.npy; no pickle
    def save(self, model_dir: Path) -> None:
        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        feats = sorted(self.vocab, key=self.vocab.__getitem__)
        meta = {
            "format": FORMAT_VERSION,
            "labels": list(self.labels),
            "thresholds": {k: round(float(v), 4) for k, v in self.thresholds.items()},
            "bias": [round(float(b), 6) for b in self.bias],
            "features": feats,
            "meta": self.meta,
        }
        (model_dir / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=0),
                                              encoding="utf-8")
        np.save(model_dir / "weights.npy", self.weights.astype(np.float32), allow_pickle=False)
        if self.context is not None:
            self.context.save(model_dir)
        else:
            (model_dir / CONTEXT_FILE).unlink(missing_ok=True)

    @classmethod
    def load(cls, model_dir: Path | None = None, cues_dir: Path | None = None) -> ClaimModel:
        """The model stored in ``model_dir`` (default: the shipped one). A file with a
        missing key or a value of the wrong type, length or shape raises ModelFileError
        naming the file and the key."""
        model_dir = Path(model_dir or DEFAULT_MODEL_DIR)
        if not model_dir.is_dir():
            raise ModelFileError(f"{model_dir}: claim model folder not found")
        meta_path, weights_path = model_dir / "model.json", model_dir / "weights.npy"
        meta = read_model_file(meta_path, ModelJson, "claim model")
        if meta.format != FORMAT_VERSION:
            raise ModelFileError(f"{meta_path}: unsupported model format {meta.format}")
        order = in_claim_type_order(meta.labels, str(meta_path))
        check_length(meta_path, "bias", meta.bias, len(meta.labels), "one per label")
        check_thresholds(meta_path, meta.thresholds)
        if len(set(meta.features)) != len(meta.features):
            raise ModelFileError(f"{meta_path}: 'features' lists a feature twice")
        try:
            weights = np.load(weights_path, allow_pickle=False)
        except (OSError, ValueError, EOFError) as exc:
            raise ModelFileError(f"{weights_path}: cannot load claim model ({exc})") from None
        want = (len(meta.features), len(meta.labels))
        if weights.shape != want:
            raise ModelFileError(f"{weights_path}: shape {weights.shape}, expected {want} "
                                 f"(features x labels of {meta_path.name})")
        if weights.dtype.kind not in "fiu" or not np.isfinite(weights).all():
            raise ModelFileError(f"{weights_path}: weights must be finite numbers "
                                 f"(dtype {weights.dtype})")
        vocab = {f: i for i, f in enumerate(meta.features)}
        return cls(vocab, weights[:, order], np.array(meta.bias)[order], meta.thresholds,
                   meta.meta, cues_dir, ContextModel.load(model_dir))

