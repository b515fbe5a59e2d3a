"""The steps a document can go through, compiled once per type from the registry.

Four kinds of transform exist (Kibana's ``TransformType``), each moving one version field:

==============  ===========================================  ========================
kind            source                                       advances
==============  ===========================================  ========================
``core``        core's own migrations (``8.8.0``), every type  ``coreMigrationVersion``
``reference``   one per ``convert_to_multi_namespace_type_``   ``coreMigrationVersion``
                ``version`` in the registry, every type
``convert``     the type's own conversion to multi-namespace   ``typeMigrationVersion``
``migrate``     legacy ``migrations`` and model versions       ``typeMigrationVersion``
==============  ===========================================  ========================

Core transforms run first whatever their version; the others by ascending semver, and at
equal versions reference, then convert, then migrate (a conversion needs the
``namespace`` field a reference rewrite reads, and a migration may change anything).

Whatever a transform raises, the migrator turns into a
:class:`~kbn_saved_objects.errors.DocumentMigrationError` naming the version, the type and
the document, with the original error as cause (Kibana's
``TransformSavedObjectDocumentError``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, TypeAlias

from kbn_saved_objects.migrations.document._versions import VersionKey, version_key
from kbn_saved_objects.migrations.document.changes import build_model_version_transform
from kbn_saved_objects.serialization._js import js_truthy
from kbn_saved_objects.serialization.namespaces import DEFAULT_NAMESPACE_STRING
from kbn_saved_objects.serialization.raw_ids import converted_object_id, legacy_url_alias_id
from kbn_saved_objects.types.definition import LegacyMigration, NamespaceType, SavedObjectsType
from kbn_saved_objects.types.legacy_url_alias import LEGACY_URL_ALIAS_TYPE
from kbn_saved_objects.types.model_versions import (
    DataBackfill,
    ModelVersion,
    UnsafeTransform,
    model_version_to_virtual_version,
)

__all__ = [
    "CORE_MIGRATION_VERSION",
    "StepFn",
    "LegacyMigrationContext",
    "ModelVersionContext",
    "Transform",
    "TransformKind",
    "conversion_transforms",
    "convert_namespace_type",
    "core_transforms",
    "legacy_migration_transforms",
    "model_version_transforms",
    "reference_transforms",
]

StepFn: TypeAlias = Callable[[dict[str, Any], Any], dict[str, Any]]
"""``(document, context) -> document`` on the migrator's working copy."""

CORE_MIGRATION_VERSION = "8.8.0"
"""The version of core's only transform: documents it has seen carry this
``coreMigrationVersion``."""


class TransformKind(IntEnum):
    """Also the tie-break order of transforms sharing a version."""

    CORE = 0
    REFERENCE = 1
    CONVERT = 2
    MIGRATE = 3


