"""Sentence claim classifier: sparse parse features + cue hits -> per-class logistic regression.

Prediction is plain numpy over a stored vocabulary (``model.json``) and weight matrix
(``weights.npy``); no pickle, no scikit-learn. Training (``train_model``) uses scikit-learn
and is deterministic for a given seed.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from claimflow.cues import CueHit, CueMatcher
from claimflow.docbridge import ActorMention
from claimflow.errors import ClaimflowError

log = logging.getLogger(__name__)

LABELS = ("denial", "accusation", "demand")
DEFAULT_MODEL_DIR = Path(__file__).parent / "data" / "model"
FORMAT_VERSION = 1

_SKIP_POS = frozenset({"PUNCT", "SPACE", "DET", "NUM", "SYM", "X"})
_DEP_KEEP = frozenset(
    {"nsubj", "nsubjpass", "dobj", "ccomp", "xcomp", "amod", "advmod", "neg", "acomp", "attr",
     "aux", "prep", "pobj", "agent", "dative", "advcl", "compound", "poss", "relcl", "acl",
     "conj", "appos", "npadvmod", "oprd", "pcomp", "mark", "auxpass"}
)
_FIRST = frozenset({"we", "i", "us", "our", "my"})
_QUOTES = frozenset({'"', "“", "”", "‘", "’", "'", "«", "»"})
_ENT_ACTOR = frozenset({"GPE", "ORG", "NORP", "PERSON", "LOC", "FAC"})


# ---------------------------------------------------------------------------- features
def featurize(doc: Doc, mentions: list[ActorMention], hits: list[CueHit], lex: dict) -> list[str]:
    """Feature names for one sentence (binary presence)."""
    f: list[str] = []
    add = f.append
    report_verbs = lex["report_verbs"]
    toks = [t for t in doc if t.pos_ not in ("PUNCT", "SPACE")]
    lem = [t.lemma_.lower() for t in toks]
    # lexical: lemma unigrams, lemma bigrams, lowercase words for function words
    for i, t in enumerate(toks):
        lm = lem[i]
        if t.pos_ not in _SKIP_POS:
            add("l:" + lm)
        else:
            add("w:" + t.lower_)
        if i:
            add("b:" + lem[i - 1] + "_" + lm)
    if toks:
        add("b:<s>_" + lem[0])
    # syntax: head-lemma / dep / child-lemma triples over content words
    root = None
    for t in doc:
        d = t.dep_
        if d == "ROOT":
            root = t
            continue
        if d in _DEP_KEEP and t.pos_ not in ("PUNCT", "SPACE"):
            h = t.head
            if d == "pobj" and h.dep_ == "prep":
                add("d:" + h.head.lemma_.lower() + ">" + h.lower_ + ">" + t.lemma_.lower())
            else:
                add("d:" + h.lemma_.lower() + ">" + d + ">" + t.lemma_.lower())
            if d == "neg":
                add("neg:" + h.lemma_.lower())
    has_q = any(t.text in _QUOTES for t in doc)
    if has_q:
        add("QUOTE")
    if root is not None:
        rl = root.lemma_.lower()
        add("root:" + rl)
        kids = list(root.children)
        comp = [c for c in kids if c.dep_ in ("ccomp", "xcomp")]
        subj = [c for c in kids if c.dep_ in ("nsubj", "nsubjpass")]
        if rl in report_verbs and comp:
            add("REPORT")
            c = comp[0]
            add("croot:" + c.lemma_.lower())
            for cc in c.children:
                if cc.dep_ in ("nsubj", "nsubjpass", "dobj", "acomp", "attr", "neg", "aux"):
                    add("cd:" + c.lemma_.lower() + ">" + cc.dep_ + ">" + cc.lemma_.lower())
        if subj:
            s = subj[0]
            add("rsubj:" + ("1p" if s.lower_ in _FIRST else s.pos_))
            if any(m.start <= s.i < m.end for m in mentions):
                add("rsubj:ENT")
            add("rsv:" + s.lemma_.lower() + ">" + rl)
        if root.tag_ == "VB" and not subj and root.i == next((t.i for t in toks), -1):
            add("IMPERATIVE")
        if any(c.dep_ == "nsubjpass" for c in kids):
            add("PASSIVE")
    # actors
    labs = {m.label for m in mentions}
    for lb in labs:
        add("ent:" + lb)
    if not (labs & _ENT_ACTOR):
        add("NOENT")
    # cue hits
    seen: set[str] = set()
    for h in hits:
        key = h.cue_id + (":NEG" if h.negated else "")
        if key not in seen:
            seen.add(key)
            add("cue:" + key)
        k2 = "cuet:" + h.label + (":NEG" if h.negated else "")
        if k2 not in seen:
            seen.add(k2)
            add(k2)
        if has_q:
            add("cueq:" + h.label)
    n = len(toks)
    add("len:" + ("s" if n < 10 else "m" if n < 25 else "l" if n < 45 else "xl"))
    add("BIAS")
    return f


# ---------------------------------------------------------------------------- model
class ClaimModel:
    labels: tuple[str, ...]
    thresholds: dict[str, float]

    def __init__(self, vocab: dict[str, int], weights: np.ndarray, bias: np.ndarray,
                 thresholds: dict[str, float], labels: tuple[str, ...] = LABELS,
                 meta: dict | None = None, cues_dir: Path | None = None):
        self.vocab = vocab
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.thresholds = dict(thresholds)
        self.labels = tuple(labels)
        self.meta = meta or {}
        self.cues_dir = cues_dir
        self._cues: CueMatcher | None = None
        self._cues_vocab = None

    # --- cues are loaded lazily against the vocab of the first Doc we see
    def cue_matcher(self, vocab) -> CueMatcher:
        if self._cues is None or self._cues_vocab is not vocab:
            self._cues = CueMatcher.load(vocab, self.cues_dir)
            self._cues_vocab = vocab
        return self._cues

    def features(self, docs: list[Doc], mentions: list[list[ActorMention]]) -> list[list[str]]:
        if not docs:
            return []
        cm = self.cue_matcher(docs[0].vocab)
        return [featurize(d, m, cm.hits(d), cm.lex) for d, m in zip(docs, mentions, strict=True)]

    def predict_proba(self, docs: list[Doc], mentions: list[list[ActorMention]]) -> np.ndarray:
        feats = self.features(docs, mentions)
        return self.proba_from_features(feats)

    def proba_from_features(self, feats: list[list[str]]) -> np.ndarray:
        out = np.empty((len(feats), len(self.labels)), dtype=np.float64)
        vocab, w = self.vocab, self.weights
        for i, fs in enumerate(feats):
            idx = {vocab[x] for x in fs if x in vocab}
            z = self.bias + (w[list(idx)].sum(axis=0) if idx else 0.0)
            out[i] = z
        return 1.0 / (1.0 + np.exp(-out))

    def predict(self, docs: list[Doc], mentions: list[list[ActorMention]]) -> list[list[str]]:
        p = self.predict_proba(docs, mentions)
        th = np.array([self.thresholds[lb] for lb in self.labels])
        return [[lb for lb, on in zip(self.labels, row >= th) if on] for row in p]

    def explain(self, doc: Doc, mentions: list[ActorMention], label: str, k: int = 5):
        """Top positive feature contributions for ``label`` (for debugging and fallback)."""
        cm = self.cue_matcher(doc.vocab)
        j = self.labels.index(label)
        fs = set(featurize(doc, mentions, cm.hits(doc), cm.lex))
        contrib = [(float(self.weights[self.vocab[x], j]), x) for x in fs if x in self.vocab]
        contrib.sort(reverse=True)
        return contrib[:k]

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

    @classmethod
    def load(cls, model_dir: Path | None = None, cues_dir: Path | None = None) -> ClaimModel:
        model_dir = Path(model_dir or DEFAULT_MODEL_DIR)
        try:
            meta = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))
            weights = np.load(model_dir / "weights.npy", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ClaimflowError(f"{model_dir}: cannot load claim model ({exc})") from None
        if meta.get("format") != FORMAT_VERSION:
            raise ClaimflowError(f"{model_dir}: unsupported model format {meta.get('format')}")
        feats = meta["features"]
        if weights.shape != (len(feats), len(meta["labels"])):
            raise ClaimflowError(f"{model_dir}: weights do not match the feature list")
        vocab = {f: i for i, f in enumerate(feats)}
        return cls(vocab, weights, np.array(meta["bias"]), meta["thresholds"],
                   tuple(meta["labels"]), meta.get("meta", {}), cues_dir)


# ---------------------------------------------------------------------------- training
def _matrix(feats: list[list[str]], vocab: dict[str, int]):
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    for i, fs in enumerate(feats):
        idx = sorted({vocab[x] for x in fs if x in vocab})
        rows.extend([i] * len(idx))
        cols.extend(idx)
    data = np.ones(len(rows), dtype=np.float64)
    return csr_matrix((data, (rows, cols)), shape=(len(feats), len(vocab)))


def _build_vocab(feats: list[list[str]], min_df: int) -> dict[str, int]:
    from collections import Counter

    df = Counter(x for fs in feats for x in set(fs))
    keep = sorted(x for x, c in df.items() if c >= min_df and x != "BIAS")
    return {x: i for i, x in enumerate(keep)}


def fit_weights(feats: list[list[str]], y: np.ndarray, C: float | list[float], min_df: int = 2,
                seed: int = 0):
    """One L2 logistic regression per label; returns (vocab, weights, bias)."""
    from sklearn.linear_model import LogisticRegression

    vocab = _build_vocab(feats, min_df)
    X = _matrix(feats, vocab)
    Cs = C if isinstance(C, list | tuple) else [C] * y.shape[1]
    W = np.zeros((len(vocab), y.shape[1]), dtype=np.float64)
    b = np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        clf = LogisticRegression(C=Cs[j], solver="liblinear", random_state=seed, max_iter=2000,
                                 class_weight="balanced")
        clf.fit(X, y[:, j])
        W[:, j] = clf.coef_[0]
        b[j] = clf.intercept_[0]
    # drop features with no weight anywhere to keep the artifact small
    keep = np.flatnonzero(np.abs(W).max(axis=1) > 1e-6)
    inv = sorted(vocab, key=vocab.__getitem__)
    vocab = {inv[k]: n for n, k in enumerate(keep)}
    return vocab, W[keep].astype(np.float32), b


def _f1(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float]:
    tp = float((y & p).sum())
    prec = tp / max(p.sum(), 1)
    rec = tp / max(y.sum(), 1)
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def best_threshold(y: np.ndarray, prob: np.ndarray) -> float:
    """Threshold maximizing F1 on out-of-fold probabilities (grid, ties -> closest to 0.5)."""
    grid = np.round(np.arange(0.2, 0.81, 0.025), 3)
    scores = [(_f1(y.astype(bool), prob >= t)[2], -abs(t - 0.5), t) for t in grid]
    return float(max(scores)[2])


def grouped_folds(groups: list[str], k: int = 5, seed: int = 0) -> list[np.ndarray]:
    """Deterministic group k-fold: groups shuffled with ``seed`` then dealt by size."""
    rng = np.random.RandomState(seed)
    uniq = sorted(set(groups))
    rng.shuffle(uniq)
    sizes = {g: groups.count(g) for g in uniq}
    order = sorted(uniq, key=lambda g: -sizes[g])
    load = [0] * k
    assign = {}
    for g in order:
        j = int(np.argmin(load))
        assign[g] = j
        load[j] += sizes[g]
    ga = np.array([assign[g] for g in groups])
    return [np.flatnonzero(ga == j) for j in range(k)]


def cross_validate(feats: list[list[str]], Y: np.ndarray, groups: list[str], C, min_df: int = 2,
                   seed: int = 0, k: int = 5) -> np.ndarray:
    """Out-of-fold probabilities (n, n_labels)."""
    oof = np.zeros(Y.shape, dtype=np.float64)
    for test in grouped_folds(groups, k, seed):
        mask = np.ones(len(feats), bool)
        mask[test] = False
        tr = [feats[i] for i in np.flatnonzero(mask)]
        vocab, W, b = fit_weights(tr, Y[mask], C, min_df, seed)
        m = ClaimModel(vocab, W, b, dict.fromkeys(LABELS, 0.5))
        oof[test] = m.proba_from_features([feats[i] for i in test])
    return oof


def report(Y: np.ndarray, P: np.ndarray, labels=LABELS) -> dict:
    out = {}
    for j, lb in enumerate(labels):
        p, r, f = _f1(Y[:, j].astype(bool), P[:, j].astype(bool))
        out[lb] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                   "support": int(Y[:, j].sum())}
    out["macro_f1"] = round(float(np.mean([out[lb]["f1"] for lb in labels])), 4)
    return out


def label_matrix(labels: list[list[str]]) -> np.ndarray:
    return np.array([[lb in ls for lb in LABELS] for ls in labels], dtype=np.int64)


DEFAULT_C = [0.3, 0.3, 0.3]


def train_model(docs: list[Doc], mentions: list[list[ActorMention]], labels: list[list[str]],
                groups: list[str], seed: int = 0, C=None, min_df: int = 2,
                cues_dir: Path | None = None) -> tuple[ClaimModel, dict]:
    """Fit on all data; thresholds from grouped 5-fold out-of-fold probabilities."""
    C = list(C or DEFAULT_C)
    shell = ClaimModel({}, np.zeros((0, 3)), np.zeros(3), dict.fromkeys(LABELS, 0.5),
                       cues_dir=cues_dir)
    feats = shell.features(docs, mentions)
    Y = label_matrix(labels)
    oof = cross_validate(feats, Y, groups, C, min_df, seed)
    th = {lb: best_threshold(Y[:, j], oof[:, j]) for j, lb in enumerate(LABELS)}
    P05 = (oof >= 0.5).astype(int)
    Pth = np.column_stack([oof[:, j] >= th[lb] for j, lb in enumerate(LABELS)]).astype(int)
    # nested: thresholds chosen on the other folds' OOF probabilities (honest estimate)
    Pn = np.zeros_like(Y)
    for test in grouped_folds(groups, 5, seed):
        mask = np.ones(len(Y), bool)
        mask[test] = False
        for j in range(len(LABELS)):
            t = best_threshold(Y[mask, j], oof[mask, j])
            Pn[test, j] = oof[test, j] >= t
    rep = {
        "cv_at_0.5": report(Y, P05),
        "cv_tuned_thresholds_optimistic": report(Y, Pth),
        "cv_nested_thresholds": report(Y, Pn),
        "thresholds": th,
        "C": C,
        "min_df": min_df,
        "seed": seed,
        "n_train": len(docs),
    }
    vocab, W, b = fit_weights(feats, Y, C, min_df, seed)
    model = ClaimModel(vocab, W, b, th, LABELS, {"cv": rep}, cues_dir)
    return model, rep
