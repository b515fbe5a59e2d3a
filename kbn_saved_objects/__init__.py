"""Kibana's Saved Objects service for Python services.

The public API is re-exported here; everything else is internal and may change.
"""

from kbn_saved_objects.errors import (
    BadRequestError,
    ConflictError,
    EngineUnavailableError,
    EsCannotExecuteScriptError,
    ForbiddenError,
    GeneralError,
    InvalidVersionError,
    NotAuthorizedError,
    NotFoundError,
    RequestEntityTooLargeError,
    SavedObjectsError,
    TooManyRequestsError,
)

__version__ = "0.1.0.dev0"

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
    "__version__",
]
