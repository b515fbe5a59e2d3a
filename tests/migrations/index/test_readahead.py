"""Read-ahead: the next read is guessed exactly, used only when it comes true, and on a real
engine every page is read once."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from kbn_saved_objects.engine import AsyncEngine, Engine
from kbn_saved_objects.migrations.index import MigrationOptions, migrate, migrate_async
from kbn_saved_objects.migrations.index.readahead import (
    Prefetched,
    next_read,
    read_key,
    transform_state,
)
from kbn_saved_objects.migrations.index.state import ControlState as S
from kbn_saved_objects.migrations.index.state import Left, Right, State
from tests.migrations.index._helpers import all_docs, config, run, seed, widgets
from tests.migrations.index._registries import registry_v1, registry_v2, registry_v3


def state(control: S, **changes: Any) -> State:
    return State(
        control_state=control,
        prefix="app",
        version="2.0.0",
        target_mappings={},
        index_type_names=(),
        known_type_names=(),
        outdated_query={},
    ).evolve(**changes)


def test_the_read_after_a_transform_is_the_same_page_cursor() -> None:
    hits = ({"_id": "a"},)
    transform = state(
        S.OUTDATED_DOCUMENTS_TRANSFORM, pit_id="p", search_after=(3,), batch_size=12, hits=hits
    )
    read = next_read(transform)
    assert read is not None
    assert read.control_state == S.OUTDATED_DOCUMENTS_SEARCH_READ
    assert read.hits == ()
    assert read_key(read) == (S.OUTDATED_DOCUMENTS_SEARCH_READ, "p", (3,), 12)
    copy = next_read(transform.evolve(control_state=S.REINDEX_SOURCE_TO_TEMP_TRANSFORM))
    assert copy is not None
    assert copy.control_state == S.REINDEX_SOURCE_TO_TEMP_READ
    assert next_read(transform.evolve(control_state=S.TRANSFORMED_DOCUMENTS_BULK_INDEX)) is None


@pytest.mark.parametrize(
    ("result", "follows"),
    [
        (Right({"hits": [{"_id": "a"}], "bytes": 10}), True),
        (Right({"hits": [], "bytes": 2}), False),  # end of the loop
        (Right({"hits": [{"_id": "a"}], "bytes": 10**9}), False),  # the model will halve
        (Left("retryable_es_client_error"), False),
    ],
)
def test_a_page_is_transformed_ahead_only_when_the_model_will_take_it(
    result: Any, follows: bool
) -> None:
    read = state(S.REINDEX_SOURCE_TO_TEMP_READ, max_read_batch_bytes=1000)
    follow = transform_state(read, result)
    assert (follow is not None) == follows
    if follow is not None:
        assert follow.control_state == S.REINDEX_SOURCE_TO_TEMP_TRANSFORM


def test_a_transform_is_used_only_for_the_very_same_hits() -> None:
    hits = ({"_id": "a"}, {"_id": "b"})
    page = Prefetched(Right({"hits": list(hits)}), hits, Right({"ops": []}))
    same = state(S.OUTDATED_DOCUMENTS_TRANSFORM, hits=tuple(hits))
    assert page.transform_for(same) == Right({"ops": []})
    equal_but_other = state(S.OUTDATED_DOCUMENTS_TRANSFORM, hits=({"_id": "a"}, {"_id": "b"}))
    assert page.transform_for(equal_but_other) is None
    assert Prefetched(Right({})).transform_for(same) is None


class CountingEngine:
    """The real engine, with the PIT searches it receives counted by search_after."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self.info = engine.info
        self.reads: list[str] = []
        self._lock = threading.Lock()

    def _note(self, request: Any) -> None:
        if request.path.endswith("/_search") and request.body and b'"pit"' in request.body:
            with self._lock:
                self.reads.append(request.body.decode())

    def perform(self, request: Any) -> Any:
        self._note(request)
        return self._engine.perform(request)


class AsyncCountingEngine(CountingEngine):
    async def perform(self, request: Any) -> Any:  # type: ignore[override]
        self._note(request)
        return await self._engine.perform(request)


@pytest.mark.engine
@pytest.mark.parametrize(("registry", "version"), [(registry_v2, "2.0.0"), (registry_v3, "3.0.0")])
def test_every_page_is_read_once(
    kbn_engine: Engine, kbn_index_prefix: str, registry: Any, version: str
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(47))
    counting = CountingEngine(kbn_engine)
    report = migrate(
        counting,  # type: ignore[arg-type]
        registry(),
        config=config(prefix, version),
        options=MigrationOptions(batch_size=10, server_side_copy=False),
    )
    assert report.ok, report.to_dict()
    # 10, 10, 10, 10, 7 and the empty page: each read once, none thrown away
    assert len(counting.reads) == len(set(counting.reads)) == 6
    docs = all_docs(kbn_engine, prefix)
    assert len(docs) == 47
    assert all(d["widget"]["size"] == len(d["widget"]["title"]) for d in docs.values())


@pytest.mark.engine
async def test_every_page_is_read_once_async(
    kbn_async_engine: AsyncEngine, kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(25))
    counting = AsyncCountingEngine(kbn_async_engine)
    report = await migrate_async(
        counting,  # type: ignore[arg-type]
        registry_v3(),
        config=config(prefix, "3.0.0"),
        options=MigrationOptions(batch_size=10),
    )
    assert report.ok, report.to_dict()
    assert len(counting.reads) == len(set(counting.reads)) == 4
    assert len(all_docs(kbn_engine, prefix)) == 25
