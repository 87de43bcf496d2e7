"""A deterministic benchmark corpus: news-like documents recombined from real paragraphs, as JSONL.

    python scripts/make_corpus.py --docs 1000 [--words 300] [--seed 7] [--out corpus.jsonl]

Paragraphs come from PolNeAR (../shared/data/polnear/{train,dev}/text) where present, else from
the bundled examples. Document i draws whole paragraphs with its own random generator (seeded by
seed and i) until it holds at least --words words, so the same arguments always give the same
bytes, any document can be made without the ones before it, and every document is distinct.
Each line has text, title, url and a publication date spread over 2016, like an ingest feed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_TEXTS = [ROOT.parent / "shared" / "data" / "polnear" / part / "text" for part in ("train", "dev")]
FIRST_DAY = date(2016, 1, 1)


def paragraph_pool(folders: list[Path] | None = None) -> list[str]:
    """Every non-trivial paragraph of the source texts, in a fixed order."""
    folders = [f for f in (folders or SHARED_TEXTS) if f.is_dir()] or [ROOT / "examples"]
    pool = []
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
                paragraph = " ".join(paragraph.split())
                if len(paragraph.split()) >= 8:
                    pool.append(paragraph)
    if not pool:
        raise SystemExit(f"no paragraphs found in {', '.join(map(str, folders))}")
    return pool


def document(pool: list[str], index: int, words: int, seed: int) -> dict:
    chooser = random.Random(seed * 1_000_003 + index)
    paragraphs, count = [], 0
    while count < words:
        paragraph = chooser.choice(pool)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    day = FIRST_DAY + timedelta(days=index % 366)
    return {
        "text": "\n\n".join(paragraphs),
        "title": " ".join(paragraphs[0].split()[:8]),
        "url": f"https://corpus.example/{seed}/{index}",
        "published": day.isoformat(),
    }


def generate(docs: int, words: int = 300, seed: int = 7, pool: list[str] | None = None) -> Iterator[dict]:
    pool = pool if pool is not None else paragraph_pool()
    for index in range(docs):
        yield document(pool, index, words, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, required=True, help="how many documents")
    parser.add_argument("--words", type=int, default=300, help="least words per document (whole paragraphs are added)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="JSONL file to write (default: standard output)")
    args = parser.parse_args()
    if args.docs < 0 or args.words < 1:
        parser.error("--docs must be ≥ 0 and --words ≥ 1")
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    with out:
        for record in generate(args.docs, args.words, args.seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
