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
    InvalidNamespaceError,
    InvalidRawDocumentError,
    InvalidVersionError,
    KQLSyntaxError,
    NotAuthorizedError,
    NotFoundError,
    RequestEntityTooLargeError,
    SavedObjectsError,
    TooManyRequestsError,
    TypeRegistrationError,
    UnclassifiedError,
)
from kbn_saved_objects.mappings import EngineCapabilities, build_index_mappings
from kbn_saved_objects.serialization import (
    ALL_NAMESPACES_STRING,
    DEFAULT_NAMESPACE_STRING,
    SavedObject,
    SavedObjectReference,
    SavedObjectsSerializer,
)
from kbn_saved_objects.types import (
    DataBackfill,
    DataRemoval,
    LegacyMigration,
    MappingsAddition,
    MappingsDeprecation,
    ModelVersion,
    ModelVersionSchemas,
    NamespaceType,
    SavedObjectsType,
    SavedObjectsTypeManagement,
    SavedObjectTypeRegistry,
    UnsafeTransform,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "ALL_NAMESPACES_STRING",
    "DEFAULT_NAMESPACE_STRING",
    "BadRequestError",
    "DataBackfill",
    "DataRemoval",
    "EngineCapabilities",
    "InvalidNamespaceError",
    "InvalidRawDocumentError",
    "KQLSyntaxError",
    "LegacyMigration",
    "MappingsAddition",
    "MappingsDeprecation",
    "ModelVersion",
    "ModelVersionSchemas",
    "NamespaceType",
    "SavedObject",
    "SavedObjectReference",
    "SavedObjectTypeRegistry",
    "SavedObjectsSerializer",
    "SavedObjectsType",
    "SavedObjectsTypeManagement",
    "TypeRegistrationError",
    "UnclassifiedError",
    "UnsafeTransform",
    "build_index_mappings",
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
