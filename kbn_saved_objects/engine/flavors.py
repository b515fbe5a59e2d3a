"""What differs between Elasticsearch and OpenSearch, decided in one place.

The library talks to both engines through the REST APIs they share (:mod:`.requests`).
This module holds the few things that are not shared: the point-in-time endpoints, the
compatibility headers Elasticsearch clients send, the product header check Kibana makes,
capabilities that depend on the server version (the ``version`` field type), and how a
stored mapping may differ from the one sent (OpenSearch 3 echoes defaults back). Everything
here is a pure function of :class:`EngineInfo`, which is read from ``GET /`` once, or of
the data itself.

OpenSearch 3 against 2 (checked on 3.9.0): the ``version`` field type exists (from 3.2)
and comes back from ``GET _mapping`` with ``"index": true`` added; point-in-time keeps
OpenSearch's own endpoints and ``pit_id``; no request the library makes draws a
deprecation warning (``tests/engine/test_flavors.py`` and the engine tests check each).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kbn_saved_objects.engine.requests import Request, dumps, index_list, query_params

Distribution = Literal["elasticsearch", "opensearch"]


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """The server we talk to: distribution and version, from the root endpoint."""

    distribution: Distribution
    version: str
    cluster_name: str = ""

    @classmethod
    def from_root(cls, body: Mapping[str, Any]) -> EngineInfo:
        version = body.get("version") or {}
        distribution = version.get("distribution", "elasticsearch")
        return cls(
            distribution="opensearch" if distribution == "opensearch" else "elasticsearch",
            version=str(version.get("number", "0.0.0")),
            cluster_name=str(body.get("cluster_name", "")),
        )

    @property
    def version_tuple(self) -> tuple[int, ...]:
        parts = []
        for part in self.version.split("-")[0].split("."):
            digits = "".join(ch for ch in part if ch.isdigit())
            parts.append(int(digits or 0))
        return tuple(parts)

    @property
    def major(self) -> int:
        return self.version_tuple[0]

    @property
    def is_opensearch(self) -> bool:
        return self.distribution == "opensearch"

    @property
    def supports_version_field(self) -> bool:
        """Whether mappings may use the ``version`` field type (Kibana's
        ``typeMigrationVersion``). Elasticsearch has it since 7.10; OpenSearch only from 3.2.
        """
        if self.is_opensearch:
            return self.version_tuple >= (3, 2)
        return self.version_tuple >= (7, 10)

    @property
    def supports_runtime_fields(self) -> bool:
        """Whether a search may define ``runtime_mappings`` (Kibana's merged sort field).
        Elasticsearch has them since 7.11; OpenSearch has none (2.19 rejects the key; its
        ``derived`` fields do not sort), so a script sort stands in there."""
        if self.is_opensearch:
            return False
        return self.version_tuple >= (7, 11)

    @property
    def checks_product_header(self) -> bool:
        """Kibana treats a 404 without ``x-elastic-product`` as a proxy answering for an
        unreachable Elasticsearch. OpenSearch never sends the header, so no check there."""
        return not self.is_opensearch

    def __str__(self) -> str:
        name = "OpenSearch" if self.is_opensearch else "Elasticsearch"
        return f"{name} {self.version}"


ECHOED_DEFAULTS: Mapping[str, Mapping[str, Any]] = {"version": {"index": True}}
"""Parameters an engine adds, at their default value, to a field it reports back:
OpenSearch 3 returns ``{"type": "version", "index": true}`` for ``{"type": "version"}``."""


def as_sent(field_mapping: Any) -> Any:
    """A field mapping without the defaults the engine echoes back, so that a mapping read
    from the engine compares equal to the one the library sent (and to its hash)."""
    if not isinstance(field_mapping, Mapping):
        return field_mapping
    echoed = ECHOED_DEFAULTS.get(field_mapping.get("type", ""))
    if not echoed:
        return field_mapping
    return {k: v for k, v in field_mapping.items() if not (k in echoed and echoed[k] == v)}


def compatibility_headers(info: EngineInfo) -> dict[str, str]:
    """Headers that make an Elasticsearch client of any major talk to this server's major.

    elasticsearch-py 9 asks for ``compatible-with=9``, which an 8.x server refuses; the
    server's own major is always accepted.
    """
    if info.is_opensearch:
        return {}
    major = min(max(info.major, 7), 9)
    if major < 8:
        return {}
    return {
        "accept": f"application/vnd.elasticsearch+json; compatible-with={major}",
        "content-type": f"application/vnd.elasticsearch+json; compatible-with={major}",
    }


def ndjson_content_type(info: EngineInfo) -> str:
    if info.is_opensearch or info.major < 8:
        return "application/x-ndjson"
    major = min(info.major, 9)
    return f"application/vnd.elasticsearch+x-ndjson; compatible-with={major}"


def open_point_in_time(
    info: EngineInfo, index: str | Sequence[str], *, keep_alive: str, preference: str | None = None
) -> Request:
    if info.is_opensearch:
        path = f"/{index_list(index)}/_search/point_in_time"
    else:
        path = f"/{index_list(index)}/_pit"
    return Request("POST", path, query_params(keep_alive=keep_alive, preference=preference))


def point_in_time_id(info: EngineInfo, body: Mapping[str, Any]) -> str:
    """The id out of an open-PIT answer (``id`` on Elasticsearch, ``pit_id`` on OpenSearch)."""
    key = "pit_id" if info.is_opensearch else "id"
    return str(body[key])


def point_in_time_tiebreaker(info: EngineInfo) -> list[Any]:
    """Sort keys that make point-in-time paging total (no hit skipped on ties).

    Elasticsearch adds ``_shard_doc`` to PIT searches itself (and sorts on it when asked);
    OpenSearch 2.x knows no ``_shard_doc`` and adds nothing, so ``search_after`` would skip
    documents that tie on the sort value (a bulk-created page shares one ``updated_at``).
    Raw ids are unique across saved-object indices, so ``_id`` breaks every tie there.
    """
    if info.is_opensearch:
        return [{"_id": "asc"}]
    return []


RUNTIME_FIELD_KEYS = ("runtime_mappings", "derived")
"""Where a search body defines fields computed at search time, on either engine."""


def runtime_fields_body(info: EngineInfo, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The search-body part that defines ``fields`` computed at search time.

    Elasticsearch calls them runtime fields (``runtime_mappings``); OpenSearch 2.15+ calls
    them derived fields (``derived``) and rejects ``runtime_mappings``. The per-field
    definition, ``{"type": ..., "script": {"source": ...}}``, is the same on both.
    """
    key = "derived" if info.is_opensearch else "runtime_mappings"
    return {key: dict(fields)}


def close_point_in_time(info: EngineInfo, pit_id: str) -> Request:
    if info.is_opensearch:
        return Request(
            "DELETE", "/_search/point_in_time", None, dumps({"pit_id": [pit_id]}), not_found_ok=True
        )
    return Request("DELETE", "/_pit", None, dumps({"id": pit_id}), not_found_ok=True)
