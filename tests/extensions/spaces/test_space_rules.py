"""The spaces extension, the space type and the rules a space meets, without an engine:
the extension's one engine question is driven with canned answers."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.errors import BadRequestError, ForbiddenError, UnclassifiedError
from kbn_saved_objects.extensions.spaces import (
    NAMESPACE_FROM_CALLER,
    SPACE_TYPE,
    SavedObjectsSpacesExtension,
    Space,
    SpacesExtensionBuilder,
    space_type,
    validate_space,
    validate_space_id,
)
from kbn_saved_objects.extensions.spaces.space import validate_purpose
from kbn_saved_objects.extensions.spaces.space_type import migrate_to_660
from kbn_saved_objects.repository import RepositoryConfig
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import SpacesExtension
from kbn_saved_objects.repository.operation import run_offline
from kbn_saved_objects.service import RequestContext
from kbn_saved_objects.types import SavedObjectTypeRegistry


def spaces_context(*, include_space: bool = True) -> RepositoryContext:
    registry = SavedObjectTypeRegistry()
    registry.register(space_type)
    registry.freeze()
    return RepositoryContext(
        registry,
        RepositoryConfig(default_index="offline_spaces"),
        EngineInfo("opensearch", "2.19.0"),
        include_hidden_types=frozenset({SPACE_TYPE} if include_space else ()),
    )


def search_answer(*space_ids: str) -> dict[str, Any]:
    hits = [
        {"_id": f"space:{i}", "_source": {"type": "space", "space": {"name": i.upper()}}}
        for i in space_ids
    ]
    return {"hits": {"total": {"value": len(hits)}, "hits": hits}}


def extension(active: str = "s1", **options: Any) -> SavedObjectsSpacesExtension:
    return SavedObjectsSpacesExtension(active, spaces_context(), **options)


# --- the type ------------------------------------------------------------------------


def test_the_space_type_is_registered_as_kibana_registers_it() -> None:
    assert space_type.name == "space"
    assert space_type.hidden
    assert space_type.namespace_type == "agnostic"
    assert space_type.mappings["dynamic"] is False
    assert space_type.mappings["properties"]["name"]["fields"]["keyword"] == {
        "type": "keyword",
        "ignore_above": 2048,
    }
    assert set(space_type.mappings["properties"]) == {
        "name",
        "solution",
        "nameAttribute",
        "disabledFeatures",
    }
    registry = spaces_context().registry
    assert registry.is_hidden("space")
    assert registry.is_namespace_agnostic("space")


def test_the_660_migration_adds_disabled_features_once() -> None:
    doc = {"type": "space", "id": "a", "attributes": {"name": "A"}}
    assert migrate_to_660(doc, None)["attributes"] == {"name": "A", "disabledFeatures": []}
    kept = {"type": "space", "id": "a", "attributes": {"disabledFeatures": ["x"]}}
    assert migrate_to_660(kept, None) is kept


# --- a space's rules ----------------------------------------------------------------


@pytest.mark.parametrize("space_id", ["a", "my-space_2", "0"])
def test_valid_space_ids(space_id: str) -> None:
    assert validate_space_id(space_id) == space_id


@pytest.mark.parametrize("space_id", ["", "A", "with space", "*", "a:b", "é", "a/b"])
def test_invalid_space_ids(space_id: str) -> None:
    with pytest.raises(BadRequestError) as caught:
        validate_space_id(space_id)
    assert caught.value.message == "[id]: must be lower case, a-z, 0-9, '_', and '-' are allowed"


def test_a_space_id_must_be_a_string() -> None:
    with pytest.raises(BadRequestError) as caught:
        validate_space_id(None)
    assert caught.value.message == "[id]: expected value of type [string] but got [null]"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "[name]: value has length [0] but it must have a minimum length of [1]."),
        (
            {"initials": "ABC"},
            "[initials]: value has length [3] but it must have a maximum length of [2].",
        ),
        ({"color": "red"}, "[color]: must be a 6 digit hex color, starting with a #"),
        (
            {"disabled_features": tuple(f"f{n}" for n in range(101))},
            "[disabledFeatures]: array size is [101], but cannot be greater than [100]",
        ),
        ({"image_url": "http://x/y.png"}, "[imageUrl]: must start with 'data:image'"),
        (
            {"solution": "nope"},
            "[solution]: expected one of [es, oblt, security, classic] but got [nope]",
        ),
    ],
)
def test_invalid_spaces(fields: dict[str, Any], message: str) -> None:
    space = Space(id="ok", **{"name": "Ok", **fields})
    with pytest.raises(BadRequestError) as caught:
        validate_space(space)
    assert caught.value.message == message
    assert caught.value.status_code == 400


def test_a_full_space_round_trips_through_its_attributes() -> None:
    space = Space(
        id="ops",
        name="Ops",
        description="d",
        initials="OP",
        color="#AABBCC",
        image_url="data:image/png;base64,AA==",
        disabled_features=("dev_tools",),
        solution="oblt",
    )
    assert validate_space(space) is space
    assert space.attributes() == {
        "name": "Ops",
        "description": "d",
        "color": "#AABBCC",
        "initials": "OP",
        "imageUrl": "data:image/png;base64,AA==",
        "disabledFeatures": ["dev_tools"],
        "solution": "oblt",
    }
    assert Space.from_attributes("ops", space.attributes()) == space
    assert Space(id="x", name="X", image_url="").attributes()["imageUrl"] == ""
    assert Space(id="x", name="X").to_dict() == {"id": "x", "name": "X", "disabledFeatures": []}
    reserved = Space.from_attributes("default", {"name": "Default", "_reserved": True})
    assert reserved.to_dict()["_reserved"] is True


def test_get_all_purposes_are_kibanas() -> None:
    assert validate_purpose("findSavedObjects") == "findSavedObjects"
    with pytest.raises(BadRequestError) as caught:
        validate_purpose("everything")
    assert caught.value.message == "unsupported space purpose: everything"


# --- the extension ------------------------------------------------------------------


def test_it_implements_the_repository_protocol() -> None:
    assert isinstance(extension(), SpacesExtension)


def test_the_request_decides_the_namespace() -> None:
    assert extension("s1").get_current_namespace(None) == "s1"
    assert extension("s1").get_current_namespace("") == "s1"
    assert extension("default").get_current_namespace(None) is None
    with pytest.raises(UnclassifiedError) as caught:
        extension("s1").get_current_namespace("s1")
    assert caught.value.message == NAMESPACE_FROM_CALLER
    assert caught.value.message == (
        "Namespace cannot be specified by the caller when the spaces extension is enabled. "
        "Spaces currently determines the namespace."
    )


def test_no_namespaces_means_the_active_space_and_empty_stays_empty_without_io() -> None:
    assert run_offline(extension("s1").get_searchable_namespaces(None), []) == (["s1"], [])
    assert run_offline(extension("s1").get_searchable_namespaces([]), []) == ([], [])


def test_star_is_every_existing_space_and_other_names_must_exist() -> None:
    result, sent = run_offline(
        extension().get_searchable_namespaces(["*"]), [search_answer("default", "s1", "s2")]
    )
    assert result == ["default", "s1", "s2"]
    assert [r.method for r in sent] == ["POST"]
    assert sent[0].path.endswith("/_search")
    result, _ = run_offline(
        extension().get_searchable_namespaces(["s2", "gone", "default"]),
        [search_answer("default", "s1", "s2")],
    )
    assert result == ["s2", "default"]


def test_a_filter_narrows_the_spaces_and_an_empty_result_is_forbidden() -> None:
    asked: list[list[str]] = []

    def only_s1(ids: Any) -> list[str]:
        asked.append(list(ids))
        return [i for i in ids if i == "s1"]

    narrowed = extension(searchable_spaces=only_s1)
    result, _ = run_offline(
        narrowed.get_searchable_namespaces(["*"]), [search_answer("default", "s1")]
    )
    assert result == ["s1"]
    assert asked == [["default", "s1"]]
    with pytest.raises(ForbiddenError) as caught:
        run_offline(narrowed.get_searchable_namespaces(["s2"]), [search_answer("default", "s2")])
    assert caught.value.message == "Forbidden"
    assert caught.value.status_code == 403


def test_as_scoped_to_namespace_changes_only_the_active_space() -> None:
    def keep(ids: Any) -> Any:
        return ids

    original = extension("s1", searchable_spaces=keep, max_spaces=5)
    moved = original.as_scoped_to_namespace("s2")
    assert moved.get_current_namespace(None) == "s2"
    assert original.get_current_namespace(None) == "s1"
    assert (moved.spaces_context, moved.max_spaces, moved.searchable_spaces) == (
        original.spaces_context,
        5,
        keep,
    )
    with pytest.raises(UnclassifiedError, match="spaceId is required"):
        original.as_scoped_to_namespace("")


def test_the_extension_needs_the_hidden_space_type() -> None:
    with pytest.raises(ValueError, match="hidden 'space' type"):
        SavedObjectsSpacesExtension("s1", spaces_context(include_space=False))


def test_the_builder_binds_the_filter_to_the_request() -> None:
    calls: list[int] = []
    seen: list[tuple[RequestContext, list[str]]] = []

    def context() -> RepositoryContext:
        calls.append(1)
        return spaces_context()

    def may_search(request: RequestContext, ids: Any) -> list[str]:
        seen.append((request, list(ids)))
        return list(ids)

    builder = SpacesExtensionBuilder(context, searchable_spaces=may_search)
    request = RequestContext(space_id="s9")
    built = builder(spaces_context().registry, request)
    builder(spaces_context().registry, RequestContext())
    assert calls == [1]  # the spaces context is made once
    assert built.active_space_id == "s9"
    run_offline(built.get_searchable_namespaces(["*"]), [search_answer("s9")])
    assert seen == [(request, ["s9"])]
