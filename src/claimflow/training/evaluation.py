"""Gold data in the guidelines' JSONL format: run the real pipeline on it, score, train."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from claimflow.config import Settings
from claimflow.contract.schemas import CLAIM_TYPES
from claimflow.errors import ClaimflowError


@dataclass(frozen=True)
class GoldSentence:
    doc_id: str
    sent_index: int
    text: str
    labels: tuple[str, ...]
    target: str | None


def load_gold(path: Path) -> list[GoldSentence]:
    """Read and validate a gold JSONL file; one clear error naming the bad line."""
    path = Path(path)
    if not path.exists():
        raise ClaimflowError(f"{path}: gold file not found")
    records = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                labels = tuple(r.get("labels") or ())
                bad = set(labels) - set(CLAIM_TYPES)
                if bad:
                    raise ValueError(f"unknown labels {sorted(bad)}")
                records.append(
                    GoldSentence(str(r["doc_id"]), int(r.get("sent_index", n)), str(r["text"]),
                                 labels, r.get("target"))
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise ClaimflowError(f"{path}:{n}: not a gold record ({exc})") from None
    if not records:
        raise ClaimflowError(f"{path}: no gold records")
    return records


def gold_frames(gold: list[GoldSentence]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pseudo-documents (sentences joined by a space) and their sentence table."""
    docs: dict[str, list[GoldSentence]] = {}
    for g in gold:
        docs.setdefault(g.doc_id, []).append(g)
    doc_rows, sent_rows = [], []
    for doc_id, sents in docs.items():
        sents = sorted(sents, key=lambda g: g.sent_index)
        pos, parts = 0, []
        for i, g in enumerate(sents):
            sent_rows.append(
                {"doc_id": doc_id, "sent_id": i, "start_char": pos,
                 "end_char": pos + len(g.text), "text": g.text, "lang": "en",
                 "sent_index": g.sent_index}
            )
            parts.append(g.text)
            pos += len(g.text) + 1
        doc_rows.append({"doc_id": doc_id, "text": " ".join(parts)})
    return pd.DataFrame(doc_rows), pd.DataFrame(sent_rows)


def parse_gold(gold: list[GoldSentence], settings: Settings):
    """Run ingest's speaker finder and the tag stage over gold sentences."""
    from claimflow.actors.gazetteer import Gazetteer, tagging_pipeline
    from claimflow.actors.speaker import find_speaker
    from claimflow.stages.tag import tag_sentences

    documents, sentences = gold_frames(gold)
    gazetteer = Gazetteer.load(settings.tag.actors_dir)
    found = [find_speaker(t, gazetteer) for t in documents["text"]]
    documents["speaker"] = [s for s, _ in found]
    documents["speaker_code"] = [c for _, c in found]
    nlp = tagging_pipeline(settings)
    entities, tokens = tag_sentences(
        sentences, documents, nlp, gazetteer, settings.nlp.batch_size
    )
    return documents, sentences, entities, tokens


def _match_key(text: str | None) -> str:
    text = (text if isinstance(text, str) else "").lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"^(the|its|their)\s+", "", text.strip())
    return re.sub(r"\W+", " ", text).strip()


_PREPOSITION = re.compile(r"\s+(?:of|in|from|for)\s+", re.I)


@functools.lru_cache(maxsize=8192)
def gold_party_code(gold: str, gazetteer) -> str | None:
    """The actor code of a gold target written as text: the gazetteer's, or, for a phrase
    headed by an official or state noun ("US side", "Malian transitional authorities",
    "leader of the US delegation", ``official_heads`` and ``state_heads`` of
    ``parties.json``) that names exactly one state, that state: the external scorer counts
    officials, forces and capitals as their state."""
    code = gazetteer.normalise(gold, "ORG")[1]
    if code:
        return code
    head = _PREPOSITION.split(gold.strip())[0].split()
    if not head or head[-1].lower() not in _state_heads():
        return None
    states = {gazetteer.state_of(e.ent_id_) for e in gazetteer.blank_nlp()(gold).ents
              if e.ent_id_}
    states.discard(None)
    return states.pop() if len(states) == 1 else None


@functools.lru_cache(maxsize=1)
def _state_heads() -> frozenset[str]:
    from claimflow.claims.attribution import AttributionData

    parties = AttributionData.load().parties
    return parties["official_heads"] | parties["state_heads"]


def target_matches(gold: str, pred: str | None, pred_code: str | None, gazetteer) -> bool:
    """A predicted target is right when its text or its actor code matches the gold party.
    As in the external scorer, officials, forces and capitals count as their state: codes
    match on their state part ("TUR-GOV" ~ "TUR"); bodies and NGOs need the same code."""
    if not pred:
        return False
    g, p = _match_key(gold), _match_key(pred)
    if g == p or (len(p) > 3 and (p in g or g in p)):
        return True
    if isinstance(pred_code, str) and pred_code:  # a claims frame holds NaN for none
        gold_code = gold_party_code(gold, gazetteer)
        if gold_code == pred_code:
            return True
        state = gazetteer.state_of(gold_code)
        return state is not None and state == gazetteer.state_of(pred_code)
    return False


