"""Throughput of every way claimledger can run, as ratios to a bare spaCy parse, in one run.

    python scripts/bench_scale.py [--docs 1000] [--words 300] [--slice 50] [--pg URL] [--no-ray]
    python scripts/bench_scale.py --growth          # time and memory at 1,000 and 10,000 documents
    python scripts/bench_scale.py --length          # cost per word of 100- and 10,000-word articles

The corpus comes from scripts/make_corpus.py (deterministic). Engines, one after the other on the
same documents: a bare `nlp.pipe` parse with the same model, the whole analysis, ingest into a
fresh SQLite file and into a fresh PostgreSQL database (all four pinned to one core, as the issue
asks "on one core", and interleaved slice by slice so that the machine's drift falls on all four), then ingest into SQLite with one worker (in process, as `--workers 1`), two
worker processes (`--workers 2`) and a local Ray instance with two actors (`--engine ray`), each
unpinned. Peak memory per worker is the highest VmHWM of the processes that did the analysis,
read from /proc while they run. `--growth` runs `claimledger ingest --workers 2` in a child
process at each size, so the memory figures are that ingest's alone.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from make_corpus import generate, paragraph_pool  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from claimledger.analysis.analyzer import Analyzer  # noqa: E402
from claimledger.analysis.pipeline import load_stock_nlp  # noqa: E402
from claimledger.analysis.schema import Document  # noqa: E402
from claimledger.ledger.book import Ledger, counts  # noqa: E402
from claimledger.ledger.store import open_engine  # noqa: E402


# --- memory of the processes doing the work ---------------------------------------------------------
def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> list[int]:
    tree, found, stack = _children(), [], [pid]
    while stack:
        for child in tree.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def children_of(pid: Callable[[], int | None]) -> Callable[[], list[int]]:
    """The worker processes of a pool started by the process `pid()` names (forked: no telling name)."""
    return lambda: _children().get(pid() or -1, [])


def ray_actors() -> list[int]:
    return [p for p in _descendants(os.getpid()) if "MapWorker" in _cmdline(p)]


class WorkerMemory:
    """Samples the peak resident memory (VmHWM) of the processes that `workers()` lists."""

    def __init__(self, workers: Callable[[], list[int]]):
        self.workers, self.peak_kb, self._stop = workers, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            for pid in self.workers():
                self.peak_kb = max(self.peak_kb, _status_kb(pid, "VmHWM"))

    def __enter__(self) -> WorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# --- the engines ------------------------------------------------------------------------------------
@contextmanager
def one_core():
    """Pin this process to its first allowed core for the duration (the issue's "on one core")."""
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, allowed)


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def add_all(ledger: Ledger, part: list[Document], analyzer: Analyzer) -> None:
    for document, analysis in zip(part, analyzer.analyze_many(part)):
        ledger.add(document, analysis)


def interleaved(steps: dict[str, Callable[[list[Document]], object]], docs: list[Document], size: int) -> dict[str, float]:
    """Seconds each step takes over all of `docs`, run slice by slice with the steps' order rotated
    each slice, so that no step always runs first (warm caches) or last."""
    totals = dict.fromkeys(steps, 0.0)
    names = list(steps)
    for number, first in enumerate(range(0, len(docs), size)):
        part = docs[first:first + size]
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            totals[name] += timed(lambda: steps[name](part))
    return totals


def store(url: str, pairs: Callable[[], Iterable[tuple[Document, object]]]) -> tuple[float, dict]:
    """Seconds to store every pair into a fresh ledger at `url` (opening and migrating it not
    counted), and the ledger's row counts."""
    engine = open_engine(url)
    ledger = Ledger(engine)
    start = time.perf_counter()
    for document, analysis in pairs():
        ledger.add(document, analysis)
    seconds = time.perf_counter() - start
    table_counts = counts(engine)
    engine.dispose()
    return seconds, table_counts


@contextmanager
def postgres_database(url: str):
    admin = url.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{admin.rsplit('/', 1)[0]}/{name}"
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def documents(count: int, words: int, seed: int = 7, pool: list[str] | None = None) -> list[Document]:
    return [Document(text=r["text"], title=r["title"], url=r["url"], published=r["published"])
            for r in generate(count, words, seed, pool)]


