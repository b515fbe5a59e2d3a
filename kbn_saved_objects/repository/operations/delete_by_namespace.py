"""``delete_by_namespace``: empty a space that is being deleted (spec 03 §2.11).

One update-by-query over every index that holds space-aware objects: single-namespace
objects of the space are deleted, multi-namespace objects lose the space (and are
deleted when it was their last one), legacy URL aliases targeting the space are deleted.
Objects shared to ``*`` stay. The engine runs a painless script per matched document, so
the work never leaves the cluster; ``conflicts=proceed`` lets it carry on past documents
changed while it runs (they are reported in the answer's ``version_conflicts``).
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import InvalidNamespaceError
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.helpers.scripts import DELETE_BY_NAMESPACE
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.search.query import type_namespace_clause as types_clause
from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING, DEFAULT_NAMESPACE_STRING
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE

NAMESPACE_REQUIRED = "namespace is required, and must be a string that is not equal to '*'"
DEFAULT_REFUSED = (
    "namespace 'default' cannot be deleted: its single-namespace objects have no namespace "
    "field, so every one of them would match"
)


class DeleteByNamespaceOptions(TypedDict, total=False):
    refresh: bool
    """Refresh the indices when done; not sent unless given (update-by-query knows no
    ``wait_for``)."""


def target_types(ctx: RepositoryContext) -> list[str]:
    """Every space-aware type, hidden ones included (a deleted space takes all its objects),
    plus ``legacy-url-alias``, whose aliases are matched by ``targetNamespace``."""
    names = [
        t.name
        for t in ctx.registry.get_all_types()
        if not ctx.registry.is_namespace_agnostic(t.name)
    ]
    if LEGACY_URL_ALIAS_TYPE in ctx.registry:
        names.append(LEGACY_URL_ALIAS_TYPE)
    return names


def delete_by_namespace_query(ctx: RepositoryContext, namespace: str) -> dict[str, Any]:
    """What ``getSearchDsl`` builds for ``namespaces: [namespace]``, the target types and
    the node ``legacy-url-alias.targetNamespace: <ns> or not type: legacy-url-alias``."""
    alias = LEGACY_URL_ALIAS_TYPE
    alias_filter = {
        "bool": {
            "should": [
                {"term": {f"{alias}.targetNamespace": namespace}},
                {"bool": {"must_not": [{"term": {"type": alias}}]}},
            ],
            "minimum_should_match": 1,
        }
    }
    return {
        "bool": {
            "filter": [alias_filter, types_clause(ctx.registry, target_types(ctx), [namespace])]
        }
    }


def delete_by_namespace(
    ctx: RepositoryContext, namespace: str, options: DeleteByNamespaceOptions
) -> Operation[dict[str, Any]]:
    """Returns the engine's update-by-query answer (``total``, ``updated``, ``deleted``,
    ``failures``...)."""
    if not isinstance(namespace, str) or not namespace or namespace == ALL_NAMESPACES_STRING:
        raise InvalidNamespaceError(NAMESPACE_REQUIRED)
    if namespace == DEFAULT_NAMESPACE_STRING:
        # Kibana never deletes the default space; with it, this query would match (and
        # the script delete) every single-namespace object of the default space.
        raise InvalidNamespaceError(DEFAULT_REFUSED)
    scope_error = ctx.scope_error([namespace], "namespace")
    if scope_error is not None:
        raise scope_error
    types = target_types(ctx)
    body = {
        "query": delete_by_namespace_query(ctx, namespace),
        "script": {
            "source": DELETE_BY_NAMESPACE,
            "lang": "painless",
            "params": {"namespace": namespace},
        },
    }
    request = rq.update_by_query(
        ctx.indices_for(types), body, refresh=options.get("refresh"), conflicts="proceed"
    )
    answer = yield dataclasses.replace(request, not_found_ok=True)
    return dict(answer)
