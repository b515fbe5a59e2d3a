"""Finding a search engine for the tests and the CLI, in a fixed order.

1. ``KBN_SO_ENGINE_URL``: any Elasticsearch or OpenSearch URL (the adapter is chosen from
   what the server reports);
2. the local node started by ``kbn-so engine start``, if one is running (and, when
   ``KBN_SO_ENGINE_VERSION`` is set, runs that version);
3. a new local OpenSearch node provisioned from Maven Central, of ``KBN_SO_ENGINE_VERSION``
   (2.19.6 by default; needs Maven and Java 17+, or Java 21+ for OpenSearch 3);
4. an Elasticsearch container through testcontainers, where a Docker daemon answers,
   unless ``KBN_SO_ENGINE_VERSION`` asked for OpenSearch (never a silent swap of engines).

If none works the caller gets :class:`EngineSetupError` saying what to install: tests must
fail loudly rather than skip because no engine was found.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from kbn_saved_objects.engine.local.node import (
    ENV_VERSION,
    INSTALL_HINT,
    EngineState,
    LocalEngineError,
    LocalNode,
    default_version,
)

ENV_URL = "KBN_SO_ENGINE_URL"
TESTCONTAINERS_IMAGE = "docker.elastic.co/elasticsearch/elasticsearch:8.17.0"


class EngineSetupError(RuntimeError):
    """No search engine could be found or started."""


@dataclass
class ProvidedEngine:
    url: str
    source: str
    stop: Callable[[], None]


def _from_testcontainers() -> ProvidedEngine:
    try:
        import docker  # type: ignore[import-untyped]
        from testcontainers.community.elasticsearch import ElasticSearchContainer
    except ImportError as exc:  # pragma: no cover - dev extra missing
        raise EngineSetupError(f"testcontainers is not installed: {exc}") from exc
    try:
        docker.from_env().ping()
    except Exception as exc:
        raise EngineSetupError(f"no Docker daemon answers ({exc})") from exc
    container = ElasticSearchContainer(TESTCONTAINERS_IMAGE, mem_limit="2g")
    container.start()
    url = f"http://{container.get_container_host_ip()}:{container.get_exposed_port(container.port)}"
    return ProvidedEngine(url, f"testcontainers {TESTCONTAINERS_IMAGE}", container.stop)


def _keep() -> None:
    """Stopping an engine we did not start is not ours to do."""


def provide_engine() -> ProvidedEngine:
    """Return a running engine and how to stop it (a no-op for an external URL)."""
    url = os.environ.get(ENV_URL)
    if url:
        return ProvidedEngine(url.rstrip("/"), ENV_URL, _keep)
    try:
        version = default_version()
    except LocalEngineError as exc:
        raise EngineSetupError(f"{ENV_VERSION}: {exc}") from exc
    state = EngineState.load()
    if (
        state is not None
        and state.alive_pids()
        and (state.version == version or not os.environ.get(ENV_VERSION))
    ):
        return ProvidedEngine(state.url, f"local OpenSearch {state.version} (kbn-so engine)", _keep)
    problems: list[str] = []
    # no tool check up front: provisioning names the missing JDK or Maven itself, and
    # needs no Maven at all once the jars are cached
    node = LocalNode(version=version)
    try:
        node.start(attached=True)
        return ProvidedEngine(node.url, f"local OpenSearch {version}", node.stop)
    except LocalEngineError as exc:
        problems.append(f"local OpenSearch node: {exc}")
    if os.environ.get(ENV_VERSION):
        # OpenSearch of that version was asked for: any other engine would be a silent swap
        raise EngineSetupError(
            f"{ENV_VERSION}={os.environ[ENV_VERSION]} asks for a local OpenSearch {version}, "
            f"which could not be started:\n  - " + "\n  - ".join(problems)
        )
    try:
        return _from_testcontainers()
    except EngineSetupError as exc:
        problems.append(f"testcontainers: {exc}")
    raise EngineSetupError(
        "No search engine available.\n  - " + "\n  - ".join(problems) + f"\n{INSTALL_HINT}"
    )
