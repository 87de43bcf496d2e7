"""Faults during an ingest (issue 7, "Faults"): the disk filling up, the database server restarting,
and two ingests of the same corpus at once. Kill -9 mid-ingest is tests/ledger/test_kill.py.

Every test runs real `claimledger ingest` processes over a generated corpus into real databases: a
SQLite file (on a small tmpfs for the full disk) and PostgreSQL (the shared test server, or for the
restart a throwaway cluster of this test's own, so the shared one is never stopped). After each
fault the ledger is opened and checked whole: every stored document has all its claims and figures,
nothing is stored twice, and a rerun brings it to the full corpus.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from claimledger.analysis.schema import Document
from claimledger.ledger.book import Ledger
from claimledger.ledger.models import AliasRow, ClaimRow, DocumentRow, FigureRow, RelationRow, SeriesRow, SourceRow
from claimledger.ledger.store import LedgerError, open_engine, sessions
from tests.conftest import ROOT

SPEAKERS = ["The mayor", "Officials", "The ministry", "A spokesperson for the agency", "Police", "The Red Cross"]
TABLES = (DocumentRow, SourceRow, AliasRow, ClaimRow, SeriesRow, FigureRow, RelationRow)


def write_corpus(path: Path, documents: int, tag: str = "storm") -> list[str]:
    """A JSONL corpus of distinct short reports with attributed figures that form series."""
    texts = []
    with path.open("w", encoding="utf-8") as out:
        for i in range(documents):
            speaker = SPEAKERS[i % len(SPEAKERS)]
            text = (
                f"{tag.title()} update {i}. {speaker} said on Tuesday that {200 + 7 * i} homes were damaged in {tag} district {i}. "
                f"\"At least {i * 5 + 11} families are in shelters,\" {speaker.lower()} said. "
                f"The agency said about {i + 30} roads were closed, and officials believe repairs may take weeks."
            )
            texts.append(text)
            out.write(json.dumps({"id": i, "text": text, "published": f"2024-04-{1 + i % 28:02d}", "url": f"https://example.org/{tag}/{i}"}) + "\n")
    return texts


def ingest(db: str, corpus: Path, **popen) -> subprocess.Popen:
    # one analysis process: the machine running the tests is small, and the faults are in the writer
    command = [sys.executable, "-m", "claimledger.cli", "ingest", str(corpus), "--db", db, "--workers", "1"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **popen)


def stored(db: str) -> int:
    """Documents committed so far, read through a connection of our own (0 before the schema exists)."""
    engine = open_engine(db, migrate_schema=False)
    try:
        with sessions(engine)() as session:
            return session.execute(select(func.count()).select_from(DocumentRow)).scalar_one()
    except Exception:  # noqa: BLE001 - the tables may not exist yet, or the server may be down
        return 0
    finally:
        engine.dispose()


def wait_until_stored(db: str, process: subprocess.Popen, at_least: int, limit_s: float = 180) -> int:
    deadline = time.monotonic() + limit_s
    while (count := stored(db)) < at_least:
        assert process.poll() is None, f"the ingest ended early: {process.stderr.read().decode()}"
        assert time.monotonic() < deadline, f"only {count} documents stored in {limit_s:.0f} s"
        time.sleep(0.1)
    return count


def contents(db: str) -> dict[str, set[str]]:
    """Every table's primary keys."""
    engine = open_engine(db, migrate_schema=False)
    try:
        with sessions(engine)() as session:
            return {
                table.__tablename__: set(session.execute(select(*table.__table__.primary_key.columns)).scalars())
                for table in TABLES
            }
    finally:
        engine.dispose()


def assert_whole(db: str) -> int:
    """No half-stored document: each document row's claims and figures are all there; returns the count."""
    engine = open_engine(db, migrate_schema=False)
    try:
        with sessions(engine)() as session:
            documents = session.execute(select(DocumentRow.id, DocumentRow.claim_count, DocumentRow.figure_count)).all()
            claims = dict(session.execute(select(ClaimRow.document_id, func.count()).group_by(ClaimRow.document_id)).all())
            figures = dict(session.execute(select(FigureRow.document_id, func.count()).group_by(FigureRow.document_id)).all())
            orphans = session.execute(select(func.count()).select_from(ClaimRow).where(ClaimRow.document_id.not_in(select(DocumentRow.id)))).scalar_one()
    finally:
        engine.dispose()
    assert orphans == 0, "claims without their document"
    for identifier, claim_count, figure_count in documents:
        assert claims.get(identifier, 0) == claim_count and claim_count >= 2, f"document {identifier[:12]} is half-stored"
        assert figures.get(identifier, 0) == figure_count and figure_count >= 3, f"document {identifier[:12]} is half-stored"
    return len(documents)


