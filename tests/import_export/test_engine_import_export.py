"""Export, import and resolve-import-errors on the real engine: spec 07's worked
examples (E1-E6, I1-I11, R1-R7) and every error kind."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import RequestEntityTooLargeError
from kbn_saved_objects.import_export import (
    ImportSizeExceededError,
    InvalidNdjsonError,
    SavedObjectsExporter,
    SavedObjectsExportError,
    SavedObjectsImporter,
    SavedObjectsImportError,
    dumps_line,
)
from kbn_saved_objects.import_export.export import validate_export_request
from kbn_saved_objects.repository import (
    DocumentMigration,
    RepositoryConfig,
    SavedObjectsRepository,
)
from tests.import_export.conftest import (
    HIDDEN_TYPE,
    HOOKED,
    MIGRATED,
    NOT_IMPORTABLE,
    HookLog,
    count_docs,
    sequence_ids,
)

pytestmark = pytest.mark.engine

IP: dict[str, Any] = {
    "type": "index-pattern",
    "id": "ip-1",
    "attributes": {"title": "logs-*"},
    "references": [],
}
VIS: dict[str, Any] = {
    "type": "visualization",
    "id": "vis-1",
    "attributes": {"title": "Vis 1"},
    "references": [
        {
            "name": "kibanaSavedObjectMeta.searchSourceJSON.index",
            "type": "index-pattern",
            "id": "ip-1",
        }
    ],
}
DASH: dict[str, Any] = {
    "type": "dashboard",
    "id": "dash-1",
    "attributes": {"title": "Dash"},
    "references": [{"name": "panel_0", "type": "visualization", "id": "vis-1"}],
}


def lines(*objects: dict[str, Any]) -> list[str]:
    return [json.dumps(o) + "\n" for o in objects]


IMPORT_BATCH = {"size": 1000}


@pytest.fixture(autouse=True, params=[1000, 1], ids=["batch1000", "batch1"])
def import_batch(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every import scenario twice: in one batch, and one object per batch, where each
    rule that spans the file (references to later objects, origin groups, the
    all-or-nothing decision, resolve's file order) crosses batches."""
    IMPORT_BATCH["size"] = request.param
    yield
    IMPORT_BATCH["size"] = 1000


def importer(repo: SavedObjectsRepository, **kwargs: Any) -> SavedObjectsImporter:
    kwargs.setdefault("batch_size", IMPORT_BATCH["size"])
    return SavedObjectsImporter(repo, id_generator=sequence_ids(), **kwargs)


def export_objects(
    repo: SavedObjectsRepository, objects: list[dict[str, str]], **kw: Any
) -> list[dict[str, Any]]:
    text = "\n".join(SavedObjectsExporter(repo).export_by_objects(objects, **kw))
    return [json.loads(line) for line in text.split("\n")]


def seed(
    repo: SavedObjectsRepository, *objects: dict[str, Any], namespace: str | None = None
) -> None:
    result = SavedObjectsImporter(repo).import_(lines(*objects), namespace=namespace)
    assert result["success"], result


@pytest.fixture
def index(so_config: RepositoryConfig) -> str:
    return f"{so_config.default_index}*"


# --- export -------------------------------------------------------------------------------


def test_e1_by_objects_deep_is_dependency_ordered(repository: SavedObjectsRepository) -> None:
    seed(repository, IP, VIS, DASH)
    exported = list(
        SavedObjectsExporter(repository).export_by_objects(
            [{"type": "dashboard", "id": "dash-1"}], include_references_deep=True
        )
    )
    docs = [json.loads(line) for line in exported]
    assert [d.get("id") for d in docs[:3]] == ["ip-1", "vis-1", "dash-1"]
    assert docs[3] == {
        "excludedObjects": [],
        "excludedObjectsCount": 0,
        "exportedCount": 3,
        "missingRefCount": 0,
        "missingReferences": [],
    }
    for line in exported:  # Kibana's format: sorted keys, compact
        assert line == dumps_line(json.loads(line))
        assert "\n" not in line
    assert "namespaces" not in docs[0]
    assert docs[0]["managed"] is False
    assert {"version", "updated_at", "coreMigrationVersion"} <= docs[0].keys(), docs[0]


def test_e2_e3_missing_references_only_when_deep(repository: SavedObjectsRepository) -> None:
    seed(repository, IP, DASH)  # vis-1 never existed
    shallow = export_objects(repository, [{"type": "dashboard", "id": "dash-1"}])
    assert [d.get("id") for d in shallow[:-1]] == ["dash-1"]
    assert shallow[-1]["missingRefCount"] == 0
    deep = export_objects(
        repository, [{"type": "dashboard", "id": "dash-1"}], include_references_deep=True
    )
    assert deep[-1]["exportedCount"] == 1
    assert deep[-1]["missingReferences"] == [{"id": "vis-1", "type": "visualization"}]


