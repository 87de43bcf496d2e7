"""Analysis speed beside a bare spaCy parse of the same texts with the same model, in one run.

    python scripts/bench_analysis.py [--texts DIR] [--repeat 3]

The analysis timed is the whole of it: parse, attribution tagging and linking, sources,
certainty and hedges, quantities and their dates. A second part checks that the figure scanner
grows linearly on hostile input: the time for a text four times longer should be about four times.

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
from claimledger.analysis.numbers import find_numbers  # noqa: E402
from claimledger.analysis.pipeline import load_stock_nlp  # noqa: E402
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
    nlp = load_stock_nlp()  # the baseline: the model exactly as spaCy loads it

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
    scaling(args.repeat)


HOSTILE = {
    "one long digit string": lambda n: "9" * n,
    "a number in every token": lambda n: " ".join(str(i % 1000) for i in range(n // 4)),
    "nested parentheses": lambda n: "(" * (n // 2) + "5" + ")" * (n // 2),
    "ranges and modifiers": lambda n: "between 10 and 20, about 5%, " * (n // 30),
    "exponents and fractions": lambda n: "1e999 ½ 1/2 1.99×10−30 " * (n // 24),
}


def scaling(repeat: int) -> None:
    """Figure-scanner time at 50,000 and 200,000 characters; a ratio near 4 means linear."""
    print(f"\n{'figure scanner, hostile input':32} {'50k chars':>10} {'200k chars':>11} {'ratio':>6}")
    for name, make in HOSTILE.items():
        small, large = make(50_000), make(200_000)
        t_small = best_of(repeat, lambda: find_numbers(small))
        t_large = best_of(repeat, lambda: find_numbers(large))
        print(f"{name:32} {t_small:9.3f}s {t_large:10.3f}s {t_large / t_small:6.1f}")


if __name__ == "__main__":
    main()
