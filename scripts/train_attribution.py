"""Rebuild the attribution CRF models from PolNeAR train (../shared/data/polnear/train).

    python scripts/train_attribution.py [--data ../shared/data/polnear] [--out src/claimledger/analysis/models]

Parses the split with the default spaCy pipeline (cached under .cache/), computes the cue prior
(how often each lemma is part of a cue), and trains the cue, source and content taggers, the
last two on features relative to the gold cues. Dev is only used to print a score at the end;
nothing is tuned on a test split.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections import Counter
from pathlib import Path

import pycrfsuite
from spacy.tokens import DocBin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimledger.analysis.features import cue_features, lexical_features  # noqa: E402
from claimledger.analysis.pipeline import load_nlp  # noqa: E402
from claimledger.analysis.tagger import LAYERS, labels_from_spans  # noqa: E402
from claimledger.eval.polnear import read_split  # noqa: E402

CRF_DEFAULTS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150}
MIN_CUE_COUNT = 2


def parsed(nlp, split: str, articles, cache_dir: Path):
    cache = cache_dir / f"{split}.spacy"
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == [a.text for a in articles]:
            return docs
    docs = list(nlp.pipe((a.text for a in articles), batch_size=32, n_process=2))
    cache_dir.mkdir(exist_ok=True)
    bin_ = DocBin(store_user_data=False)
    for doc in docs:
        bin_.add(doc)
    bin_.to_disk(cache)
    return docs


def cue_prior(docs, articles) -> dict[str, float]:
    in_cue, seen = Counter(), Counter()
    for doc, article in zip(docs, articles):
        cue_labels = labels_from_spans(doc, [s for a in article.attributions for s in a.cue])
        for token, label in zip(doc, cue_labels):
            lemma = token.lemma_.lower()
            seen[lemma] += 1
            if label != "O":
                in_cue[lemma] += 1
    return {
        lemma: round(count / (seen[lemma] + 1), 3)
        for lemma, count in in_cue.items()
        if count >= MIN_CUE_COUNT
    }


def layer_labels(doc, article) -> dict[str, list[str]]:
    return {
        layer: labels_from_spans(doc, [s for a in article.attributions for s in getattr(a, layer)])
        for layer in LAYERS
    }


def training_rows(docs, articles, prior):
    """Per layer, a list of (features, labels) sequences: one sequence per document.

    The source and content taggers learn from features relative to the gold cues. (Training them
    on jackknifed cue predictions instead was tried: content F1 on dev fell from 0.50 to 0.45.)
    """
    data = {layer: [] for layer in LAYERS}
    for doc, article in zip(docs, articles):
        if len(doc) == 0:
            continue
        base = lexical_features(doc, prior)
        labels = layer_labels(doc, article)
        cues = {i for i, label in enumerate(labels["cue"]) if label != "O"}
        relative = cue_features(doc, cues)
        data["cue"].append((base, labels["cue"]))
        rows = [a + b for a, b in zip(base, relative)]
        data["source"].append((rows, labels["source"]))
        data["content"].append((rows, labels["content"]))
    return data


def train_layer(args) -> str:
    layer, sequences, out_dir, params = args
    start = time.time()
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in sequences:
        trainer.append(features, labels)
    trainer.set_params({**params, "feature.possible_transitions": True})
    trainer.train(str(out_dir / f"{layer}.crfsuite"))
    return f"{layer}: trained in {time.time() - start:.0f}s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "polnear")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "claimledger" / "analysis" / "models")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--layers", default=",".join(LAYERS), help="comma-separated layers to train")
    for name, value in CRF_DEFAULTS.items():
        parser.add_argument("--" + name.replace("_", "-"), type=type(value), default=value, help=f"CRF {name}")
    args = parser.parse_args()
    params = {name: getattr(args, name) for name in CRF_DEFAULTS}

    nlp = load_nlp()
    articles = read_split(args.data / "train")
    docs = parsed(nlp, "train", articles, args.cache)
    print(f"train: {len(articles)} articles parsed", flush=True)
    prior = cue_prior(docs, articles)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "cue_prior.json").write_text(json.dumps(prior, sort_keys=True))
    (args.out / "meta.json").write_text(json.dumps({"crf": params}, indent=1))
    layers = [layer for layer in ("content", "source", "cue") if layer in args.layers.split(",")]
    data = training_rows(docs, articles, prior)
    print("sequences: " + ", ".join(f"{k} {len(v)}" for k, v in data.items()), flush=True)
    jobs = [(layer, data[layer], args.out, params) for layer in layers]
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        for message in pool.imap_unordered(train_layer, jobs):
            print(message, flush=True)


if __name__ == "__main__":
    main()