def test_e4_by_types_sorted_by_id_then_dependencies(repository: SavedObjectsRepository) -> None:
    seed(repository, IP, VIS, DASH)
    out = list(SavedObjectsExporter(repository).export_by_types(["index-pattern", "dashboard"]))
    assert [json.loads(line).get("id") for line in out[:-1]] == ["dash-1", "ip-1"]
    every = list(
        SavedObjectsExporter(repository).export_by_types(["*"], exclude_export_details=True)
    )
    assert [json.loads(line)["id"] for line in every] == ["ip-1", "vis-1", "dash-1"]


def test_e5_by_objects_missing_object_fails_whole_export(
    repository: SavedObjectsRepository,
) -> None:
    with pytest.raises(SavedObjectsExportError) as caught:
        list(
            SavedObjectsExporter(repository).export_by_objects(
                [{"type": "dashboard", "id": "nope"}]
            )
        )
    assert caught.value.type == "object-fetch-error"
    assert caught.value.message == "Error fetching objects to export"
    (failed,) = caught.value.attributes["objects"]
    assert failed["id"] == "nope"
    assert failed["error"]["statusCode"] == 404
    assert caught.value.payload()["statusCode"] == 400


def test_export_size_limit_counts_root_objects(repository: SavedObjectsRepository) -> None:
    seed(repository, IP, VIS, DASH)
    exporter = SavedObjectsExporter(repository, export_size_limit=2, page_size=1)
    with pytest.raises(SavedObjectsExportError) as caught:
        list(exporter.export_by_types(["*"]))
    assert caught.value.type == "export-size-exceeded"
    assert "maxImportExportSize" in caught.value.message
    # exactly the limit is allowed; deep references do not count
    out = list(
        SavedObjectsExporter(repository, export_size_limit=1).export_by_objects(
            [{"type": "dashboard", "id": "dash-1"}], include_references_deep=True
        )
    )
    assert json.loads(out[-1])["exportedCount"] == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "Either `type` or `objects` are required."),
        (
            {"types": ["dashboard"], "objects": [{"type": "dashboard", "id": "a"}]},
            "Can't specify both",
        ),
        (
            {"objects": [{"type": NOT_IMPORTABLE, "id": "a"}]},
            f"non-exportable types: {NOT_IMPORTABLE}:a",
        ),
        ({"types": [NOT_IMPORTABLE, "nope"]}, f"non-exportable type(s): {NOT_IMPORTABLE}, nope"),
    ],
)
def test_export_request_validation(
    repository: SavedObjectsRepository, kwargs: dict[str, Any], message: str
) -> None:
    exporter = SavedObjectsExporter(repository)

    def run() -> None:
        if "objects" in kwargs and "types" not in kwargs:
            list(exporter.export_by_objects(kwargs["objects"]))
        else:
            validate_export_request(
                repository.context.registry,
                types=kwargs.get("types"),
                objects=kwargs.get("objects"),
                search=None,
                has_reference=None,
                limit=10,
            )

    with pytest.raises(SavedObjectsExportError, match=re.escape(message)):
        run()


def test_export_search_and_has_reference(repository: SavedObjectsRepository) -> None:
    seed(
        repository,
        IP,
        VIS,
        DASH,
        {**VIS, "id": "vis-2", "attributes": {"title": "Other"}, "references": []},
    )
    exporter = SavedObjectsExporter(repository)
    by_ref = list(
        exporter.export_by_types(
            ["visualization"],
            has_reference={"type": "index-pattern", "id": "ip-1"},
            exclude_export_details=True,
        )
    )
    assert [json.loads(line)["id"] for line in by_ref] == ["vis-1"]
    by_search = list(
        exporter.export_by_types(["visualization"], search="Other", exclude_export_details=True)
    )
    assert [json.loads(line)["id"] for line in by_search] == ["vis-2"]


def test_e6_is_exportable_and_on_export_hooks(
    repository: SavedObjectsRepository, hook_log: HookLog
) -> None:
    seed(
        repository,
        {"type": HOOKED, "id": "a1", "attributes": {"title": "secret"}},
        {"type": HOOKED, "id": "a2", "attributes": {"title": "boom"}},
        {"type": HOOKED, "id": "a3", "attributes": {"title": "fine"}},
    )
    out = [json.loads(line) for line in SavedObjectsExporter(repository).export_by_types([HOOKED])]
    assert [(d["id"], d["attributes"]) for d in out[:-1]] == [
        ("a3", {"title": "fine", "exported": True})
    ]
    assert out[-1]["excludedObjects"] == [
        {"id": "a1", "reason": "excluded", "type": HOOKED},
        {"id": "a2", "reason": "predicate_error", "type": HOOKED},
    ]
    assert out[-1]["excludedObjectsCount"] == 2

    hook_log["export_mode"] = ["raise"]
    with pytest.raises(SavedObjectsExportError) as caught:
        list(SavedObjectsExporter(repository).export_by_types([HOOKED]))
    assert caught.value.type == "object-transform-error"
    assert caught.value.attributes["cause"] == "transform failed"


