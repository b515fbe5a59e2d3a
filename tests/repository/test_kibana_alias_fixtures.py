"""Kibana's published test data with legacy URL aliases and shared objects resolves as
Kibana's own API integration tests expect.

Two data sets, loaded the way Kibana's functional test runner loads them:

* ``saved_object_api_integration``: ``space_1.json``/``space_2.json`` are imported into
  their spaces (``kibanaServer.importExport.load``, which imports with ``overwrite``); the
  ``resolvetype`` objects of ``default_space.json`` (not among our fixtures: built here from
  its three entries) are created in the default space and shared to both spaces, and the
  two objects Kibana writes straight into the index (``resolvetype:conflict`` in three
  spaces, ``resolvetype:all_spaces`` in ``*``) are written raw, as its
  ``test_data_loader.ts`` does. Aliases are written raw too: Kibana's
  ``legacy_url_aliases_all.json`` (three aliases, rebuilt here) in the default space and
  ``space_1``, and our fixture ``legacy_url_aliases.json`` in ``space_x`` and, disabled, in
  ``space_y`` (``createLegacyUrlAliases`` overrides ``targetNamespace`` with the space).
  Expected outcomes: ``spaces_only/apis/resolve.ts`` and ``common/suites/resolve.ts``
  (exactMatch everywhere; aliasMatch in the default space and space_1, 404 in space_2;
  conflict in the default space and space_1, exactMatch in space_2; a disabled alias and
  an unknown id 404; a hidden type 400), and ``common/suites/delete.ts`` (deleting an alias
  target deletes the aliases of the spaces it was in, not the others).
* ``spaces_api_integration`` es_archiver ``data.json``: raw ``.kibana`` documents with three
  aliases of ``sharedtype/default_only`` (space_1, space_2 and, disabled, other_space)
  written as they are. Outcomes follow Kibana's rules for this data: the alias leads to
  the space's own object, a disabled one nowhere, sharing the exact object into the
  alias's space makes a conflict; ``get_shareable_references.ts`` for the sharing graph
  (aliases listed for the enabled spaces only; origins from the ``conflict_1_*`` copies);
  ``disable_legacy_url_aliases.ts`` for disabling.
"""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError, NotFoundError
from kbn_saved_objects.import_export import SavedObjectsImporter
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.types import (
    LEGACY_URL_ALIAS_TYPE,
    SavedObjectsType,
    SavedObjectsTypeManagement,
    SavedObjectTypeRegistry,
    legacy_url_alias_type,
)
from tests._paths import KIBANA_FIXTURES, require_fixtures
from tests.import_export.conftest import archive_records, archive_to_ndjson

pytestmark = pytest.mark.engine

require_fixtures()

API_ARCHIVES = KIBANA_FIXTURES / "kbn_archiver" / "saved_object_api_integration"
SPACES_DATA = (
    KIBANA_FIXTURES / "es_archiver" / "spaces_api_integration" / "saved_objects" / "spaces"
)
MAPPINGS = {"dynamic": False, "properties": {"title": {"type": "text"}}}
EACH_SPACE = ["default", "space_1", "space_2"]


def _identity(doc: Any, context: Any) -> Any:
    return doc


def build_registry(namespace_types: dict[str, str]) -> SavedObjectTypeRegistry:
    """The types the data uses, with the namespace types Kibana gives them; each one
    migrates to 8.9.0 so that the 7.x versions in the files are known, older ones."""
    registry = SavedObjectTypeRegistry()
    for name, namespace_type in namespace_types.items():
        registry.register(
            SavedObjectsType(
                name=name,
                namespace_type=namespace_type,  # type: ignore[arg-type]
                hidden=name == "hiddentype",
                mappings=MAPPINGS,
                migrations={"8.9.0": _identity},
                management=SavedObjectsTypeManagement(importable_and_exportable=True),
            )
        )
    if LEGACY_URL_ALIAS_TYPE not in registry:
        registry.register(legacy_url_alias_type)
    return registry.freeze()


def make_repository(
    engine: Engine, prefix: str, namespace_types: dict[str, str]
) -> SavedObjectsRepository:
    config = RepositoryConfig(default_index=f"{prefix}-kibana", index_suffix="_1", refresh=True)
    repo = SavedObjectsRepository(engine, build_registry(namespace_types), config=config)
    repo.setup_indices()
    return repo


