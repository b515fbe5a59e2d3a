"""Property-based conformance: schemathesis generates requests for every operation of
the app's own OpenAPI document and sends them to a live server on the real engine.

Each operation gets a bounded number of examples (:data:`MAX_EXAMPLES`, positive and
negative generation) under a per-operation time budget; every answer must be free of
5xx and pass schemathesis' checks against the documented responses (status code,
content type, body schema; invalid requests refused), and every error must be Kibana's
``{statusCode, error, message}`` carrying its own status. The one check left out is
"a schema-valid request is accepted": Kibana's API refuses valid-looking values the
schema cannot describe (a KQL filter that does not parse, an aggregation on an unknown
attribute, a page beyond the engine's result window), with a 400 the test still checks.
For operations without a body, "an invalid request is refused" is left out too: a query
or path value always arrives as a string, so what schemathesis means as a boolean or a
number is a valid string once sent.

(The operations are driven with hypothesis directly rather than through
``schemathesis.pytest.from_fixture``, whose plugin does not work with this pytest.)
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from kbn_saved_objects.http.openapi import openapi_document
from tests.http.conftest import LiveApp

MAX_EXAMPLES = 25
BUDGET_SECONDS = 60.0
"""Per operation and generation mode; a slower run fails rather than hanging CI."""

SCHEMA = schemathesis.openapi.from_dict(openapi_document())
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_every_operation_conforms(
    live_app: Callable[..., LiveApp], label: str, mode: GenerationMode
) -> None:
    url = live_app().url
    operation = OPERATIONS[label]
    started = time.monotonic()

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case: schemathesis.Case) -> None:
        assert time.monotonic() - started < BUDGET_SECONDS, "time budget exceeded"
        response = case.call(base_url=url, timeout=30)
        assert response.status_code < 500, f"{case.as_curl_command()}\n{response.text}"
        if response.status_code >= 400:
            body = response.json()
            assert set(body) <= {"statusCode", "error", "message", "attributes"}, body
            assert body["statusCode"] == response.status_code, body
        excluded = [checks.positive_data_acceptance]
        if len(operation.body) == 0:
            # every query or path value arrives as a string, so "type-violating" values
            # that schemathesis makes for them (``fields=true``) are valid strings here
            excluded.append(checks.negative_data_rejection)
        case.validate_response(response, excluded_checks=excluded)

    check()
