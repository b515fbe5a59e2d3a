# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""Page through every object a find matches, however many, with a point-in-time.

``find`` pages stop at the engine's result window (10,000 hits); the finder opens a
point-in-time and follows ``search_after`` instead, so it sees one consistent snapshot of
any size. The point-in-time is closed when the pages run out, when the caller leaves the
``async with`` block, or when a page fails::

    async with repo.create_point_in_time_finder(type="dashboard", per_page=1000) as finder:
        async for page in finder.find():
            ...

``find_documents()`` yields the same pages with the objects left as the dicts the
results would wrap, for callers that only want dicts (export); with ``read_ahead=True`` it
asks for each next page before handing out the current one (:mod:`..read_ahead`).

This module is the async source; ``repository/_sync/point_in_time_finder.py`` is
generated from it.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

from kbn_saved_objects.errors import NotFoundError
from kbn_saved_objects.repository._sync.read_ahead import ReadAhead
from kbn_saved_objects.repository.operations.find import (
    FindOptions,
    FoundHits,
    find_response,
    found_documents,
)
from kbn_saved_objects.repository.operations.point_in_time import OpenPointInTimeOptions
from kbn_saved_objects.repository.results import FindDocumentsResponse, FindResponse

if TYPE_CHECKING:
    from kbn_saved_objects.repository._sync.repository import SavedObjectsRepository

ALREADY_OPEN = (
    "Point In Time has already been opened for this finder instance. "
    "Please call `close()` before calling `find()` again."
)


class PointInTimeFinder:
    def __init__(
        self,
        repository: SavedObjectsRepository,
        options: FindOptions,
        *,
        keep_alive: str = "2m",
    ) -> None:
        self._repository = repository
        self._options: FindOptions = {
            **options,
            "per_page": options.get("per_page", 1000),
            "sort_field": options.get("sort_field", "updated_at"),
            "sort_order": options.get("sort_order", "desc"),
        }
        self._keep_alive = keep_alive
        self._pit_id: str | None = None
        self._open = False

    def find(self, *, read_ahead: bool = True) -> Iterator[FindResponse]:
        """Yield pages until every match was seen; the point-in-time is closed after.

        ``read_ahead`` (on by default): the next page is searched while the caller works
        on this one, as :meth:`find_documents` explains. A point in time is a snapshot, so
        the pages are the same either way; the engine and Python no longer wait for each
        other in turn (0.51x -> 0.70x a raw PIT loop, ``benchmarks/bench_pit_finder.py``).
        Pass ``False`` to send no search the caller has not asked for."""
        pages = self.find_documents(read_ahead=read_ahead)
        try:
            for page in pages:
                yield find_response(page)
        finally:
            pages.close()  # a caller leaving early closes the point-in-time now

    def find_documents(self, *, read_ahead: bool = False) -> Generator[FindDocumentsResponse, None]:
        """:meth:`find`, with the objects of each page left as documents.

        ``read_ahead``: the search for the next page is sent as soon as a page arrives,
        and runs while the caller works on this one (in a worker thread with the sync
        finder); its hits are read when the caller asks for it. Leaving early then
        waits for the search in flight before the point-in-time is closed.
        """
        context = self._repository.context
        hits = self._pages_of_hits()
        pages = ReadAhead(hits) if read_ahead else hits
        try:
            for found in pages:
                yield found_documents(context, found)
        finally:
            pages.close()

    def _pages_of_hits(self) -> Generator[FoundHits, None]:
        if self._open:
            raise RuntimeError(ALREADY_OPEN)
        options = self._options
        try:
            pit_options: OpenPointInTimeOptions = {"keep_alive": self._keep_alive}
            if "namespaces" in options:
                pit_options["namespaces"] = options["namespaces"]
            self._pit_id = self._repository.open_point_in_time_for_type(
                options.get("type", []), **pit_options
            )
        except NotFoundError:
            self._pit_id = None
        self._open = True
        per_page = options["per_page"]
        search_after: list[Any] | None = None
        try:
            while self._open:
                query: FindOptions = {**options}
                if self._pit_id is not None:
                    query["pit"] = {"id": self._pit_id, "keep_alive": self._keep_alive}
                if search_after is not None:
                    query["search_after"] = search_after
                page = self._repository._find_hits(query)
                if page.pit_id:
                    self._pit_id = page.pit_id
                if page.hits:
                    search_after = page.hits[-1].get("sort")
                if page.hits or options.get("aggs"):
                    yield page
                if len(page.hits) < per_page or self._pit_id is None:
                    break
        finally:
            self.close()

    def close(self) -> None:
        """Close the point-in-time, if one is held; the finder may then find again."""
        pit_id, self._pit_id = self._pit_id, None
        self._open = False
        if pit_id is not None:
            self._repository.close_point_in_time(pit_id)

    def __enter__(self) -> PointInTimeFinder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
