"""Rebuild the content-boundary model (src/claimledger/analysis/models/boundary.crfsuite).

    python scripts/train_boundaries.py [--data ../shared/data/polnear] [--out src/claimledger/analysis/models]

The model judges alternatives to a content span the taggers produced (analysis/boundaries.py), so it
must learn from the taggers' mistakes on text they were not trained on: PolNeAR train is split in
two halves by article, the cue, source and content CRFs are trained on each half
(train_attribution.py's code, into --folds), and each half is tagged, linked and given its
alternatives by the CRFs of the other half. A pair (the tagged span, an alternative) is a training
example when exactly one of the two is the annotated content; its label says whether the
alternative is the one. Dev is only read at the end to print how many contents the model fixes
and breaks; nothing is tuned on a test split.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
from collections import Counter
from pathlib import Path

import pycrfsuite

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import train_attribution as crfs  # noqa: E402
from claimledger.analysis.attribution import link, supplement_cues  # noqa: E402
from claimledger.analysis.boundaries import (  # noqa: E402
    BETTER, BETTER_THRESHOLD, MODEL_FILE, NOT_BETTER, BoundaryChooser, alternatives,
)
from claimledger.analysis.pipeline import load_nlp  # noqa: E402
from claimledger.analysis.tagger import AttributionTagger  # noqa: E402
from claimledger.eval.polnear import component_items, normalise_item, read_split  # noqa: E402

FOLDS = 2
PARAMS = {"c1": 0.0, "c2": 1.0, "max_iterations": 300}  # crfsuite's default L2, no L1


def train_fold_crfs(docs, articles, folds_dir: Path, workers: int) -> None:
    """Cue, source and content CRFs for each fold k, trained on the articles outside it."""
    jobs = []
    for fold in range(FOLDS):
        keep = [i for i in range(len(articles)) if i % FOLDS != fold]
        fold_docs, fold_articles = [docs[i] for i in keep], [articles[i] for i in keep]
        prior = crfs.cue_prior(fold_docs, fold_articles)
        out = folds_dir / str(fold)
        out.mkdir(parents=True, exist_ok=True)
        (out / "cue_prior.json").write_text(json.dumps(prior, sort_keys=True))
        data = crfs.training_rows(fold_docs, fold_articles, prior)
        jobs += [(layer, data[layer], out, crfs.CRF_DEFAULTS) for layer in ("content", "source", "cue")]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for message in pool.imap_unordered(crfs.train_layer, jobs):
            print(f"  fold CRF {message}", flush=True)


def _item(text: str, doc, pieces) -> tuple:
    spans = [(doc[p.start].idx, doc[p.end - 1].idx + len(doc[p.end - 1].text)) for p in pieces]
    return normalise_item(text, spans)


def labelled_alternatives(tagger: AttributionTagger, doc, article):
    """For each linked content of one article: whether the tagged span is gold, and each
    alternative with its features and whether it is gold."""
    if len(doc) == 0:
        return
    runs, probability = tagger.tag_with_content_probability(doc)
    supplement_cues(doc, runs)
    gold = component_items(article.text, article.attributions)["content"]
    for item in link(doc, runs):
        if item.contents:
            found = alternatives(doc, item.cue, item.source, item.contents, probability)
            yield (_item(article.text, doc, item.contents) in gold,
                   [(c, _item(article.text, doc, c.pieces) in gold) for c in found])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "polnear")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "claimledger" / "analysis" / "models")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache")
    parser.add_argument("--folds", type=Path, default=None, help="fold CRFs directory (default: CACHE/boundary-folds)")
    parser.add_argument("--reuse-folds", action="store_true", help="use fold CRFs already in --folds")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folds_dir = args.folds or args.cache / "boundary-folds"

    nlp = load_nlp()
    articles = read_split(args.data / "train")
    docs = crfs.parsed(nlp, "train", articles, args.cache)
    if not args.reuse_folds:
        print(f"training fold CRFs into {folds_dir} …", flush=True)
        train_fold_crfs(docs, articles, folds_dir, args.workers)
    taggers = [AttributionTagger(folds_dir / str(fold)) for fold in range(FOLDS)]

    trainer = pycrfsuite.Trainer(verbose=False)
    counts = Counter()
    for index, (doc, article) in enumerate(zip(docs, articles)):
        for tagged_ok, found in labelled_alternatives(taggers[index % FOLDS], doc, article):
            counts["contents"] += 1
            counts["tagged right"] += tagged_ok
            for candidate, ok in found:
                if ok != tagged_ok:
                    trainer.append([list(candidate.features)], [BETTER if ok else NOT_BETTER])
                    counts["pairs"] += 1
    print(f"train (out of fold): {dict(counts)}", flush=True)
    trainer.set_params(PARAMS)
    trainer.train(str(args.out / MODEL_FILE))
    print(f"wrote {args.out / MODEL_FILE}", flush=True)

    dev = args.data / "dev"
    if dev.exists():
        report_dev(nlp, articles=read_split(dev), model_dir=args.out, cache=args.cache)


def report_dev(nlp, articles, model_dir: Path, cache: Path) -> None:
    """How many dev contents the choice fixes and breaks with the shipped taggers (per attribution;
    `claimledger eval polnear` gives the scored figure)."""
    tagger, chooser = AttributionTagger(model_dir), BoundaryChooser(model_dir)
    docs = crfs.parsed(nlp, "dev", articles, cache)
    counts = Counter()
    for doc, article in zip(docs, articles):
        for tagged_ok, found in labelled_alternatives(tagger, doc, article):
            scored = [(chooser.better(c), ok) for c, ok in found]
            best = max(scored, key=lambda s: s[0], default=(0.0, tagged_ok))
            if best[0] > BETTER_THRESHOLD and best[1] != tagged_ok:
                counts["fixed" if best[1] else "broken"] += 1
            counts["right before"] += tagged_ok
    print(f"dev: {dict(counts)}", flush=True)


if __name__ == "__main__":
    main()