def test_on_export_dropping_objects_is_invalid(
    repository: SavedObjectsRepository, hook_log: HookLog
) -> None:
    seed(
        repository,
        {"type": HOOKED, "id": "b1", "attributes": {"title": "x"}},
        {"type": HOOKED, "id": "b2", "attributes": {"title": "y"}},
    )
    hook_log["export_mode"] = ["drop"]
    with pytest.raises(SavedObjectsExportError) as caught:
        list(SavedObjectsExporter(repository).export_by_types([HOOKED]))
    assert caught.value.type == "invalid-transform-error"
    assert caught.value.attributes == {"objectKeys": [f"{HOOKED}|b1"]}


def test_include_namespaces(repository: SavedObjectsRepository) -> None:
    seed(repository, IP)
    (doc, _) = export_objects(
        repository, [{"type": "index-pattern", "id": "ip-1"}], include_namespaces=True
    )
    assert doc["namespaces"] == ["default"]


@pytest.mark.parametrize("include_namespaces", [False, True])
def test_by_types_writes_the_lines_by_objects_writes(
    repository: SavedObjectsRepository, include_namespaces: bool
) -> None:
    # by-types writes straight from the point-in-time's documents; by-objects from the
    # saved objects bulk_get builds: one object, one line, whichever way it was read
    odd = {
        "type": "config",
        "id": "cfg",
        "attributes": {"title": "é😀\u2028", "n": None, "f": [1e-05, 2.5, 1e16], "big": 2**63},
    }
    shared = {"type": "sharedtype", "id": "sh", "originId": "o", "attributes": {"title": "S"}}
    hidden = {"type": HIDDEN_TYPE, "id": "hid", "attributes": {"title": "H"}}
    migrated = {"type": MIGRATED, "id": "mig", "attributes": {"title": "M"}}
    seed(repository, IP, VIS, DASH, odd, shared, hidden, migrated)
    exporter = SavedObjectsExporter(repository, page_size=3)
    options: dict[str, Any] = {
        "exclude_export_details": True,
        "include_namespaces": include_namespaces,
    }
    by_types = list(exporter.export_by_types(["*"], **options))
    keys = [
        {"type": o["type"], "id": o["id"]} for o in (IP, VIS, DASH, odd, shared, hidden, migrated)
    ]
    by_objects = list(exporter.export_by_objects(keys, **options))
    assert len(by_types) == 7
    assert sorted(by_types) == sorted(by_objects)
    assert all(line == dumps_line(json.loads(line)) for line in by_types)


# --- import -------------------------------------------------------------------------------


def test_i1_i2_i3_import_conflict_overwrite(
    repository: SavedObjectsRepository, index: str, kbn_engine: Engine
) -> None:
    imp = importer(repository)
    first = imp.import_(lines(IP, VIS, DASH))
    assert first == {
        "successCount": 3,
        "success": True,
        "warnings": [],
        "successResults": [
            {
                "type": "index-pattern",
                "id": "ip-1",
                "meta": {"title": "logs-*", "icon": "indexPatternApp"},
                "managed": False,
            },
            {
                "type": "visualization",
                "id": "vis-1",
                "meta": {"title": "Vis 1", "icon": "visualizeApp"},
                "managed": False,
            },
            {
                "type": "dashboard",
                "id": "dash-1",
                "meta": {"title": "Dash", "icon": "dashboardApp"},
                "managed": False,
            },
        ],
    }
    again = imp.import_(lines({**IP, "attributes": {"title": "changed"}}, VIS, DASH))
    assert again["success"] is False
    assert again["successCount"] == 0
    assert [e["error"] for e in again["errors"]] == [{"type": "conflict"}] * 3
    assert repository.get("index-pattern", "ip-1").attributes["title"] == "logs-*"
    over = imp.import_(lines({**IP, "attributes": {"title": "changed"}}, VIS, DASH), overwrite=True)
    assert over["success"]
    assert all(r["overwrite"] is True for r in over["successResults"])
    assert repository.get("index-pattern", "ip-1").attributes["title"] == "changed"
    assert count_docs(kbn_engine, index) == 3


