"""Deleting the legacy URL aliases of deleted objects (spec 05 §5.4).

An alias ``<space>:<type>:<old id>`` redirects old links to an object's new id. When the
object is deleted the alias would redirect to nothing, so ``delete`` and ``bulk_delete``
remove the aliases that *point at* the object (matched on ``targetType``/``targetId``),
disabled ones included. The object is already gone when this runs, so a failure here is
logged and swallowed: the caller cannot retry the delete.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.helpers.scripts import DELETE_LEGACY_URL_ALIASES
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE

__all__ = ["AliasTarget", "delete_legacy_url_aliases", "deleted_object_target"]

logger = logging.getLogger("kbn_saved_objects.repository")

CHUNK_SIZE = 500
"""Objects per update-by-query: each adds one ``bool`` clause, and engines cap a query at
1024 clauses by default."""


@dataclass(frozen=True)
class AliasTarget:
    """The aliases of ``type``/``id`` to delete: those whose ``targetNamespace`` is in
    ``namespaces`` (``inclusive``) or not in it (exclusive)."""

    type: str
    id: str
    namespaces: Sequence[str]
    inclusive: bool


def deleted_object_target(type_name: str, object_id: str, namespaces: Sequence[str]) -> AliasTarget:
    """The aliases to delete with an object that lived in ``namespaces``: all of them when it
    was shared to every space, else those of its spaces."""
    if ALL_NAMESPACES_STRING in namespaces:
        return AliasTarget(type_name, object_id, [], inclusive=False)
    return AliasTarget(type_name, object_id, list(namespaces), inclusive=True)


def _request(ctx: RepositoryContext, targets: Sequence[AliasTarget]) -> rq.Request:
    alias = LEGACY_URL_ALIAS_TYPE
    params: dict[str, dict[str, dict[str, Any]]] = {}
    for target in targets:
        params.setdefault(target.type, {})[target.id] = {
            "namespaces": list(target.namespaces),
            "inclusive": target.inclusive,
        }
    body = {
        "query": {
            "bool": {
                "filter": [
                    {"term": {"type": alias}},
                    {
                        "bool": {
                            "should": [
                                {
                                    "bool": {
                                        "filter": [
                                            {"term": {f"{alias}.targetType": target.type}},
                                            {"term": {f"{alias}.targetId": target.id}},
                                        ]
                                    }
                                }
                                for target in targets
                            ],
                            "minimum_should_match": 1,
                        }
                    },
                ],
                "must_not": [
                    {"exists": {"field": "namespace"}},
                    {"exists": {"field": "namespaces"}},
                ],
            }
        },
        "script": {
            "source": DELETE_LEGACY_URL_ALIASES,
            "lang": "painless",
            "params": {"targets": params},
        },
    }
    request = rq.update_by_query(ctx.index_for(alias), body, refresh=False, conflicts="proceed")
    # a missing alias index means there is nothing to delete
    return dataclasses.replace(request, not_found_ok=True)


def delete_legacy_url_aliases(
    ctx: RepositoryContext, targets: Sequence[AliasTarget], *, when: str = "deleting an object"
) -> Operation[None]:
    """Delete the aliases of ``targets``; failures are logged, never raised.

    ``refresh`` is off, as in Kibana: deletes may come in quick succession and nothing
    reads aliases right after (``resolve`` fetches them by id, which is real-time).
    """
    wanted: list[AliasTarget] = []
    for target in targets:
        if ALL_NAMESPACES_STRING in target.namespaces:
            _log_failure([target], '"namespaces" cannot include the * string', when)
        elif target.namespaces or not target.inclusive:
            wanted.append(target)
    if LEGACY_URL_ALIAS_TYPE not in ctx.registry:
        return
    for start in range(0, len(wanted), CHUNK_SIZE):
        chunk = wanted[start : start + CHUNK_SIZE]
        try:
            answer = yield _request(ctx, chunk)
        except Exception as exc:
            _log_failure(chunk, str(exc), when)
            continue
        failures = answer.get("failures") if isinstance(answer, dict) else None
        if failures:
            _log_failure(
                chunk, f"{len(failures)} aliases could not be deleted: {failures[0]}", when
            )


def _log_failure(targets: Sequence[AliasTarget], message: str, when: str) -> None:
    names = ", ".join(f"{t.type}/{t.id}" for t in targets)
    logger.error(
        "Unable to delete aliases when %s: Failed to delete legacy URL aliases for %s: %s",
        when,
        names,
        message,
    )
