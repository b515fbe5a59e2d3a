"""Engine calls as plain values.

Every call the library makes to Elasticsearch or OpenSearch is built here as a
:class:`Request` (method, path, query parameters, body bytes) by a pure function. The sync
and async engines only *perform* requests, so what a call sends is decided in one place and
can be tested without a server. Bodies are serialized with orjson once, here; bulk bodies
are NDJSON bytes built without any per-document client overhead.

Only REST APIs that Elasticsearch 8/9 and OpenSearch 2/3 share are built here. The few that
differ (point-in-time) are built by the engine flavor in :mod:`.flavors`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

import orjson

Refresh = bool | Literal["wait_for"] | None
Params = Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP call to the engine.

    ``not_found_ok`` makes a 404 answer come back as its body instead of raising, for calls
    whose caller must tell "no such document" apart from failure (get, delete, exists).
    """

    method: str
    path: str
    params: Params | None = None
    body: bytes | None = None
    ndjson: bool = False
    not_found_ok: bool = False


def dumps(value: Any) -> bytes:
    """JSON bytes as the engine expects them (UTF-8, no ASCII escaping, no spaces)."""
    return orjson.dumps(value)


def _segment(value: str) -> str:
    """Percent-encode one path segment: saved-object ids contain ':' and may contain '/'."""
    return quote(value, safe="")


def index_list(index: str | Sequence[str]) -> str:
    names = [index] if isinstance(index, str) else list(index)
    return ",".join(_segment(name) for name in names)


def query_params(**values: Any) -> dict[str, str] | None:
    """Query parameters with ``None`` dropped and values rendered as the engine reads them."""
    out: dict[str, str] = {}
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            out[key] = ",".join(str(v) for v in value)
        else:
            out[key] = str(value)
    return out or None


def _refresh(refresh: Refresh) -> str | None:
    if refresh is None:
        return None
    if refresh == "wait_for":
        return "wait_for"
    return "true" if refresh else "false"


# Documents -----------------------------------------------------------------------------


def index_document(
    index: str,
    document: Mapping[str, Any],
    *,
    id: str | None = None,
    op_type: Literal["index", "create"] | None = None,
    if_seq_no: int | None = None,
    if_primary_term: int | None = None,
    refresh: Refresh = None,
    require_alias: bool | None = None,
    routing: str | None = None,
) -> Request:
    path = f"/{_segment(index)}/_doc" + (f"/{_segment(id)}" if id is not None else "")
    return Request(
        "PUT" if id is not None else "POST",
        path,
        query_params(
            op_type=op_type,
            if_seq_no=if_seq_no,
            if_primary_term=if_primary_term,
            refresh=_refresh(refresh),
            require_alias=require_alias,
            routing=routing,
        ),
        dumps(document),
    )


def create_document(
    index: str,
    id: str,
    document: Mapping[str, Any],
    *,
    refresh: Refresh = None,
    require_alias: bool | None = None,
) -> Request:
    """Create a document that must not exist yet (409 if it does)."""
    return Request(
        "PUT",
        f"/{_segment(index)}/_create/{_segment(id)}",
        query_params(refresh=_refresh(refresh), require_alias=require_alias),
        dumps(document),
    )


def get_document(index: str, id: str, *, source_includes: Sequence[str] | None = None) -> Request:
    return Request(
        "GET",
        f"/{_segment(index)}/_doc/{_segment(id)}",
        query_params(_source_includes=source_includes),
        not_found_ok=True,
    )


def mget(docs: Iterable[Mapping[str, Any]], *, index: str | None = None) -> Request:
    """Multi-get. Each doc is ``{"_index": ..., "_id": ...}`` (plus optional ``_source``)."""
    path = f"/{_segment(index)}/_mget" if index else "/_mget"
    return Request("POST", path, None, dumps({"docs": list(docs)}))


def update_document(
    index: str,
    id: str,
    body: Mapping[str, Any],
    *,
    if_seq_no: int | None = None,
    if_primary_term: int | None = None,
    refresh: Refresh = None,
    retry_on_conflict: int | None = None,
    require_alias: bool | None = None,
    source: bool | None = None,
) -> Request:
    """Partial update: ``body`` holds ``doc``/``upsert``/``script`` as the engine takes them."""
    return Request(
        "POST",
        f"/{_segment(index)}/_update/{_segment(id)}",
        query_params(
            if_seq_no=if_seq_no,
            if_primary_term=if_primary_term,
            refresh=_refresh(refresh),
            retry_on_conflict=retry_on_conflict,
            require_alias=require_alias,
            _source=source,
        ),
        dumps(body),
    )


def delete_document(
    index: str,
    id: str,
    *,
    if_seq_no: int | None = None,
    if_primary_term: int | None = None,
    refresh: Refresh = None,
) -> Request:
    return Request(
        "DELETE",
        f"/{_segment(index)}/_doc/{_segment(id)}",
        query_params(
            if_seq_no=if_seq_no, if_primary_term=if_primary_term, refresh=_refresh(refresh)
        ),
        not_found_ok=True,
    )


# Bulk ----------------------------------------------------------------------------------

