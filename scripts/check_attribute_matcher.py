"""Check that the indexed attribute-ruler matcher changes nothing, on every text at hand.

    python scripts/check_attribute_matcher.py [--analyses 600]

Parses PolNeAR (every split under ../shared/data/polnear), the bundled examples, 300 generated
documents and the held-out ledger sets with the stock model and with `load_nlp` (the indexed
matcher), and counts tokens whose tag, POS, morphology, lemma, dependency or entity differ; then
compares the analysis JSON of the first N texts made on either pipeline. Exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_scale import documents  # noqa: E402

from claimledger.analysis.analyzer import Analyzer  # noqa: E402
from claimledger.analysis.pipeline import load_nlp, load_stock_nlp  # noqa: E402
from claimledger.analysis.schema import Document  # noqa: E402


def corpus() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT.parent / "shared/data/polnear").glob("*/text/*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").rglob("*.txt"))]
    texts += [d.text for d in documents(300, 300)]
    for path in sorted((ROOT / "tests/ledger").glob("heldout*/articles.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def annotations(token) -> tuple:
    return token.tag_, token.pos_, str(token.morph), token.lemma_, token.dep_, token.ent_iob_, token.ent_type_


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--analyses", type=int, default=600, help="texts whose analysis JSON is compared")
    args = parser.parse_args()
    texts = corpus()
    stock, fast = load_stock_nlp(), load_nlp()
    tokens = differing = 0
    for a, b in zip(stock.pipe(texts, batch_size=32), fast.pipe(texts, batch_size=32)):
        tokens += len(a)
        differing += sum(annotations(x) != annotations(y) for x, y in zip(a, b))
    print(f"{len(texts):,} texts, {tokens:,} tokens, {differing:,} tokens annotated differently")
    sample = [Document(text=t) for t in texts[: args.analyses]]
    before = [json.dumps(x.to_dict(), sort_keys=True) for x in Analyzer(nlp=stock).analyze_many(sample)]
    after = [json.dumps(x.to_dict(), sort_keys=True) for x in Analyzer(nlp=fast).analyze_many(sample)]
    changed = sum(x != y for x, y in zip(before, after))
    print(f"{len(sample):,} analyses, {changed:,} differ")
    sys.exit(1 if differing or changed else 0)


if __name__ == "__main__":
    main()
