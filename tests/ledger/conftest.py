"""Real databases for the ledger tests: a SQLite file in a temporary folder and a fresh PostgreSQL database.

PostgreSQL comes from CLAIMLEDGER_TEST_PG_URL (scripts/pg_local.sh starts a server and prints it;
.ci/run does this). Without it the PostgreSQL half skips with a message, except under CI=true.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

PG_ENV = "CLAIMLEDGER_TEST_PG_URL"


def _pg_admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_ENV} is required when CI=true (.ci/run starts PostgreSQL)")
        pytest.skip(f"{PG_ENV} is not set; run: eval \"$(scripts/pg_local.sh)\"")
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A URL of an empty ledger database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    admin = _pg_admin_url()
    name = f"cl_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base = admin.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()
