# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""Copying objects between spaces on the real engine (the async source of the generated
sync twin): Kibana's ``copySavedObjectsToSpaces`` and its conflict resolution."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.errors import BadRequestError, NotFoundError
from kbn_saved_objects.import_export._sync.copy_to_spaces import SavedObjectsCopier
from kbn_saved_objects.import_export.copy_to_spaces import (
    CopyRequestError,
    CopySourceNotFoundError,
)
from kbn_saved_objects.import_export.errors import SavedObjectsExportError
from kbn_saved_objects.repository import SavedObjectsRepository
from tests.import_export.conftest import sequence_ids

pytestmark = pytest.mark.engine

SOURCE = "source"


def _seed(repo: SavedObjectsRepository) -> None:
    """ip-1 <- vis-1 <- dash-1 in the source space."""
    repo.create("index-pattern", {"title": "logs-*"}, id="ip-1", namespace=SOURCE)
    repo.create(
        "visualization",
        {"title": "Vis"},
        id="vis-1",
        namespace=SOURCE,
        references=[{"type": "index-pattern", "id": "ip-1", "name": "ip"}],
    )
    repo.create(
        "dashboard",
        {"title": "Dash"},
        id="dash-1",
        namespace=SOURCE,
        references=[{"type": "visualization", "id": "vis-1", "name": "panel_0"}],
    )


def _in_space(repo: SavedObjectsRepository, space: str) -> dict[str, Any]:
    """``{type:id: object}`` of the seeded types visible in ``space``."""
    found = repo.find(
        type=["index-pattern", "visualization", "dashboard", "sharedtype", "isolatedtype"],
        namespaces=[space],
        per_page=100,
    )
    return {f"{o.type}:{o.id}": o for o in found.saved_objects}


def _copier(repo: SavedObjectsRepository, **options: Any) -> SavedObjectsCopier:
    return SavedObjectsCopier(repo, id_generator=sequence_ids(), **options)


DASH = [{"type": "dashboard", "id": "dash-1"}]


def test_copy_without_references_copies_only_the_object(
    repository: SavedObjectsRepository,
) -> None:
    _seed(repository)
    result = _copier(repository).copy_to_spaces(
        DASH, ["a"], namespace=SOURCE, create_new_copies=False
    )
    # dash-1 exists in another space: a multi-namespace type gets a new id, keeping
    # the original as its origin
    assert result == {
        "a": {
            "success": True,
            "successCount": 1,
            "successResults": [
                {
                    "type": "dashboard",
                    "id": "dash-1",
                    "destinationId": "new-0",
                    "meta": {"title": "Dash", "icon": "dashboardApp"},
                    "managed": False,
                }
            ],
        }
    }
    in_a = _in_space(repository, "a")
    assert list(in_a) == ["dashboard:new-0"]
    assert in_a["dashboard:new-0"].origin_id == "dash-1"
    assert len(_in_space(repository, SOURCE)) == 3


def test_copy_with_references_to_several_spaces(
    repository: SavedObjectsRepository,
) -> None:
    _seed(repository)
    result = _copier(repository).copy_to_spaces(
        DASH, ["a", "b"], namespace=SOURCE, include_references=True, create_new_copies=False
    )
    assert list(result) == ["a", "b"]
    for space in ("a", "b"):
        assert result[space]["success"] is True
        assert result[space]["successCount"] == 3
        assert "errors" not in result[space]
        copies = _in_space(repository, space)
        assert sorted(o.origin_id or "" for o in copies.values()) == ["dash-1", "ip-1", "vis-1"]
        by_origin = {o.origin_id: o for o in copies.values()}
        # the copies reference each other, not the source space's objects
        assert by_origin["dash-1"].references[0]["id"] == by_origin["vis-1"].id
        assert by_origin["vis-1"].references[0]["id"] == by_origin["ip-1"].id


