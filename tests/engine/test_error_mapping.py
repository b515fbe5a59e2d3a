"""Kibana's decorateEsError table, row by row."""

from __future__ import annotations

import pytest

from kbn_saved_objects import errors
from kbn_saved_objects.engine.errors import EngineFailure, error_from_engine


def failure(
    status: int | None, reason: str | None = None, type_: str = "some_exception", **kw: object
) -> EngineFailure:
    body = {"error": {"type": type_, "reason": reason}} if reason is not None else None
    return EngineFailure(status, body, type_, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "cls", "predicate"),
    [
        (None, errors.EngineUnavailableError, errors.is_es_unavailable_error),
        (503, errors.EngineUnavailableError, errors.is_es_unavailable_error),
        (409, errors.ConflictError, errors.is_conflict_error),
        (401, errors.NotAuthorizedError, errors.is_not_authorized_error),
        (403, errors.ForbiddenError, errors.is_forbidden_error),
        (413, errors.RequestEntityTooLargeError, errors.is_request_entity_too_large_error),
        (429, errors.TooManyRequestsError, errors.is_too_many_requests_error),
        (400, errors.BadRequestError, errors.is_bad_request_error),
        (500, errors.GeneralError, errors.is_general_error),
        (502, errors.GeneralError, errors.is_general_error),
    ],
)
def test_status_classification(status: int | None, cls: type, predicate: object) -> None:
    error = error_from_engine(failure(status, "why"))
    assert type(error) is cls
    assert predicate(error)  # type: ignore[operator]
    if status is not None:
        assert error.message == "why: some_exception"
        assert error.metadata["engine_status"] == status


def test_conflict_keeps_engine_reason_and_type() -> None:
    error = error_from_engine(
        failure(409, "[x]: version conflict", "version_conflict_engine_exception")
    )
    assert error.message == "[x]: version conflict: version_conflict_engine_exception"
    assert error.reason == "[x]: version conflict"
    assert error.payload() == {"statusCode": 409, "error": "Conflict", "message": error.message}


def test_engine_404_is_a_fresh_generic_not_found() -> None:
    error = error_from_engine(failure(404, "no such index [x]", "index_not_found_exception"))
    assert type(error) is errors.NotFoundError
    assert error.message == "Not Found"
    assert error.payload()["message"] == "Not Found"


def test_404_without_product_header_means_unavailable() -> None:
    error = error_from_engine(failure(404, "x", product_header=False))
    assert errors.is_es_unavailable_error(error)
    assert error.message == "x-elastic-product not present or not recognized: Not Found"


def test_missing_alias_under_require_alias_is_a_general_error() -> None:
    reason = (
        "no such index [.kibana_8.8.0] and [require_alias] request flag is [true] "
        "and [.kibana_8.8.0] is not an alias"
    )
    error = error_from_engine(failure(404, reason, "index_not_found_exception"))
    assert errors.is_general_error(error)
    assert error.message == (
        "Saved object index alias [.kibana_8.8.0] not found: index_not_found_exception"
    )
    assert error.payload()["message"] == "An internal server error occurred"


@pytest.mark.parametrize(
    "reason", ["cannot execute scripts using [update] context", "cannot execute [inline] scripts"]
)
def test_script_refusals(reason: str) -> None:
    error = error_from_engine(failure(400, reason))
    assert errors.is_es_cannot_execute_script_error(error)
    assert not errors.is_bad_request_error(error)


def test_connection_failure_without_body() -> None:
    error = error_from_engine(EngineFailure(None, message="Connection refused"))
    assert error.status_code == 503
    assert error.message == "Connection refused"
