"""Create the repository's indices on a fresh cluster (Kibana's fresh-install path).

For each index alias the registry uses, a physical index ``<alias><suffix>_001`` is
created with the registry's mappings and the aliases ``<alias>`` and ``<alias><suffix>``.
When the alias already exists, new fields are added to its mappings in place (a
compatible change). Changing existing documents or incompatible mappings is the index
migrator's job, not this one's. An index the zero-downtime migrator manages (its ``_meta``
has ``docVersions``) keeps its ``_meta``: that records what the migrator did, and a
replica of either release starting during a rolling upgrade must not rewrite it.

A new index is waited for until it is green, as Kibana's fresh install does: with
``auto_expand_replicas: 0-1`` a single node is green at once, and a cluster is green when
the replica is allocated, so the first writes are already replicated. An index that does
not become green in :data:`HEALTH_TIMEOUT` is an error that says why it may not.
"""

from __future__ import annotations

from typing import Any

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import GeneralError, SavedObjectsError
from kbn_saved_objects.mappings import EngineCapabilities, build_index_mappings
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.operation import Operation

HEALTH_TIMEOUT = "60s"
"""How long a new index may take to become green (Kibana's ``waitForIndexStatus``)."""

INDEX_SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "auto_expand_replicas": "0-1",
    "refresh_interval": "1s",
    "priority": 10,
    "mapping": {"total_fields": {"limit": 1500}},
}


def mappings_by_alias(ctx: RepositoryContext) -> dict[str, dict[str, Any]]:
    capabilities = EngineCapabilities(supports_version_field=ctx.engine.supports_version_field)
    return build_index_mappings(
        ctx.registry, capabilities=capabilities, main_index=ctx.config.default_index
    )


def ensure_indices(ctx: RepositoryContext) -> Operation[dict[str, str]]:
    """Returns ``{alias: "created" | "updated"}``."""
    outcome: dict[str, str] = {}
    suffix = ctx.config.index_suffix
    for alias, mappings in mappings_by_alias(ctx).items():
        exists = yield rq.index_exists(alias)
        if exists:
            body: dict[str, Any] = {"properties": mappings["properties"]}
            stored = yield rq.get_mapping(alias)
            if not any(
                ((index.get("mappings") or {}).get("_meta") or {}).get("docVersions")
                for index in (stored or {}).values()
            ):
                body["_meta"] = mappings["_meta"]
            yield rq.put_mapping(alias, body)
            outcome[alias] = "updated"
            continue
        aliases: dict[str, Any] = {alias: {}}
        if suffix:
            aliases[alias + suffix] = {}
        index = f"{alias}{suffix}_001"
        yield rq.create_index(
            index,
            mappings=mappings,
            settings=INDEX_SETTINGS,
            aliases=aliases,
            wait_for_active_shards="1",
        )
        yield from wait_until_green(index)
        outcome[alias] = "created"
    return outcome


def wait_until_green(index: str) -> Operation[None]:
    """Wait for ``index`` to be green; raise :class:`GeneralError` if it is not in time.

    The engine answers a wait that timed out with HTTP 408 (or ``timed_out: true``);
    either way the index exists but its replica is not allocated."""
    timed_out = False
    try:
        body = yield rq.cluster_health(index, wait_for_status="green", timeout=HEALTH_TIMEOUT)
        timed_out = bool(body.get("timed_out"))
    except SavedObjectsError as error:
        if error.metadata.get("engine_status") != 408:
            raise
        timed_out = True
    if timed_out:
        raise GeneralError(
            f"[index_not_green_timeout] Timeout waiting for the status of the [{index}] "
            f"index to become 'green' within {HEALTH_TIMEOUT}: check that the cluster can "
            "allocate its shards (disk watermarks, allocation filters, a replica needs a "
            "second node)",
            metadata={"index": index},
        )
