"""Running the types' ``exclude_on_upgrade`` hooks (Kibana's ``calculateExcludeFilters``).

A hook is user code: it gets the engine (to look things up -- Kibana hands it a read-only
client, so use it for reads only) and returns a query of its type's documents that the
upgrade should drop. Like Kibana, a hook that fails or takes longer than 30 seconds is
skipped with a warning (an upgrade must not hinge on a cleanup), except a retryable engine
error, which makes the whole step retry.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from kbn_saved_objects.errors import SavedObjectsError
from kbn_saved_objects.migrations.index.actions import is_retryable
from kbn_saved_objects.types import SavedObjectTypeRegistry

HOOK_TIMEOUT_S = 30.0
TIMED_OUT = "excludeFromUpgrade hook timed out after 30 seconds."


@dataclass(frozen=True)
class ExcludeOnUpgradeContext:
    """What a hook receives. ``engine`` is the migrator's :class:`~kbn_saved_objects.engine.Engine`
    (an :class:`~kbn_saved_objects.engine.AsyncEngine` under ``migrate_async``)."""

    engine: Any
    index: str
    type_name: str


def _is_retryable(error: BaseException) -> bool:
    return isinstance(error, SavedObjectsError) and is_retryable(error)


def _outcome(value: Any) -> Mapping[str, Any] | str:
    if isinstance(value, Mapping):
        return value
    return f"the hook returned {type(value).__name__}, not a query (a mapping)"


def _answer(outcomes: Mapping[str, Mapping[str, Any] | str]) -> dict[str, Any]:
    return {
        "filters": {k: dict(v) for k, v in outcomes.items() if not isinstance(v, str)},
        "errors": {k: v for k, v in outcomes.items() if isinstance(v, str)},
    }


def run_hooks(
    engine: Any, registry: SavedObjectTypeRegistry, index: str, types: Sequence[str]
) -> dict[str, Any]:
    outcomes: dict[str, Mapping[str, Any] | str] = {}
    if not types:
        return _answer(outcomes)
    # Not a with-block: leaving it would wait for a hook that hangs past its timeout.
    pool = ThreadPoolExecutor(max_workers=len(types), thread_name_prefix="kbn-so-hook")
    try:
        futures = {}
        for name in types:
            hook = registry.get_type(name).exclude_on_upgrade  # type: ignore[union-attr]
            context = ExcludeOnUpgradeContext(engine, index, name)
            futures[name] = pool.submit(hook, context)  # type: ignore[arg-type]
        for name, future in futures.items():
            try:
                value = future.result(timeout=HOOK_TIMEOUT_S)
            except FutureTimeout:
                outcomes[name] = TIMED_OUT
                continue
            except Exception as error:
                if _is_retryable(error):
                    raise
                outcomes[name] = str(error)
                continue
            if inspect.isawaitable(value):
                if inspect.iscoroutine(value):
                    value.close()
                outcomes[name] = "the hook is async: run the migration with migrate_async"
                continue
            outcomes[name] = _outcome(value)
    finally:
        pool.shutdown(wait=False)
    return _answer(outcomes)


async def run_hooks_async(
    engine: Any, registry: SavedObjectTypeRegistry, index: str, types: Sequence[str]
) -> dict[str, Any]:
    async def one(name: str) -> Mapping[str, Any] | str:
        hook = registry.get_type(name).exclude_on_upgrade  # type: ignore[union-attr]
        context = ExcludeOnUpgradeContext(engine, index, name)
        try:
            if inspect.iscoroutinefunction(hook):
                value = await asyncio.wait_for(hook(context), HOOK_TIMEOUT_S)
            else:
                value = await asyncio.wait_for(
                    asyncio.to_thread(hook, context),  # type: ignore[arg-type]
                    HOOK_TIMEOUT_S,
                )
                if inspect.isawaitable(value):
                    value = await asyncio.wait_for(value, HOOK_TIMEOUT_S)
        except TimeoutError:
            return TIMED_OUT
        except Exception as error:
            if _is_retryable(error):
                raise
            return str(error)
        return _outcome(value)

    results = await asyncio.gather(*(one(name) for name in types))
    return _answer(dict(zip(types, results, strict=True)))
