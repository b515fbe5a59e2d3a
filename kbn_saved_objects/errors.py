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

``decorate_*`` helpers classify a foreign exception once (the first classification wins)
and keep it as ``__cause__``. Failures Kibana raises as plain errors, without a code (bad
type definitions, documents that are not saved objects), are :class:`UnclassifiedError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

__all__ = [
    "BadRequestError",
    "ConflictError",
    "EngineUnavailableError",
    "EsCannotExecuteScriptError",
    "ForbiddenError",
    "GeneralError",
    "InvalidNamespaceError",
    "InvalidRawDocumentError",
    "InvalidVersionError",
    "NotAuthorizedError",
    "NotFoundError",
    "RequestEntityTooLargeError",
    "SavedObjectsError",
    "TooManyRequestsError",
    "TypeRegistrationError",
    "UnclassifiedError",
    "create_bad_request_error",
    "create_conflict_error",
    "create_generic_not_found_error",
    "create_generic_not_found_es_unavailable_error",
    "create_index_alias_not_found_error",
    "create_invalid_version_error",
    "create_too_many_requests_error",
    "create_unsupported_type_error",
    "decorate_bad_request_error",
    "decorate_conflict_error",
    "decorate_es_cannot_execute_script_error",
    "decorate_es_unavailable_error",
    "decorate_forbidden_error",
    "decorate_general_error",
    "decorate_index_alias_not_found_error",
    "decorate_not_authorized_error",
    "decorate_request_entity_too_large_error",
    "decorate_too_many_requests_error",
    "is_bad_request_error",
    "is_bulk_resolve_error",
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


class UnclassifiedError(SavedObjectsError):
    """A failure Kibana raises as a plain ``Error``/``TypeError``, without a classification.

    Kibana keeps programming and data errors (an invalid type definition, a document that
    is not a saved object, an empty namespace string) out of the ``SavedObjectsClient/*``
    codes. They are still ours, so they derive from :class:`SavedObjectsError`, but no
    ``is_<code>_error`` predicate matches them, :attr:`classification` is empty, and an
    HTTP layer answers 500 with the message hidden. ``decorate_*`` helpers wrap them like
    any foreign exception.
    """

    code = ""

    @property
    def classification(self) -> str:
        """Empty: Kibana attaches no ``SavedObjectsClient/<code>`` to these errors."""
        return ""


class TypeRegistrationError(UnclassifiedError, ValueError):
    """A saved-object type definition the registry (or the mappings builder) refuses.

    Raised at registration, when the registry is frozen, or when index mappings are
    built; the message is Kibana's where Kibana has one (``Type 'x' is already
    registered``, ``Cannot redefine core mapping "type".``...). ``metadata`` carries the
    type name under ``"type"`` when there is one.
    """


class InvalidRawDocumentError(UnclassifiedError, ValueError):
    """An engine document that cannot be read as a saved object.

    Kibana's texts: ``Raw document '<_id>' is missing _source.type field``, ``Raw document
    '<_id>' does not start with expected prefix '<prefix>'``, ``Expected document id to be a
    string but given [...]`` and ``_seq_no from elasticsearch must be an integer`` (the last
    two are ``TypeError`` in Kibana).
    """


class InvalidNamespaceError(UnclassifiedError, ValueError):
    """An empty namespace string: Kibana's ``TypeError`` ``namespace cannot be an empty string``."""


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


def create_too_many_requests_error(type_name: str, object_id: str) -> TooManyRequestsError:
    """429 ``Too Many Requests``; like Kibana, the type and id do not reach the message."""
    del type_name, object_id
    return TooManyRequestsError()


def create_generic_not_found_es_unavailable_error(
    type_name: str | None = None, object_id: str | None = None
) -> EngineUnavailableError:
    """503 for a 404 that did not come from Elasticsearch (no ``x-elastic-product`` header).

    The message keeps the not-found text behind the reason:
    ``x-elastic-product not present or not recognized: Saved object [t/i] not found``.
    """
    not_found = create_generic_not_found_error(type_name, object_id)
    return EngineUnavailableError(
        not_found.message, reason="x-elastic-product not present or not recognized"
    )


def create_index_alias_not_found_error(alias: str) -> GeneralError:
    """500 for a write under ``require_alias`` whose alias is missing.

    Kibana builds it from an HTTP error that already has a message, and its decoration
    never overrides one, so the alias is lost: the message is ``Internal Server Error``.
    The alias is kept in ``metadata["alias"]`` for logs.
    """
    return GeneralError(metadata={"alias": alias})


def _original_message(error: BaseException) -> str:
    if isinstance(error, SavedObjectsError):
        return error.message
    return str(error)


def _decorate(
    error: BaseException, error_class: type[SavedObjectsError], reason: str | None
) -> SavedObjectsError:
    """Kibana's ``decorate``: classify a foreign error once, putting the reason in front.

    An error that already carries a classification code is returned unchanged (the first
    classification wins, and the reason is dropped). Anything else -- a foreign exception
    or an :class:`UnclassifiedError` -- becomes a new ``error_class`` whose message is
    ``<reason>: <original message>`` (or just one of them when the other is empty) and
    whose ``__cause__`` is the original.
    """
    if isinstance(error, SavedObjectsError) and error.code:
        return error
    decorated = error_class(_original_message(error), reason=reason)
    decorated.__cause__ = error
    return decorated


def decorate_bad_request_error(
    error: BaseException, reason: str | None = None
) -> SavedObjectsError:
    return _decorate(error, BadRequestError, reason)


def decorate_not_authorized_error(
    error: BaseException, reason: str | None = None
) -> SavedObjectsError:
    return _decorate(error, NotAuthorizedError, reason)


def decorate_forbidden_error(error: BaseException, reason: str | None = None) -> SavedObjectsError:
    return _decorate(error, ForbiddenError, reason)


def decorate_request_entity_too_large_error(
    error: BaseException, reason: str | None = None
) -> SavedObjectsError:
    return _decorate(error, RequestEntityTooLargeError, reason)


def decorate_conflict_error(error: BaseException, reason: str | None = None) -> SavedObjectsError:
    return _decorate(error, ConflictError, reason)


def decorate_too_many_requests_error(
    error: BaseException, reason: str | None = None
) -> SavedObjectsError:
    return _decorate(error, TooManyRequestsError, reason)


def decorate_es_cannot_execute_script_error(
    error: BaseException, reason: str | None = None
) -> SavedObjectsError:
    return _decorate(error, EsCannotExecuteScriptError, reason)


def decorate_es_unavailable_error(
    error: BaseException, reason: str | None = None
) -> SavedObjectsError:
    return _decorate(error, EngineUnavailableError, reason)


def decorate_general_error(error: BaseException, reason: str | None = None) -> SavedObjectsError:
    return _decorate(error, GeneralError, reason)


def decorate_index_alias_not_found_error(error: BaseException, alias: str) -> SavedObjectsError:
    """500 ``Saved object index alias [<alias>] not found: <original message>``."""
    return _decorate(error, GeneralError, f"Saved object index alias [{alias}] not found")


def is_saved_objects_error(error: object) -> bool:
    return isinstance(error, SavedObjectsError)


def is_bulk_resolve_error(result: object) -> bool:
    """Kibana's ``isBulkResolveError``: a bulk-resolve entry that carries a truthy ``error``."""
    if isinstance(result, Mapping):
        return bool(result.get("error"))
    return bool(getattr(result, "error", None))


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


class KQLSyntaxError(BadRequestError):
    """400: a KQL ``filter`` that does not parse, saying what was expected and where.

    ``kql_message`` is Kibana's ``KQLSyntaxError`` text: ``Expected <items> but <found>
    found.``, the expression, and a caret line (``-`` times the offset, then ``^``). The
    error message is what ``find`` answers, ``KQLSyntaxError: <kql_message>: Bad Request``.
    ``offset`` is the index in the expression, ``line``/``column`` count from 1.
    """

    def __init__(
        self,
        kql_message: str,
        *,
        expression: str,
        offset: int,
        line: int,
        column: int,
        short_message: str,
        expected: tuple[str, ...] = (),
        found: str | None = None,
    ) -> None:
        super().__init__(
            reason=f"KQLSyntaxError: {kql_message}",
            metadata={"offset": offset, "line": line, "column": column},
        )
        self.kql_message = kql_message
        self.short_message = short_message
        self.expression = expression
        self.offset = offset
        self.line = line
        self.column = column
        self.expected = expected
        self.found = found


__all__ += ["KQLSyntaxError"]


class DocumentMigrationError(UnclassifiedError):
    """The document migrator could not bring a document to the version it was asked for.

    Kibana raises these as plain errors (``TransformSavedObjectDocumentError`` for a
    migration function that threw, ``Error`` for a transform that changed the type or
    lowered ``typeMigrationVersion``), so they carry no classification: the read paths
    wrap them with ``decorate_general_error(error, "Failed to migrate document to the
    latest version.")`` exactly as Kibana does, and the index migrator collects them per
    document. The message is Kibana's (``Migration function for version 10.2.0 threw an
    error``); ``type_name``, ``object_id`` and ``version`` (the transform's version, when
    one is to blame) name the document and step, also under ``metadata``. A failing
    user function is kept as ``original_error`` and as ``__cause__``.
    """

    def __init__(
        self,
        message: str,
        *,
        type_name: str | None = None,
        object_id: str | None = None,
        version: str | None = None,
        original_error: BaseException | None = None,
    ) -> None:
        super().__init__(message, metadata={"type": type_name, "id": object_id, "version": version})
        self.type_name = type_name
        self.object_id = object_id
        self.version = version
        self.original_error = original_error
        if original_error is not None:
            self.__cause__ = original_error


class DocumentVersionError(DocumentMigrationError):
    """422: a document's version fields cannot be served by this process (Kibana's
    ``Boom.badData``).

    Raised for a document written by a newer release when a downgrade is not allowed
    (``Document "<id>" belongs to a more recent version of Kibana [<v>] when the last
    known version is [<latest>].``), for a newer document of a type this process has no
    transform for (``Document "<id>" of type '<type>' belongs to ...``), and for a
    ``coreMigrationVersion`` that is not a semver or is newer than the running stack.
    Unlike other unclassified errors its :meth:`payload` keeps the message: the caller
    sent (or stored) data this release cannot read, and needs to know why.
    """

    status_code = 422
    label = "Unprocessable Entity"


__all__ += ["DocumentMigrationError", "DocumentVersionError"]
