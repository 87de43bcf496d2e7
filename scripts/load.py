"""Load on the web server from a second process while an ingest writes into the same ledger.

    python scripts/load.py [--clients 50] [--seconds 60] [--db URL-or-path] [--json OUT]

Starts `claimledger serve` on 127.0.0.1 and a writer that runs `claimledger ingest` over generated
corpora, round after round, into the same database (a new SQLite file unless --db names one). Once
the ledger holds some documents, N clients (asyncio + httpx, one connection each) read the API and
the pages in a loop for T seconds: lists, searches, documents, sources, series. Every answer that is
not 200, and every timeout or broken connection, is an error. The server's resident memory is read
from /proc once a second.

Prints one summary line and, with --json, writes the figures: requests, errors (with examples),
requests per second, p50/p95/p99/max latency, documents the writer stored during the run, and the
RSS samples with the mean of the first and of the last minute. Exit status 1 when any request
failed. tests/web/test_load.py runs it (5 s in `make test`; 60 s and a 10-minute soak in `make stress`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PAGE_SIZE = 4096
SPEAKERS = ["The mayor", "Officials", "The ministry", "A spokesperson for the agency", "Police", "The Red Cross", "The governor"]
TOPICS = ["homes were damaged", "families are in shelters", "roads were closed", "schools were shut", "bridges were destroyed",
          "people were evacuated", "farms were flooded", "shops were looted", "hospitals were overwhelmed", "wells were contaminated"]


def write_corpus(path: Path, round_number: int, documents: int) -> None:
    """Distinct short reports, each with attributed figures; topics rotate so no one series grows without end."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(documents):
            n = round_number * documents + i
            speaker, topic, other = SPEAKERS[n % len(SPEAKERS)], TOPICS[n % len(TOPICS)], TOPICS[(n * 3 + 1) % len(TOPICS)]
            text = (f"Load report {n}. {speaker} said on Wednesday that {100 + n % 977} {topic} in region {n}. "
                    f"\"We believe about {20 + n % 311} {other},\" {speaker.lower()} said, adding that the count may rise.")
            out.write(json.dumps({"id": n, "text": text, "published": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"}) + "\n")


class Writer(threading.Thread):
    """`claimledger ingest` rounds into the ledger until stopped; counts the rounds it finished."""

    def __init__(self, db: str, folder: Path, per_round: int) -> None:
        super().__init__(daemon=True)
        self.db, self.folder, self.per_round = db, folder, per_round
        self.stop = threading.Event()
        self.rounds = 0
        self.failures: list[str] = []
        self.process: subprocess.Popen | None = None

    def run(self) -> None:
        while not self.stop.is_set():
            corpus = self.folder / f"round-{self.rounds}.jsonl"
            write_corpus(corpus, self.rounds, self.per_round)
            self.process = subprocess.Popen(
                [sys.executable, "-m", "claimledger.cli", "ingest", str(corpus), "--db", self.db, "--workers", "1"],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, stderr = self.process.communicate()
            if self.stop.is_set():
                return  # stopped mid-round by us: not a failure
            if self.process.returncode != 0:
                self.failures.append(stderr.decode(errors="replace").strip()[-500:])
                return
            self.rounds += 1
            corpus.unlink()

    def halt(self) -> None:
        self.stop.set()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.join(timeout=30)


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def targets(base: str) -> list[str]:
    """The read mix: every list, search and detail the API and the pages have, bounded in size."""
    with httpx.Client(base_url=base, timeout=60) as client:
        documents = [d["id"] for d in client.get("/api/v1/documents", params={"limit": 20}).json()["items"]]
        sources = [s["id"] for s in client.get("/api/v1/sources", params={"limit": 20}).json()["items"]]
        series = [s["id"] for s in client.get("/api/v1/series", params={"limit": 5}).json()["items"]]
    paths = ["/api/v1/documents?limit=50", "/api/v1/claims?limit=50", "/api/v1/sources?limit=50", "/api/v1/series?limit=50",
             "/api/v1/relations?limit=50", "/api/v1/search?q=mayor+homes&limit=20", "/api/v1/claims?q=shelters&limit=20",
             "/", "/claims?q=roads", "/claims?term=likely", "/sources", "/series", "/ingest"]
    paths += [f"/api/v1/documents/{d}" for d in documents[:5]] + [f"/documents/{d}" for d in documents[5:10]]
    paths += [f"/api/v1/sources/{s}" for s in sources[:3]] + [f"/sources/{s}" for s in sources[3:6]]
    paths += [f"/api/v1/series/{s}" for s in series[:2]] + [f"/series/{s}" for s in series[2:3]]
    return paths


async def clients(base: str, paths: list[str], count: int, seconds: float, latencies: list[float], errors: list[str]) -> None:
    begun = time.monotonic()
    deadline = begun + seconds
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def one(number: int) -> None:
            i = number * 7  # each client starts at a different place in the mix
            while time.monotonic() < deadline:
                path = paths[i % len(paths)]
                i += 1
                started = time.perf_counter()
                try:
                    response = await client.get(path)
                    await response.aread()
                    if response.status_code != 200:
                        errors.append(f"{time.monotonic() - begun:.1f} s {path}: HTTP {response.status_code} {response.text[:120]}")
                except httpx.HTTPError as error:
                    errors.append(f"{time.monotonic() - begun:.1f} s, after {time.perf_counter() - started:.2f} s, {path}: "
                                  f"{type(error).__name__}: {error}")
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(one(n) for n in range(count)))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def document_count(base: str) -> int:
    """Documents in the ledger, counted through the API (paged)."""
    total, after = 0, None
    with httpx.Client(base_url=base, timeout=120) as client:
        while True:
            body = client.get("/api/v1/documents", params={"limit": 500, **({"after": after} if after else {})}).json()
            total += len(body["items"])
            after = body["next"]
            if not after:
                return total


def run(clients_count: int, seconds: float, db: str | None, per_round: int = 400, warm_documents: int = 20,
        write_during: bool = True) -> dict:
    """The load run; with write_during=False the writer only fills the ledger to `warm_documents`
    and stops before the clients start, so the data the server reads stays the same size."""
    folder = Path(tempfile.mkdtemp(prefix="claimledger-load-"))
    db = db or str(folder / "ledger.db")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    writer = Writer(db, folder, per_round)
    writer.start()
    # the server opens (and if need be creates) the ledger too; both serialise their migrations
    server = subprocess.Popen([sys.executable, "-m", "claimledger.cli", "serve", "--db", db, "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    samples: list[tuple[float, int]] = []
    try:
        deadline = time.monotonic() + 300
        while True:  # wait for the server, then for the writer's first documents
            if server.poll() is not None:
                raise SystemExit(f"error: the server ended: {server.stderr.read().decode()[-500:]}")
            if writer.failures:
                raise SystemExit(f"error: the ingest failed: {writer.failures[0]}")
            try:
                if len(httpx.get(base + "/api/v1/documents", params={"limit": warm_documents}, timeout=5).json()["items"]) >= warm_documents:
                    break
            except (httpx.HTTPError, ValueError, KeyError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit("error: no documents in the ledger after 300 s")
            time.sleep(0.5)
        if not write_during:
            writer.halt()
        paths = targets(base)
        before = document_count(base)
        latencies: list[float] = []
        errors: list[str] = []
        stop_sampling = threading.Event()
        started = time.monotonic()

        def sample() -> None:
            while not stop_sampling.is_set():
                samples.append((round(time.monotonic() - started, 1), rss_bytes(server.pid)))
                stop_sampling.wait(1.0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        asyncio.run(clients(base, paths, clients_count, seconds, latencies, errors))
        elapsed = time.monotonic() - started
        stop_sampling.set()
        sampler.join()
        after = document_count(base)
        alive = server.poll() is None
    finally:
        writer.halt()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    def minute_mean(window: list[tuple[float, int]]) -> float:
        return statistics.mean(v for _, v in window) / 2**20 if window else 0.0

    first = [s for s in samples if s[0] <= 60]
    last = [s for s in samples if s[0] >= samples[-1][0] - 60] if samples else []
    return {
        "clients": clients_count, "seconds": round(elapsed, 1), "requests": len(latencies), "errors": len(errors),
        "error_examples": errors[:5], "requests_per_s": round(len(latencies) / elapsed, 1),
        "latency_ms": {name: round(1000 * percentile(latencies, q), 1) for name, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))},
        "paths": len(paths), "documents_before": before, "documents_after": after, "writer_failures": writer.failures,
        "server_alive": alive, "database": "postgresql" if db.startswith("postgres") else "sqlite", "writes_during": write_during,
        "rss_mb": {"first_minute_mean": round(minute_mean(first), 1), "last_minute_mean": round(minute_mean(last), 1),
                   "max": round(max((v for _, v in samples), default=0) / 2**20, 1)},
        "rss_samples": [(t, round(v / 2**20, 1)) for t, v in samples],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", help="a database URL or SQLite path (default: a new SQLite file)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--prefill", type=int, default=20, help="documents in the ledger before the clients start (default 20)")
    parser.add_argument("--no-writes", action="store_true", help="stop the writer once the ledger is prefilled: a fixed-size ledger")
    args = parser.parse_args()
    result = run(args.clients, args.seconds, args.db, warm_documents=args.prefill, write_during=not args.no_writes)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1))
    latency = result["latency_ms"]
    print(f"{result['requests']} requests from {result['clients']} clients in {result['seconds']} s ({result['requests_per_s']}/s), "
          f"{result['errors']} errors; latency p50 {latency['p50']} ms, p95 {latency['p95']} ms, p99 {latency['p99']} ms, "
          f"max {latency['max']} ms; {result['documents_after'] - result['documents_before']} documents written meanwhile "
          f"({result['database']}); server RSS {result['rss_mb']['first_minute_mean']} MB first minute, "
          f"{result['rss_mb']['last_minute_mean']} MB last minute")
    for example in result["error_examples"]:
        print(f"  error: {example}")
    sys.exit(1 if result["errors"] or result["writer_failures"] or not result["server_alive"] else 0)


if __name__ == "__main__":
    main()