def one_line_error(stderr: bytes) -> str:
    text = stderr.decode(errors="replace").strip()
    assert "Traceback" not in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), text
    return lines[0]


# --- disk full -----------------------------------------------------------------------------------

@pytest.fixture
def small_tmpfs():
    """A 1 MiB tmpfs (root only); yields (folder, grow) where grow() makes room again."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; test_disk_full_by_page_limit covers the unprivileged case")
    folder = Path(tempfile.mkdtemp(prefix="claimledger-full-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")

    def grow() -> None:
        subprocess.run(["mount", "-o", "remount,size=64m", str(folder)], check=True)

    try:
        yield folder, grow
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def test_disk_full_is_a_one_line_error_and_the_database_stays_intact(small_tmpfs, tmp_path):
    folder, grow = small_tmpfs
    corpus = tmp_path / "corpus.jsonl"
    documents = 80  # about 36 KB each stored: far more than the 1 MiB disk holds
    write_corpus(corpus, documents, "flood")
    db = str(folder / "ledger.db")

    process = ingest(db, corpus)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 1, stderr.decode()
    line = one_line_error(stderr)
    assert "database or disk is full" in line and "ledger.db" in line

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    before = assert_whole(f"sqlite:///{db}")
    assert 0 < before < documents, "the disk should fill part way through"

    grow()  # room again: the same command finishes the corpus, keeping what was stored
    rerun = ingest(db, corpus)
    _, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr.decode()
    assert f"{documents - before} new documents ({before} already in the ledger" in stderr.decode()
    assert assert_whole(f"sqlite:///{db}") == documents
    print(f"disk full: {before} of {documents} documents whole when the 1 MiB disk filled ({line}); after growing it: {documents}")


def test_disk_full_by_page_limit_without_root(analyzer, tmp_path):
    """The same fault for anyone: SQLite's max_page_count makes the file 'full' at a set size."""
    path = tmp_path / "ledger.db"
    engine = open_engine(str(path))
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    event.listen(engine, "connect", lambda connection, _: connection.execute(f"PRAGMA max_page_count = {pages + 40}"))
    engine.dispose()  # new connections from here on carry the limit
    texts = write_corpus(tmp_path / "corpus.jsonl", 40, "fire")
    documents = [Document(text=t, published="2024-04-02") for t in texts]
    analyses = list(analyzer.analyze_many(documents))
    ledger = Ledger(engine)
    added = 0
    with pytest.raises(LedgerError) as error:
        for document, analysis in zip(documents, analyses):
            ledger.add(document, analysis)
            added += 1
    assert "database or disk is full" in str(error.value) and "\n" not in str(error.value)
    assert 0 < added < len(documents)
    engine.dispose()
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert assert_whole(str(path)) == added

    ledger = Ledger(open_engine(str(path)))  # without the limit: the rest goes in, nothing twice
    results = [ledger.add(d, a) for d, a in zip(documents, analyses)]
    assert [r.added for r in results] == [False] * added + [True] * (len(documents) - added)
    assert assert_whole(str(path)) == len(documents)
    ledger.engine.dispose()
    print(f"page limit: {added} of {len(documents)} documents whole when the file was full; afterwards: {len(documents)}")


