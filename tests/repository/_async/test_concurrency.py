"""Concurrent writers on the real engine: every write lands or fails loudly, none is lost.

The async source runs its writers as asyncio tasks; the generated sync twin runs them on
threads against the sync repository (see ``AsyncConcurrently`` in the conftest).
"""

from __future__ import annotations

import functools

import pytest

from kbn_saved_objects.errors import ConflictError
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from tests.repository.conftest import MULTIPLE, SINGLE, AsyncConcurrently

pytestmark = pytest.mark.engine

WRITERS = 8


async def test_version_retry_loop_loses_no_token(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    """Each writer appends its tokens to a list with read + update-with-version, retrying
    on ConflictError. A lost update would drop a token that its writer saw succeed."""
    repo = async_repository
    await repo.create(MULTIPLE, {"nested": {"tokens": []}}, id="list", namespace="a")
    conflicts: list[str] = []
    landed: list[str] = []

    async def writer(number: int) -> None:
        for round_ in range(3):
            token = f"w{number}-{round_}"
            while True:
                current = await repo.get(MULTIPLE, "list", namespace="a")
                try:
                    await repo.update(
                        MULTIPLE,
                        "list",
                        {"nested": {"tokens": [*current.attributes["nested"]["tokens"], token]}},
                        namespace="a",
                        version=current.version,
                        refresh=False,
                    )
                except ConflictError:
                    conflicts.append(token)
                    continue
                landed.append(token)
                break

    outcomes = await AsyncConcurrently.run([functools.partial(writer, n) for n in range(WRITERS)])
    assert [o for o in outcomes if o is not None] == []
    final = (await repo.get(MULTIPLE, "list", namespace="a")).attributes["nested"]["tokens"]
    assert sorted(final) == sorted(landed)
    assert len(final) == len(set(final)) == WRITERS * 3
    assert conflicts, "the writers never raced; the test did not exercise compare-and-set"


async def test_update_without_version_retries_under_contention(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    """Without a version every update is still compare-and-set on what it read, and the
    retry loop re-reads: with enough retries every writer's key ends up stored."""
    repo = async_repository
    await repo.create(SINGLE, {"title": "t", "nested": {}}, id="keys")

    async def writer(number: int) -> None:
        await repo.update(
            SINGLE, "keys", {"nested": {f"k{number}": number}}, retry_on_conflict=50, refresh=False
        )

    outcomes = await AsyncConcurrently.run([functools.partial(writer, n) for n in range(WRITERS)])
    assert [o for o in outcomes if o is not None] == []
    stored = (await repo.get(SINGLE, "keys")).attributes
    assert stored == {"title": "t", "nested": {f"k{n}": n for n in range(WRITERS)}}


async def test_default_retries_land_or_raise(async_repository: AsyncSavedObjectsRepository) -> None:
    """With the default 3 retries a writer may give up, but only with a ConflictError and
    without writing; every writer told it succeeded has its key stored."""
    repo = async_repository
    await repo.create(SINGLE, {"title": "t", "nested": {}}, id="maybe")

    async def writer(number: int) -> int:
        await repo.update(SINGLE, "maybe", {"nested": {f"k{number}": number}}, refresh=False)
        return number

    outcomes = await AsyncConcurrently.run([functools.partial(writer, n) for n in range(WRITERS)])
    assert all(isinstance(o, (int, ConflictError)) for o in outcomes), outcomes
    stored = (await repo.get(SINGLE, "maybe")).attributes
    landed = {f"k{o}": o for o in outcomes if isinstance(o, int)}
    assert stored == {"title": "t", "nested": landed}


async def test_bulk_update_entries_land_or_conflict(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    """bulk_update guards unversioned writes with the seq_no it read: a racing write makes
    the entry a 409, never a silent overwrite."""
    repo = async_repository
    await repo.create(SINGLE, {"title": "t", "nested": {}}, id="bulk")

    async def writer(number: int) -> bool:
        response = await repo.bulk_update(
            [{"type": SINGLE, "id": "bulk", "attributes": {"nested": {f"k{number}": number}}}],
            refresh=False,
        )
        (entry,) = response.saved_objects
        if entry.error is not None:
            assert entry.error["statusCode"] == 409
            return False
        return True

    outcomes = await AsyncConcurrently.run([functools.partial(writer, n) for n in range(WRITERS)])
    assert all(isinstance(o, bool) for o in outcomes), outcomes
    stored = (await repo.get(SINGLE, "bulk")).attributes
    landed = {f"k{n}": n for n, ok in enumerate(outcomes) if ok}
    assert landed
    assert stored == {"title": "t", "nested": landed}


async def test_concurrent_increments_are_all_counted(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository

    async def writer() -> None:
        for _ in range(5):
            await repo.increment_counter(
                SINGLE, "counter", ["count"], refresh=False, retry_on_conflict=WRITERS * 5
            )

    outcomes = await AsyncConcurrently.run([writer for _ in range(WRITERS)])
    assert [o for o in outcomes if o is not None] == []
    assert (await repo.get(SINGLE, "counter")).attributes == {"count": WRITERS * 5}