def test_i4_create_new_copies_rewrites_references(repository: SavedObjectsRepository) -> None:
    seed(repository, IP, VIS, DASH)
    result = importer(repository).import_(lines(IP, VIS, DASH), create_new_copies=True)
    assert result["success"]
    ids = {r["id"]: r["destinationId"] for r in result["successResults"]}
    assert ids == {"ip-1": "new-0", "vis-1": "new-1", "dash-1": "new-2"}
    assert all("createNewCopy" not in r for r in result["successResults"])
    vis = repository.get("visualization", "new-1")
    assert vis.references[0]["id"] == "new-0"
    assert vis.origin_id is None


def test_i5_missing_references_write_nothing(
    repository: SavedObjectsRepository, index: str, kbn_engine: Engine
) -> None:
    seed(repository, IP)
    vis2 = {
        **VIS,
        "id": "vis-2",
        "attributes": {"title": "Vis 2"},
        "references": [{**VIS["references"][0], "id": "ip-missing"}],
    }
    dash2 = {
        **DASH,
        "id": "dash-2",
        "attributes": {"title": "Dash 2"},
        "references": [{"name": "panel_0", "type": "visualization", "id": "vis-2"}],
    }
    result = importer(repository).import_(lines(vis2, dash2))
    assert result == {
        "successCount": 1,
        "success": False,
        "warnings": [],
        "successResults": [
            {
                "type": "dashboard",
                "id": "dash-2",
                "meta": {"title": "Dash 2", "icon": "dashboardApp"},
                "managed": False,
            }
        ],
        "errors": [
            {
                "id": "vis-2",
                "type": "visualization",
                "meta": {"title": "Vis 2", "icon": "visualizeApp"},
                "error": {
                    "type": "missing_references",
                    "references": [{"type": "index-pattern", "id": "ip-missing"}],
                },
                "managed": False,
            }
        ],
    }
    assert count_docs(kbn_engine, index) == 1

    # R1: replace the reference
    retried = importer(repository).resolve_import_errors(
        lines(vis2, dash2),
        [
            {
                "type": "visualization",
                "id": "vis-2",
                "overwrite": False,
                "replaceReferences": [
                    {"type": "index-pattern", "from": "ip-missing", "to": "ip-1"}
                ],
            },
            {"type": "dashboard", "id": "dash-2", "overwrite": False, "replaceReferences": []},
        ],
    )
    assert retried["success"]
    assert retried["successCount"] == 2
    assert repository.get("visualization", "vis-2").references[0]["id"] == "ip-1"


def test_r2_ignore_missing_references_and_r3_selective_overwrite(
    repository: SavedObjectsRepository,
) -> None:
    vis2 = {**VIS, "id": "vis-2", "references": [{**VIS["references"][0], "id": "ip-missing"}]}
    result = importer(repository).resolve_import_errors(
        lines(vis2, DASH),
        [{"type": "visualization", "id": "vis-2", "ignoreMissingReferences": True}],
    )
    assert result["successCount"] == 1
    assert result["success"]
    assert repository.get("visualization", "vis-2").references[0]["id"] == "ip-missing"
    seed(repository, DASH)
    r3 = importer(repository).resolve_import_errors(
        lines(vis2, {**DASH, "attributes": {"title": "New"}}),
        [{"type": "dashboard", "id": "dash-1", "overwrite": True, "replaceReferences": []}],
    )
    assert r3["successResults"] == [
        {
            "type": "dashboard",
            "id": "dash-1",
            "meta": {"title": "New", "icon": "dashboardApp"},
            "managed": False,
            "overwrite": True,
        }
    ]
    assert repository.get("dashboard", "dash-1").attributes["title"] == "New"


def test_references_across_batches_and_one_lookup_per_reference(
    repository: SavedObjectsRepository, index: str, kbn_engine: Engine
) -> None:
    """A reference to an object later in the file is no missing reference, whatever the
    batch; a missing one is reported on every object that has it, though looked up once."""
    seed(repository, IP)
    pattern_later = {**IP, "id": "ip-later", "attributes": {"title": "later-*"}}
    uses_later = {**VIS, "id": "vis-a", "references": [{**VIS["references"][0], "id": "ip-later"}]}
    missing = [{**VIS["references"][0], "id": "ip-gone"}]
    first_gone = {**VIS, "id": "vis-b", "references": missing}
    second_gone = {**VIS, "id": "vis-c", "references": missing}
    lookups: list[int] = []
    original = repository.bulk_get

    def counting_bulk_get(objects: Any, **kwargs: Any) -> Any:
        lookups.append(len(objects))
        return original(objects, **kwargs)

    repository.bulk_get = counting_bulk_get  # type: ignore[method-assign]
    result = importer(repository, batch_size=1).import_(
        lines(uses_later, first_gone, second_gone, pattern_later)
    )
    assert [e["id"] for e in result["errors"]] == ["vis-b", "vis-c"]
    assert {e["error"]["type"] for e in result["errors"]} == {"missing_references"}
    assert sum(lookups) == 1  # ip-gone, once: ip-later is in the file
    assert [r["id"] for r in result["successResults"]] == ["vis-a", "ip-later"]
    assert count_docs(kbn_engine, index) == 1  # resolvable errors: nothing written


