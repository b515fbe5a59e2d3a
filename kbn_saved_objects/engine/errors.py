"""Turning engine failures into the library's typed errors (Kibana's ``decorateEsError``).

The adapters reduce whatever their client raised to an :class:`EngineFailure` (status, error
body, whether the product header was present). :func:`error_from_engine` then applies
Kibana's table in order. It is pure, so every row of the table has a unit test.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kbn_saved_objects.errors import (
    BadRequestError,
    ConflictError,
    EngineUnavailableError,
    EsCannotExecuteScriptError,
    ForbiddenError,
    GeneralError,
    NotAuthorizedError,
    RequestEntityTooLargeError,
    SavedObjectsError,
    TooManyRequestsError,
    create_generic_not_found_error,
)

_ALIAS_MISSING = re.compile(
    r"no such index \[(.+)\] and \[require_alias\] request flag is \[true\] "
    r"and \[.+\] is not an alias"
)
_SCRIPT_CONTEXT = re.compile(r"cannot execute scripts using \[.+\] context")


@dataclass(frozen=True, slots=True)
class EngineFailure:
    """What went wrong, independent of the client library that saw it.

    ``status`` is ``None`` when no HTTP answer came back (connection refused, timeout).
    """

    status: int | None
    body: Any = None
    message: str = ""
    product_header: bool = True
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def error(self) -> Mapping[str, Any]:
        if isinstance(self.body, Mapping):
            error = self.body.get("error")
            if isinstance(error, Mapping):
                return error
        return {}

    @property
    def error_type(self) -> str | None:
        value = self.error.get("type")
        return str(value) if value is not None else None

    @property
    def reason(self) -> str | None:
        value = self.error.get("reason")
        if value is None and isinstance(self.body, Mapping):
            # a 404 on get/delete carries no error object, only found/result
            value = self.body.get("error") if isinstance(self.body.get("error"), str) else None
        return str(value) if value is not None else None


def error_from_engine(failure: EngineFailure) -> SavedObjectsError:
    """Classify an engine failure exactly as Kibana's ``decorateEsError`` does."""
    reason = failure.reason
    message = failure.error_type or failure.message
    metadata = {
        "engine_status": failure.status,
        "engine_error_type": failure.error_type,
        "engine_reason": reason,
        **failure.metadata,
    }
    status = failure.status
    if status is None or status == 503:
        return EngineUnavailableError(message or None, reason=reason, metadata=metadata)
    if status == 409:
        return ConflictError(message or None, reason=reason, metadata=metadata)
    if status == 401:
        return NotAuthorizedError(message or None, reason=reason, metadata=metadata)
    if status == 403:
        return ForbiddenError(message or None, reason=reason, metadata=metadata)
    if status == 413:
        return RequestEntityTooLargeError(message or None, reason=reason, metadata=metadata)
    if status == 404:
        alias = _ALIAS_MISSING.search(reason or "")
        if alias:
            return GeneralError(
                f"Saved object index alias [{alias.group(1)}] not found: {message}",
                metadata=metadata,
            )
        if not failure.product_header:
            inner = create_generic_not_found_error()
            return EngineUnavailableError(
                f"x-elastic-product not present or not recognized: {inner.message}",
                metadata=metadata,
            )
        error = create_generic_not_found_error()
        error.metadata.update(metadata)
        return error
    if status == 429:
        return TooManyRequestsError(message or None, reason=reason, metadata=metadata)
    if status == 400:
        if reason and (
            _SCRIPT_CONTEXT.search(reason) or reason == "cannot execute [inline] scripts"
        ):
            return EsCannotExecuteScriptError(message or None, reason=reason, metadata=metadata)
        return BadRequestError(message or None, reason=reason, metadata=metadata)
    return GeneralError(message or None, reason=reason, metadata=metadata)