def score(gold: list[GoldSentence], sentences: pd.DataFrame, claims: pd.DataFrame,
          gazetteer) -> dict:
    """Per-class P/R/F1, macro-F1, target accuracy and the worst errors."""
    precision_recall_fscore_support = _sklearn("evaluate").precision_recall_fscore_support
    key = list(zip(sentences["doc_id"], sentences["sent_id"], strict=True))
    by_key = {k: g for k, g in zip(key, _ordered(gold, sentences), strict=True)}
    predicted: dict[tuple, dict[str, dict]] = {}
    for row in claims.itertuples(index=False):
        predicted.setdefault((row.doc_id, row.sent_id), {})[row.claim_type] = row._asdict()
    keys = list(by_key)
    shape = (len(keys), len(CLAIM_TYPES))
    gold_labels = np.array([[t in by_key[k].labels for t in CLAIM_TYPES] for k in keys],
                           bool).reshape(shape)
    found = np.array([[t in predicted.get(k, {}) for t in CLAIM_TYPES] for k in keys],
                     bool).reshape(shape)
    precision, recall, f1, support = precision_recall_fscore_support(
        gold_labels, found, average=None, labels=range(len(CLAIM_TYPES)), zero_division=0)
    per_class = {t: {"precision": float(precision[j]), "recall": float(recall[j]),
                     "f1": float(f1[j]), "support": int(support[j])}
                 for j, t in enumerate(CLAIM_TYPES)}
    errors = []
    for j, t in enumerate(CLAIM_TYPES):
        for n in np.flatnonzero(gold_labels[:, j] != found[:, j]):
            k, g, p = keys[n], by_key[keys[n]], bool(found[n, j])
            conf = predicted.get(k, {}).get(t, {}).get("confidence", 0.0)
            errors.append({"doc_id": k[0], "sent_index": g.sent_index, "label": t,
                           "error": "false positive" if p else "missed",
                           "confidence": conf, "text": g.text})
    # Target accuracy over labelled sentences that name a party: among those the pipeline
    # also flagged (attribution quality), and over all of them (end to end).
    hits = flagged = total = 0
    for k, g in by_key.items():
        if not g.labels or not g.target:
            continue
        total += 1
        rows = predicted.get(k, {})
        flagged += bool(rows)
        hits += any(
            target_matches(g.target, r["target"], r["target_code"], gazetteer)
            for r in rows.values()
        )
    errors.sort(key=lambda e: -abs(e["confidence"] - 0.5) if e["error"] == "false positive"
                else e["confidence"])
    return {
        "sentences": len(by_key),
        "per_class": per_class,
        "macro_f1": sum(c["f1"] for c in per_class.values()) / len(CLAIM_TYPES),
        "target_accuracy": hits / flagged if flagged else None,
        "target_accuracy_end_to_end": hits / total if total else None,
        "targets_scored": flagged,
        "targets_labelled": total,
        "worst_errors": errors[:15],
    }


def _ordered(gold: list[GoldSentence], sentences: pd.DataFrame) -> list[GoldSentence]:
    index = {(g.doc_id, g.sent_index): g for g in gold}
    return [index[(d, s)] for d, s in zip(sentences["doc_id"], sentences["sent_index"],
                                          strict=True)]


def evaluate(gold_path: Path, settings: Settings, model_dir: Path | None = None) -> dict:
    from claimflow.actors.gazetteer import Gazetteer
    from claimflow.claims.ensemble import ClaimClassifier
    from claimflow.stages.classify import classify_sentences

    gold = load_gold(gold_path)
    documents, sentences, entities, tokens = parse_gold(gold, settings)
    classifier = ClaimClassifier.load(settings, model_dir)
    claims = classify_sentences(sentences, tokens, entities, documents, classifier)
    report = score(gold, sentences, claims, Gazetteer.load(settings.tag.actors_dir))
    report["gold"] = str(gold_path)
    report["model_version"] = classifier.version
    return report


def train(gold_paths: Path | list[Path], out_dir: Path, settings: Settings, seed: int = 0
          ) -> dict:
    import spacy

    from claimflow.stages.classify import rebuild

    _sklearn("train")
    from claimflow.training.linear import train_model

    paths = [gold_paths] if isinstance(gold_paths, (str, Path)) else list(gold_paths)
    gold = [g for path in paths for g in load_gold(path)]
    documents, sentences, entities, tokens = parse_gold(gold, settings)
    english, docs, mentions = rebuild(spacy.blank("en").vocab, sentences, tokens, entities)
    ordered = _ordered(gold, english)
    model, report = train_model(
        docs, mentions, [list(g.labels) for g in ordered], [g.doc_id for g in ordered], seed=seed
    )
    model.save(Path(out_dir))
    return report


def _sklearn(command: str):
    """scikit-learn's metrics module; a clear error when the ``train`` extra is missing."""
    try:
        from sklearn import metrics
    except ImportError:
        raise ClaimflowError(f"claimflow {command} needs scikit-learn: "
                             "pip install 'claimflow[train]'") from None
    return metrics
