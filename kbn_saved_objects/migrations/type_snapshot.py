"""A reviewable snapshot of the registered types, and the check that refuses unsafe changes.

Kibana's CI keeps a snapshot of every registered type (``@kbn/check-saved-objects-cli``)
and fails a change that would break stored documents or a rolling upgrade: a model
version deleted or edited after it shipped, mappings changed without a model version
that declares them, two new model versions at once, a type dropped without being added
to its list of removed types, a new type that does not start on model versions, a field
that could never be made searchable. This module is the same check for a
:class:`~kbn_saved_objects.types.SavedObjectTypeRegistry`, as pure functions over JSON
data, so that a project can commit the snapshot next to its code and let
``kbn-so types check`` compare against it.

* :func:`take_types_snapshot` -- the snapshot of a frozen registry: plain JSON data with
  sorted keys, one entry per registered type (core types included, as Kibana's check
  covers every registered type), each model version with a stable hash.
* :func:`check_types_snapshot` -- the :class:`TypeChangeViolation` list between a
  previous snapshot and the current registry (or its snapshot), in a stable order.
* :func:`dump_types_snapshot` / :func:`load_types_snapshot` -- the file format.

Functions (backfills, transforms, function schemas) cannot be compared: a snapshot
records that they are there and their qualified name, for the reviewer; only their
presence enters the hashes, so renaming a function is not an edit (as in Kibana, whose
hash drops functions).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kbn_saved_objects.errors import TypeRegistrationError, UnclassifiedError
from kbn_saved_objects.mappings.hashes import legacy_mapping_hash
from kbn_saved_objects.types._semver import parse_semver
from kbn_saved_objects.types.definition import NamespaceType, SavedObjectsType
from kbn_saved_objects.types.json_values import thaw_json
from kbn_saved_objects.types.model_versions import (
    DataBackfill,
    DataRemoval,
    MappingsAddition,
    MappingsDeprecation,
    ModelChange,
    ModelVersion,
    UnsafeTransform,
)
from kbn_saved_objects.types.registry import SavedObjectTypeRegistry

__all__ = [
    "SNAPSHOT_FORMAT",
    "TypeChangeViolation",
    "check_types_snapshot",
    "dump_types_snapshot",
    "load_types_snapshot",
    "take_types_snapshot",
    "types_recorded",
]

SNAPSHOT_FORMAT = 2
"""The ``format`` of the snapshot files this module writes."""

READABLE_FORMATS = (1, 2)
"""The formats this module reads. Format 2 added the ``fields`` of a JSON schema's summary;
a format 1 file has the same hashes, so it is checked as it is (its schemas' fields are
simply unknown, and the rules that need them skip)."""

_ROOT = "(root)"
"""How the options of a type's mappings outside any field (``dynamic``...) are named."""


# -- taking a snapshot -----------------------------------------------------------------


def _canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha256(value: Any) -> str:
    return hashlib.sha256(_canonical_json(value).encode("utf-8")).hexdigest()


def _qualified_name(value: Any) -> str:
    module = getattr(value, "__module__", None) or "?"
    name = getattr(value, "__qualname__", None) or type(value).__qualname__
    return f"{module}.{name}"


