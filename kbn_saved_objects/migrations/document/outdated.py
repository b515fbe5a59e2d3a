"""The query that finds stored documents an index migration must rewrite.

Pure data in, query DSL out (Kibana's ``getOutdatedDocumentsQuery``). A document of type
``T`` is outdated when any of these holds:

1. its ``coreMigrationVersion`` is below ``T``'s latest core transform;
2. it has neither ``typeMigrationVersion`` nor the legacy ``migrationVersion.T`` (never
   migrated);
3. it still carries the legacy ``migrationVersion`` object and ``migrationVersion.T`` is
   not exactly ``T``'s latest version;
4. its ``typeMigrationVersion`` is below ``T``'s latest version -- compared as semver,
   which is why the field is mapped with the ``version`` type.

Deferred transforms are left out of the versions given here (see
:meth:`DocumentMigrator.migration_versions`): they run when a document is read or written,
and never make a document outdated on their own. Types with no version are not in the
query, so their documents never match; nor do documents from a newer release.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["outdated_documents_clause", "outdated_documents_query"]


def outdated_documents_clause(
    type_name: str, *, type_version: str | None = None, core_version: str | None = None
) -> dict[str, Any]:
    """The ``bool`` clause matching outdated documents of one type."""
    conditions: list[dict[str, Any]] = []
    if core_version:
        conditions.append({"range": {"coreMigrationVersion": {"lt": core_version}}})
    if type_version:
        legacy_field = f"migrationVersion.{type_name}"
        conditions.extend(
            [
                {
                    "bool": {
                        "must_not": [
                            {"exists": {"field": "typeMigrationVersion"}},
                            {"exists": {"field": legacy_field}},
                        ]
                    }
                },
                {
                    "bool": {
                        "must": {"exists": {"field": "migrationVersion"}},
                        "must_not": {"term": {legacy_field: type_version}},
                    }
                },
                {"range": {"typeMigrationVersion": {"lt": type_version}}},
            ]
        )
    return {"bool": {"must": [{"term": {"type": type_name}}, {"bool": {"should": conditions}}]}}


def outdated_documents_query(
    *, type_versions: Mapping[str, str], core_versions: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """``{"bool": {"should": [<clause per type>]}}`` over every type in either map.

    ``type_versions`` maps a type to its latest ``typeMigrationVersion``, ``core_versions``
    to its latest core transform. With both empty the ``should`` list is empty: as in
    Kibana, and as Elasticsearch reads a ``bool`` without clauses, that matches *every*
    document (each is then only stamped, harmlessly).
    """
    core_versions = core_versions or {}
    names = list(dict.fromkeys([*core_versions, *type_versions]))
    return {
        "bool": {
            "should": [
                outdated_documents_clause(
                    name,
                    type_version=type_versions.get(name),
                    core_version=core_versions.get(name),
                )
                for name in names
            ]
        }
    }
