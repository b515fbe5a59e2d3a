"""Real documents written by older Kibana and OpenSearch Dashboards releases, migrated
with registries that model their types (shared fixtures, see shared/fixtures/README.md).

Each registry gives the archive's types the history they had in Kibana where it matters
to the data: legacy migrations keyed by the stack versions found in the files, the switch
to model versions, and the 8.0 conversion of single-namespace types to multi-namespace
ones. The migrations themselves are small stand-ins (real ones would rewrite
``visState``...) that record every call, so each test can say which ran.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kbn_saved_objects.errors import DocumentVersionError
from kbn_saved_objects.migrations.document import DocumentMigrator
from kbn_saved_objects.serialization import (
    SavedObjectDoc,
    converted_object_id,
    is_raw_saved_object,
    raw_to_doc,
)
from kbn_saved_objects.types import (
    DataBackfill,
    DataRemoval,
    ModelVersion,
    ModelVersionSchemas,
    SavedObjectsType,
    SavedObjectTypeRegistry,
    legacy_url_alias_type,
)
from tests._paths import KIBANA_FIXTURES, OSD_FIXTURES, require_fixtures
from tests.migrations.document._registry import NO_MAPPINGS
from tests.serialization.es_archive import read_docs, read_records

STACK = "8.18.0"


@pytest.fixture(autouse=True, scope="module")
def _fixtures() -> None:
    require_fixtures()


class History:
    """Builds types whose migrations record ``(type, version, id)`` on every call."""

    def __init__(self) -> None:
        self.calls: Counter[tuple[str, str, str]] = Counter()

    def legacy(
        self, type_name: str, version: str, change: Callable[[dict[str, Any]], None] | None = None
    ) -> Any:
        def migration(doc: dict[str, Any], context: object) -> dict[str, Any]:
            self.calls[(type_name, version, doc["id"])] += 1
            if change is not None:
                change(doc["attributes"])
            return doc

        return migration

    def backfill(self, type_name: str, number: int, attributes: dict[str, Any]) -> ModelVersion:
        def fill(doc: dict[str, Any], context: object) -> dict[str, Any]:
            self.calls[(type_name, f"10.{number}.0", doc["id"])] += 1
            return {"attributes": attributes}

        return ModelVersion(changes=[DataBackfill(backfill_fn=fill)])

    def type(
        self,
        name: str,
        namespace_type: str,
        legacy: dict[str, Callable[[dict[str, Any]], None] | None],
        model_versions: dict[int, ModelVersion] | None = None,
        convert: str | None = None,
    ) -> SavedObjectsType:
        return SavedObjectsType(
            name=name,
            namespace_type=namespace_type,  # type: ignore[arg-type]
            mappings=NO_MAPPINGS,
            migrations={v: self.legacy(name, v, change) for v, change in legacy.items()},
            model_versions=model_versions,
            convert_to_multi_namespace_type_version=convert,
        )

    def ran(self, doc_id: str) -> list[str]:
        return sorted((v for (_, v, i), n in self.calls.items() if i == doc_id for _ in range(n)))


def registry(*types: SavedObjectsType) -> SavedObjectTypeRegistry:
    built = SavedObjectTypeRegistry(stack_version=STACK)
    for definition in types:
        built.register(definition)
    return built.freeze()


def index_migration(
    migrator: DocumentMigrator, types: SavedObjectTypeRegistry, raws: list[dict[str, Any]]
) -> list[SavedObjectDoc]:
    """What the index migrator does to each stored document (spec 06 §9.1)."""
    migrated: list[SavedObjectDoc] = []
    for raw in raws:
        assert is_raw_saved_object(types, raw, namespace_treatment="lax"), raw["_id"]
        doc = raw_to_doc(types, raw, namespace_treatment="lax")
        if "migrationVersion" not in doc and "typeMigrationVersion" not in doc:
            doc["typeMigrationVersion"] = ""  # never migrated: run everything
        migrated.extend(migrator.migrate_and_convert(doc))
    return migrated


def import_documents(migrator: DocumentMigrator, objects: list[dict[str, Any]]) -> list[Any]:
    """What import does before create: objects without versions run every migration."""
    results = []
    for obj in objects:
        doc = copy.deepcopy(obj)
        if "migrationVersion" not in doc and "typeMigrationVersion" not in doc:
            doc["typeMigrationVersion"] = ""
        results.append(migrator.migrate(doc))
    return results


# -- cases: 7.10 export, imported -------------------------------------------------------


def cases_types(history: History) -> list[SavedObjectsType]:
    def connector(attributes: dict[str, Any]) -> None:
        connector_id = attributes.pop("connector_id", None)
        attributes["connector"] = {"id": connector_id or "none", "name": "none", "fields": None}

    def settings(attributes: dict[str, Any]) -> None:
        attributes["settings"] = {"syncAlerts": True}

    def comment_type(attributes: dict[str, Any]) -> None:
        attributes.setdefault("type", "user")

    return [
        history.type(
            "cases",
            "multiple-isolated",
            {"7.10.0": connector, "7.11.0": settings, "7.15.0": None, "8.0.0": None},
            {1: ModelVersion(), 2: history.backfill("cases", 2, {"category": None})},
            convert="8.0.0",
        ),
        history.type(
            "cases-comments",
            "multiple-isolated",
            {"7.11.0": comment_type, "7.16.0": None},
            {1: ModelVersion()},
            convert="8.0.0",
        ),
        history.type(
            "cases-user-actions",
            "multiple-isolated",
            {"7.10.0": None, "7.16.0": None},
            {1: ModelVersion()},
            convert="8.0.0",
        ),
    ]


def test_cases_7_10_export_imports_through_every_migration() -> None:
    history = History()
    migrator = DocumentMigrator(registry(*cases_types(history)))
    objects = list(read_records(KIBANA_FIXTURES / "kbn_archiver/cases_7.10.0/data.json"))
    before = copy.deepcopy(objects)
    migrated = import_documents(migrator, objects)
    assert objects == before
    case, action, comment, _ = migrated
    # migrationVersion {"alert": "7.10.0"} names another type: the case runs everything
    assert history.ran(case["id"]) == ["10.2.0", "7.10.0", "7.11.0", "7.15.0", "8.0.0"]
    assert case["attributes"]["connector"] == {"id": "connector-1", "name": "none", "fields": None}
    assert case["attributes"]["settings"] == {"syncAlerts": True}
    assert case["attributes"]["category"] is None
    assert "connector_id" not in case["attributes"]
    assert "migrationVersion" not in case
    assert comment["attributes"]["type"] == "user"
    assert history.ran(action["id"]) == ["7.10.0", "7.16.0"]
    for doc in migrated:
        assert doc["typeMigrationVersion"] == migrator.latest_version(doc["type"])
        assert doc["coreMigrationVersion"] == "8.8.0"
        assert doc["managed"] is False
        assert migrator.migrate(doc) is doc  # now current
    assert max(history.calls.values()) == 1


# -- cases: 7.16 index with a space, then 8.8 index, migrated in place -------------------


def test_cases_7_16_space_documents_are_converted_with_their_references() -> None:
    history = History()
    types = registry(
        legacy_url_alias_type,
        history.type("config", "single", {"7.12.0": None, "8.0.0": None}),
        history.type("space", "agnostic", {"6.6.0": None}),
        *cases_types(history),
    )
    migrator = DocumentMigrator(types)
    archive = read_docs(KIBANA_FIXTURES / "es_archiver/cases_migrations/7.16.0_space/data.json")
    migrated = index_migration(migrator, types, [doc.raw for doc in archive])
    by_type: dict[str, list[Any]] = {}
    for doc in migrated:
        by_type.setdefault(doc["type"], []).append(doc)

    [case] = by_type["cases"]
    old_case_id = "a97a13b0-22f3-11ec-9f3b-fbc97859d7ed"
    assert case["id"] == converted_object_id("awesome-space", "cases", old_case_id)
    assert case["originId"] == old_case_id
    assert case["namespaces"] == ["awesome-space"]
    assert "namespace" not in case
    assert history.ran(case["id"]) == ["10.2.0", "8.0.0"]  # stored at 7.15.0

    converted = [*by_type["cases"], *by_type["cases-comments"], *by_type["cases-user-actions"]]
    aliases = by_type["legacy-url-alias"]
    assert len(aliases) == len(converted) == 4
    assert {alias["attributes"]["targetId"] for alias in aliases} == {d["id"] for d in converted}
    for alias in aliases:
        assert alias["attributes"]["purpose"] == "savedObjectConversion"
        assert alias["typeMigrationVersion"] == "8.2.0"
        assert alias["id"].startswith("awesome-space:")
    for action in by_type["cases-user-actions"]:
        case_refs = [ref for ref in action["references"] if ref["type"] == "cases"]
        assert [ref["id"] for ref in case_refs] == [case["id"]]

    [config] = by_type["config"]  # single-namespace: keeps its namespace and id
    assert (config["id"], config["namespace"]) == ("7.16.0", "awesome-space")
    assert config["typeMigrationVersion"] == "8.0.0"
    assert config["attributes"]["buildNum"] == 9007199254740991
    [space] = by_type["space"]
    assert history.ran(space["id"]) == []
    assert space["typeMigrationVersion"] == "6.6.0"


def test_cases_8_8_documents_catch_up_on_type_migrations_only() -> None:
    history = History()
    types = registry(legacy_url_alias_type, *cases_types(history))
    migrator = DocumentMigrator(types)
    archive = read_docs(KIBANA_FIXTURES / "es_archiver/cases_migrations/7.11.1/data.json")
    migrated = index_migration(migrator, types, [doc.raw for doc in archive])
    assert len(migrated) == len(archive)  # default space: no new ids, no aliases
    for raw, doc in zip(archive, migrated, strict=True):
        assert raw.raw["_id"] == f"{doc['type']}:{doc['id']}"
        assert doc["namespaces"] == ["default"]
        assert doc["typeMigrationVersion"] == migrator.latest_version(doc["type"])
    case = migrated[0]
    assert history.ran(case["id"]) == ["10.2.0", "7.15.0", "8.0.0"]
    assert "managed" not in case  # core 8.8.0 already ran on this document


# -- spaces: the namespace test set -------------------------------------------------------


def test_spaces_archive_converts_dashboards_in_spaces() -> None:
    history = History()
    types = registry(
        legacy_url_alias_type,
        history.type("space", "agnostic", {"6.6.0": None}),
        history.type(
            "dashboard", "multiple-isolated", {"7.0.0": None, "7.14.0": None}, convert="8.0.0"
        ),
        history.type("visualization", "multiple", {"7.10.0": None}),
        history.type("index-pattern", "multiple", {"7.6.0": None}),
        history.type("sharedtype", "multiple", {}, {1: ModelVersion()}),
    )
    migrator = DocumentMigrator(types)
    archive = [
        doc.raw
        for doc in read_docs(
            KIBANA_FIXTURES / "es_archiver/spaces_api_integration/saved_objects/spaces/data.json"
        )
    ]
    migrated = index_migration(migrator, types, archive)
    assert len(migrated) == len(archive) + 3  # one alias per dashboard in a space

    dashboards = [doc for doc in migrated if doc["type"] == "dashboard"]
    in_spaces = {(d["namespaces"][0], d.get("originId")): d for d in dashboards}
    space_2 = in_spaces[("space_2", "my_dashboard")]
    assert space_2["id"] == converted_object_id("space_2", "dashboard", "my_dashboard")
    space_1_cts = in_spaces[("space_1", "cts_dashboard")]
    assert [ref["id"] for ref in space_1_cts["references"]] == [
        "cts_vis_1_space_1",
        "cts_vis_2_space_1",
        "cts_vis_3_space_1",
    ]  # visualizations were already multi-namespace: their ids stand
    default = in_spaces[("default", None)]
    assert default["id"] in ("my_dashboard", "cts_dashboard")

    aliases = [d for d in migrated if d["type"] == "legacy-url-alias"]
    stored = {d["id"]: d for d in aliases if d["attributes"].get("targetType") == "sharedtype"}
    assert all(alias["attributes"]["purpose"] == "savedObjectConversion" for alias in aliases)
    assert stored["space_1:sharedtype:default_only"]["typeMigrationVersion"] == "8.2.0"
    disabled = [a for a in stored.values() if a["attributes"].get("disabled")]
    assert len(disabled) == 1
    for doc in migrated:
        assert migrator.migrate(doc) is doc or doc["type"] == "legacy-url-alias"


# -- OpenSearch Dashboards: 143 documents of a 7.10 fork ---------------------------------


def osd_types(history: History) -> list[SavedObjectsType]:
    def drop_version(attributes: dict[str, Any]) -> None:
        attributes.pop("version", None)

    return [
        history.type(
            "dashboard",
            "single",
            {"7.0.0": None, "7.3.0": None, "7.9.3": None, "7.10.0": None},
            {
                1: ModelVersion(),
                2: ModelVersion(changes=[DataRemoval(removed_attribute_paths=["version"])]),
            },
        ),
        history.type("visualization", "single", {"7.8.0": None, "7.10.0": drop_version}),
        history.type("search", "single", {"7.4.0": None, "7.9.3": None}),
        history.type("index-pattern", "single", {"7.6.0": None}),
        history.type("config", "single", {"7.9.0": None}),
    ]


def test_opensearch_dashboards_index() -> None:
    history = History()
    types = registry(*osd_types(history))
    migrator = DocumentMigrator(types)
    archive = [doc.raw for doc in read_docs(OSD_FIXTURES / "data.json.txt")]
    migrated = index_migration(migrator, types, archive)
    assert len(migrated) == len(archive) == 143
    counts = Counter(doc["type"] for doc in migrated)
    assert counts["application_usage_transactional"] == 53
    for raw, doc in zip(archive, migrated, strict=True):
        source = raw["_source"]
        if doc["type"] not in types:  # unknown types pass through untouched
            assert "typeMigrationVersion" not in doc
            assert doc["attributes"] == source[doc["type"]]
            continue
        assert doc["typeMigrationVersion"] == migrator.latest_version(doc["type"])
        stored = (source.get("migrationVersion") or {}).get(doc["type"])
        ran = history.ran(doc["id"])
        if doc["type"] == "dashboard":
            assert stored == "7.3.0"
            assert ran == ["7.10.0", "7.9.3"]  # 7.3.0 and earlier are not run again
            assert "version" not in doc["attributes"]
        if doc["type"] == "config":
            assert stored is None
            assert ran == ["7.9.0"]
    assert max(history.calls.values()) == 1


def test_unknown_types_of_a_7_14_index_pass_unchanged() -> None:
    history = History()
    types = registry(*osd_types(history))
    migrator = DocumentMigrator(types)
    archive = [
        doc.raw
        for doc in read_docs(
            KIBANA_FIXTURES
            / "es_archiver/api_integration/saved_objects/delete_unknown_types/data.json"
        )
    ]
    valid = [raw for raw in archive if is_raw_saved_object(types, raw, namespace_treatment="lax")]
    assert len(valid) == 5  # "unknown-shareable-doc" has no type prefix: corrupt
    unknown = raw_to_doc(types, valid[-1], namespace_treatment="lax")
    assert unknown["type"] == "unknown-type"
    assert migrator.migrate(unknown) == unknown
    [dashboard] = index_migration(migrator, types, [valid[3]])
    assert dashboard["typeMigrationVersion"] == "10.2.0"
    assert history.ran(dashboard["id"]) == []  # stored at 7.14.0: only model versions


# -- 8.8 export and an export from the future --------------------------------------------


def test_tagged_dashboard_export_reaches_model_versions() -> None:
    history = History()
    migrator = DocumentMigrator(
        registry(
            history.type(
                "visualization", "multiple-isolated", {"8.5.0": None}, {1: ModelVersion()}
            ),
            history.type("tag", "multiple", {"8.0.0": None}),
            history.type(
                "dashboard",
                "multiple-isolated",
                {"8.7.0": None},
                {
                    1: ModelVersion(),
                    2: history.backfill("dashboard", 2, {"controlGroupInput": None}),
                },
            ),
        )
    )
    objects = list(
        read_records(
            KIBANA_FIXTURES / "kbn_archiver/api_integration/saved_objects/tagged_dashboard.json"
        )
    )
    vis, tag, dashboard = import_documents(migrator, objects)
    assert vis["typeMigrationVersion"] == "10.1.0"
    assert tag == objects[1]  # current: unchanged
    assert dashboard["typeMigrationVersion"] == "10.2.0"
    assert history.ran(dashboard["id"]) == ["10.2.0"]
    assert dashboard["attributes"]["controlGroupInput"] is None


def higher_version_export() -> dict[str, Any]:
    path = KIBANA_FIXTURES / "ndjson_exports/_import_higher_version.ndjson"
    [obj] = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    return obj  # type: ignore[no-any-return]


def test_an_export_from_a_newer_kibana_is_rejected_on_import() -> None:
    obj = higher_version_export()
    history = History()
    migrator = DocumentMigrator(registry(history.type("visualization", "single", {"8.5.0": None})))
    with pytest.raises(DocumentVersionError) as caught:
        import_documents(migrator, [obj])
    assert caught.value.message == (
        f'Document "{obj["id"]}" belongs to a more recent version of Kibana [9.15.82] when '
        "the last known version is [8.5.0]."
    )
    assert caught.value.status_code == 422
    read = migrator.migrate(copy.deepcopy(obj), allow_downgrade=True)
    assert read["typeMigrationVersion"] == "8.5.0"  # a reader relabels it instead


def test_a_registry_on_model_versions_takes_9_x_legacy_versions_as_older() -> None:
    """Virtual versions (10.N.0) sort above every legacy stack version, so for a type that
    switched to model versions the same export is merely old."""
    obj = higher_version_export()
    history = History()
    schema = ModelVersionSchemas(forward_compatibility=lambda attributes: attributes)
    migrator = DocumentMigrator(
        registry(
            history.type(
                "visualization",
                "single",
                {"8.5.0": None},
                {1: ModelVersion(schemas=schema), 2: history.backfill("visualization", 2, {})},
            )
        )
    )
    [migrated] = import_documents(migrator, [obj])
    assert migrated["typeMigrationVersion"] == "10.2.0"
    assert history.ran(obj["id"]) == ["10.2.0"]
