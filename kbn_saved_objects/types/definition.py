"""The saved-object type definition: everything a plugin declares about one type.

A definition is a frozen value. Its JSON data (``mappings``) is copied into read-only
containers when it is created, so a registered type cannot change under the repository's
feet (Kibana deep-freezes registered types for the same reason). Whether the definition
is *valid* is decided by :func:`kbn_saved_objects.types.validation.validate_type` when it is
registered, so that every problem is reported with the type's name.

Kibana's ``SavedObjectsType`` fields map one to one to snake_case attributes of
:class:`SavedObjectsType` (``namespaceType`` -> ``namespace_type``, ``hiddenFromHttpApis``
-> ``hidden_from_http_apis``, ``indexPattern`` -> ``index_pattern``, ``modelVersions`` ->
``model_versions``, ``excludeOnUpgrade`` -> ``exclude_on_upgrade``,
``convertToMultiNamespaceTypeVersion`` -> ``convert_to_multi_namespace_type_version``,
``convertToAliasScript`` -> ``convert_to_alias_script``, ``switchToModelVersionAt`` ->
``switch_to_model_version_at``, ``nameAttribute`` -> ``name_attribute``); ``management``
likewise (:class:`SavedObjectsTypeManagement`). docs/types.md has the full table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

from kbn_saved_objects.types.json_values import freeze_json
from kbn_saved_objects.types.model_versions import ModelVersion, SchemaLike

__all__ = [
    "InAppUrl",
    "LegacyMigration",
    "LegacyMigrationFn",
    "LegacyMigrationsMap",
    "ModelVersionsMap",
    "NamespaceType",
    "NamespaceTypeName",
    "SavedObjectsType",
    "SavedObjectsTypeManagement",
    "SchemasMap",
]


class NamespaceType(StrEnum):
    """How a type's objects relate to spaces (namespaces).

    * ``SINGLE``: in exactly one space; ids unique per space; raw id ``[<ns>:]<type>:<id>``.
    * ``MULTIPLE_ISOLATED``: in exactly one space, ids unique across spaces (ready to share).
    * ``MULTIPLE``: shareable to any set of spaces, or ``'*'`` (all).
    * ``AGNOSTIC``: global, in no space.
    """

    SINGLE = "single"
    MULTIPLE = "multiple"
    MULTIPLE_ISOLATED = "multiple-isolated"
    AGNOSTIC = "agnostic"


NamespaceTypeName: TypeAlias = Literal["single", "multiple", "multiple-isolated", "agnostic"]

LegacyMigrationFn: TypeAlias = Callable[[Any, Any], Any]
"""``(document, context) -> document``: a legacy (stack-version keyed) migration."""


@dataclass(frozen=True, kw_only=True)
class LegacyMigration:
    """A legacy migration given as an object, Kibana's ``{transform, deferred}``.

    ``deferred`` migrations do not make stored documents outdated by themselves: they run
    when a document is read or written, or when another migration rewrites it anyway.
    """

    transform: LegacyMigrationFn
    deferred: bool = False


LegacyMigrationsMap: TypeAlias = Mapping[str, LegacyMigrationFn | LegacyMigration]
"""Deprecated legacy migrations, keyed by the stack version (semver) they shipped in."""

SchemasMap: TypeAlias = Mapping[str, SchemaLike]
"""Deprecated legacy create-validation schemas, keyed by stack version."""

ModelVersionsMap: TypeAlias = Mapping[int, ModelVersion] | Mapping[str, ModelVersion]
"""Model versions keyed ``1..N`` (``int``, or canonical integer strings as in Kibana)."""


@dataclass(frozen=True, kw_only=True)
class InAppUrl:
    """Where an object opens in the application, and the UI capability that guards it.

    Kibana: ``{path, uiCapabilitiesPath}``.
    """

    path: str
    ui_capabilities_path: str


@dataclass(frozen=True, kw_only=True)
class SavedObjectsTypeManagement:
    """Import/export and management-UI settings (Kibana's ``management``).

    Only ``importable_and_exportable``, ``visible_in_management``, ``on_export``,
    ``on_import``, ``is_exportable`` and ``get_title`` change the library's behaviour; the
    rest is metadata carried for user interfaces.

    ``visible_in_management`` is ``None`` when not given: Kibana treats an explicit value,
    ``True`` or ``False``, as a claim that needs ``importable_and_exportable``.
    """

    importable_and_exportable: bool = False
    visible_in_management: bool | None = None
    display_name: str | None = None
    default_search_field: str | None = None
    icon: str | None = None
    get_title: Callable[[Any], str] | None = None
    get_edit_url: Callable[[Any], str] | None = None
    get_in_app_url: Callable[[Any], InAppUrl | None] | None = None
    on_export: Callable[..., Any] | None = None
    on_import: Callable[..., Any] | None = None
    is_exportable: Callable[[Any], bool] | None = None


@dataclass(frozen=True, kw_only=True)
class SavedObjectsType:
    """A saved-object type definition.

    Defaults differ from Kibana's typing only where Kibana's runtime already behaves that
    way: ``namespace_type`` defaults to single (Kibana treats a missing value as single)
    and ``hidden`` to ``False``. ``hidden_from_http_apis`` stays ``None`` unless given,
    because an explicit ``False`` on a hidden type is an error.

    ``migrations``, ``schemas`` and ``model_versions`` may be given as zero-argument
    callables; the registry calls them once, when it is frozen, after every type is
    registered. After registration the registry holds a copy whose ``model_versions`` is
    a read-only ``{int: ModelVersion}`` in ascending order.
    """

    name: str
    mappings: Mapping[str, Any]
    namespace_type: NamespaceType | NamespaceTypeName = NamespaceType.SINGLE
    hidden: bool = False
    hidden_from_http_apis: bool | None = None
    index_pattern: str | None = None
    migrations: LegacyMigrationsMap | Callable[[], LegacyMigrationsMap] | None = None
    schemas: SchemasMap | Callable[[], SchemasMap] | None = None
    model_versions: ModelVersionsMap | Callable[[], ModelVersionsMap] | None = None
    management: SavedObjectsTypeManagement | None = None
    exclude_on_upgrade: Callable[..., Any] | None = None
    convert_to_multi_namespace_type_version: str | None = None
    convert_to_alias_script: str | None = None
    switch_to_model_version_at: str | None = None
    name_attribute: str | None = None
    supports_access_control: bool = False
    """Objects of this type carry an owner and an access mode (Kibana 9.x
    ``supportsAccessControl``); see the security extension."""

    def __hash__(self) -> int:
        # Mappings are read-only proxies, which are unhashable; names are unique anyway.
        return hash(self.name)

    def __post_init__(self) -> None:
        if isinstance(self.namespace_type, str) and not isinstance(
            self.namespace_type, NamespaceType
        ):
            valid = {member.value for member in NamespaceType}
            if self.namespace_type in valid:
                object.__setattr__(self, "namespace_type", NamespaceType(self.namespace_type))
        object.__setattr__(self, "mappings", freeze_json(self.mappings))
        for name in ("migrations", "schemas", "model_versions"):
            value = getattr(self, name)
            if isinstance(value, Mapping):
                object.__setattr__(self, name, MappingProxyType(dict(value)))
