"""Conformance with real data: every raw document in the shared es_archiver fixtures.

Each archive gets a registry of the types it uses, with the namespace type those types
had in the Kibana release that wrote it (``cases`` is single-namespace in the 7.16 archive
and multi-namespace in the 8.8 one) and permissive mappings. Every document must parse
with the id, namespace(s), references, migration fields and attributes Kibana stored, and
write back unchanged -- apart from the serializer's documented normalizations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kbn_saved_objects.errors import InvalidRawDocumentError
from kbn_saved_objects.serialization import SavedObjectsSerializer
from tests._paths import KIBANA_FIXTURES, OSD_FIXTURES, require_fixtures
from tests.serialization.conftest import registry_of
from tests.serialization.es_archive import ArchivedDoc, read_docs

SINGLE = "single"
MULTI = "multiple"
ISOLATED = "multiple-isolated"
AGNOSTIC = "agnostic"

OSD_7X = {
    t: SINGLE
    for t in (
        "visualization",
        "dashboard",
        "search",
        "index-pattern",
        "config",
        "application_usage_transactional",
        "ui-metric",
    )
}

# archive -> (namespace types of the types it uses, number of documents)
ARCHIVES: dict[str, tuple[Path, dict[str, str], int]] = {
    "references": (
        KIBANA_FIXTURES / "es_archiver/api_integration/saved_objects/references/data.json",
        {"visualization": SINGLE},
        4,
    ),
    "delete_unknown_types": (
        KIBANA_FIXTURES
        / "es_archiver/api_integration/saved_objects/delete_unknown_types/data.json",
        # the two unknown types stay unregistered on purpose: they count as single-namespace
        {t: SINGLE for t in ("index-pattern", "search", "visualization", "dashboard")},
        6,
    ),
    "spaces": (
        KIBANA_FIXTURES / "es_archiver/spaces_api_integration/saved_objects/spaces/data.json",
        {
            "space": AGNOSTIC,
            "dashboard": SINGLE,
            "visualization": MULTI,
            "index-pattern": MULTI,
            "sharedtype": MULTI,
            "legacy-url-alias": AGNOSTIC,
        },
        34,
    ),
    "cases_7.16.0_space": (
        KIBANA_FIXTURES / "es_archiver/cases_migrations/7.16.0_space/data.json",
        {
            "config": SINGLE,
            "space": AGNOSTIC,
            "cases": SINGLE,
            "cases-comments": SINGLE,
            "cases-user-actions": SINGLE,
        },
        6,
    ),
    "cases_7.11.1": (
        KIBANA_FIXTURES / "es_archiver/cases_migrations/7.11.1/data.json",
        {"cases": ISOLATED, "cases-comments": ISOLATED, "cases-user-actions": ISOLATED},
        5,
    ),
    "security_solution": (
        KIBANA_FIXTURES / "es_archiver/security_solution_migrations/data.json",
        {"siem-detection-engine-rule-actions": ISOLATED},
        1,
    ),
    "osd": (OSD_FIXTURES / "data.json.txt", OSD_7X, 143),
    "osd_discover": (
        OSD_FIXTURES / "data_explorer/discover/discover.json.txt",
        {"index-pattern": SINGLE, "search": SINGLE},
        2,
    ),
    "osd_empty": (
        OSD_FIXTURES / "data_explorer/empty_opensearch_dashboards/data.json.txt",
        {"config": SINGLE},
        1,
    ),
}

# Raw ids that are not saved objects: Kibana's own fixture for unknown-type cleanup.
NOT_SAVED_OBJECTS = {
    "unknown-shareable-doc": (
        "Raw document 'unknown-shareable-doc' does not start with expected prefix "
        "'unknown-shareable-type:'"
    )
}

KNOWN_SOURCE_KEYS = {
    "type",
    "namespace",
    "namespaces",
    "originId",
    "references",
    "managed",
    "migrationVersion",
    "coreMigrationVersion",
    "typeMigrationVersion",
    "updated_at",
    "updated_by",
    "created_at",
    "created_by",
}


def load(name: str) -> tuple[list[ArchivedDoc], SavedObjectsSerializer, dict[str, str]]:
    require_fixtures()
    path, kinds, count = ARCHIVES[name]
    docs = read_docs(path)
    assert len(docs) == count
    return docs, SavedObjectsSerializer(registry_of(kinds)), kinds


def expected_doc(kind: str, raw_id: str, source: dict[str, Any]) -> dict[str, Any]:
    """What Kibana reads from a stored document, spelled out per namespace type."""
    type_name = source["type"]
    namespace = source.get("namespace") if kind == SINGLE else None
    prefix = f"{namespace}:{type_name}:" if namespace else f"{type_name}:"
    assert raw_id.startswith(prefix)
    expected: dict[str, Any] = {"type": type_name, "id": raw_id[len(prefix) :]}
    if namespace:
        expected["namespace"] = namespace
    if kind in (MULTI, ISOLATED) and "namespaces" in source:
        expected["namespaces"] = source["namespaces"]
    for key in ("originId", "managed", "migrationVersion", "coreMigrationVersion"):
        if key in source:
            expected[key] = source[key]
    if "typeMigrationVersion" in source:
        expected["typeMigrationVersion"] = source["typeMigrationVersion"]
    for key in ("updated_at", "updated_by", "created_at", "created_by"):
        if key in source:
            expected[key] = source[key]
    expected["attributes"] = source[type_name]
    expected["references"] = source.get("references", [])
    return expected


@pytest.mark.parametrize("name", sorted(ARCHIVES))
def test_every_archived_document(name: str) -> None:
    docs, serializer, kinds = load(name)
    for position, archived in enumerate(docs):
        raw_id = archived.raw["_id"]
        source = archived.raw["_source"]
        assert set(source) - {source["type"]} <= KNOWN_SOURCE_KEYS, raw_id
        if raw_id in NOT_SAVED_OBJECTS:
            assert not serializer.is_raw_saved_object(archived.raw)
            with pytest.raises(InvalidRawDocumentError) as caught:
                serializer.raw_to_doc(archived.raw)
            assert caught.value.message == NOT_SAVED_OBJECTS[raw_id]
            continue
        raw = {**archived.raw, "_seq_no": position, "_primary_term": 1}
        assert serializer.is_raw_saved_object(raw), raw_id
        doc = serializer.raw_to_doc(raw)
        kind = kinds.get(source["type"], SINGLE)
        assert dict(doc) == {**expected_doc(kind, raw_id, source), "version": doc["version"]}
        assert serializer.doc_to_raw(doc) == {
            **raw,
            "_source": written_back(kind, source),
        }, raw_id


def written_back(kind: str, source: dict[str, Any]) -> dict[str, Any]:
    """The stored source after a read-write cycle: Kibana's documented normalizations."""
    expected = {"references": [], **source}  # a missing references list defaults to []
    if kind != SINGLE:
        expected.pop("namespace", None)
    if kind not in (MULTI, ISOLATED):
        expected.pop("namespaces", None)  # e.g. single-namespace cases in the 7.16 archive
    return expected


