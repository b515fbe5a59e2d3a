"""pytest fixtures that give tests a real Elasticsearch/OpenSearch engine.

The engine is found or started once per test session, and only if a test asks for it
(see :mod:`kbn_saved_objects.engine.discovery` for the order). When none can be had the
requesting tests *fail* with a message saying what to install: a missing engine never
turns into silently skipped tests.

Fixtures: ``kbn_engine_url``, ``kbn_engine`` (sync :class:`~kbn_saved_objects.Engine`),
``kbn_async_engine`` (with pytest-asyncio), ``kbn_index_prefix`` (a unique prefix whose
indices are deleted after the test).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator

import pytest

from kbn_saved_objects.engine import AsyncEngine, Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.discovery import EngineSetupError, ProvidedEngine, provide_engine

_counter = itertools.count()


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