def engines(args: argparse.Namespace) -> None:
    docs = documents(args.docs, args.words)
    words = sum(len(d.text.split()) for d in docs)
    analyzer = Analyzer()
    nlp = load_stock_nlp()  # the baseline: the model exactly as spaCy loads it
    list(analyzer.analyze_many(docs[:4]))  # warm both paths: first-call set-up is not throughput
    rows: list[tuple[str, float, str]] = []
    folder = tempfile.mkdtemp(prefix="claimledger-bench-")
    ledgers: dict[str, dict] = {}

    def in_process():
        return zip(docs, analyzer.analyze_many(docs))

    # The one-core rows are measured interleaved: the corpus is cut into slices of --slice documents
    # and every engine does each slice in turn (the order rotating from slice to slice), so that a
    # drift in this machine's speed (it moves 10-15 % within minutes) falls on all engines alike.
    # Each ingest row writes its slices into one ledger, so the ledgers end up whole.
    with contextlib.ExitStack() as stack:
        sqlite_ledger = Ledger(open_engine(f"sqlite:///{folder}/one.db"))
        steps: dict[str, Callable[[list[Document]], object]] = {
            "bare nlp.pipe parse (1 core)": lambda part: [None for _ in nlp.pipe((d.text for d in part), batch_size=32)],
            "parse, indexed attribute ruler (1 core)": lambda part: [None for _ in analyzer.nlp.pipe((d.text for d in part), batch_size=32)],
            "analysis (1 core)": lambda part: [None for _ in analyzer.analyze_many(part)],
            "ingest into SQLite (1 core)": lambda part: add_all(sqlite_ledger, part, analyzer),
        }
        ingest_ledgers = {"sqlite": sqlite_ledger}
        if args.pg:
            pg_ledger = Ledger(open_engine(stack.enter_context(postgres_database(args.pg))))
            steps["ingest into PostgreSQL (1 core)"] = lambda part: add_all(pg_ledger, part, analyzer)
            ingest_ledgers["postgres"] = pg_ledger
        with one_core():
            totals = interleaved(steps, docs, args.slice)
        for name, seconds in totals.items():
            rows.append((name, seconds, f"{len(docs) // args.slice + bool(len(docs) % args.slice)} interleaved slices"))
        for key, ledger in ingest_ledgers.items():
            ledgers[key] = counts(ledger.engine)
            ledger.engine.dispose()

    from claimledger.scale.pool import analyze_in_processes

    one_worker, _ = store(f"sqlite:///{folder}/w1.db", in_process)
    rows.append(("--workers 1 into SQLite", one_worker, f"peak RSS {_status_kb(os.getpid(), 'VmHWM') / 1024:,.0f} MB (this process)"))
    with WorkerMemory(children_of(os.getpid)) as memory:
        two_workers, ledgers["workers"] = store(f"sqlite:///{folder}/w2.db", lambda: analyze_in_processes(docs, 2))
    rows.append(("--workers 2 into SQLite", two_workers, f"{one_worker / two_workers:.2f}× one worker; peak RSS per worker {memory.peak_kb / 1024:,.0f} MB"))
    if not args.no_ray:
        rows.append(ray_row(docs, folder, ledgers, one_worker))

    parse_s = rows[0][1]
    print(f"{len(docs):,} documents, {words:,} words (make_corpus --docs {args.docs} --words {args.words}); {os.cpu_count()} cores")
    print(f"{'what':40} {'seconds':>8} {'words/s':>9} {'ratio to parse':>15}  notes")
    for name, seconds, note in rows:
        print(f"{name:40} {seconds:8.1f} {words / seconds:9,.0f} {parse_s / seconds:15.2f}  {note}")
    same = {json.dumps(c, sort_keys=True) for c in ledgers.values()}
    print("ledgers identical in every table's row count:", len(same) == 1, next(iter(ledgers.values())) if ledgers else "")