def test_versions_come_from_seq_no_and_primary_term() -> None:
    docs, serializer, _ = load("references")
    raw = {**docs[0].raw, "_seq_no": 10, "_primary_term": 3}
    assert serializer.raw_to_doc(raw)["version"] == "WzEwLDNd"
    assert "version" not in serializer.raw_to_doc(docs[0].raw)


def by_id(name: str) -> dict[str, dict[str, Any]]:
    docs, serializer, _ = load(name)
    return {
        d.raw["_id"]: dict(serializer.raw_to_doc(d.raw))
        for d in docs
        if d.raw["_id"] not in NOT_SAVED_OBJECTS
    }


def test_spaces_archive_spot_checks() -> None:
    docs = by_id("spaces")
    assert docs["space_1:dashboard:my_dashboard"]["id"] == "my_dashboard"
    assert docs["space_1:dashboard:my_dashboard"]["namespace"] == "space_1"
    assert docs["space_1:dashboard:my_dashboard"]["references"] == []
    assert "namespace" not in docs["dashboard:my_dashboard"]
    assert docs["sharedtype:all_spaces"]["namespaces"] == ["*"]
    assert docs["space:default"]["id"] == "default"
    assert "namespaces" not in docs["space:default"]
    alias = docs["legacy-url-alias:space_1:sharedtype:default_only"]
    assert alias["id"] == "space_1:sharedtype:default_only"
    assert alias["attributes"]["targetNamespace"] == "space_1"
    assert docs["visualization:cts_vis_3_space_1"]["originId"] == "cts_vis_3"


def test_cases_archives_spot_checks() -> None:
    old = by_id("cases_7.16.0_space")
    config = old["awesome-space:config:7.16.0"]
    assert config["id"] == "7.16.0"
    assert config["namespace"] == "awesome-space"
    assert "namespaces" not in config  # single-namespace in 7.16
    assert config["attributes"]["buildNum"] == 9007199254740991
    assert config["typeMigrationVersion"] == "7.16.0"
    new = by_id("cases_7.11.1")
    assert all("namespace" not in doc and "namespaces" in doc for doc in new.values())


def test_unknown_types_archive_keeps_empty_migration_version() -> None:
    docs = by_id("delete_unknown_types")
    assert docs["unknown-type:unknown-doc"]["migrationVersion"] == {}
    assert docs["search:960372e0-3224-11e8-a572-ffca06da1357"]["migrationVersion"] == {
        "search": "7.9.3"
    }


def test_osd_archive_spot_checks() -> None:
    docs = by_id("osd")
    config_ids = sorted(doc["id"] for doc in docs.values() if doc["type"] == "config")
    assert config_ids == ["6.2.4", "6.3.0", "7.0.0-alpha1", "8.0.0"]
    types = {doc["type"] for doc in docs.values()}
    assert types == set(OSD_7X)