def write_raw(repo: SavedObjectsRepository, docs: list[tuple[str, dict[str, Any]]]) -> None:
    """Index raw documents into the index of their type, as es_archiver and Kibana's test
    data loader do (no repository call, so nothing is validated or migrated)."""
    actions: list[rq.BulkAction] = [
        ({"index": {"_index": repo.context.index_for(source["type"]), "_id": raw_id}}, source)
        for raw_id, source in docs
    ]
    answer = repo.engine.perform(rq.bulk(actions, refresh=True))
    assert not answer["errors"], answer


def alias_source(space: str, alias: dict[str, Any], *, disabled: bool = False) -> dict[str, Any]:
    """Kibana's ``createLegacyUrlAliases``: the alias body, in ``space``."""
    body = {**alias, "targetNamespace": space, **({"disabled": True} if disabled else {})}
    return {
        "type": LEGACY_URL_ALIAS_TYPE,
        "updated_at": "2017-09-21T18:51:23.794Z",
        LEGACY_URL_ALIAS_TYPE: body,
    }


def alias_raw_id(space: str, alias: dict[str, Any]) -> str:
    return f"{LEGACY_URL_ALIAS_TYPE}:{space}:{alias['targetType']}:{alias['sourceId']}"


def alias_document(repo: SavedObjectsRepository, raw_id: str) -> dict[str, Any] | None:
    """The alias document as stored, ``None`` when it is gone."""
    index = repo.context.index_for(LEGACY_URL_ALIAS_TYPE)
    found = repo.engine.perform(
        dataclasses.replace(rq.get_document(index, raw_id), not_found_ok=True)
    )
    if not found.get("found"):
        return None
    return dict(found["_source"][LEGACY_URL_ALIAS_TYPE])


# --- saved_object_api_integration: the resolve and delete suites --------------------

API_TYPES = {
    "isolatedtype": "single",
    "sharedtype": "multiple",
    "sharecapabletype": "multiple-isolated",
    "globaltype": "agnostic",
    "hiddentype": "single",
    "resolvetype": "multiple",
    "index-pattern": "multiple-isolated",
    "dashboard": "multiple-isolated",
}
"""Kibana's ``saved_object_test_plugin`` types, and the core types of the archives."""

DEFAULT_SPACE_RESOLVE_OBJECTS = {
    "exact-match": "Resolve outcome exactMatch",
    "alias-match-newid": "Resolve outcome aliasMatch",
    "conflict-newid": "Resolve outcome conflict (2 of 2)",
}
"""The ``resolvetype`` entries of Kibana's ``default_space.json``."""

ALIASES_ALL = [
    {"sourceId": "alias-match", "targetType": "resolvetype", "targetId": "alias-match-newid"},
    {
        "sourceId": "disabled",
        "targetType": "resolvetype",
        "targetId": "disabled-newid",
        "disabled": True,
    },
    {"sourceId": "conflict", "targetType": "resolvetype", "targetId": "conflict-newid"},
]
"""Kibana's ``legacy_url_aliases_all.json``, loaded into the default space and space_1."""


@pytest.fixture
def api_repo(kbn_engine: Engine, kbn_index_prefix: str) -> SavedObjectsRepository:
    repo = make_repository(kbn_engine, kbn_index_prefix, API_TYPES)
    importer = SavedObjectsImporter(repo)
    for space, name in (("space_1", "space_1.json"), ("space_2", "space_2.json")):
        result = importer.import_(
            archive_to_ndjson(API_ARCHIVES / name), namespace=space, overwrite=True
        )
        assert result["success"], result
    for object_id, title in DEFAULT_SPACE_RESOLVE_OBJECTS.items():
        repo.create("resolvetype", {"title": title}, id=object_id)
    shared = repo.update_objects_spaces(
        [{"type": "resolvetype", "id": object_id} for object_id in DEFAULT_SPACE_RESOLVE_OBJECTS],
        ["space_1", "space_2"],
        [],
    )
    assert all(entry.error is None for entry in shared.objects), shared
    written = {"updated_at": "2017-09-21T18:51:23.794Z"}
    raw: list[tuple[str, dict[str, Any]]] = [
        (
            "resolvetype:conflict",
            {
                "type": "resolvetype",
                "resolvetype": {"title": "Resolve outcome conflict (1 of 2)"},
                "namespaces": EACH_SPACE,
                **written,
            },
        ),
        (
            "resolvetype:all_spaces",
            {
                "type": "resolvetype",
                "resolvetype": {"title": "in every space"},
                "namespaces": ["*"],
                **written,
            },
        ),
    ]
    for space in ("default", "space_1"):
        raw += [(alias_raw_id(space, a), alias_source(space, a)) for a in ALIASES_ALL]
    [fixture_alias] = archive_records(API_ARCHIVES / "legacy_url_aliases.json")
    raw += [
        (alias_raw_id("space_x", fixture_alias), alias_source("space_x", fixture_alias)),
        (
            alias_raw_id("space_y", fixture_alias),
            alias_source("space_y", fixture_alias, disabled=True),
        ),
    ]
    write_raw(repo, raw)
    return repo


