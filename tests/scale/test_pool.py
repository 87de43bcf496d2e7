"""Analysis in several processes gives the same ledger as one process, in the same order."""

from __future__ import annotations

import subprocess
import sys

from claimledger.ingest.collect import Problem, collect
from claimledger.scale.pool import analyze_in_processes
from tests.conftest import ROOT


def test_two_workers_give_the_same_analyses_in_order(analyzer):
    documents = [d for d in collect([str(ROOT / "examples")]) if not isinstance(d, Problem)]
    parallel = list(analyze_in_processes(iter(documents), workers=2, batch_size=2))
    assert [d.text for d, _ in parallel] == [d.text for d in documents]
    serial = [a.to_dict() for a in analyzer.analyze_many(documents)]
    assert [a.to_dict() for _, a in parallel] == serial


def test_ingest_with_workers_writes_the_same_ledger(tmp_path):
    exports = []
    for workers in ("1", "2"):
        db = str(tmp_path / f"w{workers}.db")
        run = subprocess.run([sys.executable, "-m", "claimledger.cli", "ingest", str(ROOT / "examples"), "--db", db, "--workers", workers],
                             cwd=ROOT, capture_output=True, timeout=600)
        assert run.returncode == 0, run.stderr.decode()
        exported = subprocess.run([sys.executable, "-m", "claimledger.cli", "export", "--db", db], cwd=ROOT, capture_output=True, timeout=300)
        exports.append(exported.stdout)
    assert exports[0] == exports[1] and len(exports[0]) > 1000
