"""Kill -9 in the middle of an ingest: every document is stored once and whole, and a rerun finishes.

A real `claimledger ingest` subprocess on a JSONL file of a few hundred short articles is killed
with SIGKILL once part of the corpus is in, then run again to the end.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from claimledger.ledger.models import ClaimRow, DocumentRow, FigureRow
from claimledger.ledger.store import open_engine, sessions
from tests.conftest import ROOT

DOCUMENTS = 240
SPEAKERS = ["The mayor", "Officials", "The ministry", "A spokesperson for the agency", "Police"]


def corpus(path, documents: int = DOCUMENTS) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(documents):
            speaker = SPEAKERS[i % len(SPEAKERS)]
            text = (
                f"Report {i}. {speaker} said on Monday that {100 + i} homes were damaged by the storm in district {i}. "
                f"\"We counted {i * 3 + 7} families in shelters,\" {speaker.lower()} said, adding that about {i + 20} roads were closed. "
                f"Residents said the water rose quickly."
            )
            out.write(json.dumps({"id": i, "text": text, "published": f"2024-03-{1 + i % 28:02d}", "url": f"https://example.org/{i}"}) + "\n")


def stored(url: str) -> int:
    engine = open_engine(url, migrate_schema=False)
    try:
        with sessions(engine)() as session:
            return session.execute(select(func.count()).select_from(DocumentRow)).scalar_one()
    except Exception:  # noqa: BLE001 - the schema may not exist yet in the first second
        return 0
    finally:
        engine.dispose()


def survivors(corpus) -> list[int]:
    """Processes still running an ingest of this corpus (the killed one's workers, if they leaked)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if str(corpus) in command and "ingest" in command:
                found.append(int(entry.name))
    return found


def ingest_command(url: str, path) -> list[str]:
    return [sys.executable, "-m", "claimledger.cli", "ingest", str(path), "--db", url]


def test_kill_nine_loses_nothing_and_leaves_nothing_half_done(db_url, tmp_path):
    path = tmp_path / "corpus.jsonl"
    corpus(path)
    process = subprocess.Popen(ingest_command(db_url, path), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while stored(db_url) < DOCUMENTS // 6:
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the ingest stored too little in four minutes"
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while survivors(path) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not survivors(path), "analysis workers outlived the killed ingest"
    partial = stored(db_url)
    assert 0 < partial < DOCUMENTS, "the kill should land part way"

    rerun = subprocess.run(ingest_command(db_url, path), cwd=ROOT, capture_output=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr.decode()
    assert "already in the ledger" in rerun.stderr.decode()

    engine = open_engine(db_url)
    with sessions(engine)() as session:
        documents = session.execute(select(DocumentRow)).scalars().all()
        assert len(documents) == DOCUMENTS  # every document, once (the id is the primary key)
        assert len({d.url for d in documents}) == DOCUMENTS
        claims = dict(session.execute(select(ClaimRow.document_id, func.count()).group_by(ClaimRow.document_id)).all())
        figures = dict(session.execute(select(FigureRow.document_id, func.count()).group_by(FigureRow.document_id)).all())
        for document in documents:  # none half-stored: what the document row promises is all there
            assert claims.get(document.id, 0) == document.claim_count
            assert figures.get(document.id, 0) == document.figure_count
            assert document.figure_count >= 3
    engine.dispose()


def test_kill_nine_during_a_rebuild_leaves_the_ledger_as_it_was(db_url, tmp_path):
    """A rebuild is one transaction: killed part way, the ledger is the one before it, and a rerun
    finishes it."""
    from tests.ledger.test_book import snapshot

    path = tmp_path / "corpus.jsonl"
    corpus(path, documents=90)
    # the later half of the month first, then the earlier: a rebuild changes what the ingests made
    lines = path.read_text(encoding="utf-8").splitlines()
    halves = {"later": [l for l in lines if json.loads(l)["published"] >= "2024-03-15"],
              "earlier": [l for l in lines if json.loads(l)["published"] < "2024-03-15"]}
    for name, part in halves.items():
        (tmp_path / f"{name}.jsonl").write_text("\n".join(part) + "\n", encoding="utf-8")
        ingested = subprocess.run([*ingest_command(db_url, tmp_path / f"{name}.jsonl"), "--no-rebuild"], cwd=ROOT,
                                  capture_output=True, timeout=600)
        assert ingested.returncode == 0, ingested.stderr.decode()
    assert "out of date order" in ingested.stderr.decode(), ingested.stderr.decode()
    engine = open_engine(db_url)
    before = snapshot(engine)

    rebuild = [sys.executable, "-m", "claimledger.cli", "rebuild", "--db", db_url]
    process = subprocess.Popen(rebuild, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert b"re-reading the ledger's" in process.stderr.readline()  # the first document is being read again
    time.sleep(0.5)
    assert process.poll() is None, "the rebuild ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert snapshot(engine) == before

    finished = subprocess.run(rebuild, cwd=ROOT, capture_output=True, timeout=600)
    assert finished.returncode == 0, finished.stderr.decode()
    after = snapshot(engine)
    assert after != before and after["documents"] == before["documents"]
    engine.dispose()
