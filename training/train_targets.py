"""Train the target ranker of ``claimflow.attribution`` and measure it.

    PYTHONPATH=src .venv/bin/python training/train_targets.py [--no-save]

Parses ``train.jsonl``, ``train2.jsonl``, ``train3.jsonl`` and ``seeds.jsonl`` once with the
real tag stage (``parse_gold``) and caches the frames in ``training/cache/tgt_<name>/``.
Candidates and features come from ``attribution.target_candidates``; a candidate is positive
when it matches the gold target (``evaluation.target_matches``). Logistic regression (sklearn)
is fitted in two rounds: round 1 with the gold previous target as context, round 2 with the
context the ranker itself predicts (out of fold), as in the pipeline. Reports grouped 5-fold
CV accuracy by doc_id on train + train2 + train3 (doc ids are disjoint across the files;
checked) and seeds accuracy (reported only, never tuned on), then writes the model trained on
all of the training files as plain JSON to ``src/claimflow/data/target_model.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimflow.actors.gazetteer import Gazetteer  # noqa: E402
from claimflow.claims import attribution as attribution  # noqa: E402
from claimflow.claims.attribution import (  # noqa: E402
    AttributionData,
    find_reported_speaker,
    sentence_speaker,
    target_candidates,
)
from claimflow.claims.cues import CueMatcher  # noqa: E402
from claimflow.config import Settings  # noqa: E402
from claimflow.nlp.docs import speaker_lookup  # noqa: E402
from claimflow.stages.classify import rebuild  # noqa: E402
from claimflow.training.evaluation import _ordered, load_gold, parse_gold, target_matches  # noqa: E402

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
DATA = AttributionData.load()  # the shipped word lists; main() applies the options
CACHE = ROOT / "training" / "cache"
OUT = ROOT / "src" / "claimflow" / "data" / "target_model.json"
FRAMES = ("documents", "sentences", "entities", "tokens")
# Training files: grouped CV by doc_id over all of them (their doc ids are disjoint:
# t*, u*, v*; sentences_of checks it). seeds.jsonl is only ever reported, never tuned on.
TRAIN_FILES = ("train", "train2", "train3")
EXTRA = ROOT / "training" / "gold4" / "train4.jsonl"  # --extra: training side of every fold


def parsed(name: str, settings: Settings):
    d = CACHE / f"tgt_{name}"
    gold = load_gold(EXTRA if name == "train4" else GOLD / f"{name}.jsonl")
    if not all((d / f"{f}.parquet").exists() for f in FRAMES):
        d.mkdir(parents=True, exist_ok=True)
        for f, df in zip(FRAMES, parse_gold(gold, settings), strict=True):
            df.to_parquet(d / f"{f}.parquet")
    return gold, [pd.read_parquet(d / f"{f}.parquet") for f in FRAMES]


UNCODED_LABELS = attribution.UNCODED_PARTY_LABELS


def doc_actor_counts(mentions_by_doc: dict[str, list], docs_by_doc: dict[str, list]
                     ) -> dict[str, Counter]:
    """What the classify stage passes as ``doc_actors`` (``attribution.document_actors``):
    (text, code) of every coded, non-SELF mention of the document (the speaker is excluded
    inside find_target), (text, None) of its uncoded organisations and persons, and the
    parties that author a claim."""
    return {d: attribution.document_actors(mss, UNCODED_LABELS, docs_by_doc[d], DATA)
            for d, mss in mentions_by_doc.items()}


FRESH_SPEAKERS = True


def sentences_of(name: str, settings: Settings) -> list[dict]:
    gold, (documents, sentences, entities, tokens) = parsed(name, settings)
    if FRESH_SPEAKERS:  # the cache holds the speakers of the day it was parsed
        from claimflow.actors.speaker import find_speaker

        gaz = Gazetteer.load(settings.tag.actors_dir)
        found = [find_speaker(t, gaz) for t in documents["text"]]
        documents = documents.assign(speaker=[f[0] for f in found],
                                     speaker_code=[f[1] for f in found])
    cues = CueMatcher.load(__import__("spacy").blank("en").vocab, settings.classify.cues)
    english, docs, mentions = rebuild(cues.vocab, sentences, tokens, entities)
    ordered = _ordered(gold, english)
    who = speaker_lookup(documents)
    by_doc: dict[str, list] = {}
    docs_by_doc: dict[str, list] = {}
    for row, doc, ms in zip(english.itertuples(index=False), docs, mentions, strict=True):
        by_doc.setdefault(row.doc_id, []).append(ms)
        docs_by_doc.setdefault(row.doc_id, []).append(doc)
    counts = doc_actor_counts(by_doc, docs_by_doc)
    out = []
    for row, doc, ms, g in zip(english.itertuples(index=False), docs, mentions, ordered,
                               strict=True):
        ds = who.get(row.doc_id, {})
        _, sc = sentence_speaker(find_reported_speaker(doc, ms, DATA), ds, ms, DATA)
        trig = cues.triggers(doc)
        out.append(dict(doc_id=row.doc_id, doc=doc, mentions=ms, labels=list(g.labels),
                        target=g.target, speaker_code=sc or ds.get("speaker_code"),
                        doc_speaker_code=ds.get("speaker_code"),
                        triggers={t: (trig.get(t) or [None])[0] for t in g.labels},
                        doc_actors=counts[row.doc_id], text=g.text))
    return out


# ---------------------------------------------------------------------------- model
def fit(X: list[list[str]], y: list[int], C: float) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    Xm = vec.fit_transform([{f: 1.0 for f in fs} for fs in X])
    lr = LogisticRegression(C=C, max_iter=2000, fit_intercept=False)
    lr.fit(Xm, np.asarray(y))
    w = {name: float(v) for name, v in zip(vec.feature_names_, lr.coef_[0], strict=True)
         if abs(v) > 1e-6}
    return {"bias": 0.0, "weights": w, "threshold": -1e9}


def fit_softmax(X, y, groups, C: float) -> dict:
    """Conditional logit: softmax over each sentence's candidates (groups with a positive)."""
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction import DictVectorizer

    vec = DictVectorizer()
    Xm = csr_matrix(vec.fit_transform([{f: 1.0 for f in fs} for fs in X]))
    y = np.asarray(y, dtype=float)
    g = np.asarray(groups)
    keep_groups = {k for k in set(groups) if y[g == k].sum() > 0}
    mask = np.array([k in keep_groups for k in groups])
    Xm, y, g = Xm[mask], y[mask], g[mask]
    _, gidx = np.unique(g, return_inverse=True)
    ng = gidx.max() + 1
    from scipy.sparse import csr_matrix as M
    G = M((np.ones(len(gidx)), (gidx, np.arange(len(gidx)))), shape=(ng, len(gidx)))
    pos = y / np.asarray(G.T @ (G @ y)).ravel()  # spread target mass over positives
    lam = 1.0 / C

    def f(w):
        s = Xm @ w
        mx = np.zeros(ng)
        np.maximum.at(mx, gidx, s)
        e = np.exp(s - mx[gidx])
        z = G @ e
        p = e / z[gidx]
        loss = -(pos * np.log(p + 1e-12)).sum() + 0.5 * lam * w @ w
        grad = Xm.T @ (p - pos) + lam * w
        return loss, grad

    res = minimize(f, np.zeros(Xm.shape[1]), jac=True, method="L-BFGS-B",
                   options={"maxiter": 500})
    w = {name: float(v) for name, v in zip(vec.feature_names_, res.x, strict=True)
         if abs(v) > 1e-6}
    return {"bias": 0.0, "weights": w, "threshold": -1e9}


