"""Schemathesis generates requests from our own OpenAPI schema, on the platform host and on a
store host (as the store's owner): no 5xx, and every answer conforms to the schema.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from shared_apps.accounts.services import api_token_create

# Thousands of generated requests take about two and a half minutes: too long for `make test-fast`.
pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 25
CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)
# Counted across both hosts; the last test asserts the total.
requests_sent = {"count": 0}


def wsgi_schema(host: str):
    from saas.wsgi import application

    return schemathesis.from_wsgi("/api/schema/?format=json", application, headers={"Host": host})


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """Like Django's test client: a WSGI request must not close the test's DB connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def platform_schema(db):
    return wsgi_schema("localhost")


@pytest.fixture
def store_schema(db):
    return wsgi_schema("alpha.localhost")


platform = schemathesis.from_pytest_fixture("platform_schema")
store = schemathesis.from_pytest_fixture("store_schema")

hypothesis_options = hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def call_and_check(case, host: str, token: str):
    response = case.call_wsgi(headers={"Host": host, "X-API-Token": token})
    requests_sent["count"] += 1
    case.validate_response(response, checks=CHECKS)


@platform.parametrize()
@hypothesis_options
def test_platform_api_survives_generated_requests(case, seller_a):
    token = api_token_create(seller=seller_a, name="fuzz")[1]
    call_and_check(case, "localhost", token)


@store.parametrize()
@hypothesis_options
def test_store_api_survives_generated_requests(case, seller_a):
    token = api_token_create(seller=seller_a, name="fuzz")[1]
    call_and_check(case, "alpha.localhost", token)


def test_at_least_a_thousand_generated_requests_were_sent():
    # Runs after the generated tests in this module (same file, declared last).
    assert requests_sent["count"] >= 1000