def test_i6_exact_id_in_other_space_gets_new_id_and_alias(
    repository: SavedObjectsRepository,
) -> None:
    seed(repository, DASH)
    result = importer(repository).import_(
        lines(DASH), namespace="marketing", compatibility_mode=True
    )
    (entry,) = result["successResults"]
    assert entry["destinationId"] == "new-0"
    assert "createNewCopy" not in entry
    copy = repository.get("dashboard", "new-0", namespace="marketing")
    assert copy.origin_id == "dash-1"
    alias = repository.get("legacy-url-alias", "marketing:dashboard:dash-1")
    assert alias.attributes["targetId"] == "new-0"
    assert alias.attributes["purpose"] == "savedObjectImport"


def test_i7_inexact_match_conflict_then_overwrite(repository: SavedObjectsRepository) -> None:
    seed(repository, {**DASH, "id": "m-1", "originId": "dash-1"}, namespace="marketing")
    result = importer(repository).import_(lines(DASH), namespace="marketing")
    assert result["errors"][0]["error"] == {"type": "conflict", "destinationId": "m-1"}
    over = importer(repository).import_(
        lines({**DASH, "attributes": {"title": "X"}}), namespace="marketing", overwrite=True
    )
    assert over["successResults"][0]["overwrite"] is True
    assert over["successResults"][0]["destinationId"] == "m-1"
    assert repository.get("dashboard", "m-1", namespace="marketing").attributes["title"] == "X"


def test_i8_ambiguous_conflict_and_r4_r5(repository: SavedObjectsRepository) -> None:
    seed(
        repository,
        {**DASH, "id": "m-1", "originId": "dash-1"},
        {**DASH, "id": "m-2", "originId": "dash-1"},
        namespace="marketing",
    )
    result = importer(repository).import_(lines(DASH), namespace="marketing")
    (error,) = result["errors"]
    assert error["error"]["type"] == "ambiguous_conflict"
    assert sorted(d["id"] for d in error["error"]["destinations"]) == ["m-1", "m-2"]
    assert all({"id", "title", "updatedAt"} <= d.keys() for d in error["error"]["destinations"])
    r4 = importer(repository).resolve_import_errors(
        lines({**DASH, "attributes": {"title": "R4"}}),
        [
            {
                "type": "dashboard",
                "id": "dash-1",
                "overwrite": True,
                "destinationId": "m-1",
                "replaceReferences": [],
            }
        ],
        namespace="marketing",
    )
    assert r4["successResults"][0]["destinationId"] == "m-1"
    assert r4["successResults"][0]["overwrite"]
    assert repository.get("dashboard", "m-1", namespace="marketing").origin_id == "dash-1"
    r5 = importer(repository).resolve_import_errors(
        lines(DASH),
        [{"type": "dashboard", "id": "dash-1", "destinationId": "fresh", "createNewCopy": True}],
        namespace="marketing",
    )
    assert r5["successResults"][0]["destinationId"] == "fresh"
    assert r5["successResults"][0]["createNewCopy"] is True
    assert repository.get("dashboard", "fresh", namespace="marketing").origin_id is None


def test_i9_ambiguous_source_creates_new_copies(repository: SavedObjectsRepository) -> None:
    seed(repository, {**DASH, "id": "c", "originId": "o"}, namespace="marketing")
    result = importer(repository).import_(
        lines({**DASH, "id": "a", "originId": "o"}, {**DASH, "id": "b", "originId": "o"}),
        namespace="marketing",
    )
    assert result["success"]
    assert [(r["id"], r.get("createNewCopy")) for r in result["successResults"]] == [
        ("a", True),
        ("b", True),
    ]


def test_i10_unsupported_type_does_not_block_others(repository: SavedObjectsRepository) -> None:
    result = importer(repository).import_(
        lines(IP, VIS, DASH, {"type": NOT_IMPORTABLE, "id": "x", "attributes": {"title": "X"}})
    )
    assert result["success"] is False
    assert result["successCount"] == 3
    assert result["errors"] == [
        {
            "id": "x",
            "type": NOT_IMPORTABLE,
            "meta": {"title": "X"},
            "error": {"type": "unsupported_type"},
        }
    ]


