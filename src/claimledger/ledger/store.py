"""Where the ledger lives: database URLs, engines, SQLite settings and migrations.

Owns turning `--db` / `CLAIMLEDGER_DB` into a SQLAlchemy URL (a plain path means a SQLite file),
opening the engine (SQLite in WAL mode with a busy timeout, so the web UI can read while an ingest
writes) and bringing the schema to the newest Alembic revision.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DB = "claimledger.db"
MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000


class LedgerError(Exception):
    """The ledger cannot be opened or used; the message says why in one line."""


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


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates it in an empty database)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as error:
        raise LedgerError(f"cannot open the ledger at {engine.url.render_as_string(hide_password=True)}: {error.orig}") from None


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def has_search_table(engine: Engine) -> bool:
    """SQLite builds without FTS5 get no claims_search table; search then falls back to LIKE."""
    if engine.dialect.name != "sqlite":
        return engine.dialect.name == "postgresql"
    return "claims_search" in inspect(engine).get_table_names()
