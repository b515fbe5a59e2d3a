"""A live server for HTTP tests: uvicorn on a free loopback port, in a thread with its
own event loop, serving an app built *in that loop* (an async engine belongs to the loop
that made it). Tests talk to it with a real ``httpx.Client``.

``build`` receives an :class:`AsyncEngine` connected in the server's loop and returns
the app; everything it sets up (service, indices) therefore lives in that loop too.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

import httpx
import uvicorn
from fastapi import FastAPI, Request

from kbn_saved_objects.engine import AsyncEngine, Engine
from kbn_saved_objects.http import create_app
from kbn_saved_objects.repository import RepositoryConfig
from kbn_saved_objects.repository.extensions import Principal
from kbn_saved_objects.service import (
    AsyncSavedObjectsService,
    AsyncSavedObjectsServiceStart,
    SavedObjectsService,
    SavedObjectsServiceStart,
)

__all__ = [
    "AppBuilder",
    "ServerThread",
    "configure",
    "live_server",
    "principal_from_header",
    "repository_config",
    "serve_service",
    "start_sync_service",
]

AppBuilder = Callable[[AsyncEngine], Awaitable[FastAPI]]


class ServerThread(threading.Thread):
    """uvicorn on a socket bound before the thread starts, with its engine, service and
    app built on the server's own event loop."""

    def __init__(self, build: Callable[[], Awaitable[Any]]) -> None:
        super().__init__(daemon=True)
        self.build = build
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.server: uvicorn.Server | None = None
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.cleanup: list[Callable[[], Awaitable[Any]]] = []

    def run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        try:
            app = await self.build()
            config = uvicorn.Config(app, log_level="warning", lifespan="off")
            self.server = uvicorn.Server(config)
        except BaseException as exc:
            self.error = exc
            self.ready.set()
            return
        serving = asyncio.ensure_future(self.server.serve(sockets=[self.sock]))
        while not self.server.started and not serving.done():  # noqa: ASYNC110 - uvicorn has no event
            await asyncio.sleep(0.01)
        self.ready.set()
        try:
            await serving
        finally:
            for close in self.cleanup:
                await close()

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
        self.join(timeout=30)
        self.sock.close()


@contextmanager
def live_server(engine_url: str, build: AppBuilder, *, timeout: float = 120.0) -> Iterator[str]:
    """Serve ``build``'s app on ``http://127.0.0.1:<port>`` for the ``with`` body."""
    thread: ServerThread

    async def build_app() -> Any:
        engine = await AsyncEngine.connect(engine_url)
        thread.cleanup.append(engine.close)
        return await build(engine)

    thread = ServerThread(build_app)
    thread.start()
    if not thread.ready.wait(timeout) or thread.error is not None:
        thread.stop()
        raise RuntimeError(f"the test server did not start: {thread.error!r}")
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.stop()


# --- a service like Kibana's test fixtures: types, spaces, optional security -------------

MAPPINGS = {"dynamic": False, "properties": {"title": {"type": "text"}}}
TEST_SPACES = ("space_1", "space_2")

# (name, namespace type, icon, hidden, importable)
TEST_TYPES = [
    ("index-pattern", "multiple-isolated", "indexPatternApp", False, True),
    ("visualization", "multiple-isolated", "visualizeApp", False, True),
    ("dashboard", "multiple-isolated", "dashboardApp", False, True),
    ("search", "multiple-isolated", "discoverApp", False, True),
    ("sharedtype", "multiple", None, False, True),
    ("config", "single", "settingsApp", False, True),
    ("hidden-importable", "single", None, True, True),
    ("not-exportable", "single", None, False, False),
    ("connector", "single", None, False, False),  # has an encrypted ``token``
]

ROLE_PRIVILEGES = {
    "admin": {"*": ["all"]},
    "superuser": {"*": ["all"]},
    "reader": {"*": ["read"]},
    "dashboard_reader": {"*": ["read:dashboard"]},
    "space_1_writer": {"space_1": ["all"], "default": ["read"]},
}


def configure(service: object, *, spaces: bool = True, security: bool = False) -> None:
    """Register the test types (and the extensions) on a sync or async service."""
    from kbn_saved_objects.extensions.security import RolePrivileges, enable_security
    from kbn_saved_objects.extensions.spaces import enable_spaces
    from kbn_saved_objects.types import SavedObjectsType, SavedObjectsTypeManagement

    setup = service.setup()  # type: ignore[attr-defined]
    for name, namespace_type, icon, hidden, importable in TEST_TYPES:
        setup.register_type(
            SavedObjectsType(
                name=name,
                namespace_type=cast(Any, namespace_type),
                hidden=hidden,
                mappings=MAPPINGS,
                management=SavedObjectsTypeManagement(
                    importable_and_exportable=importable, icon=icon
                ),
            )
        )
    if spaces:
        enable_spaces(service)  # type: ignore[arg-type]
    if security:
        enable_security(service, RolePrivileges(ROLE_PRIVILEGES))  # type: ignore[arg-type]


def repository_config(prefix: str) -> RepositoryConfig:
    return RepositoryConfig(default_index=f"{prefix}-http", index_suffix="_1.0.0", refresh=True)


def principal_from_header(request: Request) -> Principal | None:
    """The test authentication hook: ``x-test-user: <name>:<role>``."""
    value = request.headers.get("x-test-user")
    if value is None:
        return None
    name, _, role = value.partition(":")
    return Principal(name, roles=(role,))


def start_sync_service(
    engine: Engine, prefix: str, *, spaces: bool = True, security: bool = False
) -> SavedObjectsServiceStart:
    """The test's own (sync) view of the indices the server uses: it creates them, the
    default space and :data:`TEST_SPACES`, and seeds or checks objects."""
    from kbn_saved_objects.extensions.spaces import SPACE_TYPE, Space, SpacesClient

    service = SavedObjectsService(engine, config=repository_config(prefix))
    configure(service, spaces=spaces, security=security)
    start = service.start()
    start.create_internal_repository().setup_indices()
    if spaces:
        spaces_client = SpacesClient(start.create_internal_repository([SPACE_TYPE]))
        spaces_client.ensure_default_space()
        for space_id in TEST_SPACES:
            spaces_client.create(Space(id=space_id, name=space_id.upper()))
    return start


@contextmanager
def serve_service(
    engine_url: str,
    prefix: str,
    *,
    spaces: bool = True,
    security: bool = False,
    max_import_export_size: int | None = None,
    max_import_payload_bytes: int | None = None,
    app_options: Callable[[AsyncSavedObjectsServiceStart], dict[str, Any]] | None = None,
) -> Iterator[httpx.Client]:
    """Serve the test service (over indices :func:`start_sync_service` made) and yield a
    client for it that sends ``kbn-xsrf``."""

    async def build(engine: AsyncEngine) -> FastAPI:
        extra: dict[str, Any] = {}
        if max_import_export_size is not None:
            extra["max_import_export_size"] = max_import_export_size
        service = AsyncSavedObjectsService(engine, config=repository_config(prefix), **extra)
        configure(service, spaces=spaces, security=security)
        start = service.start()
        options: dict[str, Any] = {"authenticate": principal_from_header if security else None}
        if app_options is not None:
            options.update(app_options(start))
        app = create_app(start, **options)
        if max_import_payload_bytes is not None:
            app.state.max_import_payload_bytes = max_import_payload_bytes
        return app

    with (
        live_server(engine_url, build) as base_url,
        httpx.Client(base_url=base_url, headers={"kbn-xsrf": "true"}, timeout=60) as client,
    ):
        yield client
