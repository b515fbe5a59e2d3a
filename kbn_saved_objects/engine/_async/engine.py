"""The engine: the one interface the rest of the library uses to reach the search engine.

Calls are built as values by :mod:`kbn_saved_objects.engine.requests` and performed here::

    engine = await AsyncEngine.connect("http://127.0.0.1:9200")
    await engine.perform(rq.index_document("my-index", {"a": 1}, id="1", refresh=True))

The engine knows which server it talks to (:attr:`info`) and builds the few calls that
differ between Elasticsearch and OpenSearch itself (point-in-time). Failures surface as
:class:`~kbn_saved_objects.errors.SavedObjectsError` subclasses.

This module is the async source; ``engine/_sync/engine.py`` is generated from it.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

from elasticsearch import AsyncElasticsearch, OrjsonSerializer
from elasticsearch import exceptions as es_exceptions

from kbn_saved_objects.engine import flavors
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine._async.adapters import (
    AsyncAdapter,
    AsyncElasticsearchAdapter,
    AsyncOpenSearchAdapter,
)
from kbn_saved_objects.engine.clients import (
    OrjsonOpenSearchSerializer,
    elasticsearch_failure,
    opensearch_failure,
)
from kbn_saved_objects.engine.errors import EngineFailure, error_from_engine
from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.errors import GeneralError

_PLAIN_JSON = {"accept": "application/json"}


class AsyncEngine:
    """A connection to one Elasticsearch or OpenSearch cluster."""

    def __init__(self, adapter: AsyncAdapter) -> None:
        self.adapter = adapter

    @property
    def info(self) -> EngineInfo:
        return self.adapter.info

    @classmethod
    async def connect(cls, url: str, *, request_timeout: float = 60.0) -> AsyncEngine:
        """Connect to ``url`` and pick the adapter from what the server says it is."""
        client = AsyncElasticsearch(
            url, request_timeout=request_timeout, serializer=OrjsonSerializer()
        )
        try:
            info = await _probe_elasticsearch(client)
        except BaseException:
            await client.close()
            raise
        if not info.is_opensearch:
            return cls(AsyncElasticsearchAdapter(client, info))
        await client.close()
        from opensearchpy import AsyncOpenSearch

        os_client = AsyncOpenSearch(
            hosts=[url],
            timeout=request_timeout,
            serializer=OrjsonOpenSearchSerializer(),
            # urllib3's default pool keeps one connection: concurrent requests (the
            # migrator's read-ahead and parallel bulks) would reconnect every time.
            # elasticsearch-py keeps 10 per node; so do we.
            pool_maxsize=10,
        )
        return cls(AsyncOpenSearchAdapter(os_client, info))

    @classmethod
    async def from_client(cls, client: Any) -> AsyncEngine:
        """Wrap a client the caller configured (auth, TLS...): elasticsearch-py's
        ``AsyncElasticsearch`` or opensearch-py's ``AsyncOpenSearch``."""
        if isinstance(client, AsyncElasticsearch):
            return cls(AsyncElasticsearchAdapter(client, await _probe_elasticsearch(client)))
        from opensearchpy import exceptions as os_exceptions

        try:
            root = await client.transport.perform_request("GET", "/")
        except os_exceptions.TransportError as exc:
            raise error_from_engine(opensearch_failure(exc)) from exc
        return cls(AsyncOpenSearchAdapter(client, EngineInfo.from_root(root)))

    async def perform(self, request: rq.Request) -> Any:
        """Send one request; return the parsed body (a bool for ``HEAD``)."""
        return await self.adapter.perform(request)

    async def open_point_in_time(
        self, index: str, *, keep_alive: str = "5m", preference: str | None = None
    ) -> str:
        body = await self.perform(
            flavors.open_point_in_time(
                self.info, index, keep_alive=keep_alive, preference=preference
            )
        )
        return flavors.point_in_time_id(self.info, body)

    async def close_point_in_time(self, pit_id: str) -> None:
        """Close a point-in-time; closing one that already expired is not an error."""
        await self.perform(flavors.close_point_in_time(self.info, pit_id))

    async def wait_for_task(
        self, task_id: str, *, poll_interval: float = 0.5, max_wait: float | None = None
    ) -> dict[str, Any]:
        """Wait for an async task (reindex, update/delete by query) and return its answer.

        A task that completed with failures raises, so callers never take a partial
        server-side copy for a finished one.
        """
        waited = 0.0
        while True:
            body = await self.perform(rq.get_task(task_id, wait_for_completion=False))
            if body.get("completed"):
                break
            if max_wait is not None and waited >= max_wait:
                raise GeneralError(f"task [{task_id}] did not complete within {max_wait}s")
            await asyncio.sleep(poll_interval)
            waited += poll_interval
        error = body.get("error")
        failures = (body.get("response") or {}).get("failures") or []
        if error or failures:
            raise error_from_engine(
                EngineFailure(500, {"error": error or failures[0]}, f"task [{task_id}] failed")
            )
        return dict(body)

    async def close(self) -> None:
        await self.adapter.close()

    async def __aenter__(self) -> AsyncEngine:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


async def _probe_elasticsearch(client: AsyncElasticsearch) -> EngineInfo:
    """Read ``GET /`` with plain JSON headers, which every server major accepts.

    elasticsearch-py refuses a server that is not Elasticsearch, but it still hands over
    the body it read, which is how an OpenSearch cluster is recognised.
    """
    try:
        response = await client.perform_request("GET", "/", headers=_PLAIN_JSON)
        body = response.body
    except es_exceptions.UnsupportedProductError as exc:
        body = exc.body
    except es_exceptions.ApiError as exc:
        raise error_from_engine(elasticsearch_failure(exc)) from exc
    except es_exceptions.TransportError as exc:
        raise error_from_engine(EngineFailure(None, message=str(exc))) from exc
    return EngineInfo.from_root(body)
