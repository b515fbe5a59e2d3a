"""Read-ahead over plain generators: pages in order, one step ahead, errors where they
happen, and a close that waits for the step in flight before closing the source."""

from __future__ import annotations

import threading
from collections.abc import AsyncGenerator, Generator

import pytest

from kbn_saved_objects.repository._async.read_ahead import AsyncReadAhead
from kbn_saved_objects.repository._sync.read_ahead import ReadAhead


def pages(log: list[str], count: int, fail_at: int | None = None) -> Generator[int, None, None]:
    try:
        for n in range(count):
            if n == fail_at:
                raise RuntimeError(f"page {n} failed")
            log.append(f"made {n}")
            yield n
    finally:
        log.append("closed")


async def async_pages(
    log: list[str], count: int, fail_at: int | None = None
) -> AsyncGenerator[int, None]:
    for n in pages(log, count, fail_at):
        yield n


def test_sync_pages_come_in_order_from_a_worker_thread() -> None:
    log: list[str] = []
    threads: set[int] = set()

    def source() -> Generator[int, None, None]:
        for n in pages(log, 3):
            threads.add(threading.get_ident())
            yield n

    ahead = ReadAhead(source())
    assert list(ahead) == [0, 1, 2]
    assert log == ["made 0", "made 1", "made 2", "closed"]
    assert threading.get_ident() not in threads
    ahead.close()


def test_sync_close_waits_for_the_page_in_flight_then_closes_the_source() -> None:
    log: list[str] = []
    ahead = ReadAhead(pages(log, 5))
    assert next(ahead) == 0
    ahead.close()
    assert log == ["made 0", "made 1", "closed"]
    with pytest.raises(StopIteration):
        next(ahead)


def test_sync_error_surfaces_at_its_page() -> None:
    log: list[str] = []
    ahead = ReadAhead(pages(log, 5, fail_at=2))
    assert [next(ahead), next(ahead)] == [0, 1]
    with pytest.raises(RuntimeError, match="page 2 failed"):
        next(ahead)
    ahead.close()
    assert log == ["made 0", "made 1", "closed"]


async def test_async_pages_come_in_order() -> None:
    log: list[str] = []
    assert [n async for n in AsyncReadAhead(async_pages(log, 3))] == [0, 1, 2]
    assert log == ["made 0", "made 1", "made 2", "closed"]


async def test_async_close_waits_for_the_page_in_flight_then_closes_the_source() -> None:
    log: list[str] = []
    ahead = AsyncReadAhead(async_pages(log, 5))
    assert await anext(ahead) == 0
    await ahead.aclose()
    assert log == ["made 0", "made 1", "closed"]
    with pytest.raises(StopAsyncIteration):
        await anext(ahead)


async def test_async_error_surfaces_at_its_page() -> None:
    log: list[str] = []
    ahead = AsyncReadAhead(async_pages(log, 5, fail_at=2))
    assert [await anext(ahead), await anext(ahead)] == [0, 1]
    with pytest.raises(RuntimeError, match="page 2 failed"):
        await anext(ahead)
    await ahead.aclose()
    assert log == ["made 0", "made 1", "closed"]
