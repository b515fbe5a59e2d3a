"""Read-ahead for the batch loops: what the state machine will read next, known early.

The model runs READ -> TRANSFORM -> BULK -> READ one step at a time, so on its own the
engine idles while Python transforms and Python idles while the engine indexes. But once a
READ has answered, the next READ is already decided: the same PIT, the ``search_after`` of
the page just read and the batch size the model just chose -- TRANSFORM and BULK change
none of them. So the runner, on entering a TRANSFORM state, starts that next read *and*
its transform in the background; when the machine gets there, it takes the results
instead of asking again. The model still sees every result in order, as if it had been
produced on the spot: a PIT is a snapshot, so reading it early returns the same page, and
transforms depend on nothing but the documents.

A guess that does not come true (the page was too large and the model halved the batch,
a retry, the loop ended) is dropped: results are only used when the state asks for
exactly the read that was guessed. This module is the pure part (which read, is it the
one, which transform); the runners own the thread or task that runs it.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from kbn_saved_objects.migrations.index.state import ControlState, Result, Right, State

S = ControlState

_READ_AFTER_TRANSFORM = {
    S.REINDEX_SOURCE_TO_TEMP_TRANSFORM: S.REINDEX_SOURCE_TO_TEMP_READ,
    S.OUTDATED_DOCUMENTS_TRANSFORM: S.OUTDATED_DOCUMENTS_SEARCH_READ,
}
_TRANSFORM_AFTER_READ = {read: transform for transform, read in _READ_AFTER_TRANSFORM.items()}

READ_STATES = frozenset(_TRANSFORM_AFTER_READ)
TRANSFORM_STATES = frozenset(_READ_AFTER_TRANSFORM)


def read_key(state: State) -> Hashable:
    """Everything a read action depends on that can change during a loop."""
    return (state.control_state, state.pit_id, state.search_after, state.batch_size)


def next_read(state: State) -> State | None:
    """In a TRANSFORM state: the READ state the loop will come back to (batch dropped so a
    background job does not keep it alive)."""
    read = _READ_AFTER_TRANSFORM.get(state.control_state)
    if read is None:
        return None
    return state.evolve(control_state=read, hits=(), batches=(), logs=())


def transform_state(read_state: State, read_result: Result) -> State | None:
    """The TRANSFORM state that a read result leads to, when the model will accept the
    page as it is (not empty, not over the byte limit); ``None`` otherwise."""
    if not isinstance(read_result, Right):
        return None
    value: dict[str, Any] = read_result.value
    hits = value.get("hits") or []
    if not hits or int(value.get("bytes") or 0) > read_state.max_read_batch_bytes:
        return None
    return read_state.evolve(
        control_state=_TRANSFORM_AFTER_READ[read_state.control_state], hits=tuple(hits)
    )


@dataclass(frozen=True)
class Prefetched:
    """A read done ahead, and the transform of its page when there was one."""

    read: Result
    hits: tuple[dict[str, Any], ...] = ()
    transformed: Result | None = None

    def transform_for(self, state: State) -> Result | None:
        """The transform result, if ``state`` is the TRANSFORM of this very page (the model
        keeps the hit objects, so identity tells)."""
        if self.transformed is None or len(state.hits) != len(self.hits):
            return None
        if all(a is b for a, b in zip(state.hits, self.hits, strict=True)):
            return self.transformed
        return None
