"""Ledger: storage and reconciliation across articles (issue 4)."""