def expected_resolve(space: str, object_id: str) -> tuple[str, str, str | None] | int:
    """``spaces_only/apis/resolve.ts``: (outcome, returned id, alias target) or a status."""
    aliases_here = space in ("default", "space_1")
    if object_id == "exact-match":
        return ("exactMatch", "exact-match", None)
    if object_id == "alias-match":
        return ("aliasMatch", "alias-match-newid", "alias-match-newid") if aliases_here else 404
    if object_id == "conflict":
        if aliases_here:
            return ("conflict", "conflict", "conflict-newid")
        return ("exactMatch", "conflict", None)
    return 404  # "disabled" (its alias is disabled) and "does-not-exist"


RESOLVE_IDS = ["exact-match", "alias-match", "conflict", "disabled", "does-not-exist"]


@pytest.mark.parametrize("space", EACH_SPACE)
def test_resolve_outcomes_match_kibanas_resolve_suite(
    api_repo: SavedObjectsRepository, space: str
) -> None:
    for object_id in RESOLVE_IDS:
        expected = expected_resolve(space, object_id)
        if isinstance(expected, int):
            with pytest.raises(NotFoundError) as caught:
                api_repo.resolve("resolvetype", object_id, namespace=space)
            assert caught.value.status_code == expected
            assert caught.value.message == f"Saved object [resolvetype/{object_id}] not found"
            continue
        got = api_repo.resolve("resolvetype", object_id, namespace=space)
        assert (got.outcome, got.saved_object.id, got.alias_target_id) == expected, object_id
        assert got.saved_object.namespaces == EACH_SPACE, object_id
        if got.outcome != "exactMatch":
            assert got.alias_purpose is None  # Kibana's test aliases carry no purpose
    # the hidden type is refused, as in Kibana (400 Unsupported saved object type)
    with pytest.raises(BadRequestError, match="Unsupported saved object type"):
        api_repo.resolve("hiddentype", "any", namespace=space)


@pytest.mark.parametrize("space", EACH_SPACE)
def test_bulk_resolve_matches_the_single_resolves(
    api_repo: SavedObjectsRepository, space: str
) -> None:
    """Kibana's ``bulk_resolve`` suite: the same outcomes, errors in place, input order."""
    requested: Any = [{"type": "resolvetype", "id": i} for i in RESOLVE_IDS]
    requested.append({"type": "hiddentype", "id": "any"})
    resolved = api_repo.bulk_resolve(requested, namespace=space).resolved_objects
    for object_id, result in zip(RESOLVE_IDS, resolved, strict=False):
        expected = expected_resolve(space, object_id)
        if isinstance(expected, int):
            assert result.saved_object.error is not None
            assert result.saved_object.error["statusCode"] == expected
            assert result.outcome == "exactMatch"
        else:
            got = (result.outcome, result.saved_object.id, result.alias_target_id)
            assert got == expected, object_id
    hidden = resolved[-1].saved_object.error
    assert hidden is not None
    assert hidden["statusCode"] == 400


def test_resolving_counts_on_enabled_aliases_only(api_repo: SavedObjectsRepository) -> None:
    """Every resolve through an enabled alias counts, whether it ended in aliasMatch or
    conflict; disabled aliases and those of other spaces are left as they were."""
    for space in EACH_SPACE:
        for object_id in RESOLVE_IDS:
            with contextlib.suppress(NotFoundError):
                api_repo.resolve("resolvetype", object_id, namespace=space)
    for space in ("default", "space_1"):
        for alias in ALIASES_ALL:
            stored = alias_document(api_repo, alias_raw_id(space, alias))
            assert stored is not None
            counted = None if alias.get("disabled") else 1
            assert stored.get("resolveCounter") == counted, (space, alias["sourceId"])
            assert ("lastResolved" in stored) is (counted is not None)
    for space in ("space_x", "space_y"):
        stored = alias_document(
            api_repo, f"{LEGACY_URL_ALIAS_TYPE}:{space}:resolvetype:alias-match"
        )
        assert stored is not None
        assert "resolveCounter" not in stored


