"""Web: UI and REST API over the ledger (issue 5)."""
