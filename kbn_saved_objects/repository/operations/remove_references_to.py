"""``remove_references_to``: drop every reference to one object (spec 03 §2.14).

Used before deleting an object that others point at (a tag, an index pattern), so that no
dangling reference is left behind. One update-by-query over all indices selects, among
the objects visible in the current namespace, those holding the reference (a nested
query on ``references``), and a painless script removes the matching entries. Objects in
other spaces are not touched: a caller acts on its own space only.
"""

from __future__ import annotations

import dataclasses
from typing import TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import create_conflict_error
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import AuthorizeObject
from kbn_saved_objects.repository.helpers.extensions import active_namespace
from kbn_saved_objects.repository.helpers.scripts import REMOVE_REFERENCES_TO
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.results import RemoveReferencesToResponse
from kbn_saved_objects.search.query import Reference, has_reference_clause
from kbn_saved_objects.search.query import type_namespace_clause as types_clause
from kbn_saved_objects.serialization import namespace_id_to_string


class RemoveReferencesToOptions(TypedDict, total=False):
    refresh: bool
    """Defaults to ``True`` (not ``"wait_for"``, which update-by-query does not know): the
    caller usually deletes the target next and lists what referenced it."""
    namespace: str


def remove_references_to(
    ctx: RepositoryContext, type_name: str, object_id: str, options: RemoveReferencesToOptions
) -> Operation[RemoveReferencesToResponse]:
    """``type_name`` is deliberately not checked against the registry: references to a
    type that was removed must still be removable."""
    namespace = active_namespace(ctx, options.get("namespace"))
    security = ctx.extensions.security
    if security is not None:  # deleting references needs `delete` on the target's type
        security.authorize_remove_references(
            namespace_id_to_string(namespace), AuthorizeObject(type_name, object_id)
        )
    all_types = [t.name for t in ctx.registry.get_all_types()]
    query = {
        "bool": {
            "filter": [
                has_reference_clause([Reference(type_name, object_id)], "OR"),
                types_clause(ctx.registry, all_types, [namespace_id_to_string(namespace)]),
            ]
        }
    }
    body = {
        "query": query,
        "script": {
            "source": REMOVE_REFERENCES_TO,
            "lang": "painless",
            "params": {"type": type_name, "id": object_id},
        },
    }
    request = rq.update_by_query(
        ctx.indices_for(all_types),
        body,
        refresh=options.get("refresh", True),
        conflicts="proceed",
    )
    answer = yield dataclasses.replace(request, not_found_ok=True)
    if answer.get("failures"):
        # Kibana passes "<n> references could not be removed" as the reason, which the
        # conflict helper drops; the count is kept in metadata for logs.
        error = create_conflict_error(type_name, object_id)
        error.metadata["failures"] = len(answer["failures"])
        raise error
    return RemoveReferencesToResponse.model_construct(updated=int(answer.get("updated") or 0))
