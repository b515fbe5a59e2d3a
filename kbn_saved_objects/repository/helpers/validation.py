"""Argument checks shared by the write operations (Kibana's ``apis/helpers/validation``).

Each check returns ``None`` when the input is fine and the error to report otherwise, so
single-object operations can raise it and bulk operations can put it in the object's
result entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jsonschema
from pydantic import BaseModel, ValidationError

from kbn_saved_objects.errors import BadRequestError, SavedObjectsError
from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry


def initial_namespaces_error(
    registry: SavedObjectTypeRegistry, type_name: str, initial_namespaces: Sequence[str] | None
) -> SavedObjectsError | None:
    """Spec 03 §2.1.1, checked in the table's order."""
    if initial_namespaces is None:
        return None
    if registry.is_namespace_agnostic(type_name):
        return BadRequestError(reason='"initialNamespaces" cannot be used on space-agnostic types')
    if not initial_namespaces:
        return BadRequestError(reason='"initialNamespaces" must be a non-empty array of strings')
    if not registry.is_shareable(type_name) and (
        len(initial_namespaces) > 1 or ALL_NAMESPACES_STRING in initial_namespaces
    ):
        return BadRequestError(
            reason='"initialNamespaces" can only specify a single space when used with '
            "space-isolated types"
        )
    return None


def origin_id_error(
    registry: SavedObjectTypeRegistry, type_name: str, has_origin_id: bool
) -> SavedObjectsError | None:
    """Only multi-namespace types may carry ``originId`` (checked on key presence)."""
    if has_origin_id and not registry.is_multi_namespace(type_name):
        return BadRequestError(reason='"originId" can only be set for multi-namespace object types')
    return None


def object_id_error(object_id: str) -> SavedObjectsError | None:
    """Ids are one path segment in Kibana's HTTP APIs: '/' is refused everywhere."""
    if "/" in object_id:
        return BadRequestError(reason="Invalid saved object ID: IDs cannot contain '/'.")
    return None


def create_schema(definition: SavedObjectsType) -> Any:
    """The ``create`` schema of the type's latest model version that declares one."""
    versions = definition.model_versions
    if not isinstance(versions, Mapping):
        return None
    for _, model_version in sorted(versions.items(), key=lambda item: int(item[0]), reverse=True):
        schemas = model_version.schemas
        if schemas is not None and schemas.create is not None:
            return schemas.create
    return None


def _path(parts: Sequence[Any]) -> str:
    return ".".join(str(part) for part in parts)


def validate_attributes(definition: SavedObjectsType, attributes: Any) -> None:
    """Validate new attributes against the type's create schema; nothing is written on
    failure. The message names the field path as Kibana's does:
    ``[attributes.title]: expected value of type [string] ...``.
    """
    schema = create_schema(definition)
    if schema is None:
        return
    try:
        if isinstance(schema, type) and issubclass(schema, BaseModel):
            schema.model_validate(attributes)
        elif isinstance(schema, Mapping):
            validator = jsonschema.Draft202012Validator(schema)
            error = jsonschema.exceptions.best_match(validator.iter_errors(attributes))
            if error is not None:
                raise BadRequestError(
                    reason=f"[attributes.{_path(error.absolute_path)}]: {error.message}"
                    if error.absolute_path
                    else f"[attributes]: {error.message}",
                    metadata={"path": ["attributes", *error.absolute_path]},
                )
        elif callable(schema):
            schema(attributes)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = _path(first["loc"])
        raise BadRequestError(
            reason=f"[attributes.{location}]: {first['msg']}" if location else first["msg"],
            metadata={"path": ["attributes", *first["loc"]], "errors": exc.errors()},
        ) from exc
    except SavedObjectsError:
        raise
    except (TypeError, ValueError) as exc:
        raise BadRequestError(reason=str(exc)) from exc
