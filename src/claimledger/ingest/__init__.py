"""Ingest: text, HTML, URLs, standard input and JSONL into Documents."""
