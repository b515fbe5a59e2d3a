"""What the search engine behind an index can store: the one place engines differ here.

Kibana only targets Elasticsearch. OpenSearch (before 3.2) has no ``version`` field type,
which Kibana uses for ``typeMigrationVersion`` so that Elasticsearch can compare
versions as semver. Instead of sprinkling engine checks over the code, the mappings
builder takes an :class:`EngineCapabilities` value; the engine layer fills it in from the
server's distribution and version.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ELASTICSEARCH_CAPABILITIES", "EngineCapabilities"]


@dataclass(frozen=True, kw_only=True)
class EngineCapabilities:
    """Engine features the index mappings depend on.

    ``supports_version_field``: the engine has the ``version`` field type (Elasticsearch;
    OpenSearch from 3.2). Without it ``typeMigrationVersion`` is mapped as ``keyword`` and
    callers must never rely on the engine ordering that field: compare versions in Python.
    """

    supports_version_field: bool = True


ELASTICSEARCH_CAPABILITIES = EngineCapabilities()
"""Elasticsearch 8/9: everything Kibana uses is available."""