def test_the_fixture_alias_leads_nowhere_outside_its_targets_spaces(
    api_repo: SavedObjectsRepository,
) -> None:
    """``legacy_url_aliases.json`` in space_x points at an object that is not shared there,
    and in space_y it is disabled: both 404, and only the enabled one counts."""
    for space in ("space_x", "space_y"):
        with pytest.raises(NotFoundError):
            api_repo.resolve("resolvetype", "alias-match", namespace=space)
    space_x = alias_document(api_repo, f"{LEGACY_URL_ALIAS_TYPE}:space_x:resolvetype:alias-match")
    space_y = alias_document(api_repo, f"{LEGACY_URL_ALIAS_TYPE}:space_y:resolvetype:alias-match")
    assert space_x is not None
    assert space_x.get("resolveCounter") == 1
    assert space_y == {
        "sourceId": "alias-match",
        "targetNamespace": "space_y",
        "targetType": "resolvetype",
        "targetId": "alias-match-newid",
        "disabled": True,
    }


def test_imported_objects_stay_in_their_space(api_repo: SavedObjectsRepository) -> None:
    """space_1.json and space_2.json, imported into their spaces: each object resolves
    there (exactMatch) and nowhere else, whatever its namespace type."""
    for space, other in (("space_1", "space_2"), ("space_2", "space_1")):
        records = archive_records(API_ARCHIVES / f"{space}.json")
        for record in records:
            got = api_repo.resolve(record["type"], record["id"], namespace=space)
            assert got.outcome == "exactMatch"
            assert got.saved_object.attributes["title"] == record["attributes"]["title"]
            for elsewhere in ("default", other):
                with pytest.raises(NotFoundError):
                    api_repo.resolve(record["type"], record["id"], namespace=elsewhere)


def test_deleting_an_alias_target_deletes_the_aliases_of_its_spaces_only(
    api_repo: SavedObjectsRepository,
) -> None:
    """Kibana's delete suite (ALIAS_DELETE_INCLUSIVE): ``alias-match-newid`` lives in the
    default space, space_1 and space_2; deleting it (forced: it is shared) deletes the
    aliases pointing at it in the default space and space_1, and leaves those of space_x
    and space_y, where it never was: eight aliases become six."""
    index = api_repo.context.index_for(LEGACY_URL_ALIAS_TYPE)

    def alias_count() -> int:
        api_repo.engine.perform(rq.refresh(index))
        query = {"term": {"type": LEGACY_URL_ALIAS_TYPE}}
        return int(api_repo.engine.perform(rq.count(index, query))["count"])

    assert alias_count() == 8
    api_repo.delete("resolvetype", "alias-match-newid", force=True)
    assert alias_count() == 6
    for space in ("default", "space_1"):
        gone = alias_raw_id(space, ALIASES_ALL[0])
        assert alias_document(api_repo, gone) is None
    for space in ("space_x", "space_y"):
        kept = f"{LEGACY_URL_ALIAS_TYPE}:{space}:resolvetype:alias-match"
        assert alias_document(api_repo, kept) is not None
    with pytest.raises(NotFoundError):
        api_repo.resolve("resolvetype", "alias-match", namespace="space_1")


# --- spaces_api_integration es_archiver data: aliases of sharedtype/default_only --------

SPACES_TYPES = {
    "space": "agnostic",
    "dashboard": "single",
    "visualization": "multiple-isolated",
    "index-pattern": "multiple-isolated",
    "sharedtype": "multiple",
}
"""The types of the archive, as Kibana had them when it was written (7.x: dashboards
were single-namespace, their raw ids carry the space)."""


def es_archive_docs(path: Path) -> list[tuple[str, dict[str, Any]]]:
    docs: list[tuple[str, dict[str, Any]]] = []
    for record in archive_records(path):
        value = record["value"]
        docs.append((value["id"], value["source"]))
    return docs


@pytest.fixture
def spaces_repo(kbn_engine: Engine, kbn_index_prefix: str) -> SavedObjectsRepository:
    repo = make_repository(kbn_engine, kbn_index_prefix, SPACES_TYPES)
    docs = es_archive_docs(SPACES_DATA / "data.json")
    assert sum(source["type"] == LEGACY_URL_ALIAS_TYPE for _, source in docs) == 3
    write_raw(repo, docs)
    return repo


ALIAS_IN = {
    space: f"{LEGACY_URL_ALIAS_TYPE}:{space}:sharedtype:default_only"
    for space in (
        "space_1",
        "space_2",
        "other_space",
    )
}


