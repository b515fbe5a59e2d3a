"""Adapters from the official clients to :class:`~kbn_saved_objects.engine.requests.Request`.

Each adapter does three things and nothing else: send a prepared request through the
client's transport (so the user's connection settings, auth, TLS, retries and pooling all
apply), return the parsed body, and reduce the client's exceptions to an
:class:`~kbn_saved_objects.engine.errors.EngineFailure`. Bodies arrive as bytes already
serialized with orjson, so no client-side serialization runs per request.

This module is the async source; ``engine/_sync/adapters.py`` is generated from it.
"""

from __future__ import annotations

from typing import Any, Protocol

from elasticsearch import AsyncElasticsearch
from elasticsearch import exceptions as es_exceptions

from kbn_saved_objects.engine.clients import (
    elasticsearch_failure,
    install_bytes_serializer,
    opensearch_failure,
    with_query_string,
)
from kbn_saved_objects.engine.errors import EngineFailure, error_from_engine
from kbn_saved_objects.engine.flavors import EngineInfo, compatibility_headers, ndjson_content_type
from kbn_saved_objects.engine.requests import Request


class AsyncAdapter(Protocol):
    """What the engine needs from a client: perform one request, and close."""

    info: EngineInfo

    async def perform(self, request: Request) -> Any: ...

    async def close(self) -> None: ...


class AsyncElasticsearchAdapter:
    """elasticsearch-py (8.x or 9.x client) against Elasticsearch 8/9."""

    def __init__(self, client: AsyncElasticsearch, info: EngineInfo) -> None:
        self.client = client
        self.info = info
        self._headers = compatibility_headers(info) or {
            "accept": "application/json",
            "content-type": "application/json",
        }
        self._ndjson_headers = {**self._headers, "content-type": ndjson_content_type(info)}

    async def perform(self, request: Request) -> Any:
        headers = self._ndjson_headers if request.ndjson else self._headers
        try:
            response = await self.client.perform_request(
                request.method,
                request.path,
                params=request.params,
                headers=headers,
                body=request.body,
            )
        except es_exceptions.ApiError as exc:
            failure = elasticsearch_failure(exc)
            if failure.status == 404 and request.not_found_ok and failure.product_header:
                return exc.body
            raise error_from_engine(failure) from exc
        except es_exceptions.TransportError as exc:
            raise error_from_engine(EngineFailure(None, message=str(exc))) from exc
        if request.method == "HEAD":
            return 200 <= response.meta.status < 300
        return response.body

    async def close(self) -> None:
        await self.client.close()


class AsyncOpenSearchAdapter:
    """opensearch-py against OpenSearch 2/3."""

    def __init__(self, client: Any, info: EngineInfo) -> None:
        self.client = client
        self.info = info
        install_bytes_serializer(client)
        self._ndjson_headers = {"content-type": "application/x-ndjson"}

    async def perform(self, request: Request) -> Any:
        from opensearchpy import exceptions as os_exceptions

        try:
            return await self.client.transport.perform_request(
                request.method,
                with_query_string(request),
                params=None,
                body=request.body,
                headers=self._ndjson_headers if request.ndjson else None,
            )
        except os_exceptions.TransportError as exc:
            failure = opensearch_failure(exc)
            if failure.status == 404 and request.not_found_ok:
                return failure.body if failure.body is not None else {}
            raise error_from_engine(failure) from exc

    async def close(self) -> None:
        await self.client.close()
