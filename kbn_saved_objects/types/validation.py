"""The rules a type definition must satisfy to be registered.

Kibana checks a type in three places: when it is registered (duplicates, management and
``hidden`` options), when the document migrator is prepared (legacy migrations, model
versions, ``convertToMultiNamespaceTypeVersion``) and when index mappings are built (names
that start with ``_`` or redefine a root field). Here all of them run when the type is
registered -- or, for definitions given as provider functions, when the registry is
frozen -- so a bad type fails at the line that registers it. Messages are Kibana's where
Kibana has one; the others follow the same ``Type <name>: ...`` shape.

Deliberately stricter than Kibana (each documented in docs/types.md):

* an unknown ``namespace_type`` is an error (Kibana silently treats it as single);
* ``mappings`` must be ``{"properties": {...}, "dynamic"?: ...}`` of JSON values;
* model version keys are ``int`` or canonical integer strings, starting at 1;
* a type name must be a non-empty string and may not shadow a root field, including the
  legacy ``migrationVersion`` and the newest ``accessControl``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, NoReturn

from kbn_saved_objects.errors import TypeRegistrationError
from kbn_saved_objects.types._semver import SemVer, parse_semver
from kbn_saved_objects.types.definition import (
    LegacyMigration,
    NamespaceType,
    SavedObjectsType,
    SavedObjectsTypeManagement,
)
from kbn_saved_objects.types.model_versions import (
    GLOBAL_SWITCH_TO_MODEL_VERSION_AT,
    MappingsAddition,
    ModelVersion,
    assert_valid_model_version,
)

__all__ = [
    "RESERVED_TYPE_NAMES",
    "VALID_DYNAMIC_VALUES",
    "resolve_provided_definitions",
    "validate_type",
]

RESERVED_TYPE_NAMES = frozenset(
    {
        "type",
        "namespace",
        "namespaces",
        "originId",
        "updated_at",
        "updated_by",
        "created_at",
        "created_by",
        "references",
        "coreMigrationVersion",
        "typeMigrationVersion",
        "managed",
        "migrationVersion",
        "accessControl",
    }
)
"""Root fields of saved-object indices, past and present: no type may be named after one."""

VALID_DYNAMIC_VALUES: tuple[object, ...] = (False, "false", "strict", True, "true", "runtime")
"""What Elasticsearch accepts for ``dynamic``. Kibana's docs say never use ``true`` in a
type, but 7.x indices did (``config``), so it is accepted."""

_GLOBAL_SWITCH = SemVer(8, 10, 0)  # GLOBAL_SWITCH_TO_MODEL_VERSION_AT
_NAMESPACE_TYPES = ", ".join(f"'{member.value}'" for member in NamespaceType)
_MAPPINGS_KEYS = frozenset({"dynamic", "properties"})


def _fail(type_name: object, message: str) -> NoReturn:
    raise TypeRegistrationError(message, metadata={"type": type_name})


def validate_type(
    definition: SavedObjectsType,
    *,
    registered: Mapping[str, SavedObjectsType],
    legacy_types: frozenset[str] = frozenset(),
    stack_version: str | None = None,
) -> None:
    """Raise :class:`TypeRegistrationError` on the first rule ``definition`` breaks.

    ``registered`` are the types already in the registry; ``legacy_types`` names that may
    never be used again; ``stack_version`` (optional) the product version legacy
    migrations and conversions may not exceed.
    """
    if not isinstance(definition, SavedObjectsType):
        _fail(None, f"Expected a SavedObjectsType, got {type(definition).__name__}")
    name = definition.name
    if not isinstance(name, str) or not name:
        _fail(name, f"Type name must be a non-empty string, got {name!r}")
    if name in registered:
        _fail(name, f"Type '{name}' is already registered")
    if name in legacy_types:
        _fail(name, f"Type '{name}' can't be used because it's been added to the legacy types")
    if definition.supports_access_control and definition.namespace_type not in (
        "multiple",
        "multiple-isolated",
    ):
        _fail(
            name,
            f"Type {name}: Cannot specify 'supportsAccessControl' as 'true' unless "
            "'namespaceType' is either 'multiple' or 'multiple-isolated'.",
        )
    _check_management(definition)
    if definition.hidden is True and definition.hidden_from_http_apis is False:
        _fail(
            name,
            f"Type {name}: 'hiddenFromHttpApis' cannot be 'false' "
            "when specifying 'hidden' as 'true'",
        )
    if name.startswith("_"):
        _fail(name, f'Invalid mapping "{name}". Mappings cannot start with _.')
    if name in RESERVED_TYPE_NAMES:
        _fail(name, f'Cannot redefine core mapping "{name}".')
    _check_scalars(definition)
    _check_mappings(name, definition.mappings)
    stack = _parse_stack_version(stack_version)
    if isinstance(definition.migrations, Mapping) or not callable(definition.migrations):
        _check_legacy_migrations(definition, definition.migrations, stack)
    if isinstance(definition.schemas, Mapping) or not callable(definition.schemas):
        _check_legacy_schemas(definition, definition.schemas, stack)
    if isinstance(definition.model_versions, Mapping) or not callable(definition.model_versions):
        normalize_model_versions(definition, definition.model_versions)
    _check_convert_version(definition, stack)
    _check_switch_version(definition)


def resolve_provided_definitions(
    definition: SavedObjectsType, *, stack_version: str | None = None
) -> dict[str, Any]:
    """Call the provider functions of ``definition`` and validate what they return.

    Returns the replacement values (``migrations``, ``schemas``, ``model_versions``) for a
    registered copy of the type; model versions are always normalized to ``{int: ...}``.
    """
    stack = _parse_stack_version(stack_version)
    migrations = definition.migrations
    if callable(migrations) and not isinstance(migrations, Mapping):
        migrations = migrations()
        if not isinstance(migrations, Mapping):
            _fail(
                definition.name,
                f"Migrations map for type {definition.name} should be an object like "
                f"{{ '2.0.0': (doc) => doc }}. Got {migrations!r}.",
            )
        _check_legacy_migrations(definition, migrations, stack)
        migrations = MappingProxyType(dict(migrations))
    schemas = definition.schemas
    if callable(schemas) and not isinstance(schemas, Mapping):
        schemas = schemas()
        if not isinstance(schemas, Mapping):
            _fail(
                definition.name, f"Type {definition.name}: 'schemas' provider must return a mapping"
            )
        # Kibana does not validate schemas given through a provider; keys are still semvers.
        schemas = MappingProxyType(dict(schemas))
    model_versions = definition.model_versions
    if callable(model_versions) and not isinstance(model_versions, Mapping):
        model_versions = model_versions()
    return {
        "migrations": migrations,
        "schemas": schemas,
        "model_versions": normalize_model_versions(definition, model_versions),
    }


def normalize_model_versions(
    definition: SavedObjectsType, model_versions: object
) -> MappingProxyType[int, ModelVersion] | None:
    """Check the model-version rules and return ``{int: ModelVersion}`` in ascending order."""
    name = definition.name
    if model_versions is None:
        return None
    if not isinstance(model_versions, Mapping):
        _fail(name, f"Type {name}: 'model_versions' must be a mapping or a function returning one")
    numbered: dict[int, ModelVersion] = {}
    for key, version in model_versions.items():
        try:
            number = assert_valid_model_version(key)
        except TypeRegistrationError as error:
            raise TypeRegistrationError(
                error.message, metadata={"type": name, "model_version": key}
            ) from None
        if number in numbered:
            _fail(name, f"Type {name}: model version {number} is defined more than once")
        if not isinstance(version, ModelVersion):
            _fail(name, f"Type {name}: model version {number} must be a ModelVersion")
        numbered[number] = version
    if not numbered:
        return MappingProxyType({})
    if min(numbered) != 1:
        _fail(name, f"Type {name}: model versioning must start with version 1")
    _check_mapping_additions(definition, numbered)
    missing = [n for n in range(1, max(numbered)) if n not in numbered]
    if missing:
        listed = ",".join(str(n) for n in missing)
        _fail(
            name,
            f"Type {name}: gaps between model versions aren't allowed (missing versions: {listed})",
        )
    return MappingProxyType(dict(sorted(numbered.items())))


def _parse_stack_version(stack_version: str | None) -> SemVer | None:
    if stack_version is None:
        return None
    parsed = parse_semver(stack_version)
    if parsed is None:
        raise TypeRegistrationError(f"Invalid stack version: {stack_version!r}")
    return parsed


def _check_management(definition: SavedObjectsType) -> None:
    name = definition.name
    management = definition.management
    if management is None:
        return
    if not isinstance(management, SavedObjectsTypeManagement):
        _fail(name, f"Type {name}: 'management' must be a SavedObjectsTypeManagement")
    if management.on_export is not None and not management.importable_and_exportable:
        _fail(
            name,
            f"Type {name}: 'management.importableAndExportable' must be 'true' "
            "when specifying 'management.onExport'",
        )
    if management.visible_in_management is not None and not management.importable_and_exportable:
        _fail(
            name,
            f"Type {name}: 'management.importableAndExportable' must be 'true' "
            "when specifying 'management.visibleInManagement'",
        )


def _check_scalars(definition: SavedObjectsType) -> None:
    name = definition.name
    if not isinstance(definition.namespace_type, NamespaceType):
        _fail(
            name,
            f"Type {name}: invalid namespaceType {definition.namespace_type!r}, "
            f"expected one of {_NAMESPACE_TYPES}",
        )
    if not isinstance(definition.hidden, bool):
        _fail(name, f"Type {name}: 'hidden' must be a boolean")
    if definition.hidden_from_http_apis is not None and not isinstance(
        definition.hidden_from_http_apis, bool
    ):
        _fail(name, f"Type {name}: 'hiddenFromHttpApis' must be a boolean")
    for field_name in ("index_pattern", "convert_to_alias_script", "name_attribute"):
        value = getattr(definition, field_name)
        if value is not None and (not isinstance(value, str) or not value):
            _fail(name, f"Type {name}: '{field_name}' must be a non-empty string")
    if definition.exclude_on_upgrade is not None and not callable(definition.exclude_on_upgrade):
        _fail(name, f"Type {name}: 'exclude_on_upgrade' must be callable")


def _check_mappings(name: str, mappings: object) -> None:
    def fail(path: str, problem: str) -> NoReturn:
        _fail(name, f"Type {name}: invalid mappings: {path}: {problem}")

    if not isinstance(mappings, Mapping):
        fail("mappings", "must be an object with 'properties'")
    unknown = sorted(str(key) for key in mappings if key not in _MAPPINGS_KEYS)
    if unknown:
        fail("mappings", f"unknown keys {unknown} (only 'dynamic' and 'properties' are allowed)")
    if "properties" not in mappings:
        fail("mappings", "'properties' is required")
    if "dynamic" in mappings and mappings["dynamic"] not in VALID_DYNAMIC_VALUES:
        fail("dynamic", f"{mappings['dynamic']!r} is not a valid 'dynamic' value")
    _check_properties(mappings["properties"], "properties", fail)


def _check_properties(properties: object, path: str, fail: Callable[[str, str], NoReturn]) -> None:
    if not isinstance(properties, Mapping):
        fail(path, "must be an object of field mappings")
    for field_name, field_mapping in properties.items():
        field_path = f"{path}.{field_name}"
        if not isinstance(field_name, str) or not field_name:
            fail(path, f"field names must be non-empty strings, got {field_name!r}")
        if not isinstance(field_mapping, Mapping):
            fail(field_path, "a field mapping must be an object")
        if "type" in field_mapping and not isinstance(field_mapping["type"], str):
            fail(f"{field_path}.type", "must be a string")
        if "dynamic" in field_mapping and field_mapping["dynamic"] not in VALID_DYNAMIC_VALUES:
            fail(f"{field_path}.dynamic", f"{field_mapping['dynamic']!r} is not a valid value")
        for key, value in field_mapping.items():
            if key in ("properties", "fields"):
                _check_properties(value, f"{field_path}.{key}", fail)
            else:
                _check_json_value(value, f"{field_path}.{key}", fail)


def _check_json_value(value: object, path: str, fail: Callable[[str, str], NoReturn]) -> None:
    if value is None or isinstance(value, str | bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            fail(path, f"{value!r} is not a JSON value")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                fail(path, f"object keys must be strings, got {key!r}")
            _check_json_value(item, f"{path}.{key}", fail)
        return
    if isinstance(value, tuple | list):
        for index, item in enumerate(value):
            _check_json_value(item, f"{path}[{index}]", fail)
        return
    fail(path, f"{value!r} is not a JSON value")


def _check_legacy_migrations(
    definition: SavedObjectsType, migrations: object, stack: SemVer | None
) -> None:
    name = definition.name
    if migrations is None:
        return
    if not isinstance(migrations, Mapping):
        _fail(
            name,
            f"Migration for type {name} should be an object or a function returning an object "
            f"like {{ '2.0.0': (doc) => doc }}. Got! {type(migrations).__name__}, {migrations!r}.",
        )
    switch = parse_semver(definition.switch_to_model_version_at)
    for version, migration in migrations.items():
        parsed = _check_version_key(name, version, stack)
        transform = migration.transform if isinstance(migration, LegacyMigration) else migration
        if not callable(transform):
            _fail(
                name,
                f"Invalid migration {name}.{version}: expected a function or an object, "
                f"but got {migration!r}.",
            )
        if switch is not None and parsed >= switch:
            _fail(
                name,
                f"Migration for type {name} for version {version} registered after "
                f"switchToModelVersionAt ({definition.switch_to_model_version_at})",
            )
        if parsed >= _GLOBAL_SWITCH:
            _fail(
                name,
                f"Migration for type {name} for version {version} registered after "
                f"globalSwitchToModelVersionAt ({GLOBAL_SWITCH_TO_MODEL_VERSION_AT})",
            )


def _check_legacy_schemas(
    definition: SavedObjectsType, schemas: object, stack: SemVer | None
) -> None:
    name = definition.name
    if schemas is None:
        return
    if not isinstance(schemas, Mapping):
        _fail(name, f"Type {name}: 'schemas' must be a mapping or a function returning one")
    switch = parse_semver(definition.switch_to_model_version_at)
    for version in schemas:
        parsed = _check_version_key(name, version, stack)
        if switch is not None and parsed >= switch:
            _fail(
                name,
                f"Schema for type {name} for version {version} registered after "
                f"switchToModelVersionAt ({definition.switch_to_model_version_at})",
            )
        if parsed >= _GLOBAL_SWITCH:
            _fail(
                name,
                f"Schema for type {name} for version {version} registered after "
                f"globalSwitchToModelVersionAt ({GLOBAL_SWITCH_TO_MODEL_VERSION_AT})",
            )


def _check_version_key(name: str, version: object, stack: SemVer | None) -> SemVer:
    parsed = parse_semver(version)
    if parsed is None:
        _fail(
            name,
            f"Invalid migration for type {name}. Expected all properties to be semvers, "
            f"but got {version}.",
        )
    if stack is not None and parsed > stack:
        _fail(
            name,
            f"Invalid migration for type {name}. Property '{version}' cannot be greater than "
            f"the current Kibana version '{stack}'.",
        )
    return parsed


def _flatten(value: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, item in value.items():
        path = f"{prefix}{key}"
        if isinstance(item, Mapping):
            yield from _flatten(item, f"{path}.")
        else:
            yield path, item


def _check_mapping_additions(
    definition: SavedObjectsType, model_versions: Mapping[int, ModelVersion]
) -> None:
    """Fields a model version adds must already be in ``mappings``, with the same values."""
    name = definition.name
    defined = dict(_flatten(definition.mappings.get("properties", {})))
    missing: list[str] = []
    different: list[str] = []
    for version in model_versions.values():
        for change in version.changes:
            if not isinstance(change, MappingsAddition):
                continue
            for path, value in _flatten(change.added_mappings):
                if path not in defined:
                    missing.append(path)
                elif defined[path] != value:
                    different.append(path)
    if missing:
        _fail(
            name,
            f"Type {name}: mappings added on model versions not present on the global "
            f"mappings definition: {','.join(missing)}",
        )
    if different:
        _fail(
            name,
            f"Type {name}: mappings added on model versions differs from the global "
            f"mappings definition: {','.join(different)}",
        )


def _check_convert_version(definition: SavedObjectsType, stack: SemVer | None) -> None:
    version = definition.convert_to_multi_namespace_type_version
    if version is None:
        return
    name = definition.name
    prefix = f"Invalid convertToMultiNamespaceTypeVersion for type {name}."
    if definition.namespace_type not in (NamespaceType.MULTIPLE, NamespaceType.MULTIPLE_ISOLATED):
        _fail(
            name,
            f"{prefix} Expected namespaceType to be 'multiple' or 'multiple-isolated', "
            f"but got '{definition.namespace_type}'.",
        )
    parsed = parse_semver(version)
    if parsed is None:
        _fail(name, f"{prefix} Expected value to be a semver, but got '{version}'.")
    if stack is not None and parsed > stack:
        _fail(
            name,
            f"{prefix} Value '{version}' cannot be greater than the current Kibana version "
            f"'{stack}'.",
        )
    if parsed.patch != 0:
        _fail(
            name,
            f"{prefix} Value '{version}' cannot be used on a patch version (must be like 'x.y.0').",
        )


def _check_switch_version(definition: SavedObjectsType) -> None:
    version = definition.switch_to_model_version_at
    if version is None:
        return
    name = definition.name
    parsed = parse_semver(version)
    if parsed is None:
        _fail(name, f"Type {name}: invalid switchToModelVersionAt provided: {version}")
    if parsed > _GLOBAL_SWITCH:
        _fail(
            name,
            f"Type {name}: provided switchToModelVersionAt ({version}) is higher than maximum "
            f"({GLOBAL_SWITCH_TO_MODEL_VERSION_AT})",
        )
    if parsed.patch != 0:
        _fail(name, f"Type {name}: can't use a patch version for switchToModelVersionAt")
