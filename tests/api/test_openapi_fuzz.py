"""A short, deterministic schemathesis run against the OpenAPI document (CI keeps it honest).

The long run (thousands of requests as an officer and as an administrator) is done by hand;
see docs/api.md. Here each operation gets a few generated requests, checked for server errors,
responses outside the schema, and invalid data that is accepted.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection, response_schema_conformance

from parklink.accounts.services import create_token

CHECKS = (not_a_server_error, response_schema_conformance, negative_data_rejection)


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Requests run in-process inside the test's transaction, as Django's test client runs them.

    Django closes a connection whose autocommit differs from its setting at the end of each
    request, which inside a test transaction is every connection (PostgreSQL then reports
    "the connection is closed"); its test client stops that, and so does this fixture.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("who", ["jinniu", "root"], ids=["officer", "installation_admin"])
def test_generated_requests(users, who):  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {create_token(users[who])}"}
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=3,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):  # type: ignore[no-untyped-def]
            case.validate_response(case.call(headers=headers), checks=CHECKS)

        check()