def _without_labels(schema: Any) -> Any:
    """A JSON schema without ``title``/``description`` labels (a renamed model class or an
    edited docstring changes no document), keeping field names under ``properties``."""
    if isinstance(schema, list):
        return [_without_labels(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("title", "description") and isinstance(value, str):
            continue
        if key in ("properties", "$defs", "definitions", "patternProperties") and isinstance(
            value, dict
        ):
            result[key] = {name: _without_labels(item) for name, item in value.items()}
        else:
            result[key] = _without_labels(value)
    return result


def _json_schema_of(schema: Any) -> Any | None:
    """The JSON schema a pydantic model, a ``TypeAdapter`` or a JSON-schema dict stands
    for; ``None`` when it has none (a function, or a model pydantic cannot describe)."""
    try:
        from pydantic import BaseModel, TypeAdapter
    except ImportError:  # pragma: no cover - pydantic is a dependency
        return None
    try:
        if isinstance(schema, type) and issubclass(schema, BaseModel):
            return schema.model_json_schema()
        if isinstance(schema, TypeAdapter):
            return schema.json_schema()
    except Exception:  # a model pydantic cannot turn into a JSON schema
        return None
    if isinstance(schema, Mapping):
        return thaw_json(schema)
    return None


_STRUCTURAL_KEYS = (
    "type",
    "properties",
    "$ref",
    "anyOf",
    "oneOf",
    "allOf",
    "items",
    "enum",
    "const",
)


def _accepts_any_key(node: Mapping[str, Any]) -> bool:
    """Whether a JSON-schema node accepts attributes it does not name: ``Any`` (``{}``), a
    ``dict``, a model with ``extra="allow"``. A pydantic model with the default
    ``extra="ignore"`` has no ``additionalProperties`` and drops unknown keys: not open."""
    extra = node.get("additionalProperties")
    if extra is not None and extra is not False:
        return True
    if "patternProperties" in node:
        return True
    types = node.get("type")
    is_object = types == "object" or (isinstance(types, list) and "object" in types)
    if is_object and "properties" not in node and extra is not False:
        return True
    return not any(key in node for key in _STRUCTURAL_KEYS)


def _schema_field_paths(described: Any) -> list[str]:
    """The dotted attribute paths a JSON schema names, to compare with mapped fields.

    Lists are transparent (the engine has no array type) and every alternative of a union
    counts; an object that accepts any key is recorded as ``path.*`` (``*`` at the root),
    and so is a recursive model past its first level.
    """
    defs: dict[str, Any] = {}
    if isinstance(described, Mapping):
        for key in ("definitions", "$defs"):
            if isinstance(described.get(key), Mapping):
                defs.update(described[key])
    paths: set[str] = set()

    def walk(node: Any, prefix: str, seen: frozenset[str]) -> None:
        if not isinstance(node, Mapping):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name in seen or name not in defs:
                paths.add(f"{prefix}*")
            else:
                walk(defs[name], prefix, seen | {name})
        for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
            for alternative in node.get(key) or ():
                walk(alternative, prefix, seen)
        walk(node.get("items"), prefix, seen)
        properties = node.get("properties")
        if isinstance(properties, Mapping):
            for name, child in properties.items():
                paths.add(f"{prefix}{name}")
                walk(child, f"{prefix}{name}.", seen)
        if "$ref" not in node and _accepts_any_key(node):
            paths.add(f"{prefix}*")

    walk(described, "", frozenset())
    return sorted(paths)


def _schema_summary(schema: Any) -> dict[str, Any] | None:
    """How one schema is recorded: a hash of its JSON schema when it has one (so an edit
    to a shared model is seen) and the attribute paths it names, else only that it is
    there and what it is called."""
    if schema is None:
        return None
    described = _json_schema_of(schema)
    if described is not None:
        return {
            "kind": "json_schema",
            "hash": _sha256(_without_labels(described)),
            "fields": _schema_field_paths(described),
        }
    return {"kind": "opaque", "name": _qualified_name(schema)}


def _field_paths(mappings: Any, prefix: str = "") -> dict[str, dict[str, Any]]:
    """``{dotted field path: its mapping without its sub-fields}`` for a ``properties``
    tree; an object field's own options (``dynamic``, ``type``) stay in its entry."""
    fields: dict[str, dict[str, Any]] = {}
    properties = mappings.get("properties") if isinstance(mappings, Mapping) else None
    if not isinstance(properties, Mapping):
        return fields
    for name, mapping in properties.items():
        path = f"{prefix}{name}"
        if isinstance(mapping, Mapping):
            fields[path] = {k: thaw_json(v) for k, v in mapping.items() if k != "properties"}
            fields.update(_field_paths(mapping, f"{path}."))
        else:
            fields[path] = {"value": thaw_json(mapping)}
    return fields


def _change_summary(change: ModelChange) -> dict[str, Any]:
    if isinstance(change, MappingsAddition):
        added = thaw_json(change.added_mappings)
        return {
            "kind": change.kind,
            "added_mappings": added,
            "added_fields": sorted(_field_paths({"properties": added})),
        }
    if isinstance(change, MappingsDeprecation):
        return {"kind": change.kind, "deprecated_mappings": list(change.deprecated_mappings)}
    if isinstance(change, DataRemoval):
        return {
            "kind": change.kind,
            "removed_attribute_paths": list(change.removed_attribute_paths),
        }
    if isinstance(change, DataBackfill):
        return {"kind": change.kind, "function": _qualified_name(change.backfill_fn)}
    if isinstance(change, UnsafeTransform):
        return {"kind": change.kind, "function": _qualified_name(change.transform_fn)}
    return {"kind": str(getattr(change, "kind", type(change).__name__)), "opaque": True}


_UNHASHED = ("function", "name", "fields")
"""Top-level keys of a change or schema summary that its hash leaves out: the qualified
name of a function or opaque schema, and a schema's ``fields`` (derived from the hashed
JSON schema, and absent from format 1 files whose hashes must still match)."""


def _hashed(summary: Mapping[str, Any]) -> dict[str, Any]:
    """What a hash covers of a change or schema summary (top level only: a mapped field
    may be called ``name``)."""
    return {key: value for key, value in summary.items() if key not in _UNHASHED}


def _model_version_summary(number: int, version: ModelVersion) -> dict[str, Any]:
    schemas = version.schemas
    summary: dict[str, Any] = {
        "version": number,
        "changes": [_change_summary(change) for change in version.changes],
        "schemas": {
            "create": _schema_summary(schemas.create if schemas else None),
            "forward_compatibility": _schema_summary(
                schemas.forward_compatibility if schemas else None
            ),
        },
    }
    summary["changes_hash"] = _sha256([_hashed(change) for change in summary["changes"]])
    summary["hash"] = _sha256(
        {
            "changes": [_hashed(change) for change in summary["changes"]],
            "schemas": {
                key: None if value is None else _hashed(value)
                for key, value in summary["schemas"].items()
            },
        }
    )
    return summary


def _semver_sorted(versions: Iterable[str]) -> list[str]:
    def key(version: str) -> tuple[int, Any, str]:
        parsed = parse_semver(version)
        return (0, parsed, version) if parsed is not None else (1, None, version)

    return sorted(versions, key=key)


def _type_snapshot(definition: SavedObjectsType) -> dict[str, Any]:
    migrations, schemas, model_versions = (
        definition.migrations,
        definition.schemas,
        definition.model_versions,
    )
    if callable(migrations) or callable(schemas) or callable(model_versions):
        raise TypeRegistrationError(
            f"Type {definition.name}: provider functions are not resolved; freeze the "
            "registry first",
            metadata={"type": definition.name},
        )
    mappings = thaw_json(definition.mappings)
    versions = {int(key): value for key, value in (model_versions or {}).items()}
    namespace_type = definition.namespace_type
    return {
        "name": definition.name,
        "namespace_type": str(getattr(namespace_type, "value", namespace_type)),
        "hidden": definition.hidden,
        "hidden_from_http_apis": bool(definition.hidden_from_http_apis),
        "supports_access_control": definition.supports_access_control,
        "importable_and_exportable": bool(
            definition.management and definition.management.importable_and_exportable
        ),
        "index": definition.index_pattern,
        "mappings": mappings,
        "mappings_hash": legacy_mapping_hash(mappings),
        "legacy_migrations": _semver_sorted(migrations or {}),
        "legacy_schemas": _semver_sorted(schemas or {}),
        "convert_to_multi_namespace_type_version": (
            definition.convert_to_multi_namespace_type_version
        ),
        "switch_to_model_version_at": definition.switch_to_model_version_at,
        "has_exclude_on_upgrade": definition.exclude_on_upgrade is not None,
        "model_versions": [
            _model_version_summary(number, versions[number]) for number in sorted(versions)
        ],
    }


def take_types_snapshot(registry: SavedObjectTypeRegistry) -> dict[str, Any]:
    """The snapshot of every type of a frozen ``registry``, as JSON-ready data.

    Equal registries give equal snapshots whatever their registration order: types are
    keyed by name, model versions listed in ascending order, legacy versions in semver
    order. ``retired_types`` starts as the registry's ``legacy_types``; the check adds the
    types retired since (see :func:`check_types_snapshot`).
    """
    if not registry.frozen:
        raise TypeRegistrationError("the type registry must be frozen before it is snapshotted")
    return {
        "format": SNAPSHOT_FORMAT,
        "retired_types": sorted(registry.get_legacy_types()),
        "types": {
            definition.name: _type_snapshot(definition)
            for definition in sorted(registry.get_all_types(), key=lambda t: t.name)
        },
    }


def dump_types_snapshot(snapshot: Mapping[str, Any]) -> str:
    """The file text: indented JSON with sorted keys and a final newline, so that a diff
    of two snapshots shows exactly what changed."""
    return json.dumps(snapshot, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_types_snapshot(text: str) -> dict[str, Any]:
    """Parse a snapshot file; raise :class:`~kbn_saved_objects.errors.UnclassifiedError`
    (``Invalid types snapshot: ...``) if it is not one this module wrote."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise UnclassifiedError(f"Invalid types snapshot: not JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") not in READABLE_FORMATS:
        raise UnclassifiedError(
            "Invalid types snapshot: expected an object with format "
            + " or ".join(map(str, READABLE_FORMATS))
        )
    types = data.get("types")
    retired = data.get("retired_types", [])
    if not isinstance(types, dict) or not all(isinstance(t, dict) for t in types.values()):
        raise UnclassifiedError("Invalid types snapshot: 'types' must map names to objects")
    if not isinstance(retired, list) or not all(isinstance(name, str) for name in retired):
        raise UnclassifiedError("Invalid types snapshot: 'retired_types' must list type names")
    return data


def _as_format_1(value: Any) -> Any:
    """``value`` without what format 2 added (schemas' attribute paths, the importable
    flag), so a format 1 file compares equal to the same types recorded today."""
    if isinstance(value, dict):
        return {
            key: _as_format_1(item)
            for key, item in value.items()
            if key != "importable_and_exportable"
            and not (key == "fields" and value.get("kind") == "json_schema")
        }
    if isinstance(value, list):
        return [_as_format_1(item) for item in value]
    return value


def types_recorded(previous: Mapping[str, Any], current: Mapping[str, Any]) -> bool:
    """Whether ``previous`` already records every type of ``current`` as it is. A file of
    an older format counts as recorded when it holds all its format can say: upgrading
    the library must not fail a CI whose types did not change."""
    before, after = previous.get("types"), current.get("types")
    if previous.get("format") == 1:
        return bool(_as_format_1(after) == before)
    return bool(after == before)


# -- checking a change -----------------------------------------------------------------


@dataclass(frozen=True, order=True)
class TypeChangeViolation:
    """One unsafe change: the type it concerns, a stable ``rule`` id (documented in
    docs/evolving-types.md) and a message saying what to do about it."""

    type_name: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.type_name}: {self.rule}: {self.message}"


_NAMESPACE_CONVERSIONS = {
    (NamespaceType.MULTIPLE_ISOLATED.value, NamespaceType.MULTIPLE.value),
}
"""Changes of ``namespace_type`` that need no document conversion: a ``multiple-isolated``
type's ids are already unique across spaces, which is what ``multiple`` needs."""

_CONVERTIBLE_FROM_SINGLE = {NamespaceType.MULTIPLE.value, NamespaceType.MULTIPLE_ISOLATED.value}


def _new_added_fields(new_versions: list[dict[str, Any]]) -> set[str]:
    return {
        field
        for version in new_versions
        for change in version.get("changes", [])
        if change.get("kind") == "mappings_addition"
        for field in change.get("added_fields", [])
    }


def _new_deprecated_fields(new_versions: list[dict[str, Any]]) -> set[str]:
    return {
        field
        for version in new_versions
        for change in version.get("changes", [])
        if change.get("kind") == "mappings_deprecation"
        for field in change.get("deprecated_mappings", [])
    }


def _covered(field: str, declared: set[str]) -> bool:
    """``field`` or one of its parents is declared (``meta`` covers ``meta.x``)."""
    parts = field.split(".")
    return any(".".join(parts[:end]) in declared for end in range(1, len(parts) + 1))


def _check_mappings(
    name: str, before: Mapping[str, Any], after: Mapping[str, Any], new: list[dict[str, Any]]
) -> list[TypeChangeViolation]:
    violations: list[TypeChangeViolation] = []
    old_fields = _field_paths(before.get("mappings", {}))
    new_fields = _field_paths(after.get("mappings", {}))
    added_declared = _new_added_fields(new)
    deprecated_declared = _new_deprecated_fields(new)
    for field in sorted(new_fields.keys() - old_fields.keys()):
        if not _covered(field, added_declared):
            violations.append(
                TypeChangeViolation(
                    name,
                    "mapping-added-without-model-version",
                    f"field '{field}' is new in the mappings but no new model version declares "
                    "it: add a model version with a MappingsAddition for it",
                )
            )
    for field in sorted(old_fields.keys() - new_fields.keys()):
        if not _covered(field, deprecated_declared):
            violations.append(
                TypeChangeViolation(
                    name,
                    "mapping-removed-without-deprecation",
                    f"field '{field}' was removed from the mappings but no new model version "
                    "deprecates it: restore it, or add a model version with a "
                    "MappingsDeprecation for it",
                )
            )
    for field in sorted(old_fields.keys() & new_fields.keys()):
        old, current = old_fields[field], new_fields[field]
        if old == current:
            continue
        old_type, new_type = old.get("type", "object"), current.get("type", "object")
        if old_type != new_type:
            violations.append(
                TypeChangeViolation(
                    name,
                    "mapping-type-changed",
                    f"field '{field}' changed type from '{old_type}' to '{new_type}': the engine "
                    "cannot change a field's type in place; add a new field instead",
                )
            )
        elif not _covered(field, added_declared):
            violations.append(
                TypeChangeViolation(
                    name,
                    "mapping-changed-without-model-version",
                    f"the mapping of field '{field}' changed but no new model version declares "
                    "it: add a model version with a MappingsAddition giving its new mapping",
                )
            )
    root_before = {k: v for k, v in before.get("mappings", {}).items() if k != "properties"}
    root_after = {k: v for k, v in after.get("mappings", {}).items() if k != "properties"}
    if root_before != root_after and not new:
        violations.append(
            TypeChangeViolation(
                name,
                "mapping-changed-without-model-version",
                f"the options of the type's mappings {_ROOT} changed "
                f"({_canonical_json(root_before)} -> {_canonical_json(root_after)}) but no new "
                "model version comes with them",
            )
        )
    return violations


def _check_schemas_present(name: str, version: Mapping[str, Any]) -> list[TypeChangeViolation]:
    """A new model version (or a new type's latest) must give both schemas: ``create`` to
    validate what is written, ``forward_compatibility`` for the previous release to read
    what this one writes."""
    schemas = version.get("schemas") or {}
    missing = [key for key in ("forward_compatibility", "create") if not schemas.get(key)]
    if not missing:
        return []
    return [
        TypeChangeViolation(
            name,
            "model-version-missing-schemas",
            f"new model version {version['version']} has no {' and no '.join(missing)} "
            "schema: give every new model version both schemas",
        )
    ]


def _check_model_versions(
    name: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[list[TypeChangeViolation], list[dict[str, Any]]]:
    """Violations about model versions, and the model versions new since ``before``."""
    violations: list[TypeChangeViolation] = []
    old = {int(v["version"]): v for v in before.get("model_versions", [])}
    current = {int(v["version"]): v for v in after.get("model_versions", [])}
    latest_before = max(old, default=0)
    removed = sorted(old.keys() - current.keys())
    if removed:
        violations.append(
            TypeChangeViolation(
                name,
                "model-version-removed",
                f"model version(s) {', '.join(map(str, removed))} were removed: a released model "
                "version can never be deleted; restore it",
            )
        )
    for number in sorted(old.keys() & current.keys()):
        was, now = old[number], current[number]
        if was.get("hash") == now.get("hash"):
            continue
        schema_only = was.get("changes_hash") == now.get("changes_hash")
        if schema_only and number == latest_before:
            continue  # Kibana's exception: the latest version's schemas may be tightened
        violations.append(
            TypeChangeViolation(
                name,
                "model-version-edited",
                f"model version {number} was edited after it was released: revert it and add a "
                "new model version for the change",
            )
        )
    new = [current[number] for number in sorted(current) if number > latest_before]
    if len(new) > 1:
        violations.append(
            TypeChangeViolation(
                name,
                "too-many-new-model-versions",
                f"{len(new)} new model versions ({', '.join(str(v['version']) for v in new)}): "
                "add one model version per change, and record it before adding the next",
            )
        )
    for version in new:
        number = int(version["version"])
        violations.extend(_check_schemas_present(name, version))
        if number == 1 and version.get("changes"):
            violations.append(
                TypeChangeViolation(
                    name,
                    "initial-model-version-has-changes",
                    "model version 1 of a type that had none declares changes: the release "
                    "before it could not read its documents; give version 1 schemas only and "
                    "put the changes in version 2",
                )
            )
    return violations, new


def _check_consecutive(name: str, after: Mapping[str, Any]) -> list[TypeChangeViolation]:
    numbers = sorted(int(v["version"]) for v in after.get("model_versions", []))
    if numbers != list(range(1, len(numbers) + 1)):
        return [
            TypeChangeViolation(
                name,
                "model-versions-not-consecutive",
                f"model versions {numbers} are not consecutive from 1: add the missing ones",
            )
        ]
    return []


def _check_namespace_type(
    name: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[TypeChangeViolation]:
    was, now = before.get("namespace_type"), after.get("namespace_type")
    if was == now or (was, now) in _NAMESPACE_CONVERSIONS:
        return []
    if (
        was == NamespaceType.SINGLE.value
        and now in _CONVERTIBLE_FROM_SINGLE
        and after.get("convert_to_multi_namespace_type_version")
    ):
        return []
    hint = (
        " (set convert_to_multi_namespace_type_version to convert existing objects)"
        if was == NamespaceType.SINGLE.value and now in _CONVERTIBLE_FROM_SINGLE
        else ""
    )
    return [
        TypeChangeViolation(
            name,
            "namespace-type-changed",
            f"namespace_type changed from '{was}' to '{now}', which stored objects cannot "
            f"follow{hint}",
        )
    ]


def _field_options(mappings: Any) -> dict[str, dict[str, Any]]:
    """Every field's own mapping, multi-fields included (``title.fields.raw``): the options
    the engine applies to each indexed value."""
    fields: dict[str, dict[str, Any]] = {}
    for path, mapping in _field_paths(mappings).items():
        fields[path] = mapping
        multi = mapping.get("fields")
        if isinstance(multi, Mapping):
            for sub, sub_mapping in multi.items():
                if isinstance(sub_mapping, Mapping):
                    fields[f"{path}.fields.{sub}"] = dict(sub_mapping)
    return fields


_IGNORE_ABOVE_TYPES = ("keyword", "flattened")


def _lacks_ignore_above(mapping: Mapping[str, Any]) -> bool:
    return (
        mapping.get("type") in _IGNORE_ABOVE_TYPES
        and mapping.get("index") is not False
        and "ignore_above" not in mapping
    )


def _check_field_options(
    name: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[TypeChangeViolation]:
    """Options a field may not gain: ``index: false`` or ``enabled: false`` (the engine
    can never turn them back on in place) and a ``keyword``/``flattened`` field without
    ``ignore_above``. Only what is new since ``before`` is judged (all of a new type), as
    in Kibana: what already shipped cannot be fixed without a reindex."""
    violations: list[TypeChangeViolation] = []
    old = _field_options(before.get("mappings", {}))
    for field, mapping in sorted(_field_options(after.get("mappings", {})).items()):
        was = old.get(field, {})
        for option in ("index", "enabled"):
            if mapping.get(option) is False and was.get(option) is not False:
                violations.append(
                    TypeChangeViolation(
                        name,
                        f"mapping-{option}-false",
                        f"field '{field}' is mapped with `{option}: false`: the engine can "
                        f"never change `{option}` of an existing field, so it could not "
                        "become searchable without a reindex; map only the fields you "
                        "search, and leave this one out of `mappings` (with `dynamic: false` "
                        "its value is still kept in `_source`)",
                    )
                )
        if _lacks_ignore_above(mapping) and not (was and _lacks_ignore_above(was)):
            violations.append(
                TypeChangeViolation(
                    name,
                    "keyword-missing-ignore-above",
                    f"the `{mapping['type']}` field '{field}' has no `ignore_above`: a value "
                    "longer than 32766 bytes would make the engine refuse the whole object; "
                    "add `ignore_above` (Kibana uses 1024) so such a value is kept but not "
                    "indexed",
                )
            )
    return violations


_SEARCHED_AS_TEXT = ("name", "title")


def _not_text(mappings: Any) -> dict[str, str]:
    """``{field: its mapping type}`` for the top-level ``name``/``title`` fields that have
    a mapping type other than ``text``."""
    fields = _field_paths(mappings)
    return {
        field: str(fields[field]["type"])
        for field in _SEARCHED_AS_TEXT
        if field in fields and fields[field].get("type", "text") != "text"
    }


def _check_name_title(
    name: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[TypeChangeViolation]:
    """An importable type's ``name``/``title`` must be ``text``, as in Kibana: a ``search``
    over them (the management page's, ``find(search=...)``) matches words of a text field
    but only whole values of a keyword. Only a field that newly breaks the rule is refused:
    one that shipped so cannot change type without a reindex."""
    if not after.get("importable_and_exportable"):
        return []
    already = _not_text(before.get("mappings", {}))
    return [
        TypeChangeViolation(
            name,
            "name-title-not-text",
            f"field '{field}' of an importable type is mapped as '{field_type}': map it as "
            "`text` so that a search matches its words (add a `keyword` multi-field to sort "
            "on it)",
        )
        for field, field_type in sorted(_not_text(after.get("mappings", {})).items())
        if field not in already
    ]


def _accepted_by(field: str, schema_fields: set[str]) -> bool:
    """``field`` is named by the schema, is an object whose sub-fields it names, or lies
    under an object that accepts any key (``meta.*``, ``*``)."""
    if field in schema_fields or any(f.startswith(f"{field}.") for f in schema_fields):
        return True
    parts = field.split(".")
    return any(
        f"{'.'.join(parts[:end])}.*".lstrip(".") in schema_fields for end in range(len(parts))
    )


def _check_mappings_in_schema(
    name: str, after: Mapping[str, Any], fix: str
) -> list[TypeChangeViolation]:
    """Every mapped field must be an attribute the latest ``create`` schema accepts (a
    mapping for a field the objects cannot carry is a mistake in one or the other).
    Skipped when that schema cannot be introspected: a function, or a format 1 snapshot."""
    versions = after.get("model_versions", [])
    if not versions:
        return []
    latest = max(versions, key=lambda v: int(v["version"]))
    create = (latest.get("schemas") or {}).get("create") or {}
    if not isinstance(create.get("fields"), list):
        return []
    schema_fields = set(create["fields"])
    return [
        TypeChangeViolation(
            name,
            "mapping-not-in-schema",
            f"field '{field}' is mapped but the create schema of model version "
            f"{latest['version']} does not accept it: {fix}",
        )
        for field in sorted(_field_paths(after.get("mappings", {})))
        if not _accepted_by(field, schema_fields)
    ]


_SHIPPED_TYPES = frozenset({"legacy-url-alias", "space"})
"""Types this library ships, with Kibana's history (legacy migrations, keyword fields
older than the ``ignore_above`` rule): a project that registers one after its first
snapshot (the spaces extension, say) did not write it and cannot change it, so the
new-type rules leave it alone; its later changes are checked as any type's."""


def _check_new_type(name: str, after: Mapping[str, Any]) -> list[TypeChangeViolation]:
    """A type new since the snapshot starts on model versions, as Kibana requires: no
    legacy ``migrations``, a model version 1 with schemas only, a latest model version
    with both schemas and accepting every mapped field, and field options judged as for
    newly added fields."""
    violations = _check_consecutive(name, after)
    if after.get("legacy_migrations"):
        violations.append(
            TypeChangeViolation(
                name,
                "new-type-legacy-migrations",
                "a new type cannot define legacy `migrations`: remove them and describe the "
                "type with model version 1",
            )
        )
    versions = sorted(after.get("model_versions", []), key=lambda v: int(v["version"]))
    if not versions:
        violations.append(
            TypeChangeViolation(
                name,
                "new-type-missing-initial-model-version",
                "a new type must define model version 1: add model_versions={1: "
                "ModelVersion(schemas=ModelVersionSchemas(forward_compatibility=..., "
                "create=...))}",
            )
        )
    else:
        if versions[0].get("changes"):
            violations.append(
                TypeChangeViolation(
                    name,
                    "initial-model-version-has-changes",
                    f"model version {versions[0]['version']} of a new type declares changes: "
                    "a type's first model version gives schemas only (its mappings are the "
                    "type's `mappings`); put the changes in version 2",
                )
            )
        violations.extend(_check_schemas_present(name, versions[-1]))
    violations.extend(
        _check_mappings_in_schema(name, after, "add it to the schema, or remove the mapping")
    )
    violations.extend(_check_field_options(name, {}, after))
    violations.extend(_check_name_title(name, {}, after))
    return violations


def _check_index(
    name: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[TypeChangeViolation]:
    """A type's objects stay in the index they were written to: neither migrator relocates
    a type (docs/index-migrations.md, "Not (yet) implemented")."""
    was, now = before.get("index"), after.get("index")
    if was == now:
        return []

    def named(index: Any) -> str:
        return f"'{index}'" if index else "the default index"

    return [
        TypeChangeViolation(
            name,
            "type-index-changed",
            f"the type's index changed from {named(was)} to {named(now)}: no migration moves "
            "a type's objects to another index, so the stored ones would be left behind in "
            "the old one; keep the type's `index_pattern`",
        )
    ]


def _check_type(
    name: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[TypeChangeViolation]:
    violations = _check_consecutive(name, after)
    if before.get("legacy_migrations", []) != after.get("legacy_migrations", []):
        violations.append(
            TypeChangeViolation(
                name,
                "legacy-migrations-changed",
                "the legacy `migrations` versions changed: they are frozen; revert them and "
                "use a model version instead",
            )
        )
    violations.extend(_check_namespace_type(name, before, after))
    violations.extend(_check_index(name, before, after))
    version_violations, new = _check_model_versions(name, before, after)
    violations.extend(version_violations)
    violations.extend(_check_mappings(name, before, after, new))
    violations.extend(_check_field_options(name, before, after))
    violations.extend(_check_name_title(name, before, after))
    if _latest_schemas_edited(before, after):
        fix = "keep it in the edited schema, or make the change in a new model version"
        violations.extend(_check_mappings_in_schema(name, after, fix))
    return violations


def _latest_schemas_edited(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """The schemas of the latest recorded model version changed (and nothing else of it):
    the edit Kibana allows, provided the new schema still accepts every mapped field."""
    old = {int(v["version"]): v for v in before.get("model_versions", [])}
    if not old:
        return False
    latest = max(old)
    now = {int(v["version"]): v for v in after.get("model_versions", [])}.get(latest)
    return (
        now is not None
        and now.get("hash") != old[latest].get("hash")
        and now.get("changes_hash") == old[latest].get("changes_hash")
    )


def check_types_snapshot(
    previous: Mapping[str, Any],
    current: SavedObjectTypeRegistry | Mapping[str, Any],
    *,
    retired: Iterable[str] = (),
) -> list[TypeChangeViolation]:
    """The unsafe changes from the ``previous`` snapshot to ``current`` (a frozen registry
    or its snapshot), sorted by type, rule and message; empty when the change is safe.

    A type of ``previous`` that is gone must be retired: listed in ``previous``'s
    ``retired_types``, in ``current``'s, or in ``retired``. A retired name may never be
    registered again (and is only refused for that). A type new since ``previous`` must
    start as Kibana requires of one: model version 1 with schemas only, no legacy
    ``migrations``, both schemas on its latest version, which accepts every mapped field.
    """
    after = (
        take_types_snapshot(current) if isinstance(current, SavedObjectTypeRegistry) else current
    )
    before_types: Mapping[str, Any] = previous.get("types", {})
    after_types: Mapping[str, Any] = after.get("types", {})
    retired_names = {
        *previous.get("retired_types", []),
        *after.get("retired_types", []),
        *retired,
    }
    violations: list[TypeChangeViolation] = []
    for name in sorted(before_types.keys() - after_types.keys()):
        if name not in retired_names:
            violations.append(
                TypeChangeViolation(
                    name,
                    "type-removed",
                    "the type is no longer registered: register it again, or retire it "
                    f"(`kbn-so types check --retire {name} --update`) so that its name is "
                    "never reused",
                )
            )
    for name in sorted(after_types.keys() & retired_names):
        violations.append(
            TypeChangeViolation(
                name,
                "retired-type-registered",
                "the type was retired and its name cannot be registered again: pick another name",
            )
        )
    for name in sorted(after_types):
        if name in before_types:
            violations.extend(_check_type(name, before_types[name], after_types[name]))
        elif name not in retired_names and name not in _SHIPPED_TYPES:
            violations.extend(_check_new_type(name, after_types[name]))
    return sorted(violations)
