"""A short, deterministic schemathesis run against the OpenAPI document (CI keeps it honest).

The long run (thousands of requests as an officer and as an administrator) is done by hand;
see docs/api.md. Here each operation gets a few generated requests, checked for server errors,
responses outside the schema, and invalid data that is accepted.
"""

from __future__ import annotations

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection, response_schema_conformance

from parklink.accounts.services import create_token

CHECKS = (not_a_server_error, response_schema_conformance, negative_data_rejection)


def test_generated_requests_as_an_officer(users):  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {create_token(users['jinniu'])}"}
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
