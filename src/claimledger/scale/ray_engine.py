"""Analysis on a Ray cluster, or a local Ray instance, with Ray Data; results in input order.

Owns the Ray engine of `claimledger ingest --engine ray` and `analyze_with_ray`: starting or
joining Ray (`ray_session`), turning the inputs into one Ray Dataset (each target is read in a
worker: Parquet by pyarrow, every other target, JSONL included, by `collect`, the local engine's
own reader, so both engines see the same Documents), the actor pool that analyses it (`map_batches`
with a callable class: one Analyzer per actor), and the rows that come back to the driver in input
order, where the single writer stores them in the ledger and/or in Parquet files (`ParquetOut`).

Rows between the stages are plain strings so that any node can read them: before analysis
{where, document (a Document as JSON), problem}; after it the document's fields as columns plus
`analysis`, the Analysis JSON exactly as `claimledger analyze --format json` writes it.

Ray and pyarrow are imported inside functions only: claimledger works without the `ray` extra,
and `--engine ray` then says in one line how to install it.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import threading
import time
import types
import typing
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, fields, is_dataclass
from functools import partial
from itertools import islice
from pathlib import Path

from claimledger.analysis.schema import Analysis, Document
from claimledger.ingest.collect import Problem, collect
from claimledger.ingest.documents import is_url

BATCH_SIZE = 32  # documents per actor call: ~1–3 s of analysis, so Ray's per-batch overhead is noise
CHUNK = 10_000  # documents per dataset when `analyze_with_ray` streams an iterable it cannot read in the cluster
LOCAL_OBJECT_STORE = 512 * 1024 * 1024  # a local instance shares the machine: Ray's default is 30% of its memory
# Input rows per block: Ray hands an actor a whole block, so blocks of about one batch spread a
# target's documents over all the actors (a big JSONL file streams block by block).
BLOCK_ROWS = BATCH_SIZE
# Reading and parsing input files takes no CPU of its own in Ray's accounting: the actors hold every
# CPU for as long as they live, and a read task that waited for one would wait for ever.
INPUT_CPUS = 0
CONNECT_TIMEOUT_S = 10
INSTALL_HINT = "the Ray engine needs the ray extra: pip install 'claimledger[ray]'"

OUTPUT_COLUMNS = ("where", "problem", "id", "title", "url", "publisher", "author", "published", "flags", "text", "analysis")


class RayEngineError(RuntimeError):
    """Why the Ray engine cannot go on, in one line."""


def _ray():
    """The ray module, quiet and offline, or a RayEngineError saying how to install it."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no usage report leaves the machine
    try:
        import ray
        import ray.data
    except ImportError:
        raise RayEngineError(INSTALL_HINT) from None
    return ray


def require_ray() -> None:
    """A RayEngineError now, before anything is opened, when the ray extra is not installed."""
    _ray()


