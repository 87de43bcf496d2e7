"""Where the ledger lives: database URLs, engines, SQLite settings and migrations.

Owns turning `--db` / `CLAIMLEDGER_DB` into a SQLAlchemy URL (a plain path means a SQLite file),
opening the engine (SQLite in WAL mode with a busy timeout, so the web UI can read while an ingest
writes), bringing the schema to the newest Alembic revision, and the rules every write follows:
one writer at a time per ledger (`lock_for_writing`) and a bounded retry with reconnection when the
database goes away or another writer got there first (`retrying`), ending in a one-line LedgerError.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy import func as sql_func
from sqlalchemy.exc import ArgumentError, DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DB = "claimledger.db"
MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000
# A write that fails for a reason that passes (the server restarting, a dropped connection, another
# writer holding the lock) is tried again with a fresh connection: 0.25, 0.5, 1, 2, 4, 8, 8, 8 s
# apart, so about half a minute of outage is ridden out before the ingest gives up.
RETRY_ATTEMPTS = 9
RETRY_FIRST_WAIT_S = 0.25
RETRY_MAX_WAIT_S = 8.0
WRITER_LOCK_KEY = 0x636C_6C67  # "cllg": the PostgreSQL advisory lock that lets one ledger writer in at a time
T = TypeVar("T")


class LedgerError(Exception):
    """The ledger cannot be opened or used; the message says why in one line."""


class DocumentRefused(LedgerError):
    """The database refused what one document holds (a value it cannot store); the ledger itself
    is fine, so an ingest reports the document and goes on."""


def database_url(db: str | None = None) -> str:
    """`--db`, else CLAIMLEDGER_DB, else ./claimledger.db; a value without '://' is a SQLite file path."""
    value = db or os.environ.get("CLAIMLEDGER_DB") or DEFAULT_DB
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]  # the driver we pin
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def open_engine(db: str | None = None, migrate_schema: bool = True) -> Engine:
    url = database_url(db)
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _sqlite_settings)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as error:
        raise LedgerError(f"cannot use database URL {url!r}: {error}") from None
    except Exception as error:  # noqa: BLE001 - driver errors come in many types; all mean the same here
        raise LedgerError(f"cannot use database URL {url!r}: {error}") from None
    if migrate_schema:
        migrate(engine)
    return engine


def _sqlite_settings(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


OPEN_ATTEMPTS = 5  # a new SQLite file opened by two processes at once can report itself locked


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates it in an empty database)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    for attempt in range(1, OPEN_ATTEMPTS + 1):
        started = time.monotonic()
        try:
            _migrate_once(engine, config)
            return
        except OperationalError as error:
            # seen twice in the two-ingests-at-once test under load, on a brand-new file: switching
            # it to WAL (or taking the migration lock) met the other process's lock at once, without
            # waiting out the busy timeout; a fresh connection a moment later gets through (a lock
            # that outlasted the busy timeout is reported as it is)
            waited = time.monotonic() - started > 1.0
            if "locked" not in str(error.orig) or waited or attempt == OPEN_ATTEMPTS:
                raise LedgerError(f"cannot open the ledger at {engine.url.render_as_string(hide_password=True)}: {error.orig}") from None
            engine.dispose()
            time.sleep(0.2 * attempt)


def _migrate_once(engine: Engine, config: Config) -> None:
    """One attempt at `migrate`."""
    with engine.begin() as connection:
        if set(MigrationContext.configure(connection).get_current_heads()) == set(ScriptDirectory.from_config(config).get_heads()):
            return  # up to date: no lock taken, so a read-only file still opens
        # two processes opening a new ledger at once must not both create its tables: the first
        # migrates, the second waits and then finds it done
        if engine.dialect.name == "postgresql":
            connection.execute(select(sql_func.pg_advisory_xact_lock(WRITER_LOCK_KEY)))
        elif engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def has_search_table(engine: Engine) -> bool:
    """SQLite builds without FTS5 get no claims_search table; search then falls back to LIKE."""
    if engine.dialect.name != "sqlite":
        return engine.dialect.name == "postgresql"
    return "claims_search" in inspect(engine).get_table_names()


def lock_for_writing(session: Session) -> None:
    """Make this transaction the ledger's only writer until it ends; call it first in the transaction.

    A document's relations are computed against the figures already stored, so two writers working
    side by side on snapshots that miss each other would miss relations (and race on the same
    source or series rows). PostgreSQL: a transaction-scoped advisory lock; readers are not
    affected. SQLite: BEGIN IMMEDIATE takes the write lock before the first read, so the snapshot
    the document is written against is the newest (WAL readers carry on meanwhile)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(select(sql_func.pg_advisory_xact_lock(WRITER_LOCK_KEY)))
    elif dialect == "sqlite":
        session.execute(text("BEGIN IMMEDIATE"))


def _passing(error: DBAPIError, dialect: str) -> bool:
    """Whether trying the same write again, on a new connection, can succeed."""
    if error.connection_invalidated:  # SQLAlchemy saw the connection drop (server restart, network)
        return True
    if isinstance(error, IntegrityError):  # another writer stored the same row first; the retry finds it
        return True
    if dialect == "sqlite":  # full disk, read-only file, corrupt file: trying again changes nothing
        return "database is locked" in str(error.orig)
    # PostgreSQL: connection refused while the server restarts, "terminating connection due to
    # administrator command", serialization failures: all pass
    return isinstance(error, (OperationalError, InterfaceError))


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def retrying(engine: Engine, work: Callable[[], T], what: str = "write to the ledger") -> T:
    """`work()` (one whole transaction), again on a fresh connection while the failure is one that
    passes; a LedgerError with a one-line reason when it is not, or when the attempts run out."""
    where = engine.url.render_as_string(hide_password=True)
    wait, started = RETRY_FIRST_WAIT_S, time.monotonic()
    for attempt in range(1, RETRY_ATTEMPTS + 1):
        try:
            return work()
        except DBAPIError as error:
            reason = _one_line(error.orig if error.orig is not None else error)
            if isinstance(error, DataError):
                raise DocumentRefused(f"the ledger refused it: {reason}") from None
            if not _passing(error, engine.dialect.name):
                raise LedgerError(f"cannot {what} at {where}: {reason}") from None
            if attempt == RETRY_ATTEMPTS:
                raise LedgerError(
                    f"cannot {what} at {where}: gave up after {attempt} attempts in {time.monotonic() - started:.0f} s: {reason}"
                ) from None
            if error.connection_invalidated or isinstance(error, (OperationalError, InterfaceError)):
                engine.dispose()  # drop every pooled connection to the old server, not just this one
            time.sleep(wait)
            wait = min(wait * 2, RETRY_MAX_WAIT_S)
    raise AssertionError("unreachable")
