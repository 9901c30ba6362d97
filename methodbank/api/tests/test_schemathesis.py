"""Schemathesis against a live test server, on every operation of the schema: no server errors,
and every response (status code, content type, body) conforms to the schema.

The schema is taken from the application when the module is collected (Schemathesis' lazy
fixture loader does not work with pytest 9), and a separate test checks that the live server
serves exactly that schema at /api/schema. Every generated request goes over HTTP to pytest-django's
live server. Positive and negative cases are generated (Schemathesis' default), with a valid
personal token so the write operations are exercised too. The data is small and the example count
low, so the run stays within a minute or two.
"""

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from methodbank.api.api import api

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPENAPI = api.get_openapi_schema()
schema = schemathesis.openapi.from_dict(OPENAPI)


@pytest.fixture
def live_api(live_server, catalog, settings):
    # The live server runs in this process, so the test's settings apply to it: no rate limit here
    # (the 429 has its own test).
    settings.API_THROTTLE_ANON_RATE = ""
    settings.API_THROTTLE_TOKEN_RATE = ""
    return live_server.url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_live_server_serves_the_tested_schema(live_api):
    assert requests.get(f"{live_api}/api/schema", timeout=30).json() == OPENAPI


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@schema.parametrize()
@hypothesis_settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_schema(case, live_api, contributor_token):
    case.call_and_validate(
        base_url=live_api,
        headers={"Authorization": f"Bearer {contributor_token}"},
        checks=CHECKS,
    )