def test_i11_request_level_failures_write_nothing(
    repository: SavedObjectsRepository, index: str, kbn_engine: Engine
) -> None:
    imp = importer(repository, import_size_limit=2)
    with pytest.raises(
        SavedObjectsImportError, match=r"Non-unique import objects detected: \[dashboard:dash-1\]"
    ):
        imp.import_(lines(DASH, DASH))
    with pytest.raises(
        ImportSizeExceededError, match="Can't import more than 2 objects"
    ) as too_big:
        imp.import_(lines(IP, VIS, DASH))
    assert isinstance(too_big.value, RequestEntityTooLargeError)
    assert too_big.value.payload()["statusCode"] == 413
    with pytest.raises(
        SavedObjectsImportError, match=r"cannot use \[overwrite\] with \[createNewCopies\]"
    ):
        imp.import_(lines(IP), overwrite=True, create_new_copies=True)
    with pytest.raises(
        SavedObjectsImportError, match=r"cannot use \[createNewCopies\] with \[compatibilityMode\]"
    ):
        imp.import_(lines(IP), create_new_copies=True, compatibility_mode=True)
    with pytest.raises(InvalidNdjsonError, match="line 2") as bad:
        imp.import_([json.dumps(IP) + "\n", "{not json\n"])
    assert bad.value.line_number == 2
    assert count_docs(kbn_engine, index) == 0


def test_r7_invalid_retries(repository: SavedObjectsRepository) -> None:
    imp = importer(repository)
    with pytest.raises(
        SavedObjectsImportError, match=r"Non-unique retry objects: \[dashboard:dash-1\]"
    ):
        imp.resolve_import_errors(lines(DASH), [{"type": "dashboard", "id": "dash-1"}] * 2)
    with pytest.raises(
        SavedObjectsImportError, match=r"Non-unique retry destinations: \[dashboard:m-1\]"
    ):
        imp.resolve_import_errors(
            lines(DASH),
            [
                {"type": "dashboard", "id": "a", "destinationId": "m-1"},
                {"type": "dashboard", "id": "b", "destinationId": "m-1"},
            ],
        )


def test_reference_origin_resolution(repository: SavedObjectsRepository) -> None:
    seed(repository, {**IP, "id": "ip-7", "originId": "ip-1"})
    result = importer(repository).import_(lines(VIS))
    assert result["success"]
    assert repository.get("visualization", "vis-1").references[0]["id"] == "ip-7"


def test_on_import_hooks_and_managed(repository: SavedObjectsRepository, hook_log: HookLog) -> None:
    result = importer(repository).import_(
        lines({"type": HOOKED, "id": "h1", "attributes": {"title": "t"}}), managed=True
    )
    assert result["warnings"] == [{"type": "simple", "message": "1 hooked imported"}]
    assert result["successResults"][0]["meta"] == {"title": "Hooked t", "icon": "hookIcon"}
    assert result["successResults"][0]["managed"] is True
    assert hook_log["import"] == [["h1"]]
    assert repository.get(HOOKED, "h1").managed is True


def test_unknown_error_from_check_conflicts(repository: SavedObjectsRepository) -> None:
    # a hidden type the repository does not include: check_conflicts refuses it per object
    # (400), so it is an unknown error and never reaches bulk_create
    repo = SavedObjectsRepository(
        repository.engine, repository.context.registry, config=repository.context.config
    )
    result = importer(repo).import_(
        lines({"type": HIDDEN_TYPE, "id": "h", "attributes": {"title": "H"}})
    )
    assert result["success"] is False
    (error,) = result["errors"]
    assert error["error"]["type"] == "unknown"
    assert error["error"]["statusCode"] == 400


class CreatedInBetween:
    """The document migration of the importing repository, which lets someone else create
    ``taken`` when the import migrates it for writing: after the conflict check, before
    the bulk create (an import migrates every object in between). The race, made
    deterministic."""

    def __init__(
        self, inner: DocumentMigration, other: SavedObjectsRepository, taken: dict[str, Any]
    ) -> None:
        self.inner = inner
        self.other = other
        self.taken = taken
        self.done = False

    def for_read(self, doc: Any) -> Any:
        return self.inner.for_read(doc)

    def for_write(self, doc: Any) -> Any:
        if not self.done and (doc["type"], doc["id"]) == (self.taken["type"], self.taken["id"]):
            self.done = True
            self.other.create(self.taken["type"], self.taken["attributes"], id=self.taken["id"])
        return self.inner.for_write(doc)


