"""The web server under load from a second process while an ingest writes (issue 7, "Load").

Each test runs scripts/load.py: a real `claimledger serve` on loopback, a real `claimledger ingest`
writing into the same ledger, and 50 concurrent clients reading the API and the pages. `make test`
runs five seconds of it; `make stress` (CLAIMLEDGER_STRESS=1) runs the full minute on SQLite and,
when CLAIMLEDGER_TEST_PG_URL is set, on PostgreSQL, and a ten-minute soak over a fixed 500-document
ledger that checks the server's memory stays flat. The stress runs leave their figures in .cache/stress/*.json for docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ROOT

STRESS = os.environ.get("CLAIMLEDGER_STRESS") == "1"
stress_only = pytest.mark.skipif(not STRESS, reason="part of `make stress` (CLAIMLEDGER_STRESS=1)")
FIGURES = ROOT / ".cache" / "stress"


def load(tmp_path, seconds: float, clients: int = 50, db: str | None = None, name: str | None = None, *extra: str) -> dict:
    out = (FIGURES / f"{name}.json") if name else tmp_path / "load.json"
    command = [sys.executable, str(ROOT / "scripts" / "load.py"), "--clients", str(clients), "--seconds", str(seconds), "--json", str(out)]
    if db:
        command += ["--db", db]
    command += list(extra)
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 600)
    print(finished.stdout)
    assert out.exists(), finished.stdout + finished.stderr
    result = json.loads(out.read_text())
    assert finished.returncode == 0 and result["errors"] == 0, result["error_examples"] or finished.stderr[-2000:]
    assert result["server_alive"] and not result["writer_failures"]
    if result["writes_during"]:
        assert result["documents_after"] > result["documents_before"], "the ingest should write while the clients read"
    else:
        assert result["documents_after"] == result["documents_before"]
    assert result["requests"] >= clients and result["latency_ms"]["p99"] > 0
    return result


def test_fifty_clients_read_without_errors_while_an_ingest_writes(tmp_path):
    result = load(tmp_path, seconds=5)
    assert result["paths"] >= 25  # the mix reaches lists, searches, details, API and pages


@stress_only
def test_a_minute_of_fifty_clients_on_sqlite(tmp_path):
    load(tmp_path, seconds=60, name="load-sqlite")


@stress_only
def test_a_minute_of_fifty_clients_on_postgresql(tmp_path):
    admin = os.environ.get("CLAIMLEDGER_TEST_PG_URL")
    if not admin:
        pytest.skip("CLAIMLEDGER_TEST_PG_URL is not set; run: eval \"$(scripts/pg_local.sh)\"")
    name = f"cl_load_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        load(tmp_path, seconds=60, db=f"{admin.rsplit('/', 1)[0]}/{name}", name="load-postgresql")
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


SOAK_SECONDS = 600
FLAT_MB, FLAT_FRACTION = 20.0, 0.10


@stress_only
def test_memory_is_flat_over_a_ten_minute_soak(tmp_path):
    """The server's RSS in the last minute is within 20 MB or 10% (whichever is more) of its RSS in
    the second minute: the first is warm-up (lazy imports, the first chart drawn, caches filling).

    The ledger is filled to 500 documents first and then left as it is: some answers hold everything
    about a source or a series (GET /api/v1/sources/{id} lists all its claims), so with a writer
    adding documents the server's memory grows with them, leak or no leak. Reads during writes are
    the minute-long runs above."""
    result = load(tmp_path, SOAK_SECONDS, 50, None, "soak-sqlite", "--prefill", "500", "--no-writes")
    samples = result["rss_samples"]
    warm = [mb for t, mb in samples if 60 <= t < 120]
    last = [mb for t, mb in samples if t >= samples[-1][0] - 60]
    assert len(warm) > 30 and len(last) > 30
    baseline, final = statistics.mean(warm), statistics.mean(last)
    result["rss_mb"]["second_minute_mean"] = round(baseline, 1)
    (FIGURES / "soak-sqlite.json").write_text(json.dumps(result, indent=1))
    assert final - baseline <= max(FLAT_MB, FLAT_FRACTION * baseline), f"RSS grew from {baseline:.0f} MB to {final:.0f} MB"