def test_conflicts_are_reported_per_space_and_overwrite_replaces(
    repository: SavedObjectsRepository,
) -> None:
    _seed(repository)
    copier = _copier(repository)
    copier.copy_to_spaces(DASH, ["a"], namespace=SOURCE, create_new_copies=False)

    result = copier.copy_to_spaces(DASH, ["a", "c"], namespace=SOURCE, create_new_copies=False)
    assert result["a"] == {
        "success": False,
        "successCount": 0,
        "errors": [
            {
                "type": "dashboard",
                "id": "dash-1",
                "meta": {"title": "Dash", "icon": "dashboardApp"},
                "error": {"type": "conflict", "destinationId": "new-0"},
                "managed": False,
            }
        ],
    }
    assert result["c"]["success"] is True
    assert result["c"]["successCount"] == 1

    repository.update("dashboard", "dash-1", {"title": "Dash v2"}, namespace=SOURCE)
    overwritten = copier.copy_to_spaces(
        DASH, ["a"], namespace=SOURCE, overwrite=True, create_new_copies=False
    )
    assert overwritten["a"]["success"] is True
    [entry] = overwritten["a"]["successResults"]
    assert entry["destinationId"] == "new-0"
    assert entry["overwrite"] is True
    copy = repository.get("dashboard", "new-0", namespace="a")
    assert copy.attributes["title"] == "Dash v2"


def test_single_namespace_objects_keep_their_id_and_conflict_on_the_same_id(
    repository: SavedObjectsRepository,
) -> None:
    repository.create("isolatedtype", {"title": "I"}, id="iso", namespace=SOURCE)
    copier = _copier(repository)
    objects = [{"type": "isolatedtype", "id": "iso"}]
    first = copier.copy_to_spaces(objects, ["a"], namespace=SOURCE, create_new_copies=False)
    assert first["a"]["successResults"][0].get("destinationId") is None
    assert (repository.get("isolatedtype", "iso", namespace="a")).id == "iso"
    again = copier.copy_to_spaces(objects, ["a"], namespace=SOURCE, create_new_copies=False)
    assert again["a"]["errors"][0]["error"] == {"type": "conflict"}


def test_create_new_copies_gives_new_ids_and_no_origin(
    repository: SavedObjectsRepository,
) -> None:
    _seed(repository)
    copier = _copier(repository)
    for _ in range(2):  # new copies never conflict, not even with earlier ones
        result = copier.copy_to_spaces(DASH, ["a"], namespace=SOURCE, include_references=True)
        assert result["a"]["success"] is True
        assert result["a"]["successCount"] == 3
    copies = _in_space(repository, "a")
    assert len(copies) == 6
    assert all(o.origin_id is None for o in copies.values())
    assert not {"ip-1", "vis-1", "dash-1"} & {o.id for o in copies.values()}
    dashboards = [o for o in copies.values() if o.type == "dashboard"]
    visualizations = {o.id for o in copies.values() if o.type == "visualization"}
    assert {d.references[0]["id"] for d in dashboards} == visualizations


def test_missing_references_are_reported_per_space(
    repository: SavedObjectsRepository,
) -> None:
    _seed(repository)
    copier = _copier(repository)
    ip = [{"type": "index-pattern", "id": "ip-1"}]
    copier.copy_to_spaces(ip, ["b"], namespace=SOURCE, create_new_copies=False)

    vis = [{"type": "visualization", "id": "vis-1"}]
    result = copier.copy_to_spaces(vis, ["a", "b"], namespace=SOURCE, create_new_copies=False)
    assert result["a"]["success"] is False
    assert result["a"]["errors"][0]["error"] == {
        "type": "missing_references",
        "references": [{"type": "index-pattern", "id": "ip-1"}],
    }
    # in b the copy of ip-1 (origin ip-1) stands in for it
    assert result["b"]["success"] is True
    assert "visualization:vis-1" not in _in_space(repository, "a")
    copies = _in_space(repository, "b")
    [vis_copy] = [o for o in copies.values() if o.type == "visualization"]
    assert vis_copy.references[0]["id"] == "new-0"


