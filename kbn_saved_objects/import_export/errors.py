"""Typed errors of import and export (spec 07 §2.6, §3, §4.4).

Each carries Kibana's ``type`` code and ``attributes`` so that an HTTP layer can answer
``{statusCode, error, message, attributes}`` exactly as Kibana does, and so that callers
(and the fuzz tests) can tell a refused request from a crash: everything the import or
export path refuses on purpose is one of these, never a bare ``ValueError``.
"""

from __future__ import annotations

from typing import Any

from kbn_saved_objects.errors import BadRequestError, RequestEntityTooLargeError

__all__ = [
    "ImportSizeExceededError",
    "InvalidNdjsonError",
    "SavedObjectsExportError",
    "SavedObjectsImportError",
    "UnwritableObjectError",
]


class SavedObjectsExportError(BadRequestError):
    """An export refused as a whole (HTTP 400); nothing has been streamed yet."""

    def __init__(self, type: str, message: str, attributes: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.type = type
        self.attributes: dict[str, Any] = dict(attributes or {})

    def payload(self) -> dict[str, Any]:
        body = super().payload()
        if self.attributes:
            body["attributes"] = self.attributes
        return body


class SavedObjectsImportError(BadRequestError):
    """An import or resolve refused as a whole (HTTP 400): nothing was written."""

    def __init__(self, type: str, message: str, attributes: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.type = type
        self.attributes: dict[str, Any] = dict(attributes or {})

    def payload(self) -> dict[str, Any]:
        body = super().payload()
        if self.attributes:
            body["attributes"] = self.attributes
        return body


class InvalidNdjsonError(SavedObjectsImportError):
    """A line that is not JSON. Kibana answers 400 with the parser's message; we also
    name the 1-based line number, which Kibana's message lacks and users need."""

    def __init__(self, line_number: int, detail: str) -> None:
        super().__init__(
            "invalid-ndjson",
            f"Invalid NDJSON at line {line_number}: {detail}",
            {"line": line_number},
        )
        self.line_number = line_number


class UnwritableObjectError(BadRequestError):
    """An object of an import file that the engine's JSON encoder cannot write: nested
    too deeply, or holding a string that is not valid Unicode (a lone surrogate, which
    Python's ``json`` reads from ``"\\ud800"``).

    Not raised: its :meth:`payload`, with Kibana's catch-all ``type: "unknown"``, is that
    object's entry in the response's ``errors``, so nothing is written for it while the
    rest of the file is imported.
    """

    def __init__(self, line_number: int, detail: str) -> None:
        super().__init__(f"The object at line {line_number} cannot be written: {detail}")
        self.line_number = line_number


class ImportSizeExceededError(RequestEntityTooLargeError):
    """More objects than the import limit (Kibana's ``import-size-exceeded``).

    Kibana answers 400; the issue asks for an entity-too-large error, so this is a 413
    :class:`~kbn_saved_objects.errors.RequestEntityTooLargeError` with Kibana's message
    and ``type`` kept, which an HTTP layer may map back to 400 if it wants Kibana's code.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(f"Can't import more than {limit} objects")
        self.type = "import-size-exceeded"
        self.limit = limit
        self.attributes: dict[str, Any] = {}
