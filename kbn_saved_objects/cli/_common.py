"""What every ``kbn-so`` command shares, so that no two of them differ on it.

* :func:`load_registry`: the ``--registry module:attribute`` every command takes, loaded
  the same way everywhere (a module in the current directory included);
* :func:`provide_cli_engine` / :func:`connected_engine`: which engine a command talks to,
  in the order docs/engine.md gives (``--url``, ``KBN_SO_ENGINE_URL``, the node recorded
  by ``kbn-so engine start``; only ``kbn-so demo`` goes on to start a node of its own);
* :func:`click_error_for`: input and engine problems as one-line click errors instead of
  tracebacks (used by the top-level group in :mod:`kbn_saved_objects.cli`).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import urllib.error
from collections.abc import Iterator
from typing import Any

import click
from elastic_transport import TransportError as ElasticTransportError

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine.discovery import (
    ENV_URL,
    EngineSetupError,
    ProvidedEngine,
    provide_engine,
)
from kbn_saved_objects.engine.local.node import EngineState, LocalEngineError
from kbn_saved_objects.errors import EngineUnavailableError, SavedObjectsError
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = [
    "EXIT_ENGINE",
    "URL_HELP",
    "EngineUnreachableError",
    "click_error_for",
    "connected_engine",
    "load_registry",
    "provide_cli_engine",
    "saved_objects_click_error",
]

EXIT_ENGINE = 4
"""Exit code of a command whose engine could not be reached or stopped answering."""

URL_HELP = "Engine URL (default: KBN_SO_ENGINE_URL, else the node of `kbn-so engine start`)."


class EngineUnreachableError(click.ClickException):
    """The engine did not answer: exit code 4, as ``kbn-so migrate`` documents it."""

    exit_code = EXIT_ENGINE


def load_registry(reference: str) -> SavedObjectTypeRegistry:
    """``module:attribute`` -> the type registry it names, for every command alike.

    The attribute is a :class:`~kbn_saved_objects.types.SavedObjectTypeRegistry` or a
    function returning one; an unfrozen registry is frozen (a CLI run registers nothing
    later). The current directory is searched first, as ``python -m`` would, since the
    ``kbn-so`` script's own ``sys.path`` does not hold it. Whatever goes wrong while
    importing the user's module is a bad ``--registry``, not a traceback.
    """
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise click.BadParameter("expected module:attribute", param_hint="--registry")
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.insert(0, cwd)
    importlib.invalidate_caches()  # a module written after the last import is found too
    try:
        value: Any = getattr(importlib.import_module(module_name), attribute)
        if callable(value) and not isinstance(value, SavedObjectTypeRegistry):
            value = value()
    except Exception as exc:
        raise click.BadParameter(
            f"cannot load {reference}: {type(exc).__name__}: {exc}", param_hint="--registry"
        ) from exc
    if not isinstance(value, SavedObjectTypeRegistry):
        raise click.BadParameter(
            f"{reference} is not a SavedObjectTypeRegistry (nor a function returning one)",
            param_hint="--registry",
        )
    try:
        return value if value.frozen else value.freeze()
    except SavedObjectsError as exc:
        raise click.BadParameter(
            f"{reference} cannot be frozen: {exc.message}", param_hint="--registry"
        ) from exc


def _keep() -> None:
    """An engine this command did not start is not its to stop."""


def _recorded_node_url() -> str | None:
    """The URL of the node ``kbn-so engine start`` recorded, if it still runs."""
    try:
        state = EngineState.load()
    except (OSError, ValueError, TypeError):  # an unreadable record is no running node
        return None
    return state.live_url() if state is not None else None


def provide_cli_engine(url: str | None, *, may_start: bool = False) -> ProvidedEngine:
    """The engine a command uses: ``--url``, else ``KBN_SO_ENGINE_URL``, else the node
    ``kbn-so engine start`` recorded (whatever ``KBN_SO_ENGINE_VERSION`` says: that
    variable picks what ``engine start`` and the tests start, not which running node a
    command uses), the order of
    :func:`~kbn_saved_objects.engine.discovery.provide_engine`.

    Only with ``may_start`` (``kbn-so demo``) does it go on to start a node, as
    ``provide_engine`` does: importing into, exporting from or migrating a throwaway
    node removed when the command ends would look like success and keep nothing.
    """
    if url:
        return ProvidedEngine(url.rstrip("/"), "--url", _keep)
    recorded = _recorded_node_url()
    if recorded is not None and not os.environ.get(ENV_URL):
        # the node the user started is the one to use, whatever KBN_SO_ENGINE_VERSION
        # says (that variable picks what `kbn-so engine start` and the tests start)
        return ProvidedEngine(recorded, "the node of kbn-so engine start", _keep)
    if not may_start and not os.environ.get(ENV_URL):
        raise click.ClickException(
            f"no engine: pass --url, set {ENV_URL}, or start one with `kbn-so engine start`"
        )
    try:
        return provide_engine()
    except (EngineSetupError, LocalEngineError) as exc:
        raise click.ClickException(str(exc)) from exc


@contextlib.contextmanager
def connected_engine(url: str | None, *, may_start: bool = False) -> Iterator[Engine]:
    """An :class:`Engine` on :func:`provide_cli_engine`'s choice, closed (and a node this
    command started stopped) on the way out. An engine that does not answer is an
    :class:`EngineUnreachableError` naming the URL and where it came from."""
    provided = provide_cli_engine(url, may_start=may_start)
    try:
        try:
            engine = Engine.connect(provided.url)
        except ValueError as exc:  # the client cannot parse the URL
            raise click.BadParameter(str(exc), param_hint=provided.source) from exc
        except SavedObjectsError as exc:
            raise EngineUnreachableError(
                f"cannot reach the engine at {provided.url} (from {provided.source}): {exc.message}"
            ) from exc
        with engine:
            yield engine
    finally:
        provided.stop()


def _client_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [ElasticTransportError]
    try:
        from opensearchpy.exceptions import TransportError as OpenSearchTransportError
    except ImportError:  # the opensearch extra is not installed
        pass
    else:
        errors.append(OpenSearchTransportError)
    return tuple(errors)


def saved_objects_click_error(exc: SavedObjectsError) -> click.ClickException:
    """A typed error as a click error: exit 4 when the engine did not answer, else 1."""
    if isinstance(exc, EngineUnavailableError):
        return EngineUnreachableError(f"the engine did not answer: {exc.message}")
    return click.ClickException(exc.message)


def click_error_for(exc: BaseException) -> click.ClickException | None:
    """The one-line click error an input or engine problem becomes; ``None`` for
    anything else, which is a bug and keeps its traceback.

    * the engine not answering (a typed :class:`EngineUnavailableError`, a client's
      transport error that escaped the adapter, or a refused/timed-out HTTP request)
      exits 4;
    * any other typed saved-objects error, a local-engine setup problem, or a file that
      cannot be read exits 1 with its message.
    """
    if isinstance(exc, SavedObjectsError):
        return saved_objects_click_error(exc)
    if isinstance(exc, _client_errors()):
        return EngineUnreachableError(f"the engine did not answer: {exc}")
    if isinstance(exc, urllib.error.URLError):
        return EngineUnreachableError(f"the engine did not answer: {exc.reason}")
    if isinstance(exc, (ConnectionError, TimeoutError)) and not isinstance(exc, BrokenPipeError):
        return EngineUnreachableError(f"the engine did not answer: {exc}")
    if isinstance(exc, (EngineSetupError, LocalEngineError)):
        return click.ClickException(str(exc))
    if isinstance(exc, OSError):
        return click.ClickException(str(exc))
    return None