@dataclass(frozen=True, slots=True)
class Transform:
    """One step: ``fn(document, context)`` takes the migrator's working copy and returns
    the new document.

    ``touches_attributes`` marks steps that change the document's content (every
    migration and model version with data changes): before the first of them, the
    migrator replaces the document's ``attributes`` and ``references`` containers with its
    own copies, which steps may then change in place. ``fn`` is ``None`` for a model
    version without data changes, and for conversions, which the migrator runs itself
    since they may add a document.
    """

    kind: TransformKind
    version: str
    fn: StepFn | None
    context: Any = None
    deferred: bool = False
    touches_attributes: bool = False
    user_code: bool = True
    """``False`` for steps the library wrote (core, references, removals): they cannot
    fail on a document, change its type or lower its version."""
    key: VersionKey = field(init=False, repr=False, compare=False)
    version_field: str = field(init=False, repr=False, compare=False)
    """``typeMigrationVersion`` or ``coreMigrationVersion``: the field this step advances."""
    unpacked: tuple[StepFn | None, Any, bool, str, str] = field(
        init=False, repr=False, compare=False
    )
    """``(fn, context, touches_attributes, version_field, version)`` for the migrator's
    inner loop, where one tuple unpacking is cheaper than five attribute reads."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", version_key(self.version))
        advances_type = self.kind >= TransformKind.CONVERT
        field_name = "typeMigrationVersion" if advances_type else "coreMigrationVersion"
        object.__setattr__(self, "version_field", field_name)
        unpacked = (self.fn, self.context, self.touches_attributes, field_name, self.version)
        object.__setattr__(self, "unpacked", unpacked)

    def sort_key(self) -> tuple[bool, VersionKey, int]:
        """Core transforms first, then by version, then by kind."""
        return (self.kind is not TransformKind.CORE, self.key, int(self.kind))


@dataclass(frozen=True, slots=True)
class ModelVersionContext:
    """Passed to ``backfill_fn`` and ``transform_fn`` (Kibana's
    ``SavedObjectModelTransformationContext``)."""

    log: logging.Logger
    model_version: int
    namespace_type: NamespaceType


@dataclass(frozen=True, slots=True)
class LegacyMigrationContext:
    """Passed to legacy migration functions (Kibana's ``SavedObjectMigrationContext``)."""

    log: logging.Logger
    migration_version: str
    convert_to_multi_namespace_type_version: str | None
    is_single_namespace_type: bool


# -- core ------------------------------------------------------------------------------


def _core_8_8_0(document: dict[str, Any], context: object) -> dict[str, Any]:
    """``managed`` defaults to ``False``; legacy ``migrationVersion`` becomes
    ``typeMigrationVersion`` (``''`` -- "run every migration" -- when it has no entry for
    the document's type)."""
    if document.get("managed") is None:
        document["managed"] = False
    if "migrationVersion" in document:
        migration_version = document.pop("migrationVersion")
        if js_truthy(migration_version):
            type_version = (
                migration_version.get(document.get("type"))
                if isinstance(migration_version, Mapping)
                else None
            )
            document["typeMigrationVersion"] = "" if type_version is None else type_version
    return document


def core_transforms() -> list[Transform]:
    """Core's migrations: every registered type gets them. Deferred, as in Kibana: they
    alone never make a stored document outdated."""
    return [
        Transform(
            TransformKind.CORE,
            CORE_MIGRATION_VERSION,
            _core_8_8_0,
            deferred=True,
            user_code=False,
        ),
    ]


# -- namespace conversion (deprecated feature, still in 7.x data) ------------------------


def reference_transforms(types: list[SavedObjectsType]) -> list[Transform]:
    """One transform per conversion version: references (from any type) to objects of the
    types converted at that version get the ids those objects received."""
    converted: dict[str, set[str]] = {}
    for definition in types:
        version = definition.convert_to_multi_namespace_type_version
        if version:
            converted.setdefault(version, set()).add(definition.name)
    return [
        Transform(
            TransformKind.REFERENCE,
            version,
            _rewrite_references(frozenset(names)),
            user_code=False,
        )
        for version, names in converted.items()
    ]


def _rewrite_references(converted_types: frozenset[str]) -> StepFn:
    def rewrite(document: dict[str, Any], context: object) -> dict[str, Any]:
        namespace = document.get("namespace")
        references = document.get("references")
        if namespace and isinstance(references, list) and references:
            document["references"] = [
                {**reference, "id": converted_object_id(namespace, ref_type, ref_id)}
                if isinstance(reference, Mapping)
                and (ref_type := reference.get("type")) in converted_types
                and isinstance(ref_id := reference.get("id"), str)
                else reference
                for reference in references
            ]
        return document

    return rewrite


def convert_namespace_type(
    document: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A single-namespace object becomes a multi-namespace one.

    In the default space only ``namespaces: ['default']`` is added; in another space the
    object gets a deterministic new id (``originId`` keeps the old one) and a
    ``legacy-url-alias`` document so that old links still resolve.
    """
    namespace = document.pop("namespace", None)
    if namespace is None and document.get("namespaces") is not None:
        return document, None
    if not namespace:
        document["namespaces"] = [DEFAULT_NAMESPACE_STRING]
        return document, None
    type_name = document["type"]
    origin_id = document["id"]
    new_id = converted_object_id(namespace, type_name, origin_id)
    document["id"] = new_id
    document["originId"] = origin_id
    document["namespaces"] = [namespace]
    alias = {
        "id": legacy_url_alias_id(namespace, type_name, origin_id),
        "type": LEGACY_URL_ALIAS_TYPE,
        "attributes": {
            "sourceId": origin_id,
            "targetNamespace": namespace,
            "targetType": type_name,
            "targetId": new_id,
            "purpose": "savedObjectConversion",
        },
    }
    return document, alias


def conversion_transforms(definition: SavedObjectsType) -> list[Transform]:
    """The type's own conversion, applied by :func:`convert_namespace_type` (the migrator
    calls it directly because it may produce a second document)."""
    version = definition.convert_to_multi_namespace_type_version
    if not version:
        return []
    return [Transform(TransformKind.CONVERT, version, None)]


# -- the type's own migrations -----------------------------------------------------------


def legacy_migration_transforms(
    definition: SavedObjectsType, log: logging.Logger
) -> list[Transform]:
    """Legacy ``migrations``: ``fn(document, context) -> document`` keyed by stack version."""
    migrations = definition.migrations
    if not isinstance(migrations, Mapping):
        return []
    transforms = []
    for version, migration in migrations.items():
        deferred = isinstance(migration, LegacyMigration) and migration.deferred
        function = migration.transform if isinstance(migration, LegacyMigration) else migration
        context = LegacyMigrationContext(
            log=log,
            migration_version=version,
            convert_to_multi_namespace_type_version=(
                definition.convert_to_multi_namespace_type_version
            ),
            is_single_namespace_type=definition.namespace_type == NamespaceType.SINGLE,
        )
        transforms.append(
            Transform(
                TransformKind.MIGRATE,
                version,
                _legacy_call(function, definition.name, version),
                context,
                deferred=deferred,
                touches_attributes=True,
            )
        )
    return transforms


def _legacy_call(
    function: Callable[[Any, Any], Any], type_name: str, version: str
) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    def call(document: dict[str, Any], context: Any) -> dict[str, Any]:
        before = document.get("attributes")
        returned = function(document, context)
        result: dict[str, Any] | None = (
            returned
            if type(returned) is dict
            else dict(returned)
            if isinstance(returned, Mapping)
            else None
        )
        if not result or not result.get("type"):
            raise ValueError(f"Invalid saved object returned from migration {type_name}:{version}.")
        attributes = result.get("attributes")
        if attributes is not before and isinstance(attributes, Mapping):
            result["attributes"] = dict(attributes)  # the next step may change it in place
        return result

    return call


def model_version_transforms(definition: SavedObjectsType, log: logging.Logger) -> list[Transform]:
    """One transform per model version, at its virtual version ``10.N.0``."""
    model_versions: Mapping[int, ModelVersion] = definition.model_versions or {}  # type: ignore[assignment]
    transforms = []
    namespace_type = NamespaceType(definition.namespace_type)
    for number, model_version in model_versions.items():
        virtual = model_version_to_virtual_version(number)
        step = build_model_version_transform(model_version.changes)
        context = ModelVersionContext(
            log=log, model_version=int(number), namespace_type=namespace_type
        )
        transforms.append(
            Transform(
                TransformKind.MIGRATE,
                virtual,
                step,
                context,
                touches_attributes=step is not None,
                user_code=any(
                    isinstance(change, DataBackfill | UnsafeTransform)
                    for change in model_version.changes
                ),
            )
        )
    return transforms
