"""Analysis speed beside a bare spaCy parse of the same texts with the same model, in one run.

    python scripts/bench_analysis.py [--texts DIR] [--repeat 3]

Texts: PolNeAR dev (../shared/data/polnear/dev/text) where present, else the bundled examples.
Each measurement is repeated and the best time kept (these machines are noisy); what matters is
the ratio of analysis to bare-parse words per second, both measured here, one after the other.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimledger.analysis.analyzer import Analyzer  # noqa: E402
from claimledger.analysis.schema import Document  # noqa: E402


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_texts = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
    parser.add_argument("--texts", type=Path, default=default_texts if default_texts.is_dir() else ROOT / "examples")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()

    texts = [p.read_text(encoding="utf-8") for p in sorted(args.texts.glob("*.txt"))]
    words = sum(len(t.split()) for t in texts)
    analyzer = Analyzer(args.model)
    nlp = analyzer.nlp

    # warm both paths once so that neither pays for first-call set-up in the timing
    list(nlp.pipe(texts[:2]))
    list(analyzer.analyze_many(Document(text=t) for t in texts[:2]))

    parse_s = best_of(args.repeat, lambda: list(nlp.pipe(texts, batch_size=32)))
    parse_wps = words / parse_s
    seconds = best_of(args.repeat, lambda: list(analyzer.analyze_many(Document(text=t) for t in texts)))
    wps = words / seconds
    print(f"texts: {len(texts)} from {args.texts}, {words:,} words, model {analyzer.model_name}, one process, best of {args.repeat}")
    print(f"{'bare nlp.pipe parse':22} {parse_s:7.2f} s  {parse_wps:9,.0f} words/s  ratio 1.00")
    print(f"{'claimledger analysis':22} {seconds:7.2f} s  {wps:9,.0f} words/s  ratio {wps / parse_wps:.2f}")


if __name__ == "__main__":
    main()
