"""The background-task helpers shared by the migrator, the repository and the finder."""

from __future__ import annotations

import gc
import weakref

from kbn_saved_objects._tasks import AsyncTasks, Tasks


class Page:
    """A result that can be watched for being freed."""


async def test_async_tasks_let_go_of_consumed_results() -> None:
    async def make() -> Page:
        return Page()

    async with AsyncTasks() as tasks:
        freed = []
        for _ in range(3):
            page = await tasks.result(await tasks.start(make))
            freed.append(weakref.ref(page))
            del page
        gc.collect()
        assert [ref() for ref in freed] == [None, None, None]
        unconsumed = await tasks.start(make)  # waited for on exit, its result dropped
    assert unconsumed.done()


def test_sync_tasks_run_in_the_background_and_answer() -> None:
    with Tasks() as tasks:
        handle = tasks.start(lambda n: n * 2, 21)
        assert tasks.result(handle) == 42