BulkAction = tuple[Mapping[str, Any], Mapping[str, Any] | None]


def bulk_lines(action: Mapping[str, Any], source: Mapping[str, Any] | None) -> bytes:
    """One operation of a bulk body: the action line, then the source line unless the
    action is a delete, each ending with a newline."""
    if source is None:
        return orjson.dumps(action) + b"\n"
    return b"%b\n%b\n" % (orjson.dumps(action), orjson.dumps(source))


def bulk_body(actions: Iterable[BulkAction]) -> bytes:
    """NDJSON bulk body: an action line, then a source line unless the action is a delete."""
    return b"".join([bulk_lines(action, source) for action, source in actions])


def bulk(
    body: bytes | Iterable[BulkAction],
    *,
    index: str | None = None,
    refresh: Refresh = None,
    require_alias: bool | None = None,
    only_errors: bool = False,
) -> Request:
    """A ``_bulk`` call; ``body`` may already be NDJSON bytes (see :func:`bulk_body`).

    ``only_errors``: the answer keeps ``errors`` and the items that failed, each as
    ``{action: {"error": ...}}`` (``filter_path``), for callers that need nothing of a
    success: a thousand successful items are ~230 KB to render and parse."""
    payload = body if isinstance(body, bytes) else bulk_body(body)
    path = f"/{_segment(index)}/_bulk" if index else "/_bulk"
    return Request(
        "POST",
        path,
        query_params(
            refresh=_refresh(refresh),
            require_alias=require_alias,
            filter_path="errors,items.*.error" if only_errors else None,
        ),
        payload,
        ndjson=True,
    )


# Search --------------------------------------------------------------------------------


def search(
    body: Mapping[str, Any],
    *,
    index: str | Sequence[str] | None = None,
    preference: str | None = None,
    ignore_unavailable: bool | None = None,
    allow_no_indices: bool | None = None,
    rest_total_hits_as_int: bool | None = None,
    seq_no_primary_term: bool | None = None,
    scroll: str | None = None,
    allow_partial_search_results: bool | None = None,
) -> Request:
    """A ``_search``; with a point-in-time in ``body`` the index must be left out."""
    path = f"/{index_list(index)}/_search" if index else "/_search"
    return Request(
        "POST",
        path,
        query_params(
            preference=preference,
            ignore_unavailable=ignore_unavailable,
            allow_no_indices=allow_no_indices,
            rest_total_hits_as_int=rest_total_hits_as_int,
            seq_no_primary_term=seq_no_primary_term,
            scroll=scroll,
            allow_partial_search_results=allow_partial_search_results,
        ),
        dumps(body),
    )


def count(
    index: str | Sequence[str],
    query: Mapping[str, Any] | None = None,
    *,
    ignore_unavailable: bool | None = None,
) -> Request:
    return Request(
        "POST",
        f"/{index_list(index)}/_count",
        query_params(ignore_unavailable=ignore_unavailable),
        dumps({"query": query}) if query is not None else None,
    )


def _by_query(
    endpoint: str,
    index: str | Sequence[str],
    body: Mapping[str, Any],
    *,
    refresh: bool | None,
    conflicts: Literal["abort", "proceed"] | None,
    wait_for_completion: bool | None,
    slices: int | Literal["auto"] | None,
    scroll_size: int | None,
) -> Request:
    return Request(
        "POST",
        f"/{index_list(index)}/{endpoint}",
        query_params(
            refresh=refresh,
            conflicts=conflicts,
            wait_for_completion=wait_for_completion,
            slices=slices,
            scroll_size=scroll_size,
        ),
        dumps(body),
    )


def update_by_query(
    index: str | Sequence[str],
    body: Mapping[str, Any],
    *,
    refresh: bool | None = None,
    conflicts: Literal["abort", "proceed"] | None = None,
    wait_for_completion: bool | None = None,
    slices: int | Literal["auto"] | None = None,
    scroll_size: int | None = None,
) -> Request:
    return _by_query(
        "_update_by_query",
        index,
        body,
        refresh=refresh,
        conflicts=conflicts,
        wait_for_completion=wait_for_completion,
        slices=slices,
        scroll_size=scroll_size,
    )


def delete_by_query(
    index: str | Sequence[str],
    body: Mapping[str, Any],
    *,
    refresh: bool | None = None,
    conflicts: Literal["abort", "proceed"] | None = None,
    wait_for_completion: bool | None = None,
    slices: int | Literal["auto"] | None = None,
    scroll_size: int | None = None,
) -> Request:
    return _by_query(
        "_delete_by_query",
        index,
        body,
        refresh=refresh,
        conflicts=conflicts,
        wait_for_completion=wait_for_completion,
        slices=slices,
        scroll_size=scroll_size,
    )


def reindex(
    body: Mapping[str, Any],
    *,
    refresh: bool | None = None,
    wait_for_completion: bool | None = None,
    slices: int | Literal["auto"] | None = None,
    requests_per_second: float | None = None,
    require_alias: bool | None = None,
) -> Request:
    return Request(
        "POST",
        "/_reindex",
        query_params(
            refresh=refresh,
            wait_for_completion=wait_for_completion,
            slices=slices,
            requests_per_second=requests_per_second,
            require_alias=require_alias,
        ),
        dumps(body),
    )


