"""Model versions: the data a type declares about how its documents change over time.

This module holds the *definitions* only (what changed in each version, and the schemas
that go with it) and the arithmetic between model versions and the ``10.N.0`` "virtual
versions" stored in documents and index ``_meta``. Running the changes against documents
is the document migrator's job.

Kibana names (``SavedObjectsModelVersion``, ``SavedObjectsModelChange``):

==========================  ===============================================
Kibana                      here
==========================  ===============================================
``changes``                 :attr:`ModelVersion.changes`
``schemas``                 :attr:`ModelVersion.schemas`
``schemas.forwardCompatibility``  :attr:`ModelVersionSchemas.forward_compatibility`
``schemas.create``          :attr:`ModelVersionSchemas.create`
``{type: 'mappings_addition', addedMappings}``  :class:`MappingsAddition`
``{type: 'mappings_deprecation', deprecatedMappings}``  :class:`MappingsDeprecation`
``{type: 'data_backfill', backfillFn}``  :class:`DataBackfill`
``{type: 'data_removal', removedAttributePaths}``  :class:`DataRemoval`
``{type: 'unsafe_transform', transformFn}``  :class:`UnsafeTransform`
==========================  ===============================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeAlias

from kbn_saved_objects.errors import TypeRegistrationError, UnclassifiedError
from kbn_saved_objects.types._semver import parse_semver
from kbn_saved_objects.types.json_values import freeze_json

__all__ = [
    "GLOBAL_SWITCH_TO_MODEL_VERSION_AT",
    "INITIAL_MODEL_VERSION",
    "MODEL_VERSION_VIRTUAL_MAJOR",
    "DataBackfill",
    "DataRemoval",
    "MappingsAddition",
    "MappingsDeprecation",
    "ModelChange",
    "ModelVersion",
    "ModelVersionSchemas",
    "UnsafeTransform",
    "assert_valid_model_version",
    "assert_valid_virtual_version",
    "is_virtual_model_version",
    "latest_mappings_model_version",
    "latest_model_version",
    "model_version_to_virtual_version",
    "virtual_version_to_model_version",
]

MODEL_VERSION_VIRTUAL_MAJOR = 10
"""Model version ``N`` is stored as the semver ``10.N.0``, above every legacy stack version."""

INITIAL_MODEL_VERSION = "10.0.0"
"""The virtual version of a type that has no model version."""

GLOBAL_SWITCH_TO_MODEL_VERSION_AT = "8.10.0"
"""Legacy ``migrations`` and ``schemas`` must be keyed below this stack version."""

ChangeKind: TypeAlias = Literal[
    "mappings_addition", "mappings_deprecation", "data_backfill", "data_removal", "unsafe_transform"
]
DocumentTransform: TypeAlias = Callable[..., Any]
"""``(document, context) -> result``; the document migrator defines the exact contract."""

SchemaLike: TypeAlias = Any
"""A validation schema: a pydantic model class, a JSON schema ``dict`` or a callable.

