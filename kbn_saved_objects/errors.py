"""The saved-objects error hierarchy.

Every failure the library reports on purpose is a :class:`SavedObjectsError`. Each
subclass stands for one of Kibana's classification codes (``SavedObjectsClient/<code>``),
carries the HTTP status Kibana answers with, and composes its message with Kibana's rules
so that texts compare equal to what Kibana prints:

* a class built with a ``reason`` and no message reads ``<reason>: <HTTP label>``
  (``BadRequestError(reason="x")`` -> ``x: Bad Request``);
* a class built from another error's message and a reason reads ``<reason>: <message>``.

Predicates (``is_not_found_error`` ...) test the classification, not the status: an
:class:`InvalidVersionError` is a 400 but is *not* a bad-request error, exactly as in
Kibana. Engine errors are turned into these classes in one place,
:func:`kbn_saved_objects.engine.errors.error_from_engine`.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "BadRequestError",
    "ConflictError",
    "EngineUnavailableError",
    "EsCannotExecuteScriptError",
    "ForbiddenError",
    "GeneralError",
    "InvalidVersionError",
    "NotAuthorizedError",
    "NotFoundError",
    "RequestEntityTooLargeError",
    "SavedObjectsError",
    "TooManyRequestsError",
    "create_bad_request_error",
    "create_conflict_error",
    "create_generic_not_found_error",
    "create_invalid_version_error",
    "create_unsupported_type_error",
    "is_bad_request_error",
    "is_conflict_error",
    "is_es_cannot_execute_script_error",
    "is_es_unavailable_error",
    "is_forbidden_error",
    "is_general_error",
    "is_invalid_version_error",
    "is_not_authorized_error",
    "is_not_found_error",
    "is_request_entity_too_large_error",
    "is_saved_objects_error",
    "is_too_many_requests_error",
]

_INTERNAL_MESSAGE = "An internal server error occurred"


def compose_message(reason: str | None, message: str) -> str:
    """Kibana's (Boom's) rule: a reason is put in front of the message it decorates."""
    if not reason:
        return message
    return f"{reason}: {message}" if message else reason


class SavedObjectsError(Exception):
    """Base class of every error the library raises on purpose.

    ``reason`` keeps the part Kibana would prefix, ``metadata`` anything structured a
    caller may want (the engine's error type, the offending field path...).
    """

    code: ClassVar[str] = "generalError"
    status_code: ClassVar[int] = 500
    label: ClassVar[str] = "Internal Server Error"

    def __init__(
        self,
        message: str | None = None,
        *,
        reason: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.reason = reason
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.message = compose_message(reason, self.label if message is None else message)
        super().__init__(self.message)

    @property
    def classification(self) -> str:
        """The ``SavedObjectsClient/<code>`` string Kibana attaches to the error."""
        return f"SavedObjectsClient/{self.code}"

    def payload(self) -> dict[str, Any]:
        """The body Kibana embeds in bulk results and HTTP answers.

        For server errors (status >= 500) the message is replaced, as Kibana does, so that
        internals never leak to an HTTP caller; the exception itself keeps the real text.
        """
        message = _INTERNAL_MESSAGE if self.status_code >= 500 else self.message
        return {"statusCode": self.status_code, "error": self.label, "message": message}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class BadRequestError(SavedObjectsError):
    """400: the request cannot be served as given (bad option, invalid attributes...)."""

    code = "badRequest"
    status_code = 400
    label = "Bad Request"


class InvalidVersionError(SavedObjectsError):
    """400: a ``version`` string that does not decode. Not a bad-request error."""

    code = "invalidVersion"
    status_code = 400
    label = "Bad Request"


class NotAuthorizedError(SavedObjectsError):
    code = "notAuthorized"
    status_code = 401
    label = "Unauthorized"


class ForbiddenError(SavedObjectsError):
    code = "forbidden"
    status_code = 403
    label = "Forbidden"


class NotFoundError(SavedObjectsError):
    """404: the object (or the index, which callers cannot tell apart) is not there."""

    code = "notFound"
    status_code = 404
    label = "Not Found"


class ConflictError(SavedObjectsError):
    """409: a write lost a race (stale version) or would overwrite what it may not."""

    code = "conflict"
    status_code = 409
    label = "Conflict"


class RequestEntityTooLargeError(SavedObjectsError):
    code = "requestEntityTooLarge"
    status_code = 413
    label = "Request Entity Too Large"


class TooManyRequestsError(SavedObjectsError):
    """429: the engine pushes back; the operation may be retried later."""

    code = "tooManyRequests"
    status_code = 429
    label = "Too Many Requests"


class EsCannotExecuteScriptError(SavedObjectsError):
    """400: the engine refuses to run scripts (disabled script context)."""

    code = "esCannotExecuteScript"
    status_code = 400
    label = "Bad Request"


class EngineUnavailableError(SavedObjectsError):
    """503: the engine cannot be reached, timed out, or is not the product we expect."""

    code = "esUnavailable"
    status_code = 503
    label = "Service Unavailable"


class GeneralError(SavedObjectsError):
    """500: anything the engine reports that has no finer classification."""


def create_bad_request_error(reason: str | None = None) -> BadRequestError:
    return BadRequestError(reason=reason)


def create_unsupported_type_error(type_name: str) -> BadRequestError:
    return BadRequestError(reason=f"Unsupported saved object type: '{type_name}'")


def create_invalid_version_error(version: object) -> InvalidVersionError:
    return InvalidVersionError(f"Invalid version [{version}]")


def create_generic_not_found_error(
    type_name: str | None = None, object_id: str | None = None
) -> NotFoundError:
    """The one not-found error: it never says *why* (missing index, other namespace...)."""
    if type_name is not None and object_id is not None:
        return NotFoundError(f"Saved object [{type_name}/{object_id}] not found")
    return NotFoundError()


def create_conflict_error(type_name: str, object_id: str) -> ConflictError:
    return ConflictError(f"Saved object [{type_name}/{object_id}] conflict")


def is_saved_objects_error(error: object) -> bool:
    return isinstance(error, SavedObjectsError)


def _has_code(error: object, code: str) -> bool:
    return isinstance(error, SavedObjectsError) and error.code == code


def is_bad_request_error(error: object) -> bool:
    return _has_code(error, BadRequestError.code)


def is_invalid_version_error(error: object) -> bool:
    return _has_code(error, InvalidVersionError.code)


def is_not_authorized_error(error: object) -> bool:
    return _has_code(error, NotAuthorizedError.code)


def is_forbidden_error(error: object) -> bool:
    return _has_code(error, ForbiddenError.code)


def is_request_entity_too_large_error(error: object) -> bool:
    return _has_code(error, RequestEntityTooLargeError.code)


def is_not_found_error(error: object) -> bool:
    return _has_code(error, NotFoundError.code)


def is_conflict_error(error: object) -> bool:
    return _has_code(error, ConflictError.code)


def is_too_many_requests_error(error: object) -> bool:
    return _has_code(error, TooManyRequestsError.code)


def is_es_cannot_execute_script_error(error: object) -> bool:
    return _has_code(error, EsCannotExecuteScriptError.code)


def is_es_unavailable_error(error: object) -> bool:
    return _has_code(error, EngineUnavailableError.code)


def is_general_error(error: object) -> bool:
    return _has_code(error, GeneralError.code)
