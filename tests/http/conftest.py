"""A live HTTP server for the API tests: uvicorn on a free loopback port, the real engine.

``live_app(configure, authenticate=None, xsrf=True, seed=None)`` starts the app of a
fresh :class:`AsyncSavedObjectsService` and returns a :class:`LiveApp` whose ``url`` a
real HTTP client (httpx) talks to. Everything async -- the engine connection, the
service, uvicorn -- lives on one event loop in a server thread, because an async engine
client is bound to the loop that made it; tests stay synchronous and read or seed data
over HTTP or with ``live.sync_start()`` (a sync service over the same indices).

The default ``configure`` is :func:`default_types` + spaces: types of every namespace
kind, one ``hidden`` and one ``hidden_from_http_apis`` type, and spaces ``s1``/``s2``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from kbn_saved_objects.engine import AsyncEngine, Engine
from kbn_saved_objects.extensions.spaces import (
    SPACE_TYPE,
    AsyncSpacesClient,
    Space,
    enable_spaces,
)
from kbn_saved_objects.http import Authenticator, create_app
from kbn_saved_objects.service import (
    AsyncSavedObjectsService,
    AsyncSavedObjectsServiceStart,
    SavedObjectsService,
    SavedObjectsServiceStart,
)
from kbn_saved_objects.types import SavedObjectsType, SavedObjectsTypeManagement
from tests.http._live import ServerThread, repository_config

MAPPINGS = {
    "properties": {
        "title": {"type": "text", "fields": {"keyword": {"type": "keyword"}}},
        "version": {"type": "integer"},
    }
}
EXPORTABLE = SavedObjectsTypeManagement(importable_and_exportable=True)
SPACES = ("s1", "s2")

TYPES = [
    SavedObjectsType(
        name="visualization",
        namespace_type="multiple-isolated",
        mappings=MAPPINGS,
        management=EXPORTABLE,
    ),
    SavedObjectsType(
        name="dashboard",
        namespace_type="multiple-isolated",
        mappings=MAPPINGS,
        management=EXPORTABLE,
    ),
    SavedObjectsType(
        name="index-pattern",
        namespace_type="multiple",
        mappings=MAPPINGS,
        management=EXPORTABLE,
    ),
    SavedObjectsType(
        name="note", namespace_type="single", mappings=MAPPINGS, management=EXPORTABLE
    ),
    SavedObjectsType(name="config", namespace_type="agnostic", mappings=MAPPINGS),
    SavedObjectsType(name="hiddentype", namespace_type="single", hidden=True, mappings=MAPPINGS),
    SavedObjectsType(
        name="hidden-from-http",
        namespace_type="single",
        hidden_from_http_apis=True,
        mappings=MAPPINGS,
        management=EXPORTABLE,
    ),
]
"""Types like the fixtures of Kibana's API tests (``visualization``, ``dashboard``,
``index-pattern``), plus each namespace kind and both kinds of hiding."""

Configure = Callable[[AsyncSavedObjectsService], None]
Seed = Callable[[AsyncSavedObjectsServiceStart], Awaitable[None]]


def default_types(service: Any) -> None:
    """Register :data:`TYPES` and enable spaces (sync or async service)."""
    setup = service.setup()
    for definition in TYPES:
        setup.register_type(definition)
    enable_spaces(service)


@dataclass
class LiveApp:
    """A running server: ``url`` is its base URL (no trailing slash)."""

    url: str
    engine_url: str
    prefix: str
    configure: Callable[[Any], None]
    _clients: list[httpx.Client] = field(default_factory=list)
    _engines: list[Engine] = field(default_factory=list)

    def client(self, *, xsrf: bool = True, **kwargs: Any) -> httpx.Client:
        """An httpx client for this server, sending ``kbn-xsrf`` unless told not to."""
        headers = {"kbn-xsrf": "true"} if xsrf else {}
        headers.update(kwargs.pop("headers", {}))
        client = httpx.Client(base_url=self.url, headers=headers, timeout=60, **kwargs)
        self._clients.append(client)
        return client

    def sync_start(self) -> SavedObjectsServiceStart:
        """A sync service over the same indices (to seed or inspect data directly)."""
        engine = Engine.connect(self.engine_url)
        self._engines.append(engine)
        service = SavedObjectsService(engine, config=repository_config(self.prefix))
        self.configure(service)
        return service.start()


@pytest.fixture
def live_app(kbn_engine_url: str, kbn_index_prefix: str) -> Iterator[Callable[..., LiveApp]]:
    """A factory of live servers; each is stopped after the test.

    ``configure(service)`` registers types and extensions (default :func:`default_types`,
    which also creates spaces ``s1`` and ``s2``); ``seed(start)`` runs on the server's
    loop after the indices exist; ``authenticate`` and ``xsrf`` go to ``create_app``.
    """
    threads: list[ServerThread] = []
    apps: list[LiveApp] = []

    def start(
        configure: Configure = default_types,
        *,
        authenticate: Authenticator | None = None,
        xsrf: bool = True,
        seed: Seed | None = None,
        **app_options: Any,
    ) -> LiveApp:
        prefix = f"{kbn_index_prefix}-{len(threads)}"
        thread: ServerThread

        async def build() -> Any:
            engine = await AsyncEngine.connect(kbn_engine_url)
            thread.cleanup.append(engine.close)
            service = AsyncSavedObjectsService(engine, config=repository_config(prefix))
            configure(service)
            started = service.start()
            await started.create_internal_repository().setup_indices()
            if SPACE_TYPE in started.get_type_registry():
                spaces = AsyncSpacesClient(started.create_internal_repository([SPACE_TYPE]))
                await spaces.ensure_default_space()
                for space_id in SPACES:
                    await spaces.create(Space(id=space_id, name=space_id.upper()))
            if seed is not None:
                await seed(started)
            return create_app(started, authenticate=authenticate, xsrf=xsrf, **app_options)

        thread = ServerThread(build)
        threads.append(thread)
        thread.start()
        if not thread.ready.wait(timeout=120):
            pytest.fail("the HTTP server did not start within 120s")
        if thread.error is not None:
            raise thread.error
        app = LiveApp(f"http://127.0.0.1:{thread.port}", kbn_engine_url, prefix, configure)
        apps.append(app)
        return app

    yield start
    for app in apps:
        for client in app._clients:
            client.close()
        for engine in app._engines:
            engine.close()
    for thread in threads:
        thread.stop()