@pytest.mark.parametrize(
    ("type_name", "icon"),
    [
        ("config", "settingsApp"),  # single-namespace: the engine's own create refuses it
        ("dashboard", "dashboardApp"),  # multi-namespace: bulk_create's preflight finds it
    ],
)
def test_conflict_from_bulk_create_after_a_clean_check(
    repository: SavedObjectsRepository,
    kbn_engine: Engine,
    so_config: RepositoryConfig,
    type_name: str,
    icon: str,
) -> None:
    mine = {"type": type_name, "id": "raced", "attributes": {"title": "Mine"}}
    theirs = {**mine, "attributes": {"title": "Theirs"}}
    racing = SavedObjectsRepository(
        kbn_engine,
        repository.context.registry,
        config=so_config,
        include_hidden_types={HIDDEN_TYPE},
        migration=CreatedInBetween(repository.context.migration, repository, theirs),
    )
    result = importer(racing).import_(lines(IP, mine))
    assert result == {
        "successCount": 1,
        "success": False,
        "warnings": [],
        "successResults": [
            {
                "type": "index-pattern",
                "id": "ip-1",
                "meta": {"title": "logs-*", "icon": "indexPatternApp"},
                "managed": False,
            }
        ],
        "errors": [
            {
                "id": "raced",
                "type": type_name,
                "meta": {"title": "Mine", "icon": icon},
                "error": {"type": "conflict"},
                "managed": False,
            }
        ],
    }
    # import is not transactional: the other object is written, the raced one is theirs
    assert repository.get("index-pattern", "ip-1").attributes == {"title": "logs-*"}
    assert repository.get(type_name, "raced").attributes == {"title": "Theirs"}


def test_a_check_that_cannot_read_leaves_conflicts_to_the_write(
    repository: SavedObjectsRepository, kbn_engine: Engine, index: str
) -> None:
    # The engine answers an _mget on a read-blocked index per document; the check, like
    # Kibana's, takes a document it could not read for free, and the engine's create then
    # refuses the object that exists.
    seed(repository, {"type": "config", "id": "c-1", "attributes": {"title": "Theirs"}})
    kbn_engine.perform(rq.put_settings(index, {"index.blocks.read": True}))
    try:
        result = importer(repository).import_(
            lines(
                {"type": "config", "id": "c-1", "attributes": {"title": "Mine"}},
                {"type": "config", "id": "c-2", "attributes": {"title": "New"}},
            )
        )
    finally:
        kbn_engine.perform(rq.put_settings(index, {"index.blocks.read": False}))
    assert result["successCount"] == 1
    assert [e["id"] for e in result["successResults"]] == ["c-2"]
    assert [(e["id"], e["error"]) for e in result["errors"]] == [("c-1", {"type": "conflict"})]
    assert repository.get("config", "c-1").attributes == {"title": "Theirs"}


def test_a_closed_index_fails_every_object_and_writes_nothing(
    repository: SavedObjectsRepository, kbn_engine: Engine, index: str
) -> None:
    # Neither step raises: the check cannot read the closed index (per-document _mget
    # errors, taken for free as Kibana does) and the engine refuses each write, which
    # Kibana reports as an unknown error with the engine's reason.
    (concrete,) = kbn_engine.perform(rq.get_index(index))
    kbn_engine.perform(rq.Request("POST", f"/{concrete}/_close"))
    try:
        result = importer(repository).import_(lines(IP, DASH))
    finally:
        kbn_engine.perform(rq.Request("POST", f"/{concrete}/_open"))
    assert result["success"] is False
    assert result["successCount"] == 0
    assert "successResults" not in result
    assert [(e["type"], e["id"]) for e in result["errors"]] == [
        ("index-pattern", "ip-1"),
        ("dashboard", "dash-1"),
    ]
    for entry in result["errors"]:
        assert entry["error"]["type"] == "unknown"
        assert entry["error"]["statusCode"] == 500
        assert "index_closed_exception" in entry["error"]["message"]
    assert count_docs(kbn_engine, index) == 0


def test_import_migrates_older_documents(repository: SavedObjectsRepository) -> None:
    result = importer(repository).import_(
        lines(
            {"type": MIGRATED, "id": "unversioned", "attributes": {"title": "u"}},
            {
                "type": MIGRATED,
                "id": "old",
                "attributes": {"title": "o"},
                "migrationVersion": {MIGRATED: "7.10.0"},
            },
        )
    )
    assert result["success"], result
    assert repository.get(MIGRATED, "unversioned").attributes["steps"] == ["7.10.0", "8.0.0"]
    old = repository.get(MIGRATED, "old")
    assert old.attributes["steps"] == ["8.0.0"]
    assert old.type_migration_version == "8.0.0"


def test_newer_document_refused_as_a_whole(
    repository: SavedObjectsRepository, index: str, kbn_engine: Engine
) -> None:
    newer = {
        "type": MIGRATED,
        "id": "future",
        "attributes": {"title": "f"},
        "typeMigrationVersion": "9.15.82",
    }
    with pytest.raises(SavedObjectsImportError, match="more recent version") as caught:
        importer(repository).import_(lines(IP, newer))
    assert caught.value.type == "migration-error"
    assert caught.value.attributes == {"objects": [{"type": MIGRATED, "id": "future"}]}
    assert count_docs(kbn_engine, index) == 0


