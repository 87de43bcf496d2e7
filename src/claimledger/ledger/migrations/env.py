"""Alembic environment: runs the ledger's migrations on the connection that store.migrate hands over."""

from alembic import context

from claimledger.ledger.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the ledger migrations through claimledger.ledger.store.migrate")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
