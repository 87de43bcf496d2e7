"""Shared fixtures: the loaded analyzer (once per session) and the path to ../shared."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips the test where it is absent, fails under CI where it must exist."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is required when CI=true")
        pytest.skip(f"{path} is absent (the shared data sits beside the repository)")
    return path


@pytest.fixture(scope="session")
def analyzer():
    from claimledger.analysis.analyzer import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def analyze(analyzer):
    def run(text: str, **meta) -> dict:
        return analyzer.analyze(text, **meta).to_dict()

    return run


@contextmanager
def loopback_server(handler):
    """A real HTTP server on 127.0.0.1 with this request handler; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