@pytest.mark.parametrize(("mode", "ok"), [("dicts", True), ("garbage", False)])
def test_on_export_returning_dicts_or_garbage(
    repository: SavedObjectsRepository, hook_log: HookLog, mode: str, ok: bool
) -> None:
    seed(repository, {"type": HOOKED, "id": "c1", "attributes": {"title": "x"}})
    hook_log["export_mode"] = [mode]
    exporter = SavedObjectsExporter(repository)
    if ok:
        (line, _) = list(exporter.export_by_types([HOOKED]))
        assert json.loads(line)["attributes"] == {"as": "dict"}
    else:
        with pytest.raises(SavedObjectsExportError) as caught:
            list(exporter.export_by_types([HOOKED]))
        assert caught.value.type == "object-transform-error"
        assert "int" in caught.value.attributes["cause"]


def test_alias_failure_is_an_unknown_error(repository: SavedObjectsRepository) -> None:
    seed(repository, DASH)
    repository.create(
        "legacy-url-alias",
        {
            "sourceId": "dash-1",
            "targetNamespace": "marketing",
            "targetType": "dashboard",
            "targetId": "x",
        },
        id="marketing:dashboard:dash-1",
    )
    result = importer(repository).import_(
        lines(DASH), namespace="marketing", compatibility_mode=True
    )
    assert result["successCount"] == 1
    (error,) = result["errors"]
    assert error["type"] == "legacy-url-alias"
    assert error["meta"] == {"title": "Legacy URL alias (dash-1 -> new-0)"}
    assert error["error"]["type"] == "unknown"
    assert error["error"]["statusCode"] == 409


def test_references_fetch_error(
    kbn_engine: Engine, so_config: RepositoryConfig, registry: Any
) -> None:
    from kbn_saved_objects.types import (
        SavedObjectsType,
        SavedObjectsTypeManagement,
        SavedObjectTypeRegistry,
    )

    # a registry without "search": looking a search reference up is a 400, not a 404
    types = SavedObjectTypeRegistry()
    types.register(
        SavedObjectsType(
            name="visualization",
            namespace_type="multiple-isolated",
            mappings={"dynamic": False, "properties": {}},
            management=SavedObjectsTypeManagement(importable_and_exportable=True),
        )
    )
    repo = SavedObjectsRepository(kbn_engine, types.freeze(), config=so_config)
    repo.setup_indices()
    vis = {**VIS, "references": [{"name": "s", "type": "search", "id": "s-1"}]}
    with pytest.raises(SavedObjectsImportError) as caught:
        SavedObjectsImporter(repo).import_(lines(vis))
    assert caught.value.type == "references-fetch-error"
    (failed,) = caught.value.attributes["objects"]
    assert failed["error"]["statusCode"] == 400


def test_resolve_with_create_new_copies(repository: SavedObjectsRepository) -> None:
    seed(repository, IP, VIS)
    result = importer(repository).resolve_import_errors(
        lines(IP, VIS),
        [
            {"type": "index-pattern", "id": "ip-1", "destinationId": "ip-copy"},
            {"type": "visualization", "id": "vis-1", "destinationId": "vis-copy"},
        ],
        create_new_copies=True,
    )
    assert result["success"], result
    assert [r["destinationId"] for r in result["successResults"]] == ["ip-copy", "vis-copy"]
    assert all("createNewCopy" not in r for r in result["successResults"])
    copy = repository.get("visualization", "vis-copy")
    assert copy.origin_id is None
    assert copy.references[0]["id"] == "ip-copy"
    with pytest.raises(SavedObjectsImportError, match="compatibilityMode"):
        importer(repository).resolve_import_errors(
            lines(IP), [], create_new_copies=True, compatibility_mode=True
        )


def test_an_object_nested_as_deep_as_the_encoder_allows_gets_the_engines_answer(
    repository: SavedObjectsRepository,
) -> None:
    """The deepest attributes the engine's encoder takes reach the engine, whose refusal
    is that object's error: the importer's spools must not nest them one level deeper on
    the way (the migrated spool once stored pairs, and the import raised instead)."""
    nested: Any = []
    for _ in range(251):  # 252 levels of lists, as deep as the encoder writes
        nested = [nested]
    deep = {"type": "dashboard", "id": "deep", "attributes": {"title": "d", "x": nested}}
    result = importer(repository).import_(lines(deep, DASH))
    assert result["successCount"] == 1
    assert [r["id"] for r in result["successResults"]] == ["dash-1"]
    (error,) = result["errors"]
    assert (error["id"], error["error"]["type"]) == ("deep", "unknown")
