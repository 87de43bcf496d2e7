"""schemathesis against the published OpenAPI schema: no generated request may get a 500."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from claimledger.ledger.store import open_engine
from claimledger.web.api import create_app
from tests.web.test_api import copy_ledger, db_path  # noqa: F401 - the shared ledger fixture


@pytest.fixture(scope="module")
def api_schema(db_path, analyzer, tmp_path_factory):  # noqa: F811
    copy = tmp_path_factory.mktemp("fuzz") / "ledger.db"
    copy_ledger(db_path, copy)  # ingest calls write to a copy, not to the other tests' ledger
    app = create_app(open_engine(str(copy)), analyzer_factory=lambda: analyzer)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_no_request_gets_a_server_error(api_schema):
    """Every operation in the schema, with requests schemathesis generates from it (through its
    Hypothesis strategies; its pytest plugin does not run under this pytest)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 9
    seen: set[int] = set()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            response = case.call()
            seen.add(response.status_code)
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"

        check()

    assert 200 in seen and 422 in seen  # the generator reached both valid and invalid requests
