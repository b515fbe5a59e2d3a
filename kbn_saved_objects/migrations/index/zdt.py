"""Kibana's zero-downtime (ZDT) migration algorithm: the pure decisions and transitions.

ZDT is for services upgraded one replica at a time. Old and new replicas share one index
while it is upgraded, so nothing may stop them: no write block, no temp index, no reindex,
no alias switch to another index. An upgrade may only *add* to the mappings; a document's
shape changes through model versions, whose forward-compatibility schemas let an old
replica read what a new one wrote. The index carries its state in ``_meta``:

* ``mappingVersions`` -- the model version per type the mappings were last updated for;
* ``docVersions`` -- the version every document of a type was last converted to;
* ``migrationState.convertingDocuments`` -- a conversion is under way.

A run has two phases. Every replica runs the first, *index state update* (create the index,
or add the mappings of types whose model version grew and record ``mappingVersions``, then
make sure of the aliases): cheap and idempotent, so replicas may start together. Only a run
with the conversion role (``MigrationOptions(zdt_convert_documents=True)``, what
``kbn-so migrate --algorithm zdt`` does) runs the second, *document conversion*: delete
unknown and excluded documents, rewrite outdated ones in place under optimistic
concurrency (a replica's concurrent write wins), then record ``docVersions``.

A replica whose registry is *older* than the index (the previous release during a rolling
upgrade, or a rollback) changes nothing; one whose versions are higher for some types and
lower for others stops with a conflict. Where a release changes a field's mapping type,
which only a reindex can apply, the run refuses before it writes anything.

This module only decides (the state machine is :func:`model`); :mod:`.zdt_actions` holds
the requests, and the v2 modules the outdated-documents loop both algorithms share.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from kbn_saved_objects.engine.flavors import as_sent
from kbn_saved_objects.mappings import ROOT_FIELD_NAMES
from kbn_saved_objects.migrations.document._versions import InvalidVersion, version_key
from kbn_saved_objects.migrations.index import model as v2
from kbn_saved_objects.migrations.index.state import ControlState, Result, Right, State

S = ControlState

IndexAlgorithm = Literal[
    "zdt", "v2-partially-migrated", "v2-compatible", "v2-incompatible", "unknown"
]
VersionStatus = Literal["greater", "lesser", "equal", "conflict"]

_V2_ONLY_META = ("indexTypesMap", "migrationMappingPropertyHashes")


# -- pure decisions ---------------------------------------------------------------------------


def current_index(indices: Mapping[str, Any], prefix: str) -> str | None:
    """The index the ``prefix`` alias points to; else the highest ``<prefix>_<N>``."""
    aliases = v2.aliases_of(indices)
    target = aliases.get(prefix, [None])[0]
    if target is not None and target in indices:
        return target
    pattern = re.compile(rf"^{re.escape(prefix)}_(\d+)$")
    numbers = [int(m.group(1)) for name in indices if (m := pattern.match(name))]
    return f"{prefix}_{max(numbers)}" if numbers else None


def index_algorithm(mappings: Mapping[str, Any]) -> IndexAlgorithm:
    """Which algorithm last managed an index, read from its ``_meta``.

    ``docVersions`` only ZDT writes. Our v2 migrator (as Kibana's since 8.8) also writes
    ``mappingVersions``, so an index with that but no ``docVersions`` was last migrated by
    v2 (or by a ZDT run that stopped before its first conversion): ZDT takes it over and
    converts every type's documents once. A v2 index without ``indexTypesMap`` predates
    the index split and cannot be taken over.
    """
    meta = mappings.get("_meta")
    if not isinstance(meta, Mapping) or not meta:
        return "unknown"
    if meta.get("mappingVersions"):
        return "zdt" if meta.get("docVersions") else "v2-partially-migrated"
    if meta.get("migrationMappingPropertyHashes"):
        return "v2-compatible" if meta.get("indexTypesMap") else "v2-incompatible"
    return "unknown"


def compare_versions(
    app: Mapping[str, str],
    stored: Mapping[str, Any] | None,
    removed: Sequence[str] = (),
) -> tuple[VersionStatus, dict[str, list[str]]]:
    """Kibana's ``compareVirtualVersions`` over the app's types: ``greater`` when some type
    is newer in the app (a type the index never saw counts as newer), ``lesser`` when some
    is older, ``conflict`` when both. Types the app does not register are not compared: a
    disabled plugin's types, or the types a newer release added, are not the app's to
    judge. An unparsable stored version counts as ``0.0.0`` (it is rewritten)."""
    stored = stored or {}
    details: dict[str, list[str]] = {"greater": [], "lesser": [], "equal": []}
    for name in sorted(app):
        if name in removed:
            continue
        app_key = version_key(app[name])
        try:
            stored_key = version_key(stored.get(name) or "0.0.0")
        except InvalidVersion:
            stored_key = version_key("0.0.0")
        bucket = (
            "greater" if app_key > stored_key else "lesser" if app_key < stored_key else "equal"
        )
        details[bucket].append(name)
    if details["greater"] and details["lesser"]:
        return "conflict", details
    if details["greater"]:
        return "greater", details
    if details["lesser"]:
        return "lesser", details
    return "equal", details


def changed_root_fields(stored: Mapping[str, Any], target: Mapping[str, Any]) -> list[str]:
    """Root fields (``type``, ``namespaces``, ``updated_at``...) the app maps differently."""
    stored_props = stored.get("properties") or {}
    target_props = target.get("properties") or {}
    return [
        name
        for name in ROOT_FIELD_NAMES
        if name in target_props and as_sent(stored_props.get(name)) != as_sent(target_props[name])
    ]


def _field_type(mapping: Mapping[str, Any]) -> str:
    return str(mapping.get("type") or "object")


def incompatible_fields(
    stored: Mapping[str, Any], target: Mapping[str, Any], path: str = ""
) -> list[str]:
    """Fields both mappings declare with different types (``path: old -> new``): an engine
    cannot change a field's type in place, only a reindex can, which ZDT never does.
    Fields only one side declares are fine: new ones are added, dropped ones stay mapped."""
    out: list[str] = []
    for name, new in target.items():
        old = stored.get(name)
        if not isinstance(new, Mapping) or not isinstance(old, Mapping):
            continue
        where = f"{path}{name}"
        if _field_type(old) != _field_type(new):
            out.append(f"{where}: {_field_type(old)} -> {_field_type(new)}")
            continue
        out += incompatible_fields(
            old.get("properties") or {}, new.get("properties") or {}, where + "."
        )
        for field_name, field in (new.get("fields") or {}).items():
            old_field = (old.get("fields") or {}).get(field_name)
            if (
                isinstance(old_field, Mapping)
                and isinstance(field, Mapping)
                and _field_type(old_field) != _field_type(field)
            ):
                out.append(
                    f"{where}.{field_name}: {_field_type(old_field)} -> {_field_type(field)}"
                )
    return out


def lacks_fields(stored: Mapping[str, Any], target: Mapping[str, Any]) -> bool:
    """Whether ``target`` declares a field (at any depth) that ``stored`` does not: by
    presence only, so the defaults an engine echoes back never count as a change."""
    for name, new in target.items():
        old = stored.get(name)
        if not isinstance(old, Mapping):
            return True
        if isinstance(new, Mapping) and (
            lacks_fields(old.get("properties") or {}, new.get("properties") or {})
            or lacks_fields(old.get("fields") or {}, new.get("fields") or {})
        ):
            return True
    return False


def additive_properties(
    stored: Mapping[str, Any], target: Mapping[str, Any], types: Sequence[str]
) -> dict[str, Any]:
    """The root properties to put: the whole mappings of ``types`` and of every root field
    that changed (Kibana puts a changed type's mappings whole; the engine merges them)."""
    target_props = target.get("properties") or {}
    names = [*changed_root_fields(stored, target), *(t for t in types if t in target_props)]
    return {name: target_props[name] for name in dict.fromkeys(names)}


def mapping_versions(state: State) -> dict[str, str]:
    return dict((state.target_mappings.get("_meta") or {}).get("mappingVersions") or {})


def meta_with(
    stored: Mapping[str, Any] | None, key: str, versions: Mapping[str, str], **extra: Any
) -> dict[str, Any]:
    """``stored`` with ``key`` updated by ``versions``; entries of types the app does not
    register are kept (a disabled plugin's types must not look new when it comes back)."""
    meta = {k: v for k, v in (stored or {}).items() if k not in _V2_ONLY_META}
    previous = meta.get(key)
    meta[key] = {**(previous if isinstance(previous, Mapping) else {}), **versions}
    meta.update(extra)
    return meta


def zdt_mappings(state: State) -> dict[str, Any]:
    """The mappings of an index ZDT creates: nothing to convert in it, so ``docVersions``
    are the app's from the start."""
    meta = meta_with(
        state.target_mappings.get("_meta"),
        "docVersions",
        dict(state.doc_versions),
        migrationState={"convertingDocuments": False},
    )
    return {**state.target_mappings, "_meta": meta}


def alias_actions(state: State, index: str, existing: Sequence[str]) -> tuple[dict[str, Any], ...]:
    """Add the ``<prefix>`` and ``<prefix>_<version>`` aliases the index lacks (nothing is
    removed: an older replica's version alias stays until it is gone)."""
    return tuple(
        {"add": {"index": index, "alias": alias}}
        for alias in (state.prefix, state.version_alias)
        if alias not in existing
    )


# -- transitions -----------------------------------------------------------------------------


def _init(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    indices: Mapping[str, Any] = result.value or {}
    for alias, names in sorted(v2.aliases_of(indices).items()):
        if len(names) > 1 and (alias == state.prefix or alias.startswith(state.prefix + "_")):
            return v2.fatal(
                state,
                f"The {alias} alias is pointing to multiple indices: {','.join(sorted(names))}.",
            )
    current = current_index(indices, state.prefix)
    if current is None:
        return state.evolve(
            control_state=S.CREATE_TARGET_INDEX,
            kind="fresh",
            target_index=f"{state.prefix}_1",
            skip_documents=True,
        )
    body = indices.get(current) or {}
    mappings: Mapping[str, Any] = body.get("mappings") or {}
    algorithm = index_algorithm(mappings)
    state = v2.log(state, "info", f"INIT: current algo check result: {algorithm}")
    if algorithm == "v2-incompatible":
        return v2.fatal(
            state, f"Index {current} is using an incompatible version of the v2 algorithm"
        )
    if algorithm == "unknown":
        return v2.fatal(state, f"Cannot identify algorithm used for index {current}")
    settings = (body.get("settings") or {}).get("index") or {}
    shards = settings.get("number_of_shards")
    state = state.evolve(
        kind="compatible",
        source_index=current,
        target_index=current,
        source_shards=int(shards) if shards is not None else None,
        source_mappings=dict(mappings),
        source_aliases=tuple(sorted(body.get("aliases") or {})),
        stored_meta={
            k: v for k, v in (mappings.get("_meta") or {}).items() if k not in _V2_ONLY_META
        },
        previous_algorithm="zdt" if algorithm == "zdt" else "v2",
        alias_actions=alias_actions(state, current, tuple(body.get("aliases") or {})),
    )
    stored_versions = (mappings.get("_meta") or {}).get("mappingVersions")
    status, details = compare_versions(
        mapping_versions(state), stored_versions, state.removed_type_names
    )
    roots = changed_root_fields(mappings, state.target_mappings)
    if roots and status == "equal":
        status = "greater"
    elif roots and status == "lesser":
        status = "conflict"
    state = v2.log(state, "info", f"INIT: mapping version check result: {status}")
    if status == "conflict":
        return v2.fatal(state, _conflict_reason("mapping", details))
    if status == "lesser":
        # An older release (rolling upgrade, rollback): the index is already ahead of it.
        return state.evolve(control_state=S.INDEX_STATE_UPDATE_DONE)
    stored_props = mappings.get("properties") or {}
    target_props = state.target_mappings.get("properties") or {}
    if algorithm == "v2-compatible":
        types = list(mapping_versions(state))
    else:
        # Also the types whose mappings gained a field without a new model version: Kibana's
        # CI check forbids that edit, a Python registry cannot, and the strict index would
        # refuse every document carrying the field.
        unversioned = [
            name
            for name in details["equal"]
            if name in target_props
            and lacks_fields({name: stored_props.get(name) or {}}, {name: target_props[name]})
        ]
        types = [*details["greater"], *unversioned]
    additive = additive_properties(mappings, state.target_mappings, types)
    if status == "equal" and not additive:
        return state.evolve(
            control_state=S.UPDATE_ALIASES if state.alias_actions else S.INDEX_STATE_UPDATE_DONE
        )
    clashes = incompatible_fields(stored_props, additive)
    if clashes:
        return v2.fatal(state, _reindex_reason(current, clashes))
    return state.evolve(control_state=S.UPDATE_INDEX_MAPPINGS, additive_properties=additive)


def _conflict_reason(source: str, details: Mapping[str, Sequence[str]]) -> str:
    return (
        f"Model version conflict: inconsistent higher/lower versions ({source} versions: "
        f"newer in this app for {', '.join(details['greater'])}; older for "
        f"{', '.join(details['lesser'])}). Every replica must run one of two consecutive "
        "releases of the registry."
    )


def _reindex_reason(index: str, clashes: Sequence[str]) -> str:
    return (
        f"The mappings of index {index} cannot be updated without a reindex, which the "
        f"zero-downtime algorithm never does: {'; '.join(clashes)}. Add a new field instead "
        "of changing the type of an existing one (a model version whose changes add it, "
        "MappingsAddition, and fill it, DataBackfill), or run this upgrade with the v2 "
        "algorithm, which "
        "reindexes (it needs every replica stopped)."
    )


def _create_target_index(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        if result.value == "exists":
            # Another replica created it first: read what it made of it.
            return state.evolve(control_state=S.INIT, kind=None, target_index="")
        return state.evolve(
            control_state=S.INDEX_STATE_UPDATE_DONE,
            stored_meta=zdt_mappings(state)["_meta"],
            previous_algorithm="zdt",
        )
    if result.kind == "index_not_green_timeout":
        return v2.delay_retry(state, str(result.data.get("message")), state.retry_attempts)
    return None


def _update_index_mappings(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return state.evolve(
            control_state=S.UPDATE_INDEX_MAPPINGS_WAIT_FOR_TASK, task_id=str(result.value)
        )
    if result.kind == "incompatible_mapping_exception":
        return v2.fatal(
            state, _reindex_reason(state.target_index, [str(result.data.get("message"))])
        )
    return None


def meta_to_write(state: State) -> dict[str, Any]:
    """The ``_meta`` the state's step writes (a mappings update replaces it whole), and
    what the run knows of it once the step succeeded."""
    if state.control_state == S.UPDATE_MAPPING_MODEL_VERSIONS:
        return meta_with(state.stored_meta, "mappingVersions", mapping_versions(state))
    if state.control_state == S.SET_DOC_MIGRATION_STARTED:
        return meta_with(
            state.stored_meta, "docVersions", {}, migrationState={"convertingDocuments": True}
        )
    if state.control_state == S.UPDATE_DOCUMENT_MODEL_VERSIONS:
        return meta_with(
            state.stored_meta,
            "docVersions",
            dict(state.doc_versions),
            migrationState={"convertingDocuments": False},
        )
    raise ValueError(f"{state.control_state} writes no _meta")


def _update_mapping_model_versions(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    return state.evolve(
        control_state=S.UPDATE_ALIASES if state.alias_actions else S.INDEX_STATE_UPDATE_DONE,
        stored_meta=meta_to_write(state),
    )


def _update_aliases(state: State, result: Result) -> State | None:
    if isinstance(result, Right) or result.kind == "alias_not_found_exception":
        return state.evolve(control_state=S.INDEX_STATE_UPDATE_DONE, alias_actions=())
    if result.kind == "index_not_found_exception":
        return v2.fatal(state, f"The index {state.target_index} was deleted during the migration.")
    return None


def _index_state_update_done(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    if state.skip_documents or not state.convert_documents:
        return state.evolve(control_state=S.DONE)
    return state.evolve(control_state=S.DOCUMENTS_UPDATE_INIT)


def _documents_update_init(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    if state.previous_algorithm == "v2":
        # v2 kept no docVersions: convert whatever is outdated, once.
        return state.evolve(control_state=S.SET_DOC_MIGRATION_STARTED)
    status, details = compare_versions(
        dict(state.doc_versions),
        (state.stored_meta or {}).get("docVersions"),
        state.removed_type_names,
    )
    state = v2.log(state, "info", f"DOCUMENTS_UPDATE_INIT: doc version check result: {status}")
    if status == "greater":
        return state.evolve(control_state=S.SET_DOC_MIGRATION_STARTED)
    if status == "conflict":
        return v2.fatal(state, _conflict_reason("document", details))
    if status == "equal":
        # Kibana stops here. But a replica of the previous release may have written old
        # documents after the last conversion read the index; one count finds them, so a
        # conversion run after the rollout leaves none behind.
        return state.evolve(control_state=S.OUTDATED_DOCUMENTS_COUNT)
    return state.evolve(control_state=S.DONE)


def _outdated_count(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    if int(result.value) == 0:
        return state.evolve(control_state=S.DONE)
    return v2.log(
        state.evolve(control_state=S.SET_DOC_MIGRATION_STARTED),
        "info",
        f"{result.value} documents are still outdated (written by a replica of an earlier "
        "release after the last conversion): converting them.",
    )


def _meta_written(waiting: ControlState) -> v2.Handler:
    """A ``_meta`` write that other instances must see: remember what was written, then
    wait ``sync_delay`` in ``waiting``."""

    def handler(state: State, result: Result) -> State | None:
        if not isinstance(result, Right):
            return None
        return _wait(state.evolve(control_state=waiting, stored_meta=meta_to_write(state)))

    return handler


def _wait(state: State) -> State:
    """The next step runs after ``sync_delay`` (the runner sleeps ``retry_delay`` before a
    step): time for the other replicas to see the ``_meta`` just written."""
    return state.evolve(retry_delay=state.sync_delay)


def _after_wait(next_state: ControlState) -> v2.Handler:
    def handler(state: State, result: Result) -> State | None:
        return state.evolve(control_state=next_state) if isinstance(result, Right) else None

    return handler


def _cleanup(state: State, result: Result) -> State | None:
    """Unknown types are always dropped in ZDT (Kibana's ``discardUnknownDocs: true``):
    the conversion runs once the release is out, when a type no replica registers can only
    be garbage."""
    if not isinstance(result, Right):
        return None
    next_state = v2.unknown_found(
        state.evolve(discard_unknown_objects=True), Right(result.value["unknown"])
    )
    if next_state is None:
        return None
    next_state = v2.with_exclude_filters(
        next_state.evolve(discard_unknown_objects=state.discard_unknown_objects), result.value
    )
    if v2.excluded_query(next_state) is not None:
        return next_state.evolve(control_state=S.CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS_DELETE)
    return next_state.evolve(control_state=S.OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT)


def _cleanup_delete(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    deleted = result.value or {}
    return state.evolve(
        control_state=S.OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT,
        discarded_count=state.discarded_count + int(deleted.get("deleted") or 0),
        discarded_by_type=v2.add_counts(state.discarded_by_type, deleted.get("by_type") or {}),
    )


def _close_pit(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    state = state.evolve(pit_id=None)
    if state.has_document_problems and not state.discard_corrupt_objects:
        return v2.fatal(
            state, v2.document_problems_message(state.corrupt_ids, state.transform_errors)
        )
    if state.wrote_any:
        return state.evolve(control_state=S.OUTDATED_DOCUMENTS_REFRESH)
    return state.evolve(control_state=S.UPDATE_DOCUMENT_MODEL_VERSIONS)


_HANDLERS: dict[ControlState, v2.Handler] = {
    S.INIT: _init,
    S.CREATE_TARGET_INDEX: _create_target_index,
    S.UPDATE_INDEX_MAPPINGS: _update_index_mappings,
    S.UPDATE_INDEX_MAPPINGS_WAIT_FOR_TASK: v2.wait_for_task_handler(
        S.UPDATE_MAPPING_MODEL_VERSIONS, S.UPDATE_INDEX_MAPPINGS
    ),
    S.UPDATE_MAPPING_MODEL_VERSIONS: _update_mapping_model_versions,
    S.UPDATE_ALIASES: _update_aliases,
    S.INDEX_STATE_UPDATE_DONE: _index_state_update_done,
    S.DOCUMENTS_UPDATE_INIT: _documents_update_init,
    S.OUTDATED_DOCUMENTS_COUNT: _outdated_count,
    S.SET_DOC_MIGRATION_STARTED: _meta_written(S.SET_DOC_MIGRATION_STARTED_WAIT_FOR_INSTANCES),
    S.SET_DOC_MIGRATION_STARTED_WAIT_FOR_INSTANCES: _after_wait(
        S.CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS
    ),
    S.CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS: _cleanup,
    S.CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS_DELETE: _cleanup_delete,
    # the outdated-documents loop is v2's, ending in ZDT's bookkeeping
    S.OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT: v2.open_pit_handler(S.OUTDATED_DOCUMENTS_SEARCH_READ),
    S.OUTDATED_DOCUMENTS_SEARCH_READ: v2.read_handler(
        S.OUTDATED_DOCUMENTS_TRANSFORM,
        S.OUTDATED_DOCUMENTS_SEARCH_CLOSE_PIT,
        S.OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT,
    ),
    S.OUTDATED_DOCUMENTS_TRANSFORM: v2.transform_handler(
        S.OUTDATED_DOCUMENTS_SEARCH_READ, S.TRANSFORMED_DOCUMENTS_BULK_INDEX
    ),
    S.TRANSFORMED_DOCUMENTS_BULK_INDEX: v2.outdated_bulk,
    S.OUTDATED_DOCUMENTS_SEARCH_CLOSE_PIT: _close_pit,
    S.OUTDATED_DOCUMENTS_REFRESH: _after_wait(S.UPDATE_DOCUMENT_MODEL_VERSIONS),
    S.UPDATE_DOCUMENT_MODEL_VERSIONS: _meta_written(
        S.UPDATE_DOCUMENT_MODEL_VERSIONS_WAIT_FOR_INSTANCES
    ),
    S.UPDATE_DOCUMENT_MODEL_VERSIONS_WAIT_FOR_INSTANCES: _after_wait(S.DONE),
}


def model(state: State, result: Result) -> State:
    """The next ZDT state; the same contract (and retry handling) as v2's model."""
    return v2.step(_HANDLERS, state, result)


__all__ = [
    "additive_properties",
    "alias_actions",
    "changed_root_fields",
    "compare_versions",
    "current_index",
    "incompatible_fields",
    "index_algorithm",
    "lacks_fields",
    "meta_to_write",
    "model",
    "zdt_mappings",
]
