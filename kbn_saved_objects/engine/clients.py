"""Client-library details shared by the sync and async adapters.

Kept out of the adapters so that the generated sync twin repeats none of it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import orjson
from elasticsearch import exceptions as es_exceptions

from kbn_saved_objects.engine.errors import EngineFailure
from kbn_saved_objects.engine.requests import Request


def with_query_string(request: Request) -> str:
    """The path with its query string, for opensearch-py.

    opensearch-py takes ``timeout`` and ``ignore`` out of ``params`` as *client* options,
    so an engine-side ``timeout`` (cluster health, create index) would never be sent.
    """
    if not request.params:
        return request.path
    return f"{request.path}?{urlencode(request.params)}"


def elasticsearch_failure(exc: es_exceptions.ApiError) -> EngineFailure:
    """An elasticsearch-py API error, with Kibana's product-header observation."""
    has_product = exc.meta.headers.get("x-elastic-product") == "Elasticsearch"
    return EngineFailure(exc.meta.status, exc.body, str(exc.message), product_header=has_product)


def opensearch_failure(exc: Exception) -> EngineFailure:
    """An opensearch-py transport error; its ``status_code`` is ``"N/A"`` without an answer."""
    status = getattr(exc, "status_code", None)
    if not isinstance(status, int):
        return EngineFailure(None, message=str(exc))
    info = getattr(exc, "info", None)
    return EngineFailure(status, info if isinstance(info, dict) else None, str(exc.args[1]))


class BytesSerializer:
    """Wraps opensearch-py's serializer so bodies we already serialized pass unchanged.

    opensearch-py would otherwise ``json.dumps`` a bytes body (and fail); decoding it to
    str first would cost a copy of every bulk body.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.mimetype = getattr(inner, "mimetype", "application/json")

    def dumps(self, data: Any) -> Any:
        if isinstance(data, bytes):
            return data
        return self._inner.dumps(data)

    def loads(self, data: Any) -> Any:
        return self._inner.loads(data)


class OrjsonOpenSearchSerializer:
    """JSON for opensearch-py with orjson, both ways, for the clients the library builds.

    opensearch-py decodes every response with the standard ``json`` module; orjson reads
    a search or mget answer about twice as fast. Bodies we built are already bytes.
    """

    mimetype = "application/json"

    def dumps(self, data: Any) -> Any:
        if isinstance(data, (bytes, str)):
            return data
        return orjson.dumps(data)

    def loads(self, data: Any) -> Any:
        return orjson.loads(data)


def install_bytes_serializer(client: Any) -> None:
    transport = client.transport
    if not isinstance(transport.serializer, (BytesSerializer, OrjsonOpenSearchSerializer)):
        transport.serializer = BytesSerializer(transport.serializer)
