"""The requests of the zero-downtime algorithm's steps (Kibana's ``zdt/next.ts``).

Like :mod:`.actions`, each action is a generator of engine requests that returns a
:class:`Result`; the outdated-documents loop and the cleanup are v2's own actions, run
against the index in place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import SavedObjectsError
from kbn_saved_objects.mappings import ROOT_FIELD_NAMES
from kbn_saved_objects.migrations.index import actions as v2
from kbn_saved_objects.migrations.index.state import ControlState, Left, Right, State
from kbn_saved_objects.migrations.index.zdt import meta_to_write, zdt_mappings

S = ControlState


def pickup_query(
    properties: dict[str, Any], converted: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """Which documents to index again for the new mappings: those of the changed types,
    or every one when a root field changed (Kibana's ``buildPickupMappingsQuery``) --
    except, in a run that converts documents next, the ``converted`` ones (the outdated
    query): the conversion rewrites each of them with the new mappings anyway, so picking
    them up first wrote every document twice (0.44x ``_update_by_query`` on 200k
    documents against 0.77x for v2's in-place path, which picks up last)."""
    clauses: dict[str, Any] = {}
    if not any(name in ROOT_FIELD_NAMES for name in properties):
        clauses["should"] = [{"term": {"type": name}} for name in sorted(properties)]
        clauses["minimum_should_match"] = 1
    if converted is not None:
        clauses["must_not"] = [converted]
    return {"bool": clauses} if clauses else None


def _update_index_mappings(state: State) -> v2.Action:
    """Add the new mappings, then index again (in the background) the documents they
    concern: a field a type maps only now is searchable in the documents written before.
    ``update_by_query`` writes each document back as it is, and skips one a replica wrote
    meanwhile (``conflicts=proceed``): it never overwrites a newer write."""
    properties = state.additive_properties or {}
    try:
        yield rq.put_mapping(state.target_index, {"properties": properties})
    except SavedObjectsError as error:
        if v2.error_status(error) == 400 and v2.error_type(error) in v2.INCOMPATIBLE_MAPPING:
            return Left("incompatible_mapping_exception", {"message": error.message})
        raise
    converting = state.convert_documents and not state.skip_documents
    query = pickup_query(properties, state.outdated_query if converting else None)
    answer = yield rq.update_by_query(
        state.target_index,
        {"query": query} if query else {},
        conflicts="proceed",
        refresh=True,
        wait_for_completion=False,
        scroll_size=state.batch_size,
    )
    return Right(answer["task"])


def _cleanup_unknown_and_excluded(ctx: v2.Context, state: State) -> v2.Action:
    """Refresh first: replicas write with ``refresh=False`` too, and a document written
    just before the conversion started must be seen by the cleanup and by the outdated
    search (v2 refreshes before its search for the same reason; Kibana relies on its
    120 s wait, which outlasts any refresh interval)."""
    yield rq.refresh(state.target_index)
    return (yield from v2.cleanup_unknown_and_excluded(ctx, state))


def _count_outdated(state: State) -> v2.Action:
    """Refreshed first, for the same reason as the cleanup."""
    yield rq.refresh(state.target_index)
    return (yield from v2.count(state.target_index, state.outdated_query))


def _put_meta(state: State) -> v2.Action:
    yield rq.put_mapping(
        state.target_index,
        {"dynamic": state.target_mappings["dynamic"], "_meta": meta_to_write(state)},
    )
    return Right()


_OWN: dict[ControlState, Callable[[v2.Context, State], v2.Action]] = {
    S.INIT: lambda ctx, st: v2.simple(lambda: v2.get_indices([st.prefix, f"{st.prefix}_*"])),
    S.CREATE_TARGET_INDEX: lambda ctx, st: v2.create_index(
        st.target_index, zdt_mappings(st), {st.prefix: {}, st.version_alias: {}}
    ),
    S.UPDATE_INDEX_MAPPINGS: lambda ctx, st: _update_index_mappings(st),
    S.UPDATE_INDEX_MAPPINGS_WAIT_FOR_TASK: lambda ctx, st: v2.wait_for_task(st.task_id or ""),
    S.UPDATE_MAPPING_MODEL_VERSIONS: lambda ctx, st: _put_meta(st),
    S.UPDATE_ALIASES: lambda ctx, st: v2.update_aliases(st.alias_actions),
    S.INDEX_STATE_UPDATE_DONE: lambda ctx, st: v2.no_engine(Right()),
    S.DOCUMENTS_UPDATE_INIT: lambda ctx, st: v2.no_engine(Right()),
    S.OUTDATED_DOCUMENTS_COUNT: lambda ctx, st: _count_outdated(st),
    S.SET_DOC_MIGRATION_STARTED: lambda ctx, st: _put_meta(st),
    S.SET_DOC_MIGRATION_STARTED_WAIT_FOR_INSTANCES: lambda ctx, st: v2.no_engine(Right()),
    S.CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS: _cleanup_unknown_and_excluded,
    S.CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS_DELETE: lambda ctx, st: v2.delete_excluded(st),
    S.UPDATE_DOCUMENT_MODEL_VERSIONS: lambda ctx, st: _put_meta(st),
    S.UPDATE_DOCUMENT_MODEL_VERSIONS_WAIT_FOR_INSTANCES: lambda ctx, st: v2.no_engine(Right()),
}


def next_action(ctx: v2.Context, state: State) -> v2.Action:
    """The action the state calls for: ZDT's own, else v2's (the shared loop)."""
    own = _OWN.get(state.control_state)
    return own(ctx, state) if own is not None else v2.next_action(ctx, state)
