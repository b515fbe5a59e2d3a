"""``kbn-so serve``: Kibana's saved-objects HTTP API for a registry, with uvicorn.

``--registry module:attribute`` names either a
:class:`~kbn_saved_objects.types.SavedObjectTypeRegistry` (or a function returning one),
whose types are served with the spaces extension; or a *setup function* taking the
service, which registers its types and enables what it wants (spaces, security,
encryption: docs/extensions.md) exactly as an application does at setup. The indices are
created (or their mappings extended) before the server answers, as Kibana's start does.

The engine, service and app are built on uvicorn's event loop: an async engine client
belongs to the loop that made it.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from kbn_saved_objects.cli._common import URL_HELP, load_registry, provide_cli_engine
from kbn_saved_objects.repository import RepositoryConfig
from kbn_saved_objects.repository.config import DEFAULT_INDEX
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = ["serve_command"]

Setup = Callable[[Any], None]


def _load_attribute(reference: str, option: str) -> Any:
    """``module:attribute`` -> the attribute, the module searched in the current
    directory first (as ``load_registry`` does)."""
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise click.BadParameter("expected module:attribute", param_hint=option)
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.insert(0, cwd)
    importlib.invalidate_caches()
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except Exception as exc:
        raise click.BadParameter(
            f"cannot load {reference}: {type(exc).__name__}: {exc}", param_hint=option
        ) from exc


def _load_callable(reference: str) -> Any:
    value = _load_attribute(reference, "--authenticate")
    if not callable(value):
        raise click.BadParameter(f"{reference} is not callable", param_hint="--authenticate")
    return value


def _load_setup(reference: str) -> Setup | None:
    """The setup function ``reference`` names (a callable taking the service), or
    ``None`` when it names a registry (or a function of no arguments returning one)."""
    value = _load_attribute(reference, "--registry")
    if isinstance(value, SavedObjectTypeRegistry) or not callable(value):
        return None
    try:
        parameters = inspect.signature(value).parameters
    except (TypeError, ValueError):
        return None
    required = [
        p
        for p in parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    setup: Setup = value
    return setup if required else None


def _registry_setup(registry: SavedObjectTypeRegistry, spaces: bool) -> Setup:
    def setup(service: Any) -> None:
        from kbn_saved_objects.extensions.spaces import SPACE_TYPE, enable_spaces

        service_setup = service.setup()
        for definition in registry.get_all_types():
            if definition.name != SPACE_TYPE:
                service_setup.register_type(definition)
        if spaces:
            enable_spaces(service)

    return setup


async def _serve(
    engine_url: str,
    setup: Setup,
    config: RepositoryConfig,
    host: str,
    port: int,
    xsrf: bool,
    authenticate: Any,
) -> None:
    import uvicorn

    from kbn_saved_objects.engine import AsyncEngine
    from kbn_saved_objects.extensions.spaces import SPACE_TYPE, AsyncSpacesClient
    from kbn_saved_objects.http import create_app
    from kbn_saved_objects.service import AsyncSavedObjectsService

    engine = await AsyncEngine.connect(engine_url)
    try:
        service = AsyncSavedObjectsService(engine, config=config)
        setup(service)
        start = service.start()
        await start.create_internal_repository().setup_indices()
        if SPACE_TYPE in start.get_type_registry():
            spaces = AsyncSpacesClient(start.create_internal_repository([SPACE_TYPE]))
            await spaces.ensure_default_space()
        app = create_app(start, xsrf=xsrf, authenticate=authenticate)
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, lifespan="off"))
        click.echo(f"serving the saved-objects API on http://{host}:{port}", err=True)
        await server.serve()
    finally:
        await engine.close()


@click.command("serve")
@click.option(
    "--registry",
    "registry_spec",
    required=True,
    help=(
        "module:attribute of a type registry (or a function returning one), or of a "
        "setup function taking the service."
    ),
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=5601, show_default=True, help="Port to listen on.")
@click.option("--engine-url", "--url", "url", default=None, help=URL_HELP)
@click.option("--index", default=DEFAULT_INDEX, show_default=True, help="Default index (alias).")
@click.option("--index-suffix", default="", help="Index suffix of the repository config.")
@click.option(
    "--spaces/--no-spaces",
    default=True,
    show_default=True,
    help="With a registry: serve /s/<space>/ with the spaces extension.",
)
@click.option(
    "--authenticate",
    "authenticate_spec",
    default=None,
    help=(
        "module:attribute of a function request -> Principal | None (sync or async) that "
        "authenticates each request (default: every request is anonymous)."
    ),
)
@click.option(
    "--xsrf/--no-xsrf",
    default=True,
    show_default=True,
    help="Require the kbn-xsrf header on writes (Kibana's default).",
)
def serve_command(
    registry_spec: str,
    host: str,
    port: int,
    url: str | None,
    index: str,
    index_suffix: str,
    spaces: bool,
    authenticate_spec: str | None,
    xsrf: bool,
) -> None:
    """Serve Kibana's saved-objects HTTP API (/api/saved_objects/...) until interrupted."""
    authenticate = _load_callable(authenticate_spec) if authenticate_spec else None
    setup = _load_setup(registry_spec)
    if setup is None:
        setup = _registry_setup(load_registry(registry_spec), spaces)
    try:
        config = RepositoryConfig(default_index=index, index_suffix=index_suffix)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--index") from exc
    provided = provide_cli_engine(url)
    try:
        asyncio.run(_serve(provided.url, setup, config, host, port, xsrf, authenticate))
    except KeyboardInterrupt:  # pragma: no cover - ctrl-c ends a foreground server
        pass
    finally:
        provided.stop()
