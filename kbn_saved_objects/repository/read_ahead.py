"""Ask for the next page of a point-in-time while the caller works on the current one.

A finder's caller alternates between waiting for the engine and Python work on the page
it got (reading the hits, then whatever it does with them, e.g. an export). The next
page is known as soon as one arrives (``search_after`` is its last hit), so it can be
requested at once: the engine then searches while Python works, instead of each idling
in turn.

The finder is written once, async; unasync turns ``AsyncReadAhead`` into
``SyncReadAhead``. The two differ in what runs in the background: a task in the event
loop, or a worker thread that drives the (sync) page generator. Either way the generator
only ever runs in one place at a time, and pages come out in order.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncGenerator, Generator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Generic, TypeVar

__all__ = ["AsyncReadAhead", "SyncReadAhead"]

T = TypeVar("T")

_TURNS_TO_SEND = 4


class AsyncReadAhead(Generic[T]):
    """Iterate ``pages`` one step ahead; ``aclose`` closes them (a finder closes its
    point-in-time), after waiting for a request still in flight."""

    def __init__(self, pages: AsyncGenerator[T, None]) -> None:
        self._pages = pages
        self._next: asyncio.Task[tuple[bool, T | None]] | None = None
        self._done = False

    def __aiter__(self) -> AsyncReadAhead[T]:
        return self

    async def __anext__(self) -> T:
        if self._done:
            raise StopAsyncIteration
        pending, self._next = self._next, None
        ended, page = await (pending or self._step())
        if ended:
            self._done = True
            raise StopAsyncIteration
        self._next = asyncio.create_task(self._step())
        # The caller's work on ``page`` does not yield to the loop: let the task send its
        # request first. That takes more than one turn (aiohttp writes a request body from
        # a task of its own); idle turns cost microseconds.
        for _ in range(_TURNS_TO_SEND):
            await asyncio.sleep(0)
        return page  # type: ignore[return-value]

    async def _step(self) -> tuple[bool, T | None]:
        try:
            return False, await anext(self._pages)
        except StopAsyncIteration:
            return True, None

    async def aclose(self) -> None:
        pending, self._next = self._next, None
        self._done = True
        if pending is not None:
            # A generator cannot be closed while it runs; the page nobody will read
            # (or its error) is dropped.
            await asyncio.wait([pending])
            if not pending.cancelled():
                pending.exception()
        await self._pages.aclose()


class SyncReadAhead(Generic[T]):
    """Iterate ``pages`` one step ahead in a worker thread; ``close`` closes them (a
    finder closes its point-in-time), after waiting for a request still in flight."""

    def __init__(self, pages: Generator[T, None, None]) -> None:
        self._pages = pages
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kbn-so-read-ahead")
        self._next: Future[tuple[bool, T | None]] | None = None
        self._done = False

    def __iter__(self) -> SyncReadAhead[T]:
        return self

    def __next__(self) -> T:
        if self._done:
            raise StopIteration
        pending, self._next = self._next, None
        ended, page = (pending or self._submit()).result()
        if ended:
            self._done = True
            raise StopIteration
        self._next = self._submit()
        return page  # type: ignore[return-value]

    def _submit(self) -> Future[tuple[bool, T | None]]:
        """Start the next step and let the worker send its request before returning.

        Left alone, the worker would get the GIL only when the caller's work next lets go
        of it (every 5 ms by default), and once more between the request's headers and
        its body: the request would leave 5-10 ms late, each page, about a tenth of an
        export. So the caller waits until the worker runs (it then holds the GIL until
        the headers go out) and yields once more for the body.
        """
        started = threading.Event()
        future = self._pool.submit(self._step, started)
        started.wait()
        time.sleep(0)
        return future

    def _step(self, started: threading.Event) -> tuple[bool, T | None]:
        started.set()
        try:
            return False, next(self._pages)
        except StopIteration:
            return True, None

    def close(self) -> None:
        pending, self._next = self._next, None
        self._done = True
        if pending is not None:
            wait([pending])  # the page nobody will read (or its error) is dropped
        self._pool.shutdown()
        self._pages.close()