Which forms are accepted is decided by the validator (document migrator / repository);
the type definition only carries the value.
"""


@dataclass(frozen=True, kw_only=True)
class MappingsAddition:
    """New mapped fields (also present, identically, in the type's ``mappings``).

    The latest model version holding such a change decides whether an existing index
    needs a mappings update.
    """

    kind: ClassVar[ChangeKind] = "mappings_addition"
    added_mappings: Mapping[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "added_mappings", freeze_json(self.added_mappings))


@dataclass(frozen=True, kw_only=True)
class MappingsDeprecation:
    """Dotted paths of mapped fields no longer used (informational: ES cannot unmap)."""

    kind: ClassVar[ChangeKind] = "mappings_deprecation"
    deprecated_mappings: Sequence[str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "deprecated_mappings", tuple(self.deprecated_mappings))


@dataclass(frozen=True, kw_only=True)
class DataBackfill:
    """``backfill_fn(document, context) -> {"attributes": partial}``, deep-merged in.

    Meant to fill fields introduced by the same model version.
    """

    kind: ClassVar[ChangeKind] = "data_backfill"
    backfill_fn: DocumentTransform


@dataclass(frozen=True, kw_only=True)
class DataRemoval:
    """Dotted attribute paths deleted from every document (absent paths are ignored)."""

    kind: ClassVar[ChangeKind] = "data_removal"
    removed_attribute_paths: Sequence[str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "removed_attribute_paths", tuple(self.removed_attribute_paths))


@dataclass(frozen=True, kw_only=True)
class UnsafeTransform:
    """``transform_fn(document, context) -> {"document": new_document}``: anything goes."""

    kind: ClassVar[ChangeKind] = "unsafe_transform"
    transform_fn: DocumentTransform


ModelChange: TypeAlias = (
    MappingsAddition | MappingsDeprecation | DataBackfill | DataRemoval | UnsafeTransform
)


@dataclass(frozen=True, kw_only=True)
class ModelVersionSchemas:
    """Schemas of one model version.

    ``forward_compatibility`` brings a document of a newer version down to this one's
    shape when read; ``create`` validates documents written through create/import.
    """

    forward_compatibility: SchemaLike | None = None
    create: SchemaLike | None = None


@dataclass(frozen=True, kw_only=True)
class ModelVersion:
    """One model version: its ordered changes (possibly none) and its schemas."""

    changes: Sequence[ModelChange] = field(default=())
    schemas: ModelVersionSchemas | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", tuple(self.changes))


_INTEGER = re.compile(r"^-?(?:0|[1-9][0-9]*)$")


def assert_valid_model_version(model_version: object) -> int:
    """The model version as an ``int``; raise if it is not a non-negative integer.

    Stricter than Kibana, which parses strings like JavaScript's ``parseFloat`` and so
    accepts ``'1.0'`` or ``'01'``: here only ``int`` values and canonical integer strings
    (``'7'``) are accepted. Messages are Kibana's.
    """
    number: int
    if isinstance(model_version, bool):
        raise TypeRegistrationError("Model version must be an integer")
    if isinstance(model_version, int):
        number = model_version
    elif isinstance(model_version, str) and _INTEGER.match(model_version):
        number = int(model_version)
    else:
        raise TypeRegistrationError("Model version must be an integer")
    if number < 0:
        raise TypeRegistrationError("Model version cannot be negative")
    return number


def model_version_to_virtual_version(model_version: int | str) -> str:
    """``3 -> '10.3.0'`` (after :func:`assert_valid_model_version`)."""
    number = assert_valid_model_version(model_version)
    return f"{MODEL_VERSION_VIRTUAL_MAJOR}.{number}.0"


def is_virtual_model_version(version: str) -> bool:
    """True for ``10.N.0``; raise ``Invalid semver: <v>`` for a non-semver string."""
    parsed = parse_semver(version)
    if parsed is None:
        raise UnclassifiedError(f"Invalid semver: {version}")
    return parsed.major == MODEL_VERSION_VIRTUAL_MAJOR and parsed.patch == 0


def virtual_version_to_model_version(version: str) -> int:
    """``'10.7.0' -> 7``; raise for invalid semver or a version that is not ``10.N.0``."""
    if not is_virtual_model_version(version):
        raise UnclassifiedError("Version is not a virtual model version")
    parsed = parse_semver(version)
    assert parsed is not None
    return parsed.minor


def assert_valid_virtual_version(version: str) -> str:
    """Any valid semver is a valid virtual version (legacy ``7.17.5`` as well as ``10.3.0``)."""
    if parse_semver(version) is None:
        raise UnclassifiedError("Virtual versions must be valid semver versions")
    return version


def latest_model_version(model_versions: Iterable[int] | None) -> int:
    """The highest model version number, ``0`` when there is none."""
    return max(model_versions or (), default=0)


def latest_mappings_model_version(model_versions: Mapping[int, ModelVersion] | None) -> int:
    """The highest model version holding a ``mappings_addition`` change, ``0`` if none."""
    return max(
        (
            number
            for number, version in (model_versions or {}).items()
            if any(isinstance(change, MappingsAddition) for change in version.changes)
        ),
        default=0,
    )
