"""The outdated-documents query (spec 06 §8): its shape, and what it selects, checked with
a small in-memory evaluator of the DSL it uses."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.migrations.document import (
    outdated_documents_clause,
    outdated_documents_query,
)
from kbn_saved_objects.migrations.document._versions import version_key
from kbn_saved_objects.types import LegacyMigration, ModelVersion
from tests.migrations.document._registry import a_type, migrator_of


def _field(source: dict[str, Any], path: str) -> Any:
    value: Any = source
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def matches(query: dict[str, Any], source: dict[str, Any]) -> bool:
    """``term``, ``exists``, ``range lt`` on ``version`` fields and ``bool``: enough for
    this query. A ``bool`` without clauses matches everything, as in Elasticsearch."""
    ((kind, body),) = query.items()
    if kind == "term":
        ((path, value),) = body.items()
        return _field(source, path) == value
    if kind == "exists":
        return _field(source, body["field"]) is not None
    if kind == "range":
        ((path, bounds),) = body.items()
        value = _field(source, path)
        return value is not None and version_key(value) < version_key(bounds["lt"])
    assert kind == "bool", kind

    def listed(key: str) -> list[dict[str, Any]]:
        clauses = body.get(key, [])
        return clauses if isinstance(clauses, list) else [clauses]

    must, should, must_not = listed("must"), listed("should"), listed("must_not")
    return (
        all(matches(clause, source) for clause in must)
        and not any(matches(clause, source) for clause in must_not)
        and (not should or any(matches(clause, source) for clause in should))
    )


def test_clause_shape() -> None:
    assert outdated_documents_clause("dashboard", type_version="7.7.0", core_version="8.8.0") == {
        "bool": {
            "must": [
                {"term": {"type": "dashboard"}},
                {
                    "bool": {
                        "should": [
                            {"range": {"coreMigrationVersion": {"lt": "8.8.0"}}},
                            {
                                "bool": {
                                    "must_not": [
                                        {"exists": {"field": "typeMigrationVersion"}},
                                        {"exists": {"field": "migrationVersion.dashboard"}},
                                    ]
                                }
                            },
                            {
                                "bool": {
                                    "must": {"exists": {"field": "migrationVersion"}},
                                    "must_not": {"term": {"migrationVersion.dashboard": "7.7.0"}},
                                }
                            },
                            {"range": {"typeMigrationVersion": {"lt": "7.7.0"}}},
                        ]
                    }
                },
            ]
        }
    }


@pytest.mark.parametrize(
    ("core", "types", "clauses"),
    [
        ({}, {}, 0),
        ({"dashboard": "8.8.0"}, {}, 1),
        ({}, {"dashboard": "7.7.0"}, 1),
        ({"dashboard": "8.8.0"}, {"dashboard": "7.7.0", "tag": "8.0.0"}, 2),
    ],
)
def test_one_clause_per_type(core: dict[str, str], types: dict[str, str], clauses: int) -> None:
    query = outdated_documents_query(type_versions=types, core_versions=core)
    assert len(query["bool"]["should"]) == clauses


def test_only_core_versions_give_only_the_core_condition() -> None:
    clause = outdated_documents_clause("dashboard", core_version="8.8.0")
    assert clause["bool"]["must"][1] == {
        "bool": {"should": [{"range": {"coreMigrationVersion": {"lt": "8.8.0"}}}]}
    }


QUERY = outdated_documents_query(
    type_versions={"dashboard": "10.3.0", "tag": "8.0.0"}, core_versions={"dashboard": "8.0.0"}
)


@pytest.mark.parametrize(
    ("source", "outdated"),
    [
        (
            {
                "type": "dashboard",
                "typeMigrationVersion": "10.3.0",
                "coreMigrationVersion": "8.8.0",
            },
            False,
        ),
        (
            {
                "type": "dashboard",
                "typeMigrationVersion": "10.2.0",
                "coreMigrationVersion": "8.8.0",
            },
            True,
        ),
        (
            {
                "type": "dashboard",
                "typeMigrationVersion": "10.10.0",
                "coreMigrationVersion": "8.8.0",
            },
            False,
        ),
        (
            {
                "type": "dashboard",
                "migrationVersion": {"dashboard": "7.17.3"},
                "coreMigrationVersion": "7.17.3",
            },
            True,
        ),
        ({"type": "dashboard"}, True),
        ({"type": "tag", "typeMigrationVersion": "8.0.0"}, False),
        ({"type": "tag", "migrationVersion": {"tag": "8.0.0"}}, False),
        ({"type": "tag", "migrationVersion": {"other": "8.0.0"}}, True),
        ({"type": "not-registered"}, False),
    ],
)
def test_worked_example(source: dict[str, Any], outdated: bool) -> None:
    assert matches(QUERY, source) is outdated


def test_the_migrator_leaves_deferred_transforms_out() -> None:
    noop = lambda doc, ctx: doc  # noqa: E731
    migrator = migrator_of(
        a_type("dash", model_versions={1: ModelVersion(), 2: ModelVersion()}),
        a_type(
            "lazy",
            migrations={"7.0.0": noop, "8.0.0": LegacyMigration(transform=noop, deferred=True)},
        ),
        a_type("plain"),
    )
    query = migrator.outdated_documents_query()
    assert query == outdated_documents_query(type_versions={"dash": "10.2.0", "lazy": "7.0.0"})
    assert matches(query, {"type": "dash", "typeMigrationVersion": "10.1.0"})
    assert not matches(query, {"type": "lazy", "typeMigrationVersion": "7.0.0"})
    assert not matches(query, {"type": "plain"})