def examples(sents, contexts, gaz, with_groups=False):
    X, y, groups = [], [], []
    for s, ctx in zip(sents, contexts, strict=True):
        if not s["labels"] or not s["target"]:
            continue
        for ct in s["labels"]:
            # with and (AUGMENT) without doc_actors, so the model works when not passed
            for da in (s["doc_actors"], None) if AUGMENT else (s["doc_actors"],):
                cands = target_candidates(s["doc"], ct, s["mentions"], s["triggers"][ct],
                                          ctx[0], s["speaker_code"], da, DATA)
                for c in cands:
                    X.append(c.features)
                    y.append(int(target_matches(s["target"], c.text, c.code, gaz)))
                    groups.append(f"{id(s)}:{ct}:{da is None}")
    return (X, y, groups) if with_groups else (X, y)


def decode(sents, predict, use_doc_actors=True):
    """Sequential decoding per document (the context is the previous prediction, the
    previous targets count all predictions so far). Returns per sentence:
    ((context used, previous targets), {claim type: (text, code)})."""
    ctx: dict[str, tuple] = {}
    prev: dict[str, Counter] = {}
    out = []
    for s in sents:
        first = (ctx.get(s["doc_id"]), Counter(prev.get(s["doc_id"], Counter())))
        preds = {}
        for ct in s["labels"]:  # as in classify_sentences: context updated per claim
            c = ctx.get(s["doc_id"])
            p = Counter(prev.get(s["doc_id"], Counter()))
            t = predict(s, ct, (c, p), s["doc_actors"] if use_doc_actors else None)
            preds[ct] = t
            if t[0]:
                ctx[s["doc_id"]] = t
                prev.setdefault(s["doc_id"], Counter())[t] += 1
        out.append((first, preds))
    return out


