"""The error taxonomy: every helper and predicate, with Kibana's exact texts (spec 05 §7)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kbn_saved_objects import errors
from kbn_saved_objects.errors import (
    BadRequestError,
    ConflictError,
    EngineUnavailableError,
    EsCannotExecuteScriptError,
    ForbiddenError,
    GeneralError,
    InvalidNamespaceError,
    InvalidRawDocumentError,
    InvalidVersionError,
    NotAuthorizedError,
    NotFoundError,
    RequestEntityTooLargeError,
    SavedObjectsError,
    TooManyRequestsError,
    TypeRegistrationError,
    UnclassifiedError,
)

PREDICATES: dict[str, Callable[[object], bool]] = {
    "badRequest": errors.is_bad_request_error,
    "invalidVersion": errors.is_invalid_version_error,
    "notAuthorized": errors.is_not_authorized_error,
    "forbidden": errors.is_forbidden_error,
    "requestEntityTooLarge": errors.is_request_entity_too_large_error,
    "notFound": errors.is_not_found_error,
    "conflict": errors.is_conflict_error,
    "tooManyRequests": errors.is_too_many_requests_error,
    "esCannotExecuteScript": errors.is_es_cannot_execute_script_error,
    "esUnavailable": errors.is_es_unavailable_error,
    "generalError": errors.is_general_error,
}


def assert_only_predicate(error: object, code: str | None) -> None:
    """Exactly the predicate of ``code`` matches (none for ``None``)."""
    matching = {name for name, predicate in PREDICATES.items() if predicate(error)}
    assert matching == ({code} if code else set())


# --- create_* factories ---------------------------------------------------------------

CREATED = [
    (
        lambda: errors.create_bad_request_error("test reason message"),
        BadRequestError,
        "badRequest",
        400,
        "test reason message: Bad Request",
    ),
    (lambda: errors.create_bad_request_error(), BadRequestError, "badRequest", 400, "Bad Request"),
    (
        lambda: errors.create_unsupported_type_error("hidden-type"),
        BadRequestError,
        "badRequest",
        400,
        "Unsupported saved object type: 'hidden-type': Bad Request",
    ),
    (
        lambda: errors.create_invalid_version_error("foo"),
        InvalidVersionError,
        "invalidVersion",
        400,
        "Invalid version [foo]",
    ),
    (
        lambda: errors.create_generic_not_found_error("dashboard", "abc"),
        NotFoundError,
        "notFound",
        404,
        "Saved object [dashboard/abc] not found",
    ),
    (
        lambda: errors.create_generic_not_found_error(),
        NotFoundError,
        "notFound",
        404,
        "Not Found",
    ),
    (
        lambda: errors.create_generic_not_found_error("dashboard"),
        NotFoundError,
        "notFound",
        404,
        "Not Found",
    ),
    (
        lambda: errors.create_conflict_error("dashboard", "abc"),
        ConflictError,
        "conflict",
        409,
        "Saved object [dashboard/abc] conflict",
    ),
    (
        lambda: errors.create_too_many_requests_error("dashboard", "abc"),
        TooManyRequestsError,
        "tooManyRequests",
        429,
        "Too Many Requests",
    ),
    (
        lambda: errors.create_generic_not_found_es_unavailable_error("dashboard", "abc"),
        EngineUnavailableError,
        "esUnavailable",
        503,
        "x-elastic-product not present or not recognized: Saved object [dashboard/abc] not found",
    ),
    (
        lambda: errors.create_generic_not_found_es_unavailable_error(),
        EngineUnavailableError,
        "esUnavailable",
        503,
        "x-elastic-product not present or not recognized: Not Found",
    ),
    (
        lambda: errors.create_index_alias_not_found_error(".kibana_8.0.0"),
        GeneralError,
        "generalError",
        500,
        "Internal Server Error",
    ),
]


@pytest.mark.parametrize(("make", "error_class", "code", "status", "message"), CREATED)
def test_create_factories(
    make: Callable[[], SavedObjectsError],
    error_class: type[SavedObjectsError],
    code: str,
    status: int,
    message: str,
) -> None:
    error = make()
    assert type(error) is error_class
    assert error.message == message
    assert str(error) == message
    assert error.status_code == status
    assert error.classification == f"SavedObjectsClient/{code}"
    assert errors.is_saved_objects_error(error)
    assert_only_predicate(error, code)


def test_index_alias_not_found_keeps_the_alias_in_metadata() -> None:
    assert errors.create_index_alias_not_found_error(".kibana").metadata == {"alias": ".kibana"}


def test_invalid_version_is_not_a_bad_request() -> None:
    error = errors.create_invalid_version_error("x")
    assert not errors.is_bad_request_error(error)
    assert error.payload() == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "Invalid version [x]",
    }


# --- decorate_* helpers -----------------------------------------------------------------

DECORATORS = [
    (errors.decorate_bad_request_error, BadRequestError, "badRequest", 400),
    (errors.decorate_not_authorized_error, NotAuthorizedError, "notAuthorized", 401),
    (errors.decorate_forbidden_error, ForbiddenError, "forbidden", 403),
    (
        errors.decorate_request_entity_too_large_error,
        RequestEntityTooLargeError,
        "requestEntityTooLarge",
        413,
    ),
    (errors.decorate_conflict_error, ConflictError, "conflict", 409),
    (errors.decorate_too_many_requests_error, TooManyRequestsError, "tooManyRequests", 429),
    (
        errors.decorate_es_cannot_execute_script_error,
        EsCannotExecuteScriptError,
        "esCannotExecuteScript",
        400,
    ),
    (errors.decorate_es_unavailable_error, EngineUnavailableError, "esUnavailable", 503),
    (errors.decorate_general_error, GeneralError, "generalError", 500),
]


@pytest.mark.parametrize(("decorate", "error_class", "code", "status"), DECORATORS)
def test_decorate_puts_the_reason_in_front(
    decorate: Callable[..., SavedObjectsError],
    error_class: type[SavedObjectsError],
    code: str,
    status: int,
) -> None:
    original = RuntimeError("foobar")
    error = decorate(original, "biz")
    assert type(error) is error_class
    assert error.message == "biz: foobar"
    assert error.reason == "biz"
    assert error.status_code == status
    assert error.__cause__ is original
    assert_only_predicate(error, code)


@pytest.mark.parametrize(("decorate", "error_class", "code", "status"), DECORATORS)
def test_decorate_without_reason_keeps_the_message(
    decorate: Callable[..., SavedObjectsError],
    error_class: type[SavedObjectsError],
    code: str,
    status: int,
) -> None:
    del error_class, status
    error = decorate(RuntimeError("foobar"))
    assert error.message == "foobar"
    assert_only_predicate(error, code)


@pytest.mark.parametrize(("decorate", "error_class", "code", "status"), DECORATORS)
def test_decorate_an_empty_message_gives_the_reason_alone(
    decorate: Callable[..., SavedObjectsError],
    error_class: type[SavedObjectsError],
    code: str,
    status: int,
) -> None:
    del error_class, code, status
    assert decorate(RuntimeError(""), "biz").message == "biz"


@pytest.mark.parametrize(("decorate", "error_class", "code", "status"), DECORATORS)
def test_decorate_keeps_the_first_classification(
    decorate: Callable[..., SavedObjectsError],
    error_class: type[SavedObjectsError],
    code: str,
    status: int,
) -> None:
    del error_class, code, status
    already = errors.create_conflict_error("dashboard", "1")
    assert decorate(already, "ignored") is already
    assert already.message == "Saved object [dashboard/1] conflict"


def test_decorate_index_alias_not_found() -> None:
    original = RuntimeError("no such index [.kibana_8.0.0]")
    error = errors.decorate_index_alias_not_found_error(original, ".kibana_8.0.0")
    assert type(error) is GeneralError
    assert error.message == (
        "Saved object index alias [.kibana_8.0.0] not found: no such index [.kibana_8.0.0]"
    )
    assert errors.is_general_error(error)
    assert error.payload()["message"] == "An internal server error occurred"


def test_decorating_an_unclassified_error_classifies_it() -> None:
    original = InvalidRawDocumentError("Raw document 'x' is missing _source.type field")
    error = errors.decorate_general_error(original, "boom")
    assert type(error) is GeneralError
    assert error.message == "boom: Raw document 'x' is missing _source.type field"
    assert error.__cause__ is original


# --- unclassified errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error_class", "builtin"),
    [
        (TypeRegistrationError, ValueError),
        (InvalidRawDocumentError, ValueError),
        (InvalidNamespaceError, ValueError),
    ],
)
def test_unclassified_errors(error_class: type[UnclassifiedError], builtin: type) -> None:
    error = error_class("some text")
    assert isinstance(error, UnclassifiedError)
    assert isinstance(error, builtin)
    assert errors.is_saved_objects_error(error)
    assert error.classification == ""
    assert error.message == "some text"
    assert error.status_code == 500
    assert error.payload() == {
        "statusCode": 500,
        "error": "Internal Server Error",
        "message": "An internal server error occurred",
    }
    assert_only_predicate(error, None)


# --- predicates -------------------------------------------------------------------------


@pytest.mark.parametrize("predicate", list(PREDICATES.values()))
def test_predicates_reject_foreign_values(predicate: Callable[[object], bool]) -> None:
    assert not predicate(ValueError("x"))
    assert not predicate(None)
    assert not predicate("badRequest")


def test_is_saved_objects_error() -> None:
    assert errors.is_saved_objects_error(GeneralError())
    assert not errors.is_saved_objects_error(RuntimeError())


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ({"type": "a", "id": "1", "error": errors.create_generic_not_found_error("a", "1")}, True),
        ({"saved_object": {}, "outcome": "exactMatch"}, False),
        ({"error": None}, False),
        (type("Result", (), {"error": GeneralError()})(), True),
        (type("Result", (), {})(), False),
    ],
)
def test_is_bulk_resolve_error(result: object, expected: bool) -> None:
    assert errors.is_bulk_resolve_error(result) is expected


def test_every_public_name_is_exported() -> None:
    for name in errors.__all__:
        assert hasattr(errors, name)