# --- starting or joining Ray ---------------------------------------------------------------------
@contextmanager
def ray_session(address: str | None = None, cpus: int | None = None) -> Iterator[None]:
    """Ray for the duration: the cluster at `address` (host:port, ray://host:port, auto), else a new
    local instance with `cpus` CPUs. A Ray already initialised in this process is used as it is."""
    ray = _ray()
    started = not ray.is_initialized()
    if started:
        _init(ray, address, cpus)
    _configure(ray)
    previous = _exit_on_sigterm() if started else None
    try:
        yield
    finally:
        if started:
            ray.shutdown()  # a local instance's processes would otherwise outlive this one
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm():
    """SIGTERM ends the process through `finally` (so Ray is shut down); the old handler, to restore."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def leave(signum, frame):
        raise SystemExit(128 + signum)

    return signal.signal(signal.SIGTERM, leave)


def _init(ray, address: str | None, cpus: int | None) -> None:
    # Ray's notices (token authentication on by default, and the like) would drown the CLI's lines;
    # what goes wrong still comes back as an exception
    logging.getLogger("ray").setLevel(logging.ERROR)
    quiet = {"logging_level": logging.ERROR, "log_to_driver": False}
    try:
        if address is None:
            # "local" always starts a new instance: never join a cluster someone else started here
            ray.init(address="local", num_cpus=cpus or os.cpu_count() or 1, include_dashboard=False,
                     object_store_memory=LOCAL_OBJECT_STORE, **quiet)
        else:
            _reachable(address)
            ray.init(address=address, **quiet)
    except RayEngineError:
        raise
    except Exception as error:  # Ray raises ConnectionError, RuntimeError, ValueError... for a bad address
        where = f"at {address}" if address else "locally"
        raise RayEngineError(f"cannot start or reach Ray {where}: {_first_line(error)}") from None


def _reachable(address: str) -> None:
    """A host:port that does not answer is said at once: Ray itself would retry for minutes."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if address == "auto" or not host or not port.isdigit():
        return  # "auto" is found by Ray from RAY_ADDRESS or the cluster started on this machine
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as error:
        raise RayEngineError(f"cannot reach Ray at {address}: {error.strerror or error}") from None


def _configure(ray) -> None:
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # the writer must store in input order
    context.enable_progress_bars = False  # the CLI draws its own progress
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # else it says, at each run, that bars are off
    # a corpus smaller than one block per actor is not worth a warning
    warnings.filterwarnings("ignore", message="The minimum number of concurrent actors", category=UserWarning)


def cluster_cpus() -> int:
    return max(1, int(_ray().cluster_resources().get("CPU", 1)))


# --- inputs --------------------------------------------------------------------------------------
INPUT_COLUMNS = ("where", "document", "problem")


def _row(where: str, document: Document | None = None, problem: str = "") -> dict[str, str]:
    return {"where": where, "document": json.dumps(asdict(document), ensure_ascii=False) if document else "", "problem": problem}


def _item_row(item: Document | Problem, where: str = "") -> dict[str, str]:
    return _row(item.where, problem=item.message) if isinstance(item, Problem) else _row(where, item)


def _input_table(rows: list[dict]):
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=pa.schema([(name, pa.string()) for name in INPUT_COLUMNS]))


def _request(target: str, kind: str) -> dict[str, str]:
    """What a worker is asked to read. Local paths are made absolute: workers have their own cwd."""
    local = kind != "feed" and "://" not in target
    return {"target": target, "kind": kind, "path": str(Path(target).absolute()) if local else target, "inline": ""}


def _kind(target: str) -> str:
    if target.lower().endswith(".parquet") and not is_url(target) and ("://" in target or Path(target).is_file()):
        return "parquet"  # a local file, or a URI pyarrow reads (s3://bucket/day.parquet)
    return "collect"


def _read_requests(table, block_rows: int) -> Iterator:
    """In a worker: the input rows of each request, `block_rows` at a time."""
    rows: list[dict] = []
    for request in table.to_pylist():
        for row in _rows_of(request):
            rows.append(row)
            if len(rows) >= block_rows:
                yield _input_table(rows)
                rows = []
    if rows:
        yield _input_table(rows)


def _rows_of(request: dict) -> Iterator[dict]:
    if request["kind"] == "inline":
        yield json.loads(request["inline"])
    elif request["kind"] == "parquet":
        yield from _parquet_rows(request["path"], request["target"])
    else:
        yield from _collected_rows(request)


def _collected_rows(request: dict) -> Iterator[dict]:
    """Read by `collect`, the local engine's own reader: files, directories, JSONL, URLs and feeds
    become the same Documents and Problems as there."""
    feed = request["kind"] == "feed"
    path = request["path"]
    for item in collect([] if feed else [path], [path] if feed else []):
        if isinstance(item, Problem) and not feed and item.where.startswith(path):
            item = Problem(request["target"] + item.where[len(path):], item.message)  # named as the user gave it
        yield _item_row(item, request["target"])


