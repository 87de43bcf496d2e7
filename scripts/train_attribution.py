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

from claimledger.analysis.features import (  # noqa: E402
    DocContext,
    conditioned_features,
    cue_features,
    cue_window,
    lexical_features,
)
from claimledger.analysis.pipeline import load_nlp  # noqa: E402
from claimledger.analysis.tagger import LAYERS, WINDOWS, labels_from_spans  # noqa: E402
from claimledger.eval.polnear import read_split  # noqa: E402

CRF_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}
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


def training_rows(docs, articles, prior, cue_tokens_per_doc=None):
    """Per layer, a list of (features, labels) sequences: one sequence per document.

    The source and content taggers see cue features computed from `cue_tokens_per_doc` (the
    jackknifed predictions of the cue tagger, so that training sees the cues it will see at run
    time), or from the gold cues when that is None.
    """
    data = {layer: [] for layer in LAYERS}
    for index, (doc, article) in enumerate(zip(docs, articles)):
        if len(doc) == 0:
            continue
        base = lexical_features(doc, prior)
        labels = layer_labels(doc, article)
        if cue_tokens_per_doc is None:
            cues = {i for i, label in enumerate(labels["cue"]) if label != "O"}
        else:
            cues = cue_tokens_per_doc[index]
        relative = cue_features(doc, cues, prior)
        data["cue"].append((base, labels["cue"]))
        rows = [a + b for a, b in zip(base, relative)]
        data["source"].append((rows, labels["source"]))
        data["content"].append((rows, labels["content"]))
    return data


def _cue_token_range(doc, spans):
    first = doc.char_span(spans[0][0], spans[0][1], alignment_mode="expand")
    last = doc.char_span(spans[-1][0], spans[-1][1], alignment_mode="expand")
    if first is None or last is None or len(first) == 0:
        return None
    return first.start, max(last.end, first.end)


def _window_labels(doc, spans, window):
    labels = labels_from_spans(doc, spans)
    return labels[window[0] : window[1]]


def conditioned_rows(docs, articles, prior):
    """One sequence per gold attribution: its window of tokens, labelled with its own source or content."""
    data = {"source": [], "content": []}
    for doc, article in zip(docs, articles):
        if len(doc) == 0:
            continue
        base = lexical_features(doc, prior)
        context = DocContext.of(doc)
        cue_ranges = [(_cue_token_range(doc, a.cue) if a.cue else None) for a in article.attributions]
        all_cues = {i for r in cue_ranges if r for i in range(*r)}
        for attribution, cue in zip(article.attributions, cue_ranges):
            if cue is None:
                continue
            for layer, (before, after) in WINDOWS.items():
                window = cue_window(context, cue[0], before, after)
                extra = conditioned_features(doc, context, cue, all_cues, window)
                rows = [base[i] + e for i, e in zip(range(*window), extra)]
                labels = _window_labels(doc, getattr(attribution, layer), window)
                data[layer].append((rows, labels))
    return data


def _train_and_tag_fold(args) -> list[tuple[int, set[int]]]:
    """Train a cue tagger on the other folds and tag this fold's documents."""
    fold, folds, sequences, out_dir = args
    trainer = pycrfsuite.Trainer(verbose=False)
    for index, (features, labels) in enumerate(sequences):
        if index % folds != fold:
            trainer.append(features, labels)
    trainer.set_params(CRF_PARAMS)
    path = out_dir / f"cue-fold{fold}.crfsuite"
    trainer.train(str(path))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    result = []
    for index, (features, _) in enumerate(sequences):
        if index % folds == fold:
            predicted = tagger.tag(features)
            result.append((index, {i for i, label in enumerate(predicted) if label != "O"}))
    tagger.close()
    path.unlink()
    return result


def jackknifed_cues(docs, articles, prior, folds: int, workers: int, tmp_dir: Path) -> list[set[int]]:
    sequences = [(lexical_features(doc, prior), layer_labels(doc, article)["cue"]) for doc, article in zip(docs, articles)]
    cues: list[set[int]] = [set() for _ in docs]
    jobs = [(fold, folds, sequences, tmp_dir) for fold in range(folds)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for part in pool.imap_unordered(_train_and_tag_fold, jobs):
            for index, tokens in part:
                cues[index] = tokens
    return cues


def train_layer(args) -> str:
    layer, sequences, out_dir = args
    start = time.time()
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in sequences:
        trainer.append(features, labels)
    trainer.set_params(CRF_PARAMS)
    trainer.train(str(out_dir / f"{layer}.crfsuite"))
    return f"{layer}: trained in {time.time() - start:.0f}s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "polnear")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "claimledger" / "analysis" / "models")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--layers", default=",".join(LAYERS), help="comma-separated layers to train")
    parser.add_argument("--scheme", choices=["conditioned", "layers"], default="conditioned",
                        help="conditioned: source and content tagged per cue; layers: one pass over the document")
    parser.add_argument("--folds", type=int, default=2, help="jackknife folds for the cue features (0: gold cues)")
    args = parser.parse_args()

    nlp = load_nlp()
    articles = read_split(args.data / "train")
    docs = parsed(nlp, "train", articles, args.cache)
    print(f"train: {len(articles)} articles parsed", flush=True)
    prior = cue_prior(docs, articles)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "cue_prior.json").write_text(json.dumps(prior, sort_keys=True))
    (args.out / "meta.json").write_text(json.dumps({"scheme": args.scheme, "crf": CRF_PARAMS}, indent=1))
    layers = [layer for layer in ("content", "source", "cue") if layer in args.layers.split(",")]
    if args.scheme == "conditioned":
        data = conditioned_rows(docs, articles, prior)
        data["cue"] = [
            (lexical_features(doc, prior), layer_labels(doc, article)["cue"])
            for doc, article in zip(docs, articles) if len(doc)
        ]
    else:
        predicted_cues = None
        if args.folds > 1 and set(layers) & {"source", "content"}:
            predicted_cues = jackknifed_cues(docs, articles, prior, args.folds, args.workers, args.out)
            print(f"jackknifed cues over {args.folds} folds", flush=True)
        data = training_rows(docs, articles, prior, predicted_cues)
    print("sequences: " + ", ".join(f"{k} {len(v)}" for k, v in data.items()), flush=True)
    jobs = [(layer, data[layer], args.out) for layer in layers]
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        for message in pool.imap_unordered(train_layer, jobs):
            print(message, flush=True)


if __name__ == "__main__":
    main()