def accuracy(sents, decoded, gaz, errors=None):
    first = anyl = total = 0
    for s, (_, preds) in zip(sents, decoded, strict=True):
        if not s["labels"] or not s["target"]:
            continue
        total += 1
        ok = [target_matches(s["target"], *preds[ct], gaz) for ct in s["labels"]]
        first += ok[0]
        anyl += any(ok)
        if errors is not None and not ok[0]:
            errors.append((s["doc_id"], s["labels"][0], s["target"], preds[s["labels"][0]],
                           s["text"]))
    return first / total, anyl / total, total


def model_predictor(model):
    def predict(s, ct, ctx, doc_actors):
        return _find(s, ct, ctx, doc_actors, model)
    return predict


def _find(s, ct, ctxp, doc_actors, model):
    ctx, prev = ctxp
    cands = target_candidates(s["doc"], ct, s["mentions"], s["triggers"][ct], ctx,
                              s["speaker_code"], doc_actors, DATA)
    if cands:
        best = max(cands, key=lambda c: attribution.score_candidate(c, model))
        if attribution.score_candidate(best, model) >= model["threshold"]:
            return best.text, best.code
    if ctx is not None and ctx[0]:
        return ctx
    top = attribution._doc_top(doc_actors, attribution._state(s["speaker_code"]), DATA)
    return (top[0][0], top[0][1]) if top else (None, None)