# --- the database server restarting --------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of this test's own on a free loopback port (as the postgres user under root)."""

    def __init__(self) -> None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not found:
            if os.environ.get("CI") == "true":
                pytest.fail("PostgreSQL server binaries are required when CI=true")
            pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql)")
        self.bin = found[-1].parent
        # not under pytest's tmp_path: that is private to root, and the server runs as postgres
        self.data = Path(tempfile.mkdtemp(prefix="claimledger-pg-"))
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
        self._run(f"'{self.bin}/initdb' -D '{self.data}' -A trust -U postgres --no-sync")
        self.start()
        self._run(f"'{self.bin}/createdb' -h 127.0.0.1 -p {self.port} -U postgres ledger")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/ledger"

    def _run(self, command: str) -> None:
        wrapped = ["su", "postgres", "-s", "/bin/sh", "-c", command] if os.geteuid() == 0 else ["sh", "-c", command]
        subprocess.run(wrapped, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run(f"'{self.bin}/pg_ctl' -D '{self.data}' -w -l '{self.data}/server.log' "
                  f"-o \"-c listen_addresses=127.0.0.1 -p {self.port} -k '{self.data}' -c fsync=off\" start")

    def stop(self, mode: str = "fast") -> None:
        self._run(f"'{self.bin}/pg_ctl' -D '{self.data}' -w -m {mode} stop")

    def remove(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # already down
        shutil.rmtree(self.data, ignore_errors=True)


@pytest.fixture
def own_cluster():
    cluster = Cluster()
    try:
        yield cluster
    finally:
        cluster.remove()


def test_database_server_restart_mid_ingest_is_retried_to_the_end(own_cluster, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    documents = 80
    write_corpus(corpus, documents, "quake")
    db = own_cluster.url
    process = ingest(db, corpus)
    before = wait_until_stored(db, process, documents // 4)
    # immediate: the server dies as in a crash, open transactions and connections with it
    own_cluster.stop("immediate")
    time.sleep(3)  # the ingest meets a dead server for a while, not just one dropped connection
    assert process.poll() is None, f"the ingest gave up at once: {process.stderr.read().decode()}"
    own_cluster.start()
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()
    assert before < documents
    assert assert_whole(db) == documents
    assert len(contents(db)["documents"]) == documents
    print(f"server restart: {before} of {documents} documents stored when the server was killed; {documents} at the end")


def test_a_server_that_stays_down_ends_in_one_line(own_cluster, analyzer, monkeypatch):
    """The retries are bounded: a database that does not come back is a LedgerError naming it."""
    from claimledger.ledger import store

    monkeypatch.setattr(store, "RETRY_ATTEMPTS", 3)  # the same loop, a shorter wait for the test
    ledger = Ledger(open_engine(own_cluster.url))
    text = "Police said 12 people were arrested on Monday, and officials said 40 homes were searched."
    document = Document(text=text, published="2024-05-08")
    analysis = analyzer.analyze(document)
    own_cluster.stop("immediate")
    started = time.monotonic()
    with pytest.raises(LedgerError) as error:
        ledger.add(document, analysis)
    message = str(error.value)
    assert "gave up after 3 attempts" in message and f":{own_cluster.port}/ledger" in message and "\n" not in message
    assert time.monotonic() - started < 10
    own_cluster.start()
    assert ledger.add(document, analysis).added  # and nothing half-stored stood in the way
    ledger.engine.dispose()


# --- two ingests at once -------------------------------------------------------------------------

TWICE_DOCUMENTS = 40


@pytest.fixture(scope="module")
def reference(analyzer, tmp_path_factory):
    """The corpus ingested once, alone, into SQLite (in this process, the way the command reads
    and adds it, and rebuilt in date order as the command does after documents that arrive out of
    it): what two ingests at once must add up to."""
    from claimledger.ingest.collect import Problem, collect

    folder = tmp_path_factory.mktemp("reference")
    corpus = folder / "corpus.jsonl"
    write_corpus(corpus, TWICE_DOCUMENTS, "drought")
    db = f"sqlite:///{folder / 'ledger.db'}"
    documents = [d for d in collect([str(corpus)], []) if not isinstance(d, Problem)]
    ledger = Ledger(open_engine(db))
    results = [ledger.add(d, a) for d, a in zip(documents, analyzer.analyze_many(documents))]
    assert all(r.added for r in results)
    assert not all(r.in_order for r in results)  # the corpus's dates wrap round: the command rebuilds
    ledger.rebuild()
    ledger.engine.dispose()
    return corpus, contents(db)


def test_two_ingests_of_the_same_corpus_at_once_store_everything_once(db_url, reference):
    corpus, expected = reference
    first, second = ingest(db_url, corpus), ingest(db_url, corpus)  # into a new, empty ledger: both migrate too
    outputs = [p.communicate(timeout=300)[1].decode() for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    new = [int(o.split("ingested ", 1)[1].split(" new", 1)[0]) for o in outputs]
    assert sum(new) == TWICE_DOCUMENTS, outputs  # each document was added by exactly one of them
    assert assert_whole(db_url) == TWICE_DOCUMENTS
    # the same rows, key for key, as one ingest alone: no duplicate source, series or relation, and
    # no relation missed because the two wrote side by side
    assert contents(db_url) == expected
    print(f"two at once ({db_url.split(':')[0]}): {new[0]} + {new[1]} new of {TWICE_DOCUMENTS}; "
          + ", ".join(f"{len(v)} {k}" for k, v in expected.items()))