def test_the_archive_aliases_resolve_to_each_spaces_object(
    spaces_repo: SavedObjectsRepository,
) -> None:
    """``default_only`` is an object of the default space and, through the archive's
    aliases, the id of ``space_1_only`` in space_1 and of ``space_2_only`` in space_2. The
    alias of other_space is disabled: 404 there, and it is not counted."""
    exact = spaces_repo.resolve("sharedtype", "default_only")
    assert (exact.outcome, exact.saved_object.id, exact.alias_target_id) == (
        "exactMatch",
        "default_only",
        None,
    )
    for space in ("space_1", "space_2"):
        got = spaces_repo.resolve("sharedtype", "default_only", namespace=space)
        target = f"{space}_only"
        assert (got.outcome, got.saved_object.id, got.alias_target_id) == (
            "aliasMatch",
            target,
            target,
        )
        assert got.saved_object.namespaces == [space]
        assert alias_document(spaces_repo, ALIAS_IN[space])["resolveCounter"] == 1  # type: ignore[index]
    with pytest.raises(NotFoundError):
        spaces_repo.resolve("sharedtype", "default_only", namespace="other_space")
    disabled = alias_document(spaces_repo, ALIAS_IN["other_space"])
    assert disabled is not None
    assert "resolveCounter" not in disabled
    # objects of every space and of all spaces resolve exactly everywhere they are
    for space in EACH_SPACE:
        for object_id in ("each_space", "all_spaces"):
            got = spaces_repo.resolve("sharedtype", object_id, namespace=space)
            assert got.outcome == "exactMatch"
    with pytest.raises(NotFoundError):
        spaces_repo.resolve("sharedtype", "space_1_only", namespace="space_2")
    # single-namespace dashboards of the archive: one per space, by the same id
    titles = {
        space: spaces_repo.resolve("dashboard", "my_dashboard", namespace=space).saved_object
        for space in EACH_SPACE
    }
    assert titles["default"].attributes["title"] == "This is the default test space"
    assert titles["space_1"].namespaces == ["space_1"]


def test_sharing_into_an_aliased_space_makes_a_conflict(
    spaces_repo: SavedObjectsRepository,
) -> None:
    """Spec 05 §6.4: the default-space object shared into space_1, where an alias of its
    id leads elsewhere, resolves there as a conflict (the exact object is returned);
    unsharing it again deletes nothing (the alias points at ``space_1_only``, not at it)
    and brings aliasMatch back."""
    spaces_repo.update_objects_spaces(
        [{"type": "sharedtype", "id": "default_only"}], ["space_1"], []
    )
    got = spaces_repo.resolve("sharedtype", "default_only", namespace="space_1")
    assert (got.outcome, got.saved_object.id, got.alias_target_id) == (
        "conflict",
        "default_only",
        "space_1_only",
    )
    spaces_repo.update_objects_spaces(
        [{"type": "sharedtype", "id": "default_only"}], [], ["space_1"]
    )
    assert alias_document(spaces_repo, ALIAS_IN["space_1"]) is not None
    again = spaces_repo.resolve("sharedtype", "default_only", namespace="space_1")
    assert again.outcome == "aliasMatch"


def test_unsharing_an_alias_target_deletes_the_alias_of_that_space(
    spaces_repo: SavedObjectsRepository,
) -> None:
    """``space_2_only`` leaves space_2 for space_1: the alias that led to it in space_2
    is deleted (it would lead nowhere), the one of space_1 (to another object) stays."""
    moved = spaces_repo.update_objects_spaces(
        [{"type": "sharedtype", "id": "space_2_only"}],
        ["space_1"],
        ["space_2"],
        namespace="space_2",
    )
    assert moved.objects[0].spaces == ["space_1"]
    assert alias_document(spaces_repo, ALIAS_IN["space_2"]) is None
    assert alias_document(spaces_repo, ALIAS_IN["space_1"]) is not None
    with pytest.raises(NotFoundError):
        spaces_repo.resolve("sharedtype", "default_only", namespace="space_2")


def test_disabling_an_archive_alias(spaces_repo: SavedObjectsRepository) -> None:
    """``disable_legacy_url_aliases.ts``: the alias document gets ``disabled: true`` and
    resolve stops following it; an alias that does not exist is a 404 entry."""
    response = spaces_repo.disable_legacy_url_aliases(
        [
            {"target_space": "space_2", "target_type": "sharedtype", "source_id": "default_only"},
            {"target_space": "space_1", "target_type": "sharedtype", "source_id": "nope"},
        ]
    )
    assert response.saved_objects[0].error is None
    missing = response.saved_objects[1].error
    assert missing is not None
    assert missing["statusCode"] == 404
    stored = alias_document(spaces_repo, ALIAS_IN["space_2"])
    assert stored is not None
    assert stored["disabled"] is True
    with pytest.raises(NotFoundError):
        spaces_repo.resolve("sharedtype", "default_only", namespace="space_2")


