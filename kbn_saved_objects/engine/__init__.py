"""The engine layer: the only part of the library that talks to Elasticsearch/OpenSearch.

* :mod:`.requests` builds every call as a value (pure, testable without a server);
* :class:`Engine` / :class:`AsyncEngine` perform them through elasticsearch-py or
  opensearch-py and raise typed errors;
* :mod:`.flavors` holds the few differences between the two engines;
* :mod:`.local` starts a real OpenSearch node from Maven Central artifacts.
"""

from kbn_saved_objects.engine import requests
from kbn_saved_objects.engine._async.engine import AsyncEngine
from kbn_saved_objects.engine._sync.engine import Engine
from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.engine.requests import Request

__all__ = ["AsyncEngine", "Engine", "EngineInfo", "Request", "requests"]