def _parquet_rows(path: str, where: str) -> Iterator[dict]:
    """Parquet rows read as JSONL records are (the same columns, the same rules for ids and dates),
    a record batch at a time. Read with pyarrow here rather than ray.data.read_parquet, whose
    helper actors would wait for CPUs that the analysis actors hold."""
    import pyarrow.fs
    import pyarrow.parquet as pq

    from claimledger.ingest.documents import JsonlProblem, read_jsonl

    filesystem, inside = pyarrow.fs.FileSystem.from_uri(path) if "://" in path else (None, path)
    for batch in pq.ParquetFile(inside, filesystem=filesystem).iter_batches(batch_size=256):
        for record in batch.to_pylist():
            # dates and timestamps become text, which read_jsonl then cuts to YYYY-MM-DD
            (item,) = read_jsonl(iter([json.dumps(record, ensure_ascii=False, default=str)]))
            if isinstance(item, JsonlProblem):
                yield _row(where, problem=item.message.replace("line 1: ", "a row: ", 1))
            elif not item.text.strip():
                yield _row(where, problem="a row: empty: no text to ingest")  # as `collect` says of a JSONL line
            else:
                yield _row(where, item)


def input_dataset(targets: list[str], feeds: list[str] = (), block_rows: int = BLOCK_ROWS):
    """One dataset of input rows, in the order of `targets` then `feeds`; None when there is nothing.
    Each target is read in a worker, one task each; standard input only here, on the driver."""
    ray = _ray()
    requests = []
    for target in targets:
        if target == "-":
            requests += [{"target": "-", "kind": "inline", "path": "", "inline": json.dumps(_item_row(item, "-"))}
                         for item in collect(["-"])]
        else:
            requests.append(_request(target, _kind(target)))
    requests += [_request(feed, "feed") for feed in feeds]
    if not requests:
        return None
    return ray.data.from_items(requests, override_num_blocks=len(requests)).map_batches(
        partial(_read_requests, block_rows=block_rows), batch_size=1, batch_format="pyarrow", num_cpus=INPUT_CPUS)


# --- analysis ------------------------------------------------------------------------------------
class AnalyzeBatch:
    """The actor: loads the Analyzer once, then turns batches of input rows into output rows."""

    def __init__(self, model: str | None = None, published: str | None = None):
        from claimledger.analysis.analyzer import Analyzer

        self.analyzer = Analyzer(model)
        self.published = published

    def __call__(self, table):
        import pyarrow as pa

        rows = table.to_pylist()
        documents = [self._document(row) for row in rows if not row["problem"]]
        pairs = zip(documents, self.analyzer.analyze_many(documents))
        out = [{"where": row["where"], "problem": row["problem"], "flags": []} if row["problem"]
               else _output(row["where"], *next(pairs)) for row in rows]  # problems keep their place in the order
        return pa.Table.from_pylist(out, schema=output_schema())

    def _document(self, row: dict) -> Document:
        document = Document(**json.loads(row["document"]))
        if self.published and not document.published:
            document.published = self.published
        return document


def _output(where: str, document: Document, analysis: Analysis) -> dict:
    return {
        "where": where, "problem": "", "id": None if document.id is None else str(document.id),
        "title": document.title, "url": document.url, "publisher": document.publisher, "author": document.author,
        "published": document.published, "flags": list(document.flags), "text": document.text,
        "analysis": json.dumps(analysis.to_dict(), ensure_ascii=False),  # what `analyze --format json` writes
    }


def output_schema():
    import pyarrow as pa

    return pa.schema([(name, pa.list_(pa.string()) if name == "flags" else pa.string()) for name in OUTPUT_COLUMNS])


