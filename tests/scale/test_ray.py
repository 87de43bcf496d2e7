"""The Ray engine, on a real local Ray instance (2 CPUs, 2 actors), gives the same analyses byte for
byte as the single-process Analyzer, in input order, and the same ledger, on SQLite and PostgreSQL.

One Ray instance serves the whole module (starting one takes 5–30 s); the CLI tests run in-process
with typer's runner so that `ingest --engine ray` uses it too. Without ray installed the module
skips, except under CI=true, where the test extra must have brought it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from claimledger.ingest.collect import Problem, collect
from claimledger.scale import ray_engine
from tests.conftest import ROOT
from tests.ledger.conftest import db_url  # noqa: F401 - the SQLite and PostgreSQL ledger fixture

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import ray  # noqa: F401
except ImportError:
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("ray is not installed: pip install -e '.[test]'", allow_module_level=True)

EXAMPLES = ROOT / "examples"
JSONL = EXAMPLES / "evros-fire.jsonl"


@pytest.fixture(scope="module")
def local_ray():
    with ray_engine.ray_session(cpus=2):
        yield


@pytest.fixture(scope="module")
def parquet_corpus(tmp_path_factory):
    """The JSONL example as Parquet, plus a row with no text that must come back as a problem."""
    records = [json.loads(line) for line in JSONL.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = tmp_path_factory.mktemp("parquet") / "evros.parquet"
    pq.write_table(pa.Table.from_pylist(records[:2] + [{"id": "no-text", "title": "nothing here"}] + records[2:]), path)
    return path


def _documents(*targets) -> list:
    return [item for item in collect([str(t) for t in targets]) if not isinstance(item, Problem)]


def _json(analysis) -> str:
    """The serialisation `claimledger analyze --format json` writes (less its newline)."""
    return json.dumps(analysis.to_dict(), ensure_ascii=False)


@pytest.fixture(scope="module")
def ray_tables(local_ray, parquet_corpus):
    dataset = ray_engine.input_dataset([str(EXAMPLES), str(parquet_corpus), "no-such-file.txt"], block_rows=2)
    return list(ray_engine.analysed_tables(dataset, actors=2, batch_size=2))


def test_analyses_are_byte_identical_to_one_process_in_input_order(ray_tables, analyzer, parquet_corpus):
    # the Parquet rows are the JSONL's records, so one process reading the JSONL is the reference
    expected = _documents(EXAMPLES) + _documents(JSONL)
    rows = [row for table in ray_tables for row in table.to_pylist()]
    analysed = [row for row in rows if not row["problem"]]
    assert [row["analysis"] for row in analysed] == [_json(a) for a in analyzer.analyze_many(expected)]
    assert len(analysed) == 11
    problems = [(row["where"], row["problem"]) for row in rows if row["problem"]]
    assert problems == [(str(parquet_corpus), 'a row: needs an object with a string "text"'),
                        ("no-such-file.txt", "no such file, directory or URL")]


def test_results_rebuild_the_same_documents_and_analyses(ray_tables, analyzer):
    items = [item for table in ray_tables for item in ray_engine.results(table)]
    pairs = [item for item in items if not isinstance(item, Problem)]
    expected = _documents(EXAMPLES) + _documents(JSONL)
    assert [document for document, _ in pairs] == expected  # ids keep their type, flags and dates too
    assert [_json(analysis) for _, analysis in pairs] == [_json(a) for a in analyzer.analyze_many(expected)]


def test_parquet_output_round_trips(ray_tables, tmp_path):
    with ray_engine.ParquetOut(tmp_path / "out") as parquet:
        for table in ray_tables:
            parquet.write(table)
    (written,) = (tmp_path / "out").glob("*.parquet")
    back = pq.read_table(written).to_pylist()
    analysed = [row for table in ray_tables for row in table.to_pylist() if not row["problem"]]
    assert back == analysed and len(back) == 11
    assert json.loads(back[0]["analysis"])["schema"] == "claimledger/analysis@1"


def test_analyze_with_ray_pairs_documents_in_input_order(local_ray, analyzer):
    documents = _documents(JSONL, EXAMPLES)
    pairs = list(ray_engine.analyze_with_ray(documents, actors=2, batch_size=3, chunk=5))  # two chunks
    assert [document.text for document, _ in pairs] == [document.text for document in documents]
    assert [_json(analysis) for _, analysis in pairs] == [_json(a) for a in analyzer.analyze_many(documents)]


def _cli(*args: str, input: str | None = None):
    from claimledger.cli import app

    return CliRunner().invoke(app, list(args), input=input)


def _ledger(url: str) -> tuple[dict, str]:
    from claimledger.export.ledger import ledger_dict
    from claimledger.ledger.book import counts
    from claimledger.ledger.store import open_engine

    engine = open_engine(url)
    try:
        return counts(engine), json.dumps(ledger_dict(engine), ensure_ascii=False, sort_keys=True)
    finally:
        engine.dispose()


def _unordered(exported: str):
    """The export with every list sorted: what it holds, whatever order the database gave."""

    def canonical(value):
        if isinstance(value, dict):
            return {key: canonical(item) for key, item in value.items()}
        if isinstance(value, list):
            return sorted((canonical(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
        return value

    return canonical(json.loads(exported))


@pytest.fixture(scope="module")
def local_ledger(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('local') / 'ledger.db'}"
    run = _cli("ingest", str(EXAMPLES), "--db", url, "--workers", "1")
    assert run.exit_code == 0, run.output
    return _ledger(url)


def test_ingest_with_ray_writes_the_same_ledger(local_ray, local_ledger, db_url, tmp_path):  # noqa: F811
    run = _cli("ingest", "--engine", "ray", "--workers", "2", str(EXAMPLES), "missing.txt", "--db", db_url, "--out", str(tmp_path / "pq"))
    assert run.exit_code == 0, run.output
    assert "skipped: missing.txt: no such file, directory or URL" in run.output
    assert "ingested 7 new documents (0 already in the ledger, 1 skipped)" in run.output
    table_counts, exported = _ledger(db_url)
    assert table_counts == local_ledger[0] and table_counts["claims"] > 20
    # the same rows: in the same order on SQLite; PostgreSQL sorts ties (NULLs) its own way
    assert _unordered(exported) == _unordered(local_ledger[1])
    if db_url.startswith("sqlite"):
        assert exported == local_ledger[1]
    assert len(pq.read_table(next((tmp_path / "pq").glob("*.parquet")))) == 7
    if db_url.startswith("postgresql"):
        return  # a second ingest of known documents is the same on both backends: once is enough
    again = _cli("ingest", "--engine", "ray", "--workers", "2", str(EXAMPLES), "--db", db_url)
    assert "ingested 0 new documents (7 already in the ledger, 0 skipped)" in again.output
    assert _ledger(db_url) == (table_counts, exported)


def test_ingest_with_ray_parquet_only_from_parquet_and_standard_input(local_ray, parquet_corpus, tmp_path, analyzer, monkeypatch):
    monkeypatch.setenv("CLAIMLEDGER_DB", str(tmp_path / "ledger.db"))
    text = (EXAMPLES / "harbour-strike.txt").read_text(encoding="utf-8")
    run = _cli("ingest", "--engine", "ray", "--workers", "2", "--no-ledger", "--out", str(tmp_path), str(parquet_corpus), "-",
               "--published", "2024-01-02", input=text)
    assert run.exit_code == 0, run.output
    assert "analysed 5 documents (1 skipped)" in run.output
    assert not (tmp_path / "ledger.db").exists()  # no ledger was asked for, none was opened
    rows = pq.read_table(next(tmp_path.glob("*.parquet"))).to_pylist()
    assert [row["id"] for row in rows] == ["fire-1", "fire-2", "fire-3", "fire-4", None]
    assert rows[-1]["where"] == "-" and rows[-1]["published"] == "2024-01-02"
    stdin_document = _documents(EXAMPLES / "harbour-strike.txt")[0]
    stdin_document.published = "2024-01-02"
    assert rows[-1]["analysis"] == _json(analyzer.analyze(stdin_document))


def test_options_of_the_ray_engine_are_checked(local_ray, tmp_path):
    assert "go with --engine ray" in _cli("ingest", str(EXAMPLES), "--out", "x").output
    assert "--no-ledger needs --out" in _cli("ingest", "--engine", "ray", "--no-ledger", str(EXAMPLES)).output
    missing = _cli("ingest", "--engine", "ray", "--model", "no_such_model", str(EXAMPLES), "--no-ledger", "--out", str(tmp_path))
    assert missing.exit_code == 2
    assert "spaCy pipeline 'no_such_model' is not installed" in missing.output and "Traceback" not in missing.output


def _claimledger(*args: str, prelude: str = "pass") -> subprocess.CompletedProcess:
    code = f"import sys; {prelude}; sys.argv = ['claimledger', *{list(args)!r}]; from claimledger.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_without_the_extra_one_line_says_how_to_install_it(tmp_path):
    # ray made unimportable in a fresh interpreter: what a user without the extra sees
    run = _claimledger("ingest", "--engine", "ray", str(EXAMPLES), "--db", str(tmp_path / "l.db"), prelude="sys.modules['ray'] = None")
    assert run.returncode == 2
    assert run.stderr.strip() == "error: the Ray engine needs the ray extra: pip install 'claimledger[ray]'"
    assert not (tmp_path / "l.db").exists()  # said before anything was opened


def test_an_unreachable_cluster_is_one_line():
    run = _claimledger("ingest", "--engine", "ray", "--address", "127.0.0.1:1", str(EXAMPLES), "--no-ledger", "--out", "unused")
    assert run.returncode == 2
    assert run.stderr.strip().startswith("error: cannot reach Ray at 127.0.0.1:1:") and "\n" not in run.stderr.strip()
