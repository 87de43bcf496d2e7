"""Scale: parallel and distributed analysis (issue 6)."""
