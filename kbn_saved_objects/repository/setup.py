"""Create the repository's indices on a fresh cluster (Kibana's fresh-install path).

For each index alias the registry uses, a physical index ``<alias><suffix>_001`` is
created with the registry's mappings and the aliases ``<alias>`` and ``<alias><suffix>``.
When the alias already exists, new fields are added to its mappings in place (a
compatible change). Changing existing documents or incompatible mappings is the index
migrator's job, not this one's.
"""

from __future__ import annotations

from typing import Any

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.mappings import EngineCapabilities, build_index_mappings
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.operation import Operation

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
            properties = {"properties": mappings["properties"], "_meta": mappings["_meta"]}
            yield rq.put_mapping(alias, properties)
            outcome[alias] = "updated"
            continue
        aliases: dict[str, Any] = {alias: {}}
        if suffix:
            aliases[alias + suffix] = {}
        yield rq.create_index(
            f"{alias}{suffix}_001",
            mappings=mappings,
            settings=INDEX_SETTINGS,
            aliases=aliases,
            wait_for_active_shards="1",
        )
        outcome[alias] = "created"
    return outcome
