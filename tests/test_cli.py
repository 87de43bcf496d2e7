"""The `claimledger` command as users and outside scorers run it: a real subprocess each time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "harbour-strike.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "claimledger.cli", *args],
        input=stdin, capture_output=True, cwd=ROOT, timeout=300,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    stderr = result.stderr.decode()
    assert result.returncode != 0
    assert "Traceback" not in stderr
    assert stderr.strip().count("\n") == 0, stderr
    for word in words:
        assert word in stderr


def test_analyze_file_prints_analysis_json():
    result = run("analyze", str(EXAMPLE), "--published", "2025-10-09")
    assert result.returncode == 0, result.stderr.decode()
    analysis = json.loads(result.stdout)
    assert analysis["schema"] == "claimledger/analysis@1"
    assert analysis["document"]["published"] == "2025-10-09"
    assert len(analysis["document"]["id"]) == 64
    assert any(a["source"] and "Berg" in (a["source"]["canonical"] or "") for a in analysis["attributions"])


def test_analyze_stdin_table():
    result = run("analyze", "-", "--format", "table", stdin="“We will win,” the coach said.".encode())
    assert result.returncode == 0
    assert "the coach" in result.stdout.decode()


def test_jsonl_copies_ids_in_order_and_skips_a_bad_line(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "first", "text": "The mayor said the bridge would reopen."}\n'
        "not json at all\n"
        '{"id": 2, "text": "Officials told AP that talks had failed.", "published": "2024-05-01"}\n',
        encoding="utf-8",
    )
    result = run("analyze", "--jsonl", str(source))
    assert result.returncode == 0
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [line["id"] for line in lines] == ["first", 2]
    assert lines[1]["document"]["published"] == "2024-05-01"
    assert "line 2" in result.stderr.decode()


def test_directory_to_brat(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "one.txt").write_text("“Prices will fall,” the minister said on Monday.", encoding="utf-8")
    (texts / "two.txt").write_text("According to the union, 60 ships are waiting.", encoding="utf-8")
    out = tmp_path / "out"
    result = run("analyze", str(texts), "--format", "brat", "--out", str(out))
    assert result.returncode == 0, result.stderr.decode()
    ann = (out / "one.ann").read_text(encoding="utf-8")
    assert "\tCue " in ann and "\tSource " in ann and "\tContent " in ann
    event = next(line for line in ann.splitlines() if line.startswith("E"))
    assert event.split("\t")[1].startswith("Attribution:T")
    assert (out / "two.ann").exists()


@pytest.mark.parametrize(
    "args, words",
    [
        (("analyze", "no/such/file.txt"), ("no such file",)),
        (("analyze", str(EXAMPLE), "--published", "23/09/2022"), ("YYYY-MM-DD",)),
        (("analyze", str(EXAMPLE), "--model", "xx_no_such_model"), ("xx_no_such_model",)),
    ],
)
def test_bad_arguments_get_one_line_errors(args, words):
    assert_one_line_error(run(*args), *words)


def test_binary_input_gets_one_line_error(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    assert_one_line_error(run("analyze", str(binary)), "binary")


def test_invalid_utf8_is_decoded_and_flagged(tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le ministre a déclaré que la réforme était nécessaire, selon l'agence.".encode("latin-1"))
    result = run("analyze", str(latin))
    assert result.returncode == 0
    analysis = json.loads(result.stdout)
    assert any(flag.startswith("decoded:") for flag in analysis["flags"])


def test_empty_input_is_flagged_not_an_error():
    result = run("analyze", "-", stdin=b"")
    assert result.returncode == 0
    assert "empty" in json.loads(result.stdout)["flags"]
    assert "empty" in result.stderr.decode()


def test_help_answers():
    result = run("analyze", "--help")
    assert result.returncode == 0
    for option in ("--format", "--jsonl", "--published", "--model", "--out"):
        assert option in result.stdout.decode()


def test_ingest_ledger_export_and_grade_on_a_sqlite_file(tmp_path):
    db = str(tmp_path / "ledger.db")
    first = run("ingest", str(ROOT / "examples"), "--db", db)
    assert first.returncode == 0, first.stderr.decode()
    assert "ingested 7 new documents" in " ".join(first.stderr.decode().split())
    again = run("ingest", str(ROOT / "examples"), "--db", db)
    assert "ingested 0 new documents (7 already in the ledger" in " ".join(again.stderr.decode().split())

    exported = run("export", "--format", "json", "--db", db)
    data = json.loads(exported.stdout)
    assert data["schema"] == "claimledger/ledger@1"
    assert set(data) >= {"documents", "sources", "claims", "series", "relations"}
    assert {r["type"] for r in data["relations"]} >= {"revision", "conflict", "corroboration", "discrepancy"}
    for point in data["series"][0]["points"]:
        assert set(point) >= {"claim_id", "source_id", "value", "low", "high", "change", "as_of", "document_id"}

    csv_out = tmp_path / "claims.csv"
    assert run("export", "--format", "csv", "--db", db, "--out", str(csv_out)).returncode == 0
    import csv

    rows = list(csv.DictReader(csv_out.open(encoding="utf-8")))
    assert len(rows) == len(data["claims"]) and {r["claim_id"] for r in rows} == {c["id"] for c in data["claims"]}

    graded = run("source", "grade", "Fire Service", "b", "--db", db)
    assert graded.returncode == 0, graded.stderr.decode()
    data = json.loads(run("export", "--db", db).stdout)
    assert [s["reliability"] for s in data["sources"] if s["name"] == "Fire Service"] == ["B"]
    assert_one_line_error(run("source", "grade", "Nobody At All", "B", "--db", db), "no single source")
    assert_one_line_error(run("source", "grade", "Fire Service", "Z", "--db", db), "not one of")

    claim_id = data["claims"][0]["id"]
    assert run("claim", "rate", claim_id, "false", "--explanation", "Wrong.", "--db", db).returncode == 0
    reviews = json.loads(run("export", "--format", "claimreview", "--db", db).stdout)
    assert [r["identifier"] for r in reviews] == [claim_id] and reviews[0]["reviewRating"]["ratingValue"] == 1
    assert_one_line_error(run("claim", "rate", "no-such-claim", "false", "--db", db), "no claim")

    shown = run("ledger", "--db", db)
    assert shown.returncode == 0 and b"relations" in shown.stdout and b"hectares burned" in shown.stdout


def test_an_ingest_puts_its_documents_in_date_order_and_rebuilds_for_older_ones(tmp_path):
    """A feed lists its newest article first: one ingest puts its documents in date order before it
    reads them; a later ingest of older documents notices, re-reads the ledger in date order, and
    ends with the ledger a date-ordered ingest makes; --no-rebuild leaves that to `rebuild`."""
    story = (ROOT / "tests" / "ledger" / "heldout3" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    dated = sorted(story, key=lambda line: json.loads(line)["published"])
    half = len(dated) // 2
    files = {"oldest-first": dated, "newest-first": dated[::-1], "newer": dated[half:], "older": dated[:half]}
    for name, lines in files.items():
        (tmp_path / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def ingest(db: str, name: str, *options: str) -> str:
        ingested = run("ingest", str(tmp_path / f"{name}.jsonl"), "--db", db, *options)
        assert ingested.returncode == 0, ingested.stderr.decode()
        return " ".join(ingested.stderr.decode().split())

    def exported(db: str) -> dict:
        data = json.loads(run("export", "--db", db).stdout)
        data.pop("generated", None)
        return data

    wanted_db, reversed_db, late_db, left_db = (str(tmp_path / f"{n}.db") for n in ("wanted", "reversed", "late", "left"))
    assert "out of date order" not in ingest(wanted_db, "oldest-first")
    wanted = exported(wanted_db)
    assert "out of date order" not in ingest(reversed_db, "newest-first")
    assert exported(reversed_db) == wanted

    ingest(late_db, "newer")
    said = ingest(late_db, "older")
    assert f"{half} documents arrived out of date order" in said and f"re-reading the ledger's {len(story)} documents" in said
    assert f"rebuilt the ledger from {len(story)} documents" in said
    assert exported(late_db) == wanted

    ingest(left_db, "newer")
    assert "`claimledger rebuild`" in ingest(left_db, "older", "--no-rebuild")
    assert exported(left_db) != wanted
    rebuild = run("rebuild", "--db", left_db)
    assert rebuild.returncode == 0, rebuild.stderr.decode()
    assert exported(left_db) == wanted


def test_ledger_commands_give_one_line_errors_for_bad_databases(tmp_path):
    assert_one_line_error(run("ledger", "--db", "nosuchdriver://x/y"), "database URL")
    assert_one_line_error(run("ledger", "--db", str(tmp_path / "missing-dir" / "x.db")), "cannot open the ledger")
    assert_one_line_error(run("ingest", "--db", str(tmp_path / "l.db")), "give files")
    missing = run("ingest", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "l.db"))
    assert missing.returncode == 0 and b"no such file" in missing.stderr


def test_eval_weasel_scores_a_csv_through_the_analysis(tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text(
        "text,label\n"
        '"Some critics argue that the plan could have failed.",1\n'
        '"The bridge was opened in 1932.",0\n'
        '"It is widely believed to be the oldest church in the city.",1\n',
        encoding="utf-8",
    )
    result = run("eval", "weasel", str(path), "--json")
    assert result.returncode == 0, result.stderr.decode()
    scores = json.loads(result.stdout)
    assert scores["sentences"] == 3 and scores["tp"] + scores["fn"] == 2
    assert scores["uncertain"]["f1"] == 1.0
    assert_one_line_error(run("eval", "weasel", str(tmp_path / "missing.csv")), "no such file")


def test_an_ingest_that_ties_a_known_person_to_a_body_rebuilds(tmp_path):
    bare = {"text": "General manager Claudio Mendiburu told analysts on Monday that 2,300 barrels had leaked.",
            "published": "2025-09-15", "url": "https://example.org/a"}
    tied = {"text": "Petrolera Costa Norte S.A. raised its estimate on Wednesday. Company general manager Claudio "
                    "Mendiburu told reporters that 6,000 barrels had leaked.", "published": "2025-09-17", "url": "https://example.org/b"}
    db = str(tmp_path / "ledger.db")
    for name, line in (("bare", bare), ("tied", tied)):
        (tmp_path / f"{name}.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
        ingested = run("ingest", str(tmp_path / f"{name}.jsonl"), "--db", db)
        assert ingested.returncode == 0, ingested.stderr.decode()
    said = " ".join(ingested.stderr.decode().split())
    assert "1 document ties a person the ledger already held to a body" in said and "rebuilt the ledger from 2" in said
    sources = {s["name"] for s in json.loads(run("export", "--db", db).stdout)["sources"]}
    assert "Claudio Mendiburu" not in sources and "Petrolera Costa Norte S.A" in sources
