"""Retired types and ``exclude_on_upgrade`` hooks: dropped by an upgrade, never "unknown"."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from kbn_saved_objects.engine import AsyncEngine, Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.migrations.index import ExcludeOnUpgradeContext, migrate_async
from kbn_saved_objects.types import SavedObjectTypeRegistry
from tests.migrations.index._helpers import all_docs, config, run, seed, widgets
from tests.migrations.index._registries import registry_v1, registry_v2, registry_v3

pytestmark = pytest.mark.engine

RETIRED = [("retired:r1", {"type": "retired"}), ("retired:r2", {"type": "retired"})]
GADGET = [("gadget:g1", {"type": "gadget", "gadget": {"name": "g"}})]


def with_exclusions(
    base: Callable[[], SavedObjectTypeRegistry], hook: Callable[..., Any] | None
) -> SavedObjectTypeRegistry:
    """``base`` with ``retired`` on the retired-types list and ``hook`` on ``widget``."""
    registry = SavedObjectTypeRegistry(legacy_types=["retired"])
    for definition in base().get_all_types():
        if definition.name == "widget":
            definition = replace(definition, exclude_on_upgrade=hook)
        registry.register(definition)
    return registry.freeze()


def drop_title_3(context: ExcludeOnUpgradeContext) -> dict[str, Any]:
    # hooks may look things up with the engine (read-only)
    found = context.engine.perform(rq.count(context.index, {"term": {"type": "widget"}}))
    assert found["count"] == 5
    assert context.type_name == "widget"
    return {"match_phrase": {"widget.title": "title 3"}}


@pytest.mark.parametrize(
    ("registry", "version", "kind"),
    [(registry_v2, "2.0.0", "compatible"), (registry_v3, "3.0.0", "reindex")],
)
def test_retired_types_and_hook_matches_are_dropped(
    kbn_engine: Engine,
    kbn_index_prefix: str,
    registry: Callable[[], SavedObjectTypeRegistry],
    version: str,
    kind: str,
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(5) + RETIRED + GADGET)
    steps: list[str] = []
    report = run(kbn_engine, with_exclusions(registry, drop_title_3), prefix, version, steps)
    assert report.ok, report.to_dict()  # retired documents are not "unknown"
    result = report.results[0]
    assert result.kind == kind
    assert sorted(all_docs(kbn_engine, prefix)) == [
        "gadget:g1",
        "widget:w0",
        "widget:w1",
        "widget:w2",
        "widget:w4",
    ]
    # the report, per type
    types = {t.name: t for t in result.types}
    assert (types["widget"].total, types["widget"].migrated, types["widget"].discarded) == (
        4,
        4,
        1,
    )
    assert types["retired"].discarded == 2
    # the seeded gadget has no version: in place it is never outdated (gadget has no
    # transforms); a copy runs it through the migrator, which gives it one
    copied = 1 if kind == "reindex" else 0
    assert (types["gadget"].total, types["gadget"].migrated) == (1, copied)
    assert types["gadget"].unchanged == 1 - copied
    source = f"{prefix}_1.0.0_001"
    if kind == "compatible":
        assert "CLEANUP_UNKNOWN_DELETE" in steps
        assert result.discarded == 3
    else:
        assert "CALCULATE_EXCLUDE_FILTERS" in steps
        # a copy leaves them behind: the source keeps everything
        assert {"retired:r1", "widget:w3"} <= set(all_docs(kbn_engine, source))


def test_a_hook_only_drops_its_own_type(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(2) + GADGET)
    registry = with_exclusions(registry_v2, lambda context: {"match_all": {}})
    assert run(kbn_engine, registry, prefix, "2.0.0").ok
    assert sorted(all_docs(kbn_engine, prefix)) == ["gadget:g1"]


def test_a_failing_hook_is_skipped_with_a_warning(
    kbn_engine: Engine, kbn_index_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(context: ExcludeOnUpgradeContext) -> dict[str, Any]:
        raise ValueError("nope")

    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(3))
    with caplog.at_level(logging.WARNING, logger="kbn_saved_objects.migrations.index"):
        report = run(kbn_engine, with_exclusions(registry_v3, broken), prefix, "3.0.0")
    assert report.ok, report.to_dict()
    assert 'Ignored excludeOnUpgrade hook on type [widget] that failed with error: "nope"' in (
        caplog.text
    )
    assert len(all_docs(kbn_engine, prefix)) == 3


def test_a_hook_that_returns_no_query_is_skipped(
    kbn_engine: Engine, kbn_index_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(2))
    with caplog.at_level(logging.WARNING, logger="kbn_saved_objects.migrations.index"):
        report = run(kbn_engine, with_exclusions(registry_v2, lambda c: None), prefix, "2.0.0")
    assert report.ok
    assert "the hook returned NoneType, not a query" in caplog.text
    assert len(all_docs(kbn_engine, prefix)) == 2


async def test_async_hooks_with_migrate_async(
    kbn_async_engine: AsyncEngine, kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    async def drop_title_1(context: ExcludeOnUpgradeContext) -> dict[str, Any]:
        found = await context.engine.perform(rq.count(context.index))
        assert found["count"] == 5
        return {"match_phrase": {"widget.title": "title 1"}}

    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(3) + RETIRED)
    report = await migrate_async(
        kbn_async_engine,
        with_exclusions(registry_v3, drop_title_1),
        config=config(prefix, "3.0.0"),
    )
    assert report.ok, report.to_dict()
    assert sorted(all_docs(kbn_engine, prefix)) == ["widget:w0", "widget:w2"]


def test_a_hook_that_takes_too_long_is_skipped(
    kbn_engine: Engine,
    kbn_index_prefix: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    from kbn_saved_objects.migrations.index import exclude_hooks

    monkeypatch.setattr(exclude_hooks, "HOOK_TIMEOUT_S", 0.05)

    def slow(context: ExcludeOnUpgradeContext) -> dict[str, Any]:
        time.sleep(1)
        return {"match_all": {}}

    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(2))
    with caplog.at_level(logging.WARNING, logger="kbn_saved_objects.migrations.index"):
        assert run(kbn_engine, with_exclusions(registry_v2, slow), prefix, "2.0.0").ok
    assert "excludeFromUpgrade hook timed out after 30 seconds." in caplog.text
    assert len(all_docs(kbn_engine, prefix)) == 2


def test_an_async_hook_needs_migrate_async(
    kbn_engine: Engine, kbn_index_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    async def hook(context: ExcludeOnUpgradeContext) -> dict[str, Any]:
        return {"match_all": {}}

    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(2))
    with caplog.at_level(logging.WARNING, logger="kbn_saved_objects.migrations.index"):
        assert run(kbn_engine, with_exclusions(registry_v2, hook), prefix, "2.0.0").ok
    assert "the hook is async: run the migration with migrate_async" in caplog.text
    assert len(all_docs(kbn_engine, prefix)) == 2
