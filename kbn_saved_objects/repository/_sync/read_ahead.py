# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""Ask for the next page of a point-in-time while the caller works on the current one.

A finder's caller alternates between waiting for the engine and Python work on the page
it got (reading the hits, then whatever it does with them, e.g. an export). The next
page is known as soon as one arrives (``search_after`` is its last hit), so it can be
requested at once: the engine then searches while Python works, instead of each idling
in turn.

Written once, async; the sync twin is generated. What runs in the background -- a task
in the event loop, or a worker thread that drives the (sync) page generator -- is
``AsyncTasks``/``Tasks``. Either way the generator only ever runs in one place at a
time, and pages come out in order.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Generic, TypeVar, cast

from kbn_saved_objects._tasks import Tasks

__all__ = ["ReadAhead"]

T = TypeVar("T")


class ReadAhead(Generic[T]):
    """Iterate ``pages`` one step ahead; closing the read-ahead closes them (a finder
    closes its point-in-time), after waiting for a request still in flight."""

    def __init__(self, pages: Generator[T, None]) -> None:
        self._pages = pages
        self._tasks = Tasks()
        self._next: Any = None
        self._done = False

    def __iter__(self) -> ReadAhead[T]:
        return self

    def __next__(self) -> T:
        if self._done:
            raise StopIteration
        pending, self._next = self._next, None
        if pending is None:
            pending = self._tasks.start(self._step)
        ended, page = self._tasks.result(pending)
        if ended:
            self._done = True
            raise StopIteration
        self._next = self._tasks.start(self._step)
        return cast(T, page)

    def _step(self) -> tuple[bool, T | None]:
        try:
            return False, next(self._pages)
        except StopIteration:
            return True, None

    def close(self) -> None:
        self._next = None
        self._done = True
        # A generator cannot be closed while it runs: the page nobody will read (or its
        # error) is waited for and dropped.
        self._tasks.__exit__()
        self._pages.close()
