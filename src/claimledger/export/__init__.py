"""Export: analyses and the ledger as tables, BRAT, JSON, CSV and STIX."""
