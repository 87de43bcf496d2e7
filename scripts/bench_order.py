"""Does the ledger depend on the order in which articles arrive? Scored on the development sets.

    python scripts/bench_order.py [--seed 1]

Each development set (tests/ledger/heldout*, the blind ones left out) is analysed once, then
ingested into fresh SQLite ledgers in three orders: file order, newest first (reversed), and a
seeded shuffle. Each ledger is scored with the held-out report (merged, apart, series, kept out,
relations), then rebuilt (`Ledger.rebuild`, date order) and scored again. The rebuilt ledgers of
the three orders are also compared row for row (the table hashes of tests/ledger/test_book.py).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from claimledger.analysis.analyzer import Analyzer  # noqa: E402
from claimledger.export.ledger import ledger_dict  # noqa: E402
from claimledger.ingest.documents import read_jsonl  # noqa: E402
from claimledger.ledger.book import Ledger  # noqa: E402
from claimledger.ledger.store import open_engine  # noqa: E402
from tests.ledger.test_book import snapshot  # noqa: E402
from tests.ledger.test_heldout import report  # noqa: E402

BLIND = {"heldout12", "heldout17", "heldout18"}  # scored only by tests/ledger/test_heldout.py, totals only
PARTS = ["merged", "apart", "series", "kept out", "relations"]


def development_sets() -> list[Path]:
    folders = sorted((ROOT / "tests" / "ledger").glob("heldout*"), key=lambda p: int(p.name[7:] or 1))
    return [f for f in folders if f.name not in BLIND and (f / "expected.json").exists()]


def score(engine, documents, expected) -> dict[str, int]:
    data = ledger_dict(engine)
    by_url = {d["url"]: d["id"] for d in data["documents"]}
    article_ids = {d.id: by_url[d.url] for d in documents}
    return {part: sum(ok for _, ok in checks) for part, checks in report(data, article_ids, expected).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    import json

    analyzer = Analyzer()
    orders = ["file", "reversed", "shuffled"]
    totals = {(order, when): dict.fromkeys(PARTS, 0) for order in orders for when in ("ingest", "rebuilt")}
    identical, rebuild_seconds, ingest_seconds = 0, 0.0, 0.0
    folders = development_sets()
    with tempfile.TemporaryDirectory() as scratch:
        for folder in folders:
            documents = list(read_jsonl(open(folder / "articles.jsonl", encoding="utf-8")))
            expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
            analyses = analyzer.analyze_many(documents)
            pairs = list(zip(documents, analyses))
            shuffled = pairs[:]
            random.Random(args.seed).shuffle(shuffled)
            hashes = set()
            for order, sequence in zip(orders, [pairs, pairs[::-1], shuffled]):
                engine = open_engine(f"sqlite:///{scratch}/{folder.name}-{order}.db")
                book = Ledger(engine)
                started = time.perf_counter()
                for document, analysis in sequence:
                    book.add(document, analysis)
                ingest_seconds += time.perf_counter() - started
                for part, value in score(engine, documents, expected).items():
                    totals[(order, "ingest")][part] += value
                started = time.perf_counter()
                book.rebuild()
                rebuild_seconds += time.perf_counter() - started
                for part, value in score(engine, documents, expected).items():
                    totals[(order, "rebuilt")][part] += value
                hashes.add(tuple(sorted(snapshot(engine).items())))
                engine.dispose()
            identical += len(hashes) == 1
            print(f"{folder.name}: rebuilt ledgers of the three orders {'identical' if len(hashes) == 1 else 'DIFFER'}", flush=True)
    print(f"\n{len(folders)} development sets; totals {' / '.join(PARTS)}")
    for (order, when), parts in totals.items():
        print(f"  {order:9} {when:8} " + " ".join(f"{parts[p]:4}" for p in PARTS))
    print(f"rebuilt ledgers identical across the three orders in {identical} of {len(folders)} sets")
    print(f"ledger writes: ingest {ingest_seconds:.1f} s, rebuild {rebuild_seconds:.1f} s (all sets, all orders)")


if __name__ == "__main__":
    main()