@pytest.mark.parametrize("space", EACH_SPACE)
def test_sharing_graph_of_the_archive(spaces_repo: SavedObjectsRepository, space: str) -> None:
    """``get_shareable_references.ts`` on this archive: ``each_space`` references one
    object per space and ``all_spaces``; what is not in the current space is missing, only
    the inbound reference of the current space's object shows, ``default_only`` lists the
    two spaces whose alias is enabled (not other_space, disabled), and every found object
    is its own copy (``spaces_with_matching_origins``)."""
    response = spaces_repo.collect_multi_namespace_references(
        [
            {"type": "sharedtype", "id": "each_space"},
            {"type": "sharedtype", "id": "does-not-exist"},
        ],
        namespace=space,
    )
    own = {"default": "default_only", "space_1": "space_1_only", "space_2": "space_2_only"}
    by_id = {entry.id: entry for entry in response.objects}
    assert [entry.id for entry in response.objects] == [
        "each_space",
        "does-not-exist",
        "default_only",
        "space_1_only",
        "space_2_only",
        "all_spaces",
    ]
    each = by_id["each_space"]
    assert each.spaces == EACH_SPACE
    assert [(r.type, r.id, r.name) for r in each.inbound_references] == [
        ("sharedtype", own[space], "refname")
    ]
    assert by_id["does-not-exist"].is_missing
    assert by_id["does-not-exist"].spaces == []
    for object_id in ("default_only", "space_1_only", "space_2_only"):
        entry = by_id[object_id]
        assert [(r.id, r.name) for r in entry.inbound_references] == [("each_space", "refname")]
        if object_id == own[space]:
            assert entry.spaces == [space]
            assert not entry.is_missing
        else:
            assert entry.spaces == []
            assert entry.is_missing
    aliases = by_id["default_only"].spaces_with_matching_aliases
    assert aliases == (["space_1", "space_2"] if space == "default" else None)
    assert by_id["all_spaces"].spaces == ["*"]
    assert by_id["all_spaces"].spaces_with_matching_origins == ["*"]


def test_copies_of_the_archive_share_an_origin(spaces_repo: SavedObjectsRepository) -> None:
    """The ``conflict_1_*`` objects are copies of ``conflict_1`` in each space: the graph
    of one lists all three spaces as holding a copy; when it is to be shared, only the
    others count."""
    response = spaces_repo.collect_multi_namespace_references(
        [{"type": "sharedtype", "id": "conflict_1_default"}]
    )
    [entry] = response.objects
    assert entry.origin_id == "conflict_1"
    assert entry.spaces_with_matching_origins == EACH_SPACE
    for_sharing = spaces_repo.collect_multi_namespace_references(
        [{"type": "sharedtype", "id": "conflict_1_default"}], purpose="updateObjectsSpaces"
    )
    assert for_sharing.objects[0].spaces_with_matching_origins == ["space_1", "space_2"]


def test_a_scoped_repository_reaches_only_its_space_of_the_archive(
    spaces_repo: SavedObjectsRepository,
) -> None:
    """Scoped to space_1, the archive's alias of space_1 is followed; those of other
    spaces cannot be reached, disabled or learnt of through the sharing graph."""
    scoped = spaces_repo.as_scoped_to_namespace("space_1")
    assert scoped.resolve("sharedtype", "default_only").outcome == "aliasMatch"
    with pytest.raises(BadRequestError):
        scoped.resolve("sharedtype", "default_only", namespace="space_2")
    with pytest.raises(BadRequestError):
        scoped.disable_legacy_url_aliases(
            [{"target_space": "space_2", "target_type": "sharedtype", "source_id": "default_only"}]
        )
    graph = scoped.collect_multi_namespace_references(
        [{"type": "sharedtype", "id": "space_1_only"}]
    )
    assert graph.objects[0].spaces == ["space_1"]
    assert alias_document(spaces_repo, ALIAS_IN["space_2"]) == {
        "sourceId": "default_only",
        "targetNamespace": "space_2",
        "targetType": "sharedtype",
        "targetId": "space_2_only",
    }