def ray_row(docs: list[Document], folder: str, ledgers: dict, one_worker: float) -> tuple[str, float, str]:
    from claimledger.scale.ray_engine import analyze_with_ray, ray_session

    start = time.perf_counter()
    with ray_session(None, 2):
        started = time.perf_counter() - start
        with WorkerMemory(ray_actors) as memory:
            seconds, ledgers["ray"] = store(f"sqlite:///{folder}/ray.db", lambda: analyze_with_ray(docs, actors=2))
    return ("Ray local, 2 actors, into SQLite", seconds,
            f"{one_worker / seconds:.2f}× one worker; Ray start {started:.0f} s not counted; peak RSS per actor {memory.peak_kb / 1024:,.0f} MB")


# --- growth with corpus size and with document length ------------------------------------------
def growth(args: argparse.Namespace) -> None:
    print(f"claimledger ingest --workers 2 into a fresh SQLite file; make_corpus --words {args.words}")
    # wait4's ru_maxrss covers the ingest process and the workers it has reaped: the largest of them
    print(f"{'documents':>10} {'words':>11} {'seconds':>8} {'ms/doc':>7} {'µs/word':>8} {'peak RSS, any':>13} {'worker RSS':>11}")
    for count in (1_000, 10_000):
        with tempfile.TemporaryDirectory() as folder:
            corpus = Path(folder) / "corpus.jsonl"
            subprocess.run([sys.executable, str(ROOT / "scripts" / "make_corpus.py"), "--docs", str(count),
                            "--words", str(args.words), "--out", str(corpus)], check=True)
            words = sum(len(json.loads(line)["text"].split()) for line in corpus.open())
            command = [str(ROOT / ".venv" / "bin" / "claimledger"), "ingest", str(corpus), "--db", f"sqlite:///{folder}/l.db", "--workers", "2"]
            child: subprocess.Popen | None = None
            with WorkerMemory(children_of(lambda: child.pid if child else None)) as memory:
                start = time.perf_counter()
                child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                _, status, usage = os.wait4(child.pid, 0)
                seconds = time.perf_counter() - start
            if status != 0:
                raise SystemExit(f"ingest of {count} documents failed with status {status}")
            print(f"{count:10,} {words:11,} {seconds:8.1f} {1000 * seconds / count:7.1f} {1e6 * seconds / words:8.1f} "
                  f"{usage.ru_maxrss / 1024:10,.0f} MB {memory.peak_kb / 1024:8,.0f} MB")


def length(args: argparse.Namespace) -> None:
    pool = paragraph_pool()
    analyzer = Analyzer()
    stock = load_stock_nlp()
    list(analyzer.analyze_many(documents(2, 300, pool=pool)))
    list(stock.pipe(d.text for d in documents(2, 300, pool=pool)))
    print("analysis on one core; the same number of words in short or long articles")
    print(f"{'article':>14} {'articles':>9} {'words':>8} {'seconds':>8} {'words/s':>8} {'parse words/s':>14} {'ratio':>6}")
    with one_core():
        for size, count in ((100, 600), (10_000, 6)):
            docs = documents(count, size, seed=11, pool=pool)
            words = sum(len(d.text.split()) for d in docs)
            totals = interleaved({
                "parse": lambda part: [None for _ in stock.pipe((d.text for d in part), batch_size=32)],
                "analysis": lambda part: [None for _ in analyzer.analyze_many(part)],
            }, docs, max(1, count // 12))
            parse, seconds = totals["parse"], totals["analysis"]
            print(f"{f'~{size:,} words':>14} {count:9,} {words:8,} {seconds:8.1f} {words / seconds:8,.0f} {words / parse:14,.0f} {parse / seconds:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=300, help="least words per generated document")
    parser.add_argument("--pg", default=os.environ.get("CLAIMLEDGER_TEST_PG_URL"), help="PostgreSQL server URL (default: $CLAIMLEDGER_TEST_PG_URL)")
    parser.add_argument("--no-ray", action="store_true", help="leave out the Ray engine")
    parser.add_argument("--slice", type=int, default=50, help="documents per interleaved slice of the one-core rows")
    parser.add_argument("--growth", action="store_true", help="ingest 1,000 and 10,000 documents with --workers 2")
    parser.add_argument("--length", action="store_true", help="100-word against 10,000-word articles")
    args = parser.parse_args()
    if args.growth:
        growth(args)
    elif args.length:
        length(args)
    else:
        engines(args)


if __name__ == "__main__":
    main()