def analysed_tables(dataset, actors: int, model: str | None = None, published: str | None = None,
                    batch_size: int = BATCH_SIZE) -> Iterator:
    """pyarrow Tables of output rows, in input order, from an actor pool of `actors` Analyzers."""
    ray = _ray()
    analysed = dataset.map_batches(
        AnalyzeBatch, batch_size=batch_size, batch_format="pyarrow", num_cpus=1,
        compute=ray.data.ActorPoolStrategy(size=actors),
        fn_constructor_kwargs={"model": _model(model), "published": published},
    )
    try:
        yield from analysed.iter_batches(batch_size=None, batch_format="pyarrow")
    except ray.exceptions.RayError as error:
        raise RayEngineError(f"Ray analysis failed: {_first_line(error)}") from None


def _model(model: str | None) -> str:
    """The model name resolved here, since the workers of a cluster do not share this environment."""
    import spacy

    from claimledger.analysis.pipeline import model_name

    name = model_name(model)
    if not (spacy.util.is_package(name) or Path(name).exists()):
        raise RayEngineError(f"spaCy pipeline {name!r} is not installed; install its package (nothing is downloaded at run time)")
    return name


# --- back on the driver --------------------------------------------------------------------------
def results(table) -> Iterator[tuple[Document, Analysis] | Problem]:
    """Each output row as (Document, Analysis), or as the Problem that kept it from analysis."""
    for row in table.to_pylist():
        if row["problem"]:
            yield Problem(row["where"], row["problem"])
            continue
        data = json.loads(row["analysis"])
        document = Document(
            text=row["text"], id=data.get("id"), title=row["title"], url=row["url"], publisher=row["publisher"],
            author=row["author"], published=row["published"], flags=list(row["flags"] or []),
        )  # the id from the JSON keeps its type (a JSONL id may be a number)
        yield document, from_dict(Analysis, data)


def from_dict(kind: type, data):
    """A dataclass (nested dataclasses, lists, optionals) from its `asdict` form; unknown keys are ignored."""
    hints = typing.get_type_hints(kind)
    return kind(**{f.name: _value(hints[f.name], data[f.name]) for f in fields(kind) if f.name in data})


def _value(hint, value):
    if value is None:
        return None
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint) or (object,)
        return [_value(item, v) for v in value]
    if is_dataclass(hint):
        return from_dict(hint, value)
    return value


class ParquetOut:
    """Analysed rows (problems left out) appended to one Parquet file in `directory`; nothing when None."""

    def __init__(self, directory: Path | None):
        self.directory, self.writer = directory, None

    def __enter__(self) -> ParquetOut:
        return self

    def write(self, table) -> None:
        if self.directory is None:
            return
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        if self.writer is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            name = f"analyses-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}.parquet"  # runs never overwrite each other
            self.writer = pq.ParquetWriter(self.directory / name, output_schema())
        self.writer.write_table(table.filter(pc.equal(table["problem"], "")))

    def __exit__(self, *exc) -> None:
        if self.writer is not None:
            self.writer.close()


# --- for callers with Documents in hand ----------------------------------------------------------
def analyze_with_ray(documents: Iterable[Document], actors: int, address: str | None = None, model: str | None = None,
                     batch_size: int = BATCH_SIZE, chunk: int = CHUNK) -> Iterator[tuple[Document, Analysis]]:
    """(Document, Analysis) pairs in input order, analysed by `actors` Ray actors. Documents go to Ray
    `chunk` at a time (memory stays bounded; each chunk starts its actors anew). Starts a local Ray
    when none is running and `address` is None, and stops it at the end."""
    stream = iter(documents)
    with ray_session(address):
        ray = _ray()
        while batch := list(islice(stream, chunk)):
            blocks = -(-len(batch) // batch_size)  # about one batch a block, so every actor gets some
            dataset = ray.data.from_items([_row("", document) for document in batch], override_num_blocks=blocks)
            for table in analysed_tables(dataset, actors, model, batch_size=batch_size):
                for item in results(table):
                    assert not isinstance(item, Problem), "a Document in hand has no input problem"
                    yield item


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else type(error).__name__  # Ray puts the cause last, after its traceback