def error_classes(sents, decoded, gaz, examples: dict | None = None) -> Counter:
    """The misses of the first label by cause: the gold party is no candidate (generic
    parties such as "the international community" counted apart), the speaker's own side
    was chosen (the wrong side of a reported exchange), the document speaker is wrong
    (targets inherited from it), or another candidate won."""
    gold_speakers = {}
    for line in open(GOLD / "speakers.jsonl", encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            gold_speakers[r["doc_id"]] = set(r["speaker_codes"])
    generic = DATA.parties.get("generic_parties", frozenset())
    out: Counter = Counter()
    for s, (ctx, preds) in zip(sents, decoded, strict=True):
        if not s["labels"] or not s["target"]:
            continue
        ct = s["labels"][0]
        text, code = preds[ct]
        if target_matches(s["target"], text, code, gaz):
            continue
        cands = target_candidates(s["doc"], ct, s["mentions"], s["triggers"][ct], ctx[0],
                                  s["speaker_code"], s["doc_actors"], DATA)
        reachable = any(target_matches(s["target"], c.text, c.code, gaz) for c in cands)
        own = attribution._state(s["speaker_code"])
        doc_speaker = s["doc_speaker_code"]
        if attribution._norm(s["target"]) in generic or "international community" in \
                s["target"].lower():
            cause = "generic party (gold)"
        elif doc_speaker not in gold_speakers.get(s["doc_id"], {doc_speaker}):
            cause = "document speaker wrong"
        elif own and attribution._state(code) == own:
            cause = "speaker's own side chosen"
        elif not reachable:
            cause = "gold party not a candidate"
        elif code is None and text:
            cause = "uncoded party chosen"
        else:
            cause = "other candidate chosen"
        out[cause] += 1
        if examples is not None:
            examples.setdefault(cause, []).append((s["doc_id"], s["target"], (text, code),
                                                   s["speaker_code"], s["text"][:160]))
    return out


def folds(sents, k=5, seed=0):
    docs = sorted({s["doc_id"] for s in sents})
    rng = np.random.default_rng(seed)
    rng.shuffle(docs)
    return [set(docs[i::k]) for i in range(k)]


LOSS = "binary"
AUGMENT = True


def train_model(sents, contexts, gaz, C):
    X, y, groups = examples(sents, contexts, gaz, with_groups=True)
    if LOSS == "softmax":
        return fit_softmax(X, y, groups, C)
    return fit(X, y, C)


def gold_contexts(sents, gaz):
    prev: dict[str, tuple] = {}
    counts: dict[str, Counter] = {}
    out = []
    for s in sents:
        out.append((prev.get(s["doc_id"]), Counter(counts.get(s["doc_id"], Counter()))))
        if s["labels"] and s["target"]:
            t = (s["target"], gaz.normalise(s["target"], "ORG")[1])
            prev[s["doc_id"]] = t
            counts.setdefault(s["doc_id"], Counter())[t] += len(s["labels"])
    return out


def cv(sents, gaz, C, k=5, seed=0, rounds=2, threshold=-1e9, extra=()):
    """Out-of-fold sequential decoding; returns decoded list aligned with sents.
    ``extra`` sentences join the training side of every fold (with their gold contexts)."""
    contexts = gold_contexts(sents, gaz)
    extra_contexts = gold_contexts(list(extra), gaz)
    decoded = None
    for _ in range(rounds):
        decoded = [None] * len(sents)
        for test in folds(sents, k, seed):
            tr = [i for i, s in enumerate(sents) if s["doc_id"] not in test]
            te = [i for i, s in enumerate(sents) if s["doc_id"] in test]
            model = train_model([sents[i] for i in tr] + list(extra),
                                [contexts[i] for i in tr] + extra_contexts, gaz, C)
            model["threshold"] = threshold
            dec = decode([sents[i] for i in te], model_predictor(model))
            for i, d in zip(te, dec, strict=True):
                decoded[i] = d
        contexts = [d[0] for d in decoded]
    return decoded, contexts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--C", type=float, default=None)
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--hard-own", action="store_true",
                    help="never let the speaker's own state be a candidate (old behaviour)")
    ap.add_argument("--loss", choices=("softmax", "binary"), default="binary")
    ap.add_argument("--no-glem", action="store_true")
    ap.add_argument("--no-augment", action="store_true")
    ap.add_argument("--n-doc", type=int, default=2)
    ap.add_argument("--n-uncoded", type=int, default=1,
                    help="uncoded document parties offered as candidates (0: none)")
    ap.add_argument("--uncoded-labels",
                    default=",".join(sorted(attribution.UNCODED_PARTY_LABELS)),
                    help="mention labels of the uncoded parties passed in doc_actors")
    ap.add_argument("--no-objects", action="store_true",
                    help="no doc_object features (parties accused or addressed elsewhere)")
    ap.add_argument("--n-sources", type=int, default=2,
                    help="claim-authoring document parties offered as candidates (0: none)")
    ap.add_argument("--no-sources", action="store_true",
                    help="no claim_source features (parties that author a claim)")
    ap.add_argument("--extra", action="store_true",
                    help="add training/gold4/train4.jsonl to every fold's training side and "
                         "to the final model")
    ap.add_argument("--cached-speakers", action="store_true",
                    help="document speakers as cached by the parse, not found afresh")
    args = ap.parse_args()
    global LOSS, AUGMENT, UNCODED_LABELS, FRESH_SPEAKERS
    FRESH_SPEAKERS = not args.cached_speakers
    UNCODED_LABELS = frozenset(x for x in args.uncoded_labels.split(",") if x)
    LOSS = args.loss
    AUGMENT = not args.no_augment
    global DATA
    DATA = dataclasses.replace(DATA, governing_lemmas=not args.no_glem,
                               doc_candidates=args.n_doc, hard_own=args.hard_own,
                               doc_uncoded=args.n_uncoded,
                               claim_sources=not args.no_sources,
                               doc_sources=args.n_sources,
                               doc_objects=not args.no_objects)
    settings = Settings()
    gaz = Gazetteer.load(settings.tag.actors_dir)
    t0 = time.time()
    per_file = {name: sentences_of(name, settings) for name in TRAIN_FILES}
    ids = [{s["doc_id"] for s in ss} for ss in per_file.values()]
    assert sum(map(len, ids)) == len(set().union(*ids)), "doc ids collide across train files"
    train = [s for ss in per_file.values() for s in ss]
    extra = sentences_of("train4", settings) if args.extra else []
    seeds = sentences_of("seeds", settings)
    n_docs = Counter(s["doc_id"] for s in train)
    assert not {s["doc_id"] for s in seeds} & set(n_docs), "seeds doc ids collide with train"
    print(f"loaded {len(train)} train / {len(seeds)} seeds sentences in {time.time()-t0:.1f}s")

    grid = [args.C] if args.C else [0.03, 0.1, 0.3, 1.0]
    best = None
    for C in grid:
        decoded, _ = cv(train, gaz, C, extra=extra)
        a1, a2, n = accuracy(train, decoded, gaz)
        print(f"CV C={C}: first-label {a1:.3f}  any-label {a2:.3f}  (n={n})")
        if best is None or a1 > best[1]:
            best = (C, a1)
    C = best[0]
    decoded, contexts = cv(train, gaz, C, extra=extra)
    for cause, n in error_classes(train, decoded, gaz).most_common():
        print(f"miss: {cause:30s} {n}")
    if args.errors:
        errs: list = []
        accuracy(train, decoded, gaz, errs)
        for e in errs[: args.errors]:
            print("ERR", e)
        kinds = Counter()
        for s_, (ctx, preds) in zip(train, decoded, strict=True):
            if not s_["labels"] or not s_["target"]:
                continue
            ct = s_["labels"][0]
            cands = target_candidates(s_["doc"], ct, s_["mentions"], s_["triggers"][ct], ctx[0],
                                      s_["speaker_code"], s_["doc_actors"], DATA)
            good = sorted({c.kind for c in cands
                           if target_matches(s_["target"], c.text, c.code, gaz)})
            chosen = [c.kind for c in cands if (c.text, c.code) == preds[ct]][:1]
            ok = target_matches(s_["target"], *preds[ct], gaz)
            kinds[(ok, tuple(chosen), tuple(good))] += 1
        for k, v in kinds.most_common(25):
            print("KIND", k, v)
    model = train_model(train + extra, contexts + gold_contexts(extra, gaz), gaz, C)
    files = [*TRAIN_FILES, *(["train4"] if extra else [])]
    model.update({"C": C, "trained_on": "+".join(f"{n}.jsonl" for n in files), "loss": LOSS,
                  "cv_accuracy": round(best[1], 4)})
    a1, a2, n = accuracy(train, decode(train, model_predictor(model)), gaz)
    print(f"final model train (in-sample): first-label {a1:.3f}  any-label {a2:.3f}")
    for name, ss in (("seeds", seeds),):
        a1, a2, n = accuracy(ss, decode(ss, model_predictor(model)), gaz)
        print(f"final model {name}: first-label {a1:.3f}  any-label {a2:.3f}  (n={n})")
        a1, a2, n = accuracy(ss, decode(ss, model_predictor(model), use_doc_actors=False), gaz)
        print(f"final model {name} without doc_actors: first-label {a1:.3f}  any-label {a2:.3f}")
    if not args.no_save:
        model["weights"] = {k: round(v, 5) for k, v in sorted(model["weights"].items())}
        OUT.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print("wrote", OUT, len(model["weights"]), "weights")


if __name__ == "__main__":
    main()
