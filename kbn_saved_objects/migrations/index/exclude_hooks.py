"""The types' ``exclude_on_upgrade`` hooks (Kibana's ``calculateExcludeFilters``).

A hook is user code: it gets the engine (to look things up -- Kibana hands it a read-only
client, so use it for reads only) and returns a query of its type's documents that the
upgrade should drop. Like Kibana, a hook that fails or takes longer than 30 seconds is
skipped with a warning (an upgrade must not hinge on a cleanup), except a retryable engine
error, which makes the whole step retry. The runner calls the hooks (``_async/driver``);
this module holds what a hook sees and how outcomes become the action's answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

HOOK_TIMEOUT_S = 30.0
TIMED_OUT = "excludeFromUpgrade hook timed out after 30 seconds."


@dataclass(frozen=True)
class ExcludeOnUpgradeContext:
    """What a hook receives. ``engine`` is the migrator's :class:`~kbn_saved_objects.engine.Engine`
    (an :class:`~kbn_saved_objects.engine.AsyncEngine` under ``migrate_async``)."""

    engine: Any
    index: str
    type_name: str


class TimedOut:
    """The outcome of a hook that ran out of time."""


def answer(outcomes: Mapping[str, Any]) -> dict[str, Any]:
    """``{"filters": {type: query}, "errors": {type: message}}`` from each hook's outcome:
    its return value, the exception it raised, or :class:`TimedOut`."""
    filters: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for name, outcome in outcomes.items():
        if isinstance(outcome, Mapping):
            filters[name] = dict(outcome)
        elif isinstance(outcome, TimedOut):
            errors[name] = TIMED_OUT
        elif isinstance(outcome, BaseException):
            errors[name] = str(outcome)
        else:
            errors[name] = f"the hook returned {type(outcome).__name__}, not a query (a mapping)"
    return {"filters": filters, "errors": errors}
