"""Registration rules (one row per error) and the registry's lookups."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from kbn_saved_objects.errors import TypeRegistrationError
from kbn_saved_objects.types import (
    LEGACY_URL_ALIAS_TYPE,
    RESERVED_TYPE_NAMES,
    LegacyMigration,
    MappingsAddition,
    ModelVersion,
    NamespaceType,
    SavedObjectsType,
    SavedObjectsTypeManagement,
    SavedObjectTypeRegistry,
    legacy_url_alias_type,
)

MAPPINGS: dict[str, Any] = {"properties": {}}


def make(name: str = "foo", **overrides: Any) -> SavedObjectsType:
    return SavedObjectsType(name=name, **{"mappings": MAPPINGS, **overrides})


def identity(doc: Any, context: Any = None) -> Any:
    return doc


def on_export(context: Any, objects: Any) -> Any:
    return objects


MV = ModelVersion()

# (id, overrides, message) -- each row registers make(**overrides) in an empty registry.
REGISTRATION_ERRORS: list[tuple[str, dict[str, Any], str]] = [
    ("empty name", {"name": ""}, "Type name must be a non-empty string, got ''"),
    ("name not a string", {"name": 42}, "Type name must be a non-empty string, got 42"),
    (
        "onExport without importableAndExportable",
        {"management": SavedObjectsTypeManagement(on_export=on_export)},
        "Type foo: 'management.importableAndExportable' must be 'true' when specifying "
        "'management.onExport'",
    ),
    (
        "onExport with importableAndExportable false",
        {
            "management": SavedObjectsTypeManagement(
                importable_and_exportable=False, on_export=on_export
            )
        },
        "Type foo: 'management.importableAndExportable' must be 'true' when specifying "
        "'management.onExport'",
    ),
    (
        "visibleInManagement false without importableAndExportable",
        {"management": SavedObjectsTypeManagement(visible_in_management=False)},
        "Type foo: 'management.importableAndExportable' must be 'true' when specifying "
        "'management.visibleInManagement'",
    ),
    (
        "visibleInManagement true without importableAndExportable",
        {"management": SavedObjectsTypeManagement(visible_in_management=True)},
        "Type foo: 'management.importableAndExportable' must be 'true' when specifying "
        "'management.visibleInManagement'",
    ),
    (
        "hidden with hiddenFromHttpApis false",
        {"hidden": True, "hidden_from_http_apis": False},
        "Type foo: 'hiddenFromHttpApis' cannot be 'false' when specifying 'hidden' as 'true'",
    ),
    (
        "name starts with _",
        {"name": "_foo"},
        'Invalid mapping "_foo". Mappings cannot start with _.',
    ),
    (
        "management not a management object",
        {"management": {"importable_and_exportable": True}},
        "Type foo: 'management' must be a SavedObjectsTypeManagement",
    ),
    (
        "unknown namespace type",
        {"namespace_type": "global"},
        "Type foo: invalid namespaceType 'global', expected one of 'single', 'multiple', "
        "'multiple-isolated', 'agnostic'",
    ),
    ("hidden not a boolean", {"hidden": "yes"}, "Type foo: 'hidden' must be a boolean"),
    (
        "hiddenFromHttpApis not a boolean",
        {"hidden_from_http_apis": 1},
        "Type foo: 'hiddenFromHttpApis' must be a boolean",
    ),
    (
        "empty index pattern",
        {"index_pattern": ""},
        "Type foo: 'index_pattern' must be a non-empty string",
    ),
    (
        "convertToAliasScript not a string",
        {"convert_to_alias_script": 3},
        "Type foo: 'convert_to_alias_script' must be a non-empty string",
    ),
    (
        "nameAttribute not a string",
        {"name_attribute": ["title"]},
        "Type foo: 'name_attribute' must be a non-empty string",
    ),
    (
        "excludeOnUpgrade not callable",
        {"exclude_on_upgrade": "query"},
        "Type foo: 'exclude_on_upgrade' must be callable",
    ),
    # mappings
    (
        "mappings not an object",
        {"mappings": ["title"]},
        "Type foo: invalid mappings: mappings: must be an object with 'properties'",
    ),
    (
        "mappings with unknown keys",
        {"mappings": {"properties": {}, "_meta": {}, "type": "object"}},
        "Type foo: invalid mappings: mappings: unknown keys ['_meta', 'type'] "
        "(only 'dynamic' and 'properties' are allowed)",
    ),
    (
        "mappings without properties",
        {"mappings": {"dynamic": False}},
        "Type foo: invalid mappings: mappings: 'properties' is required",
    ),
    (
        "invalid dynamic",
        {"mappings": {"dynamic": "yes", "properties": {}}},
        "Type foo: invalid mappings: dynamic: 'yes' is not a valid 'dynamic' value",
    ),
    (
        "properties not an object",
        {"mappings": {"properties": ["title"]}},
        "Type foo: invalid mappings: properties: must be an object of field mappings",
    ),
    (
        "empty field name",
        {"mappings": {"properties": {"": {"type": "text"}}}},
        "Type foo: invalid mappings: properties: field names must be non-empty strings, got ''",
    ),
    (
        "field mapping not an object",
        {"mappings": {"properties": {"title": "text"}}},
        "Type foo: invalid mappings: properties.title: a field mapping must be an object",
    ),
    (
        "field type not a string",
        {"mappings": {"properties": {"title": {"type": 1}}}},
        "Type foo: invalid mappings: properties.title.type: must be a string",
    ),
    (
        "nested dynamic invalid",
        {"mappings": {"properties": {"a": {"dynamic": "sometimes", "properties": {}}}}},
        "Type foo: invalid mappings: properties.a.dynamic: 'sometimes' is not a valid value",
    ),
    (
        "nested properties invalid",
        {"mappings": {"properties": {"a": {"properties": {"b": None}}}}},
        "Type foo: invalid mappings: properties.a.properties.b: a field mapping must be an object",
    ),
    (
        "multi-field invalid",
        {"mappings": {"properties": {"a": {"type": "text", "fields": {"raw": "keyword"}}}}},
        "Type foo: invalid mappings: properties.a.fields.raw: a field mapping must be an object",
    ),
    (
        "value not JSON",
        {"mappings": {"properties": {"a": {"type": "text", "meta": {1, 2}}}}},
        "Type foo: invalid mappings: properties.a.meta: {1, 2} is not a JSON value",
    ),
    (
        "float not finite",
        {"mappings": {"properties": {"a": {"type": "float", "boost": math.inf}}}},
        "Type foo: invalid mappings: properties.a.boost: inf is not a JSON value",
    ),
    (
        "non-string key in a value",
        {"mappings": {"properties": {"a": {"type": "text", "meta": {1: "x"}}}}},
        "Type foo: invalid mappings: properties.a.meta: object keys must be strings, got 1",
    ),
    (
        "non-JSON value in a list",
        {"mappings": {"properties": {"a": {"type": "text", "copy_to": ["b", object]}}}},
        "Type foo: invalid mappings: properties.a.copy_to[1]: <class 'object'> is not a JSON value",
    ),
    # legacy migrations
    (
        "migrations neither a map nor a function",
        {"migrations": ["1.0.0"]},
        "Migration for type foo should be an object or a function returning an object like "
        "{ '2.0.0': (doc) => doc }. Got! list, ['1.0.0'].",
    ),
    (
        "migration key not a semver",
        {"migrations": {"bar": identity, "1.2.3": identity}},
        "Invalid migration for type foo. Expected all properties to be semvers, but got bar.",
    ),
    (
        "migration not a function",
        {"migrations": {"1.2.3": 23}},
        "Invalid migration foo.1.2.3: expected a function or an object, but got 23.",
    ),
    (
        "migration object without a function",
        {"migrations": {"1.2.3": LegacyMigration(transform=23)}},  # type: ignore[arg-type]
        "Invalid migration foo.1.2.3: expected a function or an object, but got "
        "LegacyMigration(transform=23, deferred=False).",
    ),
    (
        "migration after the global switch",
        {"migrations": {"8.10.0": identity}},
        "Migration for type foo for version 8.10.0 registered after "
        "globalSwitchToModelVersionAt (8.10.0)",
    ),
    (
        "migration after switchToModelVersionAt",
        {"migrations": {"8.9.0": identity}, "switch_to_model_version_at": "8.9.0"},
        "Migration for type foo for version 8.9.0 registered after switchToModelVersionAt (8.9.0)",
    ),
    # legacy schemas
    (
        "schemas neither a map nor a function",
        {"schemas": "schema"},
        "Type foo: 'schemas' must be a mapping or a function returning one",
    ),
    (
        "schema key not a semver",
        {"schemas": {"1.2": {}}},
        "Invalid migration for type foo. Expected all properties to be semvers, but got 1.2.",
    ),
    (
        "schema after the global switch",
        {"schemas": {"8.10.1": {}}},
        "Schema for type foo for version 8.10.1 registered after "
        "globalSwitchToModelVersionAt (8.10.0)",
    ),
    (
        "schema after switchToModelVersionAt",
        {"schemas": {"8.9.0": {}}, "switch_to_model_version_at": "8.8.0"},
        "Schema for type foo for version 8.9.0 registered after switchToModelVersionAt (8.8.0)",
    ),
    # model versions
    (
        "model versions not a map",
        {"model_versions": [MV]},
        "Type foo: 'model_versions' must be a mapping or a function returning one",
    ),
    (
        "model version not an integer",
        {"model_versions": {"1.1": MV}},
        "Model version must be an integer",
    ),
    ("model version '01'", {"model_versions": {"01": MV}}, "Model version must be an integer"),
    ("model version float", {"model_versions": {1.0: MV}}, "Model version must be an integer"),
    ("model version bool", {"model_versions": {True: MV}}, "Model version must be an integer"),
    ("model version word", {"model_versions": {"foo": MV}}, "Model version must be an integer"),
    ("model version negative", {"model_versions": {-4: MV}}, "Model version cannot be negative"),
    ("model version '-3'", {"model_versions": {"-3": MV}}, "Model version cannot be negative"),
    (
        "model version defined twice",
        {"model_versions": {1: MV, "1": MV}},
        "Type foo: model version 1 is defined more than once",
    ),
    (
        "model version not a ModelVersion",
        {"model_versions": {1: {"changes": []}}},
        "Type foo: model version 1 must be a ModelVersion",
    ),
    (
        "model versions start at 2",
        {"model_versions": {2: MV}},
        "Type foo: model versioning must start with version 1",
    ),
    (
        "model versions start at 0",
        {"model_versions": {0: MV, 1: MV}},
        "Type foo: model versioning must start with version 1",
    ),
    (
        "gaps between model versions",
        {"model_versions": {"1": MV, "3": MV, "6": MV}},
        "Type foo: gaps between model versions aren't allowed (missing versions: 2,4,5)",
    ),
    (
        "mapping addition missing from the mappings",
        {
            "mappings": {"properties": {"field1": {"type": "text"}}},
            "model_versions": {
                1: ModelVersion(
                    changes=(MappingsAddition(added_mappings={"field2": {"type": "text"}}),)
                )
            },
        },
        "Type foo: mappings added on model versions not present on the global mappings "
        "definition: field2.type",
    ),
    (
        "mapping addition differing from the mappings",
        {
            "mappings": {"properties": {"field2": {"type": "text"}}},
            "model_versions": {
                1: ModelVersion(
                    changes=(MappingsAddition(added_mappings={"field2": {"type": "boolean"}}),)
                )
            },
        },
        "Type foo: mappings added on model versions differs from the global mappings "
        "definition: field2.type",
    ),
    # convertToMultiNamespaceTypeVersion
    (
        "convert version on a single type",
        {"convert_to_multi_namespace_type_version": "8.0.0"},
        "Invalid convertToMultiNamespaceTypeVersion for type foo. Expected namespaceType to be "
        "'multiple' or 'multiple-isolated', but got 'single'.",
    ),
    (
        "convert version not a semver",
        {"namespace_type": "multiple", "convert_to_multi_namespace_type_version": "bar"},
        "Invalid convertToMultiNamespaceTypeVersion for type foo. Expected value to be a semver, "
        "but got 'bar'.",
    ),
    (
        "convert version on a patch",
        {"namespace_type": "multiple-isolated", "convert_to_multi_namespace_type_version": "8.0.1"},
        "Invalid convertToMultiNamespaceTypeVersion for type foo. Value '8.0.1' cannot be used on "
        "a patch version (must be like 'x.y.0').",
    ),
    # switchToModelVersionAt (8.8-8.9 era)
    (
        "switch version not a semver",
        {"switch_to_model_version_at": "8.9"},
        "Type foo: invalid switchToModelVersionAt provided: 8.9",
    ),
    (
        "switch version above 8.10.0",
        {"switch_to_model_version_at": "8.11.0"},
        "Type foo: provided switchToModelVersionAt (8.11.0) is higher than maximum (8.10.0)",
    ),
    (
        "switch version on a patch",
        {"switch_to_model_version_at": "8.9.1"},
        "Type foo: can't use a patch version for switchToModelVersionAt",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [pytest.param(overrides, message, id=case) for case, overrides, message in REGISTRATION_ERRORS],
)
def test_registration_errors(overrides: dict[str, Any], message: str) -> None:
    registry = SavedObjectTypeRegistry()
    with pytest.raises(TypeRegistrationError) as caught:
        registry.register(make(**overrides))
    assert caught.value.message == message
    assert caught.value.metadata["type"] == overrides.get("name", "foo")
    assert "foo" not in registry


@pytest.mark.parametrize("name", sorted(RESERVED_TYPE_NAMES))
def test_type_names_may_not_redefine_root_fields(name: str) -> None:
    with pytest.raises(TypeRegistrationError, match=f'^Cannot redefine core mapping "{name}".$'):
        SavedObjectTypeRegistry().register(make(name))


def test_not_a_type_definition() -> None:
    with pytest.raises(TypeRegistrationError, match=r"^Expected a SavedObjectsType, got dict$"):
        SavedObjectTypeRegistry().register({"name": "foo"})  # type: ignore[arg-type]


def test_duplicate_name() -> None:
    registry = SavedObjectTypeRegistry()
    registry.register(make())
    with pytest.raises(TypeRegistrationError, match=r"^Type 'foo' is already registered$"):
        registry.register(make(hidden=True))


def test_legacy_type_name() -> None:
    registry = SavedObjectTypeRegistry(legacy_types=["old-type"])
    with pytest.raises(
        TypeRegistrationError,
        match=r"^Type 'old-type' can't be used because it's been added to the legacy types$",
    ):
        registry.register(make("old-type"))
    assert registry.get_legacy_types() == ["old-type"]


def test_register_after_freeze() -> None:
    registry = SavedObjectTypeRegistry().freeze()
    with pytest.raises(TypeRegistrationError, match="after the registry is frozen"):
        registry.register(make())


def test_invalid_stack_version() -> None:
    with pytest.raises(TypeRegistrationError, match=r"^Invalid stack version: 'eight'$"):
        SavedObjectTypeRegistry(stack_version="eight")


STACK_VERSION_ERRORS = [
    (
        {"migrations": {"3.2.4": identity}},
        "Invalid migration for type foo. Property '3.2.4' cannot be greater than the current "
        "Kibana version '3.2.3'.",
    ),
    (
        {"schemas": {"3.3.0": {}}},
        "Invalid migration for type foo. Property '3.3.0' cannot be greater than the current "
        "Kibana version '3.2.3'.",
    ),
    (
        {"namespace_type": "multiple", "convert_to_multi_namespace_type_version": "3.3.0"},
        "Invalid convertToMultiNamespaceTypeVersion for type foo. Value '3.3.0' cannot be "
        "greater than the current Kibana version '3.2.3'.",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), STACK_VERSION_ERRORS)
def test_versions_above_the_stack_version(overrides: dict[str, Any], message: str) -> None:
    registry = SavedObjectTypeRegistry(stack_version="3.2.3")
    with pytest.raises(TypeRegistrationError) as caught:
        registry.register(make(**overrides))
    assert caught.value.message == message


PROVIDER_ERRORS: list[tuple[dict[str, Callable[[], Any]], str]] = [
    (
        {"migrations": lambda: ["1.0.0"]},
        "Migrations map for type foo should be an object like { '2.0.0': (doc) => doc }. "
        "Got ['1.0.0'].",
    ),
    (
        {"migrations": lambda: {"1.0": identity}},
        "Invalid migration for type foo. Expected all properties to be semvers, but got 1.0.",
    ),
    ({"schemas": lambda: None}, "Type foo: 'schemas' provider must return a mapping"),
    ({"model_versions": lambda: {2: MV}}, "Type foo: model versioning must start with version 1"),
    (
        {"model_versions": lambda: "1"},
        "Type foo: 'model_versions' must be a mapping or a function returning one",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), PROVIDER_ERRORS)
def test_provider_errors_surface_when_frozen(overrides: dict[str, Any], message: str) -> None:
    registry = SavedObjectTypeRegistry()
    registry.register(make(**overrides))
    with pytest.raises(TypeRegistrationError) as caught:
        registry.freeze()
    assert caught.value.message == message
    assert not registry.frozen


@pytest.mark.parametrize(
    "overrides",
    [
        {"hidden": True, "hidden_from_http_apis": True},
        {"hidden": True},
        {"hidden": False, "hidden_from_http_apis": False},
        {"hidden": False, "hidden_from_http_apis": True},
        {
            "management": SavedObjectsTypeManagement(
                importable_and_exportable=True, visible_in_management=False
            )
        },
        {
            "management": SavedObjectsTypeManagement(
                importable_and_exportable=True, on_export=on_export
            )
        },
        {"mappings": {"dynamic": "true", "properties": {"a": {"type": "keyword"}}}},
        {
            "mappings": {
                "dynamic": False,
                "properties": {"a": {"dynamic": "strict", "properties": {}}},
            }
        },
        {"migrations": {"1.2.3": LegacyMigration(transform=identity, deferred=True)}},
        {"migrations": {"7.17.2": identity, "8.9.0": identity}, "schemas": {"8.0.0": {}}},
        {"model_versions": {}},
        {"model_versions": {1: ModelVersion(changes=())}},
        {"namespace_type": "multiple", "convert_to_multi_namespace_type_version": "8.0.0"},
        {"switch_to_model_version_at": "8.10.0", "migrations": {"8.9.0": identity}},
    ],
)
def test_accepted_definitions(overrides: dict[str, Any]) -> None:
    registry = SavedObjectTypeRegistry(stack_version="8.10.0")
    registry.register(make(**overrides))
    registry.freeze()
    assert "foo" in registry


def test_freeze_resolves_providers_and_normalizes_model_versions() -> None:
    registry = SavedObjectTypeRegistry()
    v1, v2 = ModelVersion(), ModelVersion(changes=())
    registry.register(
        make(
            migrations=lambda: {"7.0.0": identity},
            schemas=lambda: {"7.0.0": {}},
            model_versions=lambda: {"2": v2, "1": v1},
        )
    )
    registry.register(make("bar", model_versions={2: v2, 1: v1}))
    assert registry.freeze() is registry
    assert registry.freeze() is registry  # idempotent
    foo = registry.get_type("foo")
    assert foo is not None
    assert dict(foo.migrations) == {"7.0.0": identity}  # type: ignore[arg-type]
    assert dict(foo.schemas) == {"7.0.0": {}}  # type: ignore[arg-type]
    assert list(foo.model_versions.items()) == [(1, v1), (2, v2)]  # type: ignore[union-attr]
    bar = registry.get_type("bar")
    assert bar is not None
    assert list(bar.model_versions) == [1, 2]  # type: ignore[arg-type]


def test_registered_types_cannot_change() -> None:
    registry = SavedObjectTypeRegistry()
    registry.register(make(mappings={"properties": {"title": {"type": "text"}}}))
    foo = registry.get_type("foo")
    assert foo is not None
    with pytest.raises(AttributeError):
        foo.name = "bar"  # type: ignore[misc]
    with pytest.raises(TypeError):
        foo.mappings["properties"]["title"] = {"type": "keyword"}


# --- lookups --------------------------------------------------------------------------


@pytest.fixture
def registry() -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    registry.register(make("single"))
    registry.register(make("multi", namespace_type=NamespaceType.MULTIPLE))
    registry.register(make("isolated", namespace_type="multiple-isolated"))
    registry.register(make("agnostic", namespace_type="agnostic", index_pattern=".kibana_other"))
    registry.register(make("hidden", hidden=True))
    registry.register(make("http-hidden", hidden_from_http_apis=True, name_attribute="title"))
    registry.register(
        make(
            "exportable",
            management=SavedObjectsTypeManagement(importable_and_exportable=True),
        )
    )
    return registry.freeze()


def names(types: list[SavedObjectsType]) -> list[str]:
    return [t.name for t in types]


def test_type_lists(registry: SavedObjectTypeRegistry) -> None:
    # Kibana core's legacy-url-alias comes first: it is registered before any plugin's type.
    everything = [
        LEGACY_URL_ALIAS_TYPE,
        *("single", "multi", "isolated", "agnostic", "hidden", "http-hidden", "exportable"),
    ]
    assert names(registry.get_all_types()) == everything
    assert names(list(registry)) == everything
    assert len(registry) == 8
    assert names(registry.get_visible_types()) == [n for n in everything if n != "hidden"]
    assert names(registry.get_visible_to_http_apis_types()) == [
        n for n in everything if n != "http-hidden"
    ]
    assert names(registry.get_importable_and_exportable_types()) == ["exportable"]
    listed = registry.get_all_types()
    listed.clear()
    assert len(registry.get_all_types()) == 8


# --- the core type --------------------------------------------------------------------


def test_the_registry_brings_the_legacy_url_alias_type() -> None:
    registry = SavedObjectTypeRegistry()
    registry.register(make())
    assert LEGACY_URL_ALIAS_TYPE not in registry  # added when setup ends
    registry.freeze()
    assert registry.get_type(LEGACY_URL_ALIAS_TYPE) == legacy_url_alias_type
    assert names(registry.get_all_types()) == [LEGACY_URL_ALIAS_TYPE, "foo"]
    assert registry.is_namespace_agnostic(LEGACY_URL_ALIAS_TYPE)


def test_registering_the_core_definition_yourself_is_harmless() -> None:
    registry = SavedObjectTypeRegistry()
    registry.register(make())
    registry.register(legacy_url_alias_type)
    registry.freeze()
    assert names(registry.get_all_types()) == ["foo", LEGACY_URL_ALIAS_TYPE]
    twice = SavedObjectTypeRegistry()
    twice.register(legacy_url_alias_type)
    with pytest.raises(TypeRegistrationError, match=r"^Type 'legacy-url-alias' is already"):
        twice.register(legacy_url_alias_type)


def test_another_definition_under_the_core_name_is_refused() -> None:
    registry = SavedObjectTypeRegistry()
    with pytest.raises(TypeRegistrationError) as caught:
        registry.register(make(LEGACY_URL_ALIAS_TYPE))
    assert caught.value.message == "Type 'legacy-url-alias' is already registered"
    assert LEGACY_URL_ALIAS_TYPE not in registry


def test_a_bare_registry_holds_only_what_is_registered() -> None:
    registry = SavedObjectTypeRegistry(core_types=False)
    registry.register(make())
    registry.register(make(LEGACY_URL_ALIAS_TYPE, namespace_type="agnostic"))
    registry.freeze()
    assert names(registry.get_all_types()) == ["foo", LEGACY_URL_ALIAS_TYPE]
    assert names(SavedObjectTypeRegistry(core_types=False).freeze().get_all_types()) == []


def test_a_stack_older_than_the_core_type_needs_a_bare_registry() -> None:
    registry = SavedObjectTypeRegistry(stack_version="8.1.0")
    registry.register(make())
    with pytest.raises(TypeRegistrationError) as caught:
        registry.freeze()
    assert caught.value.message == (
        "Invalid migration for type legacy-url-alias. Property '8.2.0' cannot be greater "
        "than the current Kibana version '8.1.0'."
    )
    assert not registry.frozen
    assert LEGACY_URL_ALIAS_TYPE not in registry
    bare = SavedObjectTypeRegistry(stack_version="8.1.0", core_types=False)
    bare.register(make())
    assert names(bare.freeze().get_all_types()) == ["foo"]


PREDICATE_TABLE = [
    # name, agnostic, multi, single, shareable
    ("single", False, False, True, False),
    ("multi", False, True, False, True),
    ("isolated", False, True, False, False),
    ("agnostic", True, False, False, False),
    ("unknown", False, False, True, False),
]


@pytest.mark.parametrize(("name", "agnostic", "multi", "single", "shareable"), PREDICATE_TABLE)
def test_namespace_predicates(
    registry: SavedObjectTypeRegistry,
    name: str,
    agnostic: bool,
    multi: bool,
    single: bool,
    shareable: bool,
) -> None:
    # frozen (the fixture), the answers come from sets built by freeze(); open, from the
    # definitions
    still_open = SavedObjectTypeRegistry()
    for definition in registry.get_all_types():
        still_open.register(definition)
    for types in (registry, still_open):
        assert types.is_namespace_agnostic(name) is agnostic
        assert types.is_multi_namespace(name) is multi
        assert types.is_single_namespace(name) is single
        assert types.is_shareable(name) is shareable


def test_other_predicates(registry: SavedObjectTypeRegistry) -> None:
    assert registry.is_hidden("hidden")
    assert not registry.is_hidden("single")
    assert not registry.is_hidden("unknown")
    assert registry.is_hidden_from_http_apis("http-hidden")
    assert not registry.is_hidden_from_http_apis("hidden")  # only the explicit flag counts
    assert not registry.is_hidden_from_http_apis("unknown")
    assert registry.is_importable_and_exportable("exportable")
    assert not registry.is_importable_and_exportable("single")
    assert not registry.is_importable_and_exportable("unknown")
    assert registry.get_index("agnostic") == ".kibana_other"
    assert registry.get_index("single") is None
    assert registry.get_index("unknown") is None
    assert registry.get_name_attribute("http-hidden") == "title"
    assert registry.get_name_attribute("single") == "unknown"
    assert registry.get_name_attribute("unknown") == "unknown"
    assert registry.get_type("unknown") is None
    assert "unknown" not in registry
