"""Eval: scoring analysis against annotated corpora."""
