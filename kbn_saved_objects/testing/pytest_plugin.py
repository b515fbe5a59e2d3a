"""pytest fixtures that give tests a real Elasticsearch/OpenSearch engine.

The engine is found or started once per test session, and only if a test asks for it
(see :mod:`kbn_saved_objects.engine.discovery` for the order). When none can be had the
requesting tests *fail* with a message saying what to install: a missing engine never
turns into silently skipped tests.

Fixtures: ``kbn_engine_url``, ``kbn_engine`` (sync :class:`~kbn_saved_objects.Engine`),
``kbn_async_engine`` (with pytest-asyncio), ``kbn_index_prefix`` (a unique prefix whose
indices are deleted after the test), and ``kbn_cluster`` (a fresh 3-node local OpenSearch
cluster for one test, whose nodes the test may kill).

Every test that uses one of them is marked ``engine`` automatically, so ``-m engine`` and
``-m "not engine"`` split a suite into engine-backed and pure tests without relying on
each test file remembering its marker. ``KBN_SO_ENGINE_VERSION`` picks the OpenSearch
version of the local node (2.19.6 by default; ``3`` for the newest known 3.x);
``KBN_SO_ENGINE_URL`` overrides all of this with an engine of your own.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator

import pytest

from kbn_saved_objects.engine import AsyncEngine, Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.discovery import (
    ENV_URL,
    EngineSetupError,
    ProvidedEngine,
    provide_engine,
)
from kbn_saved_objects.engine.local.node import (
    ENV_VERSION,
    LocalCluster,
    LocalEngineError,
    default_version,
)

_counter = itertools.count()

ENGINE_FIXTURES = frozenset(
    {"kbn_engine_url", "kbn_engine", "kbn_async_engine", "kbn_index_prefix", "kbn_cluster"}
)
"""Requesting any of these makes a test engine-backed."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "engine: needs a real search engine (started by the kbn_saved_objects plugin)"
    )
    config.addinivalue_line(
        "markers",
        "local_engine: starts local OpenSearch nodes of its own (needs Java and Maven even "
        "when KBN_SO_ENGINE_URL is set); implies engine",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "kbn_cluster" in fixtures:
            item.add_marker(pytest.mark.local_engine)
        if ENGINE_FIXTURES & fixtures or item.get_closest_marker("local_engine"):
            item.add_marker(pytest.mark.engine)


def pytest_report_header() -> str:
    url = os.environ.get(ENV_URL)
    if url:
        return f"kbn-saved-objects engine: {url} (from {ENV_URL})"
    try:
        version = default_version()
    except LocalEngineError as exc:
        return f"kbn-saved-objects engine: {exc}"
    return f"kbn-saved-objects engine: local OpenSearch {version} ({ENV_VERSION})"


@pytest.fixture(scope="session")
def kbn_engine_url() -> Iterator[str]:
    try:
        provided: ProvidedEngine = provide_engine()
    except EngineSetupError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield provided.url
    finally:
        provided.stop()


@pytest.fixture(scope="session")
def kbn_engine(kbn_engine_url: str) -> Iterator[Engine]:
    engine = Engine.connect(kbn_engine_url)
    try:
        yield engine
    finally:
        engine.close()


@pytest.fixture
def kbn_index_prefix(kbn_engine: Engine) -> Iterator[str]:
    """A fresh lowercase prefix for a test's indices; everything under it is deleted after."""
    prefix = f"kbn-so-test-{os.getpid()}-{next(_counter)}"
    yield prefix
    # Elasticsearch refuses wildcard deletes by default: resolve the names first.
    found = kbn_engine.perform(rq.get_index(f"{prefix}*"))
    names = [name for name in found if name.startswith(prefix)]
    if names:
        kbn_engine.perform(rq.delete_index(names, ignore_unavailable=True))


@pytest.fixture
def kbn_cluster() -> Iterator[LocalCluster]:
    """A fresh 3-node OpenSearch cluster on loopback (``KBN_SO_ENGINE_VERSION``), for one
    test: ``kbn_cluster.url`` reaches node 0, ``kbn_cluster.kill(i)`` SIGKILLs node ``i``.

    Always local, even when ``KBN_SO_ENGINE_URL`` is set: a test that kills nodes needs
    nodes of its own. It costs three JVM starts (512m heap each), so use it sparingly.
    """
    try:
        cluster = LocalCluster(3)
        cluster.start(attached=True)
    except LocalEngineError as exc:
        pytest.fail(f"could not start a local 3-node cluster: {exc}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - async fixtures need pytest-asyncio
    pass
else:

    @pytest_asyncio.fixture(scope="session", loop_scope="session")
    async def kbn_async_engine(kbn_engine_url: str) -> AsyncIterator[AsyncEngine]:
        engine = await AsyncEngine.connect(kbn_engine_url)
        try:
            yield engine
        finally:
            await engine.close()
