"""Web answer times on a large synthetic ledger: a series page with 10,000 figures and a claims
search over 100,000 claims, over real HTTP to a live server.

    python scripts/bench_web.py [--claims 100000] [--points 10000] [--db PATH]

The ledger is written straight through SQLAlchemy (no analysis), then `claimledger serve` runs
on loopback and each request is timed five times after one untimed warm-up call; the median
and the worst are reported.
"""

from __future__ import annotations

import argparse
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import httpx  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from claimledger.ledger.models import ClaimRow, DocumentRow, FigureRow, SeriesRow, SourceRow  # noqa: E402
from claimledger.ledger.store import open_engine  # noqa: E402

WORDS = ("ministry officials said the toll rose flooding displaced families shelters river damage estimate "
         "talks ceasefire army shelling village aid convoy harvest grain port exports strike union wages").split()


def build(path: Path, claims: int, points: int) -> str:
    engine = open_engine(str(path))
    rng = random.Random(7)
    documents = max(1, claims // 100)
    with engine.begin() as connection:
        connection.execute(insert(SourceRow), [{"id": f"s-{i}", "key": f"k{i}", "name": f"Source {i}", "kind": "government"} for i in range(20)])
        connection.execute(insert(DocumentRow), [{
            "id": f"{i:064d}", "title": f"Report {i}", "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "text": "x",
            "analysis": "{}", "words": 100, "claim_count": 100, "figure_count": 0, "version": 1} for i in range(documents)])
        rows = []
        for i in range(claims):
            rows.append({"id": f"c-{i:08d}", "document_id": f"{i // 100:064d}", "attribution_id": f"a{i % 100}",
                         "source_id": f"s-{i % 20}", "source_text": f"Source {i % 20}", "cue": "said",
                         "content": " ".join(rng.choice(WORDS) for _ in range(18)), "type": "indirect",
                         "probability": 0.75, "term": "likely", "confidence": 0.9, "credibility": 6})
            if len(rows) == 10_000:
                connection.execute(insert(ClaimRow), rows)
                rows = []
        if rows:
            connection.execute(insert(ClaimRow), rows)
        connection.execute(insert(SeriesRow), [{"id": "ser-big", "key": "count|big", "concept": "people displaced", "unit": None}])
        connection.execute(insert(FigureRow), [{
            "id": f"f-{i:08d}", "document_id": f"{i % documents:064d}", "quantity_id": "q1", "claim_id": f"c-{i:08d}",
            "source_id": f"s-{i % 20}", "series_id": "ser-big", "text": str(1000 + i), "start": 0, "end": 1,
            "value": float(1000 + rng.randint(0, 50_000)), "change": "=", "delta": False,
            "when": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"} for i in range(points)])
    engine.dispose()
    return "ser-big"


def timed(url: str, repeat: int = 5) -> tuple[float, float, int]:
    httpx.get(url, timeout=120)  # one untimed call: the first pays for loading the chart renderer
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = httpx.get(url, timeout=120)
        times.append(time.perf_counter() - start)
        response.raise_for_status()
    return statistics.median(times), max(times), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--points", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.db"
        started = time.perf_counter()
        series = build(path, args.claims, args.points)
        print(f"built {args.claims:,} claims and a series of {args.points:,} figures in {time.perf_counter() - started:.1f} s")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "claimledger.cli", "serve", "--db", str(path), "--port", str(port)], cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    httpx.get(base + "/openapi.json", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            print(f"{'request':48} {'median':>8} {'worst':>8} {'bytes':>10}")
            for name, url in [
                (f"series page, {args.points:,} figures", f"/series/{series}"),
                (f"API series, {args.points:,} points", f"/api/v1/series/{series}"),
                (f"claims search page over {args.claims:,}", "/claims?q=displaced+families"),
                (f"API claims search over {args.claims:,}", "/api/v1/claims?q=ceasefire+convoy&limit=50"),
                ("claims list page (no query)", "/claims"),
            ]:
                median, worst, size = timed(base + url)
                print(f"{name:48} {median:7.3f}s {worst:7.3f}s {size:10,}")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