def get_task(
    task_id: str, *, wait_for_completion: bool | None = None, timeout: str | None = None
) -> Request:
    return Request(
        "GET",
        f"/_tasks/{_segment(task_id)}",
        query_params(wait_for_completion=wait_for_completion, timeout=timeout),
    )


# Indices -------------------------------------------------------------------------------


def create_index(
    index: str,
    *,
    mappings: Mapping[str, Any] | None = None,
    settings: Mapping[str, Any] | None = None,
    aliases: Mapping[str, Any] | None = None,
    wait_for_active_shards: str | None = None,
    timeout: str | None = None,
) -> Request:
    body: dict[str, Any] = {}
    if mappings is not None:
        body["mappings"] = mappings
    if settings is not None:
        body["settings"] = settings
    if aliases is not None:
        body["aliases"] = aliases
    return Request(
        "PUT",
        f"/{_segment(index)}",
        query_params(wait_for_active_shards=wait_for_active_shards, timeout=timeout),
        dumps(body),
    )


def delete_index(index: str | Sequence[str], *, ignore_unavailable: bool | None = None) -> Request:
    return Request(
        "DELETE", f"/{index_list(index)}", query_params(ignore_unavailable=ignore_unavailable)
    )


def index_exists(index: str | Sequence[str]) -> Request:
    return Request("HEAD", f"/{index_list(index)}", not_found_ok=True)


def get_index(index: str | Sequence[str], *, ignore_unavailable: bool | None = None) -> Request:
    """Settings, mappings and aliases of indices (or aliases) in one call; with
    ``ignore_unavailable`` whichever of the names exist."""
    return Request(
        "GET",
        f"/{index_list(index)}",
        query_params(ignore_unavailable=ignore_unavailable),
        not_found_ok=True,
    )


def get_mapping(index: str | Sequence[str]) -> Request:
    return Request("GET", f"/{index_list(index)}/_mapping")


def put_mapping(index: str | Sequence[str], mappings: Mapping[str, Any]) -> Request:
    return Request("PUT", f"/{index_list(index)}/_mapping", None, dumps(mappings))


def shard_stats(index: str | Sequence[str], metric: str = "docs") -> Request:
    """``GET /<index>/_stats/<metric>?level=shards``: per-shard stats, which carry each
    shard's ``seq_no`` (``max_seq_no``, checkpoints) whatever the metric."""
    return Request("GET", f"/{index_list(index)}/_stats/{metric}", {"level": "shards"})


def get_settings(index: str | Sequence[str]) -> Request:
    return Request("GET", f"/{index_list(index)}/_settings")


def put_settings(index: str | Sequence[str], settings: Mapping[str, Any]) -> Request:
    return Request("PUT", f"/{index_list(index)}/_settings", None, dumps(settings))


def clone_index(
    source: str,
    target: str,
    *,
    settings: Mapping[str, Any] | None = None,
    wait_for_active_shards: str | None = None,
    timeout: str | None = None,
) -> Request:
    body = {"settings": settings} if settings is not None else {}
    return Request(
        "POST",
        f"/{_segment(source)}/_clone/{_segment(target)}",
        query_params(wait_for_active_shards=wait_for_active_shards, timeout=timeout),
        dumps(body),
    )


def refresh(index: str | Sequence[str]) -> Request:
    return Request("POST", f"/{index_list(index)}/_refresh")


def flush(index: str | Sequence[str]) -> Request:
    """Commit the index to disk: every acknowledged write survives a crash of the engine,
    whatever the index's translog durability. ``force``: without it OpenSearch 2.19 left a
    fresh write uncommitted (measured)."""
    return Request("POST", f"/{index_list(index)}/_flush", {"force": "true"})


def add_write_block(index: str) -> Request:
    """Make an index read-only for writes (its documents stay readable and deletable)."""
    return Request("PUT", f"/{_segment(index)}/_block/write")


# Aliases -------------------------------------------------------------------------------


def update_aliases(actions: Sequence[Mapping[str, Any]]) -> Request:
    """All alias actions in one call: the engine applies them atomically."""
    return Request("POST", "/_aliases", None, dumps({"actions": list(actions)}))


def get_alias(name: str | Sequence[str] | None = None, *, index: str | None = None) -> Request:
    path = f"/{_segment(index)}/_alias" if index else "/_alias"
    if name is not None:
        path += f"/{index_list(name)}"
    return Request("GET", path, not_found_ok=True)


# Cluster -------------------------------------------------------------------------------


def info() -> Request:
    return Request("GET", "/")


def cluster_health(
    index: str | None = None,
    *,
    wait_for_status: Literal["green", "yellow", "red"] | None = None,
    timeout: str | None = None,
) -> Request:
    path = f"/_cluster/health/{_segment(index)}" if index else "/_cluster/health"
    return Request("GET", path, query_params(wait_for_status=wait_for_status, timeout=timeout))
