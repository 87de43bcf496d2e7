"""Ingest throughput (analysis + ledger writes) beside bare analysis throughput, in one run.

    python scripts/bench_ingest.py [--texts DIR] [--pg URL]

Texts: PolNeAR dev (../shared/data/polnear/dev/text) where present, else the bundled examples.
Each document gets a publication date so that figures are dated. Measured in one process, one
after the other: analysis alone (Analyzer.analyze_many), then ingest into a fresh SQLite file,
then (with --pg or CLAIMLEDGER_TEST_PG_URL) into a fresh PostgreSQL database; each ledger is then
rebuilt in date order (`Ledger.rebuild`: stored analyses replayed, nothing re-analysed). Peak
memory is the process's maximum resident set size at the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import create_engine, text  # noqa: E402

from claimledger.analysis.analyzer import Analyzer  # noqa: E402
from claimledger.analysis.schema import Document  # noqa: E402
from claimledger.ledger.book import Ledger, counts  # noqa: E402
from claimledger.ledger.store import open_engine  # noqa: E402


def documents(directory: Path) -> list[Document]:
    paths = sorted(directory.glob("*.txt"))
    return [Document(text=p.read_text(encoding="utf-8"), published=f"2016-10-{1 + i % 28:02d}", url=f"https://bench.example/{p.stem}")
            for i, p in enumerate(paths)]


def ingest(url: str, analyzer: Analyzer, docs: list[Document]) -> tuple[float, dict, float, dict]:
    """Seconds and row counts of the ingest, then of a rebuild of the same ledger in date order
    (the texts' dates wrap round, so an ingest in file order is followed by one)."""
    engine = open_engine(url)
    ledger = Ledger(engine)
    start = time.perf_counter()
    for document, analysis in zip(docs, analyzer.analyze_many(docs)):
        ledger.add(document, analysis)
    seconds = time.perf_counter() - start
    table_counts = counts(engine)
    start = time.perf_counter()
    ledger.rebuild()
    rebuild_seconds = time.perf_counter() - start
    rebuilt_counts = counts(engine)
    engine.dispose()
    return seconds, table_counts, rebuild_seconds, rebuilt_counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
    parser.add_argument("--texts", type=Path, default=default if default.is_dir() else ROOT / "examples")
    parser.add_argument("--pg", default=os.environ.get("CLAIMLEDGER_TEST_PG_URL"))
    args = parser.parse_args()

    docs = documents(args.texts)
    words = sum(len(d.text.split()) for d in docs)
    analyzer = Analyzer()
    list(analyzer.analyze_many(docs[:2]))  # warm-up

    start = time.perf_counter()
    list(analyzer.analyze_many(docs))
    bare = time.perf_counter() - start
    rows = [("analysis only (no storage)", bare, None)]

    with tempfile.TemporaryDirectory() as folder:
        seconds, table_counts, rebuild_seconds, rebuilt_counts = ingest(f"sqlite:///{folder}/bench.db", analyzer, docs)
        rows += [("ingest into SQLite", seconds, table_counts), ("rebuild of it (SQLite)", rebuild_seconds, rebuilt_counts)]
    if args.pg:
        admin = args.pg.replace("postgresql://", "postgresql+psycopg://", 1)
        name = f"bench_{uuid.uuid4().hex[:8]}"
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            seconds, table_counts, rebuild_seconds, rebuilt_counts = ingest(f"{admin.rsplit('/', 1)[0]}/{name}", analyzer, docs)
            rows += [("ingest into PostgreSQL", seconds, table_counts), ("rebuild of it (PostgreSQL)", rebuild_seconds, rebuilt_counts)]
        finally:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(docs)} documents, {words:,} words from {args.texts}; one process")
    print(f"{'what':30} {'seconds':>8} {'docs/s':>8} {'words/s':>9} {'ratio':>6}")
    for name, seconds, _ in rows:
        print(f"{name:30} {seconds:8.2f} {len(docs) / seconds:8.2f} {words / seconds:9,.0f} {bare / seconds:6.2f}")
    for name, _, table_counts in rows:
        if table_counts:
            print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in table_counts.items()))
    print(f"peak resident memory: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
