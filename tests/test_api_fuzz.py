"""Schemathesis over the whole API schema, with a bearer token and without: whatever it
sends, EcoGov answers without a server error, in the shape the schema documents."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from ecogov.accounts.services import token_create

# Examples per operation and way of signing in: the whole run stays within about two
# minutes on two cores.
EXAMPLES = 12


def _run(operation, headers: dict, statuses: set) -> None:
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call_and_validate(
            headers=headers, checks=[not_a_server_error, response_schema_conformance]
        )
        statuses.add(response.status_code)

    check()


@pytest.fixture
def connection_kept():
    """Requests made straight through the WSGI application would close the test's
    database connection at their end (PostgreSQL then loses the test's transaction);
    Django's test client leaves it open in the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("signed_in", [True, False], ids=["token", "anonymous"])
def test_the_fuzzer_finds_no_server_error_in_the_whole_api(
    personas, settings, signed_in, connection_kept
):
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    headers = {}
    if signed_in:
        _token, key = token_create(user=personas.dora, name="fuzz")
        headers["Authorization"] = f"Bearer {key}"
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    statuses = set()
    for operation in operations:
        _run(operation, headers, statuses)
    # It did reach the operations: answers and refusals both.
    assert 200 in statuses and 422 in statuses and (401 in statuses) != signed_in, statuses