def test_one_failing_space_does_not_stop_the_others(
    repository: SavedObjectsRepository,
) -> None:
    # s2 is already in b, so b receives one object and a two: over the limit of one
    repository.create("sharedtype", {"title": "S2"}, id="s2", initial_namespaces=[SOURCE, "b"])
    repository.create(
        "sharedtype",
        {"title": "S1"},
        id="s1",
        namespace=SOURCE,
        references=[{"type": "sharedtype", "id": "s2", "name": "s2"}],
    )
    copier = _copier(repository, import_export_size_limit=1)
    result = copier.copy_to_spaces(
        [{"type": "sharedtype", "id": "s1"}],
        ["a", "b"],
        namespace=SOURCE,
        include_references=True,
        create_new_copies=False,
    )
    assert result["a"] == {
        "success": False,
        "successCount": 0,
        "errors": [
            {
                "statusCode": 413,
                "error": "Request Entity Too Large",
                "message": "Can't import more than 1 objects",
            }
        ],
    }
    assert result["b"]["success"] is True
    assert result["b"]["successCount"] == 1
    assert _in_space(repository, "a") == {}
    assert sorted(_in_space(repository, "b")) == ["sharedtype:new-0", "sharedtype:s2"]


def test_objects_already_in_the_space_or_in_every_space_are_left_out(
    repository: SavedObjectsRepository,
) -> None:
    _seed(repository)
    repository.create("sharedtype", {"title": "All"}, id="all", initial_namespaces=["*"])
    copier = _copier(repository)
    objects = [*DASH, {"type": "sharedtype", "id": "all"}]
    result = copier.copy_to_spaces(
        objects, [SOURCE, "a"], namespace=SOURCE, create_new_copies=False
    )
    # the source space already holds both; "a" gets the dashboard only
    assert result[SOURCE] == {"success": True, "successCount": 0}
    assert result["a"]["successCount"] == 1
    assert result["a"]["successResults"][0]["type"] == "dashboard"


def test_compatibility_mode_is_forwarded(
    repository: SavedObjectsRepository,
) -> None:
    _seed(repository)
    result = _copier(repository).copy_to_spaces(
        DASH, ["a"], namespace=SOURCE, create_new_copies=False, compatibility_mode=True
    )
    assert result["a"]["success"] is True
    alias = repository.get("legacy-url-alias", "a:dashboard:dash-1")
    assert alias.attributes["targetId"] == "new-0"
    assert alias.attributes["targetNamespace"] == "a"


def test_missing_source_object_is_a_404_and_writes_nothing(
    repository: SavedObjectsRepository,
) -> None:
    _seed(repository)
    objects = [*DASH, {"type": "dashboard", "id": "nope"}]
    with pytest.raises(CopySourceNotFoundError) as caught:
        _copier(repository).copy_to_spaces(objects, ["a"], namespace=SOURCE)
    assert isinstance(caught.value, NotFoundError)
    assert caught.value.payload() == {
        "statusCode": 404,
        "error": "Not Found",
        "message": "Saved objects not found",
        "attributes": {"objects": [{"id": "nope", "type": "dashboard"}]},
    }
    assert _in_space(repository, "a") == {}


def test_other_export_refusals_are_kept(
    repository: SavedObjectsRepository,
) -> None:
    with pytest.raises(SavedObjectsExportError, match="non-exportable"):
        _copier(repository).copy_to_spaces(
            [{"type": "not-importable", "id": "x"}], ["a"], namespace=SOURCE
        )


def test_a_malformed_request_is_refused_before_anything_is_read(
    repository: SavedObjectsRepository,
) -> None:
    _seed(repository)
    with pytest.raises(CopyRequestError, match=r"cannot use \[overwrite\] with"):
        _copier(repository).copy_to_spaces(DASH, ["a"], namespace=SOURCE, overwrite=True)
    assert _in_space(repository, "a") == {}


def test_resolve_with_retries_per_space(
    repository: SavedObjectsRepository,
) -> None:
    _seed(repository)
    copier = _copier(repository)
    copier.copy_to_spaces(DASH, ["a"], namespace=SOURCE, create_new_copies=False)
    repository.update("dashboard", "dash-1", {"title": "Dash v2"}, namespace=SOURCE)

    result = copier.resolve_copy_to_spaces_errors(
        DASH,
        {
            "a": [
                {"type": "dashboard", "id": "dash-1", "overwrite": True, "destinationId": "new-0"}
            ],
            "c": [
                {
                    "type": "dashboard",
                    "id": "dash-1",
                    "destinationId": "chosen",
                    "createNewCopy": True,
                }
            ],
            "d": [],
        },
        namespace=SOURCE,
        create_new_copies=False,
    )
    assert list(result) == ["a", "c", "d"]
    assert result["a"]["success"] is True
    [overwritten] = result["a"]["successResults"]
    assert overwritten["destinationId"] == "new-0"
    assert overwritten["overwrite"] is True
    assert (repository.get("dashboard", "new-0", namespace="a")).attributes == {"title": "Dash v2"}
    [created] = result["c"]["successResults"]
    assert created["destinationId"] == "chosen"
    assert created["createNewCopy"] is True
    chosen = repository.get("dashboard", "chosen", namespace="c")
    assert chosen.origin_id is None
    # no retries: nothing is written there
    assert result["d"] == {"success": True, "successCount": 0}
    assert _in_space(repository, "d") == {}


def test_resolve_with_references_and_a_failing_space(
    repository: SavedObjectsRepository,
) -> None:
    _seed(repository)
    copier = _copier(repository)
    result = copier.resolve_copy_to_spaces_errors(
        DASH,
        {
            "a": [{"type": "dashboard", "id": "dash-1", "overwrite": "yes"}],
            "b": [
                {"type": "dashboard", "id": "dash-1"},
                {"type": "visualization", "id": "vis-1", "ignoreMissingReferences": True},
            ],
        },
        namespace=SOURCE,
        include_references=True,
        create_new_copies=False,
    )
    assert result["a"]["success"] is False
    assert result["a"]["successCount"] == 0
    [error] = result["a"]["errors"]
    assert error["statusCode"] == 400
    assert _in_space(repository, "a") == {}
    # only the retried objects are written; the missing index pattern is ignored
    assert result["b"]["success"] is True
    assert result["b"]["successCount"] == 2
    copies = _in_space(repository, "b")
    assert sorted(o.origin_id or "" for o in copies.values()) == ["dash-1", "vis-1"]


def test_resolve_missing_source_object_is_a_404(
    repository: SavedObjectsRepository,
) -> None:
    with pytest.raises(CopySourceNotFoundError):
        _copier(repository).resolve_copy_to_spaces_errors(
            DASH, {"a": [{"type": "dashboard", "id": "dash-1"}]}, namespace=SOURCE
        )


def test_a_scoped_repository_cannot_copy_to_other_spaces(
    repository: SavedObjectsRepository,
) -> None:
    _seed(repository)
    scoped = repository.as_scoped_to_namespace(SOURCE)
    copier = _copier(scoped)
    with pytest.raises(BadRequestError) as caught:
        copier.copy_to_spaces(DASH, ["a"], create_new_copies=False)
    assert caught.value.status_code == 400
    assert "spaces cannot reach 'a'" in caught.value.message
    with pytest.raises(BadRequestError, match="retries cannot reach 'a'"):
        copier.resolve_copy_to_spaces_errors(
            DASH, {"a": [{"type": "dashboard", "id": "dash-1"}]}, create_new_copies=False
        )
    # nor read from another space through the source option
    with pytest.raises(BadRequestError, match=r"options\.namespace cannot reach 'b'"):
        copier.copy_to_spaces(DASH, [SOURCE], namespace="b", create_new_copies=False)
    assert _in_space(repository, "a") == {}
    # its own space stays reachable: a new copy beside the original
    own = copier.copy_to_spaces(DASH, [SOURCE])
    assert own[SOURCE]["successCount"] == 1
