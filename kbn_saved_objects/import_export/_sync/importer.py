# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""Import NDJSON files and resolve their errors against a repository (spec 07 §4, §6).

The stages follow Kibana's ``importSavedObjectsFromStream`` and ``resolveSavedObjectsImportErrors``
in order; the rules of each stage are pure functions of ``import_export.importing`` and
this module only adds the engine calls (check_conflicts, origin searches, reference
lookups, bulk_create). Whole-request refusals raise before the first write; resolvable
per-object errors make the request write nothing (Kibana's all-or-nothing rule).

Writes are sent in batches of ``batch_size`` objects: one ``_bulk`` of 10,000 objects
(or 100,000 with a raised limit) would be a request of hundreds of megabytes. Every
object is run through the document migrator *before* the first batch, so that a
document the migrator refuses fails the request with nothing written.

This module is the async source; ``import_export/_sync/importer.py`` is generated from it.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from kbn_saved_objects._gc import paused_gc
from kbn_saved_objects._tasks import Tasks
from kbn_saved_objects.errors import SavedObjectsError
from kbn_saved_objects.import_export.errors import SavedObjectsImportError
from kbn_saved_objects.import_export.export import DEFAULT_MAX_IMPORT_EXPORT_SIZE
from kbn_saved_objects.import_export.importing import (
    REFERENCE_TYPES_TO_VALIDATE,
    CollectedObjects,
    ImportOutcome,
    ImportRetry,
    ImportStateEntry,
    classify_conflict,
    collect_saved_objects,
    create_origin_query,
    error_entry,
    has_resolvable_errors,
    key_of,
    new_id,
    obj_key,
    object_meta,
    object_to_create,
    regenerate_ids,
    sort_destinations,
    success_entry,
    validate_retries,
)
from kbn_saved_objects.import_export.spool import ObjectSpool
from kbn_saved_objects.repository._sync.repository import SavedObjectsRepository
from kbn_saved_objects.repository.operations.check_conflicts import CheckConflictsObject
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE

if TYPE_CHECKING:  # the client's module imports this one (through the service)
    from kbn_saved_objects.service._sync.client import SavedObjectsClient

__all__ = ["SavedObjectsImporter"]

_LOOKUP_CHUNK = 1000

T = TypeVar("T")


def _ns(namespace: str | None) -> dict[str, Any]:
    return {"namespace": namespace} if namespace is not None else {}


def _to_bulk_object(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A migrated camelCase document as a ``bulk_create`` object."""
    out: dict[str, Any] = {
        "type": doc["type"],
        "id": doc["id"],
        "attributes": doc.get("attributes", {}),
        "references": list(doc.get("references") or []),
        "managed": bool(doc.get("managed", False)),
    }
    if doc.get("originId"):
        out["origin_id"] = doc["originId"]
    if doc.get("migrationVersion") is not None:
        out["migration_version"] = doc["migrationVersion"]
    if doc.get("coreMigrationVersion") is not None:
        out["core_migration_version"] = doc["coreMigrationVersion"]
    if doc.get("typeMigrationVersion") is not None:
        out["type_migration_version"] = doc["typeMigrationVersion"]
    return out


@dataclass(frozen=True)
class _ImportOptions:
    """What one import or resolve was asked: the stages read it, none changes it."""

    retries: dict[str, ImportRetry] | None  # resolve only: by ``type:id``
    overwrite: bool
    create_new_copies: bool
    compatibility_mode: bool
    namespace: str | None
    refresh: bool | str | None
    managed: bool | None


def _replacing_references(
    retries: Mapping[str, ImportRetry],
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The retries' ``replaceReferences`` (spec 07 §6), applied to each object once, as
    it is collected."""

    def rewrite(obj: dict[str, Any]) -> dict[str, Any]:
        for replace in retries.get(obj_key(obj), {}).get("replaceReferences") or []:
            obj["references"] = [
                {**r, "id": replace["to"]}
                if r["type"] == replace["type"] and r["id"] == replace["from"]
                else r
                for r in obj["references"]
            ]
        return obj

    return rewrite


_OriginHits: TypeAlias = tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]
"""An object and what its origin search found: ``(key, destination info)`` per hit."""


def _batched(items: Iterator[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _may_miss_references(
    state: Mapping[str, ImportStateEntry], retries: Mapping[str, ImportRetry]
) -> bool:
    """Whether any object can have a missing reference: one to an index pattern or search
    that is not in the file (the state map's reference-only entries) or that a retry
    points to. When none can, the reference pass over the file is skipped."""
    if any(
        entry.is_only_reference
        and not entry.destination_id
        and key.partition(":")[0] in REFERENCE_TYPES_TO_VALIDATE
        for key, entry in state.items()
    ):
        return True
    return any(
        replace["type"] in REFERENCE_TYPES_TO_VALIDATE
        for retry in retries.values()
        for replace in retry.get("replaceReferences") or []
    )


def _conflict_target(obj: Mapping[str, Any], retries: Mapping[str, ImportRetry]) -> str:
    """The id an object would be written under: a retry's ``destinationId``, or its own."""
    retry = retries.get(obj_key(obj)) if retries else None
    return (retry.get("destinationId") if retry else None) or str(obj["id"])


def _key_pair(key: str) -> dict[str, str]:
    """``{"type", "id"}`` of a ``type:id`` key (a type name holds no ``:``)."""
    type_name, _, object_id = key.partition(":")
    return {"type": type_name, "id": object_id}


class SavedObjectsImporter:
    """Kibana's ``SavedObjectsImporter`` over a repository.

    The repository must include the importable hidden types (``include_hidden_types``).
    ``id_generator`` makes regenerated ids deterministic in tests (Kibana: UUID v4).
    """

    def __init__(
        self,
        repository: SavedObjectsRepository | SavedObjectsClient,
        *,
        import_size_limit: int = DEFAULT_MAX_IMPORT_EXPORT_SIZE,
        batch_size: int = 1000,
        id_generator: Callable[[], str] = new_id,
        pause_gc: bool = False,
    ) -> None:
        self.pause_gc = pause_gc
        self.repository = repository
        self.registry = repository.context.registry
        self.import_size_limit = import_size_limit
        self.batch_size = batch_size
        self.id_generator = id_generator

    def _supported_types(self) -> list[str]:
        return [t.name for t in self.registry.get_importable_and_exportable_types()]

    def import_(
        self,
        lines: Iterable[str | bytes],
        *,
        overwrite: bool = False,
        create_new_copies: bool = False,
        compatibility_mode: bool = False,
        namespace: str | None = None,
        refresh: bool | str | None = None,
        managed: bool | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> dict[str, Any]:
        """Import the objects of an NDJSON file; returns Kibana's response dict.

        The response lists every object, so its size grows with the file: a server
        answering large imports streams :meth:`import_outcome`'s JSON instead."""
        outcome = self.import_outcome(
            lines,
            overwrite=overwrite,
            create_new_copies=create_new_copies,
            compatibility_mode=compatibility_mode,
            namespace=namespace,
            refresh=refresh,
            managed=managed,
            progress=progress,
            spooled=False,  # the dict holds every entry anyway
        )
        with outcome:
            return outcome.to_response()

    def import_outcome(
        self,
        lines: Iterable[str | bytes],
        *,
        overwrite: bool = False,
        create_new_copies: bool = False,
        compatibility_mode: bool = False,
        namespace: str | None = None,
        refresh: bool | str | None = None,
        managed: bool | None = None,
        progress: Callable[[int], None] | None = None,
        spooled: bool = True,
    ) -> ImportOutcome:
        """Import the objects of an NDJSON file; the outcome holds Kibana's response
        (``to_response()``, or ``iter_json()`` to stream it). Only keys and state stay in
        memory: the objects go through the stages from a spool, a batch at a time, and the
        success entries wait in one too unless ``spooled=False``."""
        if overwrite and create_new_copies:
            raise SavedObjectsImportError(
                "invalid-request", "cannot use [overwrite] with [createNewCopies]"
            )
        if create_new_copies and compatibility_mode:
            raise SavedObjectsImportError(
                "invalid-request", "cannot use [createNewCopies] with [compatibilityMode]"
            )
        options = _ImportOptions(
            None, overwrite, create_new_copies, compatibility_mode, namespace, refresh, managed
        )
        return self._pipeline(lines, options, progress, spooled)

    def resolve_import_errors(
        self,
        lines: Iterable[str | bytes],
        retries: Sequence[ImportRetry],
        *,
        create_new_copies: bool = False,
        compatibility_mode: bool = False,
        namespace: str | None = None,
        refresh: bool | str | None = None,
        managed: bool | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> dict[str, Any]:
        """Re-run an import for the retried objects only (spec 07 §6); returns Kibana's
        response dict."""
        outcome = self.resolve_import_errors_outcome(
            lines,
            retries,
            create_new_copies=create_new_copies,
            compatibility_mode=compatibility_mode,
            namespace=namespace,
            refresh=refresh,
            managed=managed,
            progress=progress,
            spooled=False,  # the dict holds every entry anyway
        )
        with outcome:
            return outcome.to_response()

    def resolve_import_errors_outcome(
        self,
        lines: Iterable[str | bytes],
        retries: Sequence[ImportRetry],
        *,
        create_new_copies: bool = False,
        compatibility_mode: bool = False,
        namespace: str | None = None,
        refresh: bool | str | None = None,
        managed: bool | None = None,
        progress: Callable[[int], None] | None = None,
        spooled: bool = True,
    ) -> ImportOutcome:
        """:meth:`resolve_import_errors`, answering an :class:`ImportOutcome`."""
        if create_new_copies and compatibility_mode:
            raise SavedObjectsImportError(
                "invalid-request", "cannot use [createNewCopies] with [compatibilityMode]"
            )
        validate_retries(retries)
        options = _ImportOptions(
            {key_of(r["type"], r["id"]): r for r in retries},
            False,
            create_new_copies,
            compatibility_mode,
            namespace,
            refresh,
            managed,
        )
        return self._pipeline(lines, options, progress, spooled)

    # --- the pipeline -----------------------------------------------------------------

    def _pipeline(
        self,
        lines: Iterable[str | bytes],
        options: _ImportOptions,
        progress: Callable[[int], None] | None,
        spooled: bool,
    ) -> ImportOutcome:
        retries = options.retries
        with paused_gc(self.pause_gc):
            with Tasks() as tasks:
                # reading and parsing the file is blocking work: off the event loop
                collected = tasks.in_thread(
                    functools.partial(
                        collect_saved_objects,
                        lines,
                        self.registry,
                        limit=self.import_size_limit,
                        supported_types=self._supported_types(),
                        managed=options.managed,
                        filter=(lambda o: obj_key(o) in retries) if retries is not None else None,
                        rewrite=_replacing_references(retries) if retries else None,
                        progress=progress,
                    )
                )
            with collected.objects:
                return self._run_stages(collected, options, spooled)

    def _read_back(self, spool: ObjectSpool) -> Iterator[list[dict[str, Any]]]:
        """The collected objects again, ``batch_size`` at a time."""
        return _batched(iter(spool), self.batch_size)

    def _run_stages(
        self, collected: CollectedObjects, options: _ImportOptions, spooled: bool
    ) -> ImportOutcome:
        """Kibana's stages, each run over the spooled objects a batch at a time; only
        keys, the state map and the errors stay in memory. Errors keep Kibana's order:
        collection, references, conflicts, origin conflicts."""
        retries, overwrite, create_new_copies = (
            options.retries,
            options.overwrite,
            options.create_new_copies,
        )
        compatibility_mode, namespace, refresh, managed = (
            options.compatibility_mode,
            options.namespace,
            options.refresh,
            options.managed,
        )
        state = collected.state
        retry_of: dict[str, ImportRetry] = retries or {}
        self._check_reference_origins(state, namespace)

        reference_errors: list[dict[str, Any]] = []
        missing_cache: dict[str, bool] = {}
        checked_references = _may_miss_references(state, retry_of)
        for objects in self._read_back(collected.objects) if checked_references else ():
            reference_errors.extend(
                self._validate_references(
                    objects, state, retry_of, namespace, collected.keys, missing_cache
                )
            )
        without_references = {obj_key(e) for e in reference_errors}

        def candidate_batches() -> Iterator[list[dict[str, Any]]]:
            """The objects whose references passed, a batch at a time, with the state of
            new copies and of retried destinations set before their conflicts are read."""
            for objects in self._read_back(collected.objects):
                candidates = [o for o in objects if obj_key(o) not in without_references]
                if create_new_copies:
                    state.update(regenerate_ids(candidates, self.id_generator))
                for obj in candidates if retries is not None else ():
                    retry = retry_of[obj_key(obj)]
                    destination = retry.get("destinationId")
                    if destination and destination != obj["id"]:
                        state[obj_key(obj)] = ImportStateEntry(
                            destination_id=destination,
                            omit_origin_id=create_new_copies or bool(retry.get("createNewCopy")),
                        )
                yield candidates

        conflict_errors: list[dict[str, Any]] = []
        origin_hits: list[_OriginHits] = []
        pending_overwrites: set[str] = set()
        if retries is None and create_new_copies:  # new ids for all: nothing can conflict
            for _ in candidate_batches():
                pass
        else:
            checked: collections.deque[list[dict[str, Any]]] = collections.deque()

            def lookups() -> Iterator[list[CheckConflictsObject]]:
                for candidates in candidate_batches():
                    checked.append(candidates)
                    yield [
                        {"type": o["type"], "id": _conflict_target(o, retry_of)} for o in candidates
                    ]

            # each batch's lookup is prepared while the engine answers the one before
            answers = self.repository.check_conflicts_batches(lookups(), **_ns(namespace))
            for response in answers:
                candidates = checked.popleft()
                found = {key_of(c.type, c.id): c.error for c in response.errors}
                conflict_state, found_conflicts = self._classify_conflicts(
                    candidates,
                    found,
                    retry_of,
                    overwrite if retries is None else False,
                    create_new_copies,
                    pending_overwrites,
                )
                conflict_errors.extend(found_conflicts)
                state.update(conflict_state)
                if not create_new_copies:
                    origin_hits.extend(
                        self._origin_hits(
                            candidates, found_conflicts, retry_of, namespace, pending_overwrites
                        )
                    )
        # An origin match in the file itself is no destination; the file's keys minus
        # the objects that failed their references (Kibana checks origins of the rest).
        import_keys = collected.keys - {obj_key(e) for e in reference_errors}
        origin_state, origin_errors = self._resolve_origin_conflicts(
            origin_hits,
            import_keys,
            retry_of,
            overwrite if retries is None else False,
            pending_overwrites,
        )
        state.update(origin_state)
        errors = [*collected.errors, *reference_errors, *conflict_errors, *origin_errors]
        failed = {obj_key(e) for e in errors}

        outcome = ImportOutcome(errors=errors, spooled=spooled)
        try:
            hooked = self._types_with_import_hooks()
            created: list[dict[str, Any]] = []
            successes: list[dict[str, Any]] = []
            if has_resolvable_errors(errors):
                for objects in self._read_back(collected.objects):
                    for obj in objects:
                        if obj_key(obj) in failed:
                            continue
                        doc = object_to_create(obj, state)
                        if obj["type"] in hooked:
                            created.append(doc)
                        successes.append(
                            success_entry(
                                self.registry,
                                obj,
                                doc["id"],
                                doc.get("originId"),
                                overwrite=obj_key(obj) in pending_overwrites,
                                create_new_copies=create_new_copies,
                            )
                        )
                    outcome.add_successes(successes)
                    successes.clear()
            else:
                with self._migrate_all(collected.objects, failed, state) as migrated:
                    batches: list[tuple[bool, Callable[[dict[str, Any]], bool] | None]]
                    if retries is None:
                        batches = [(overwrite, None)]
                    else:
                        batches = [
                            (True, lambda o: bool(retry_of[obj_key(o)].get("overwrite"))),
                            (False, lambda o: not retry_of[obj_key(o)].get("overwrite")),
                        ]
                    for batch_overwrite, keep in batches:
                        self._create(
                            self._pairs(migrated, keep),
                            state,
                            batch_overwrite,
                            pending_overwrites,
                            create_new_copies,
                            compatibility_mode,
                            namespace,
                            refresh,
                            managed,
                            outcome,
                            created,
                            hooked,
                            retry_of,
                        )
            if retries is not None:  # two write batches: back to file order
                order = {
                    obj_key(o): n for n, o in enumerate(collected.objects)
                }  # only the retried objects
                outcome.sort_successes(lambda e: order.get(key_of(e["type"], e["id"]), 0))
            outcome.warnings = self._run_import_hooks(created)
        except BaseException:
            outcome.close()  # its spool: the caller never gets it
            raise
        return outcome

    def _types_with_import_hooks(self) -> frozenset[str]:
        return frozenset(
            t.name
            for t in self.registry.get_all_types()
            if t.management is not None and t.management.on_import is not None
        )

    @staticmethod
    def _pairs(
        migrated: ObjectSpool, keep: Callable[[dict[str, Any]], bool] | None
    ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """Each object to write (as :meth:`_migrate_all` summed it up) with its migrated
        document."""
        lines = iter(migrated)
        for summary in lines:
            doc = next(lines)
            if keep is None or keep(summary):
                yield summary, doc

    # --- stages -----------------------------------------------------------------------

    def _check_reference_origins(
        self, state: dict[str, ImportStateEntry], namespace: str | None
    ) -> None:
        """References to multi-namespace objects not in the file follow a single
        origin match in the target space (spec 07 §4.5)."""
        for key, entry in state.items():
            if not entry.is_only_reference:
                continue
            type_name, _, ref_id = key.partition(":")
            if not self.registry.is_multi_namespace(type_name):
                continue
            page = self.repository.find(**self._origin_find(type_name, ref_id, 1, namespace))
            if page.total == 1 and page.saved_objects and page.saved_objects[0].id != ref_id:
                entry.destination_id = page.saved_objects[0].id

    def _origin_find(
        self, type_name: str, origin: str, per_page: int, namespace: str | None
    ) -> dict[str, Any]:
        options: dict[str, Any] = {
            "type": type_name,
            "search": create_origin_query(type_name, origin),
            "root_search_fields": ["_id", "originId"],
            "page": 1,
            "per_page": per_page,
            "fields": ["title"],
            "sort_field": "updated_at",
            "sort_order": "desc",
        }
        if namespace is not None:
            options["namespaces"] = [namespace]
        return options

    def _validate_references(
        self,
        objects: list[dict[str, Any]],
        state: Mapping[str, ImportStateEntry],
        retries: Mapping[str, ImportRetry],
        namespace: str | None,
        in_file: set[str],
        missing_cache: dict[str, bool],
    ) -> list[dict[str, Any]]:
        """``missing_references`` for index-pattern/search references that are neither
        in the file nor in the target space (spec 07 §4.6). ``missing_cache`` remembers
        the answers of earlier batches, so each reference is looked up once."""
        to_check: dict[str, dict[str, str]] = {}
        per_object: list[tuple[dict[str, Any], list[str]]] = []
        for obj in objects:
            if retries and retries.get(obj_key(obj), {}).get("ignoreMissingReferences"):
                continue
            keys: list[str] = []
            for ref in obj["references"]:
                if ref["type"] not in REFERENCE_TYPES_TO_VALIDATE:
                    continue
                key = key_of(ref["type"], ref["id"])
                entry = state.get(key)
                if entry is not None and entry.is_only_reference and entry.destination_id:
                    continue
                if key in in_file or key in keys:
                    continue
                keys.append(key)
                if key not in missing_cache:
                    to_check[key] = {"type": ref["type"], "id": ref["id"]}
            if keys:
                per_object.append((obj, keys))
        lookups = list(to_check.values())
        for start in range(0, len(lookups), _LOOKUP_CHUNK):
            chunk = lookups[start : start + _LOOKUP_CHUNK]
            response = self.repository.bulk_get(
                [{"type": ref["type"], "id": ref["id"], "fields": ["id"]} for ref in chunk],
                **_ns(namespace),
            )
            failures = []
            for ref, saved in zip(chunk, response.saved_objects, strict=True):
                key = key_of(ref["type"], ref["id"])
                if saved.error is None:
                    missing_cache[key] = False
                elif saved.error.get("statusCode") == 404:
                    missing_cache[key] = True
                else:
                    failures.append({"type": ref["type"], "id": ref["id"], "error": saved.error})
            if failures:
                raise SavedObjectsImportError(
                    "references-fetch-error",
                    "Error fetching references for imported objects",
                    {"objects": failures},
                )
        errors = []
        for obj, keys in per_object:
            absent = [_key_pair(k) for k in keys if missing_cache.get(k)]
            if absent:
                errors.append(
                    error_entry(
                        self.registry,
                        obj,
                        {"type": "missing_references", "references": absent},
                    )
                )
        return errors

    def _classify_conflicts(
        self,
        objects: list[dict[str, Any]],
        found: Mapping[str, dict[str, Any]],
        retries: Mapping[str, ImportRetry],
        overwrite: bool,
        create_new_copies: bool,
        pending_overwrites: set[str],
    ) -> tuple[dict[str, ImportStateEntry], list[dict[str, Any]]]:
        """Exact-id conflicts in the target space (spec 07 §4.8), from the answer of the
        ``check_conflicts`` of ``objects`` (``found``: its errors by ``type:id``)."""
        state: dict[str, ImportStateEntry] = {}
        errors: list[dict[str, Any]] = []
        no_retry: ImportRetry = {}
        for obj in objects:
            key = obj_key(obj)
            retry = retries.get(key, no_retry) if retries else no_retry
            target = key_of(obj["type"], _conflict_target(obj, retries))
            retry_overwrite = bool(retry.get("overwrite")) or overwrite
            outcome = classify_conflict(found.get(target), overwrite=retry_overwrite)
            if outcome == "unresolvable":
                state[key] = ImportStateEntry(
                    destination_id=self.id_generator(),
                    omit_origin_id=create_new_copies or bool(retry.get("createNewCopy")),
                )
            elif outcome == "unknown":
                errors.append(error_entry(self.registry, obj, {**found[target], "type": "unknown"}))
            elif outcome == "conflict":
                conflict_error: dict[str, Any] = {"type": "conflict"}
                if retry.get("destinationId"):
                    conflict_error["destinationId"] = retry["destinationId"]
                errors.append(error_entry(self.registry, obj, conflict_error))
            elif outcome == "overwrite":
                pending_overwrites.add(key)
        return state, errors

    def _origin_hits(
        self,
        objects: list[dict[str, Any]],
        conflict_errors: list[dict[str, Any]],
        retries: Mapping[str, ImportRetry],
        namespace: str | None,
        pending_overwrites: set[str],
    ) -> list[_OriginHits]:
        """The origin searches of one batch (spec 07 §4.9): for each multi-namespace
        object still free, the objects of the target space that share its origin."""
        failed = {obj_key(e) for e in conflict_errors}
        found: list[_OriginHits] = []
        multi: dict[str, bool] = {}
        for obj in objects:
            type_name = obj["type"]
            if type_name not in multi:
                multi[type_name] = self.registry.is_multi_namespace(type_name)
            if not multi[type_name]:
                continue
            key = obj_key(obj)
            if key in failed or key in pending_overwrites:
                continue
            if retries.get(key, {}).get("destinationId"):
                continue
            origin = obj.get("originId") or obj["id"]
            page = self.repository.find(**self._origin_find(obj["type"], origin, 10, namespace))
            if page.saved_objects:
                hits = [
                    (key_of(hit.type, hit.id), _destination_info(self.registry, hit))
                    for hit in page.saved_objects
                ]
                found.append((obj, hits))
        return found

    def _resolve_origin_conflicts(
        self,
        found: list[_OriginHits],
        import_keys: set[str],
        retries: Mapping[str, ImportRetry],
        overwrite: bool,
        pending_overwrites: set[str],
    ) -> tuple[dict[str, ImportStateEntry], list[dict[str, Any]]]:
        """Inexact and ambiguous conflicts, once every batch was searched: objects of the
        file are no destinations, and objects of one origin group are counted over the
        whole file."""
        retry_destinations = {
            key_of(r["type"], r["destinationId"])
            for r in retries.values()
            if r.get("destinationId")
        }
        with_hits: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        for obj, hits in found:
            destinations = [
                info
                for hit_key, info in hits
                if hit_key not in import_keys and hit_key not in retry_destinations
            ]
            if destinations:
                with_hits.append((obj, destinations))
        groups: dict[str, int] = {}
        for obj, _ in with_hits:
            group = key_of(obj["type"], obj.get("originId") or obj["id"])
            groups[group] = groups.get(group, 0) + 1
        state: dict[str, ImportStateEntry] = {}
        errors: list[dict[str, Any]] = []
        for obj, destinations in with_hits:
            key = obj_key(obj)
            retry_overwrite = overwrite or bool(retries.get(key, {}).get("overwrite"))
            if groups[key_of(obj["type"], obj.get("originId") or obj["id"])] > 1:
                state[key] = ImportStateEntry(
                    destination_id=self.id_generator(), omit_origin_id=True
                )
            elif len(destinations) == 1:
                if retry_overwrite:
                    state[key] = ImportStateEntry(destination_id=destinations[0]["id"])
                    pending_overwrites.add(key)
                else:
                    errors.append(
                        error_entry(
                            self.registry,
                            obj,
                            {"type": "conflict", "destinationId": destinations[0]["id"]},
                        )
                    )
            else:
                errors.append(
                    error_entry(
                        self.registry,
                        obj,
                        {
                            "type": "ambiguous_conflict",
                            "destinations": sort_destinations(destinations),
                        },
                    )
                )
        return state, errors

    @contextlib.contextmanager
    def _migrate_all(
        self,
        spool: ObjectSpool,
        failed: set[str],
        state: Mapping[str, ImportStateEntry],
    ) -> Iterator[ObjectSpool]:
        """Every object to write through the document migrator before anything is
        written, into a spool of its own: a refused document (newer than the registry, a
        failing migration) fails the whole request with nothing written. Each document is
        spooled with what its result entry needs of the object (type, id, managed flag and
        meta), so the write pass reads this spool alone."""
        migration = self.repository.context.migration
        with ObjectSpool() as migrated:
            for objects in self._read_back(spool):
                for obj in objects:
                    if obj_key(obj) in failed:
                        continue
                    doc = object_to_create(obj, state)
                    summary = {
                        "type": obj["type"],
                        "id": obj["id"],
                        "managed": obj["managed"],
                        "meta": object_meta(self.registry, obj),
                    }
                    try:
                        written = migration.for_write(doc)  # type: ignore[arg-type]
                    except SavedObjectsError as exc:
                        raise SavedObjectsImportError(
                            "migration-error",
                            exc.message,
                            {"objects": [{"type": obj["type"], "id": obj["id"]}]},
                        ) from exc
                    # two lines, not one pair: a document nested as deep as the encoder
                    # allows must not get a level deeper
                    migrated.append(summary)
                    migrated.append(written)
            yield migrated

    def _create(
        self,
        pairs: Iterator[tuple[dict[str, Any], dict[str, Any]]],
        state: Mapping[str, ImportStateEntry],
        overwrite: bool,
        pending_overwrites: set[str],
        create_new_copies: bool,
        compatibility_mode: bool,
        namespace: str | None,
        refresh: bool | str | None,
        managed: bool | None,
        outcome: ImportOutcome,
        created: list[dict[str, Any]],
        hooked: frozenset[str],
        retries: Mapping[str, ImportRetry],
    ) -> None:
        options: dict[str, Any] = {"overwrite": overwrite, **_ns(namespace)}
        if refresh is not None:
            options["refresh"] = refresh
        # by alias id, as Kibana: two objects with one origin leave one alias (the last)
        aliases: dict[str, dict[str, Any]] = {}
        # the space the objects land in: with a spaces extension (a request-scoped
        # client) or a scoped repository, ``namespace`` is None and the scope decides
        space = self.repository.get_current_namespace(namespace) or "default"
        chunks: collections.deque[list[dict[str, Any]]] = collections.deque()

        def bulk_objects() -> Iterator[list[dict[str, Any]]]:
            # each chunk is built and serialized while the engine writes the one before;
            # only the chunks in flight are kept for their answers
            for chunk in _batched(pairs, self.batch_size):
                chunks.append([obj for obj, _ in chunk])
                yield [_to_bulk_object(doc) for _, doc in chunk]

        successes: list[dict[str, Any]] = []
        responses = self.repository.bulk_create_batches(bulk_objects(), **options)  # type: ignore[arg-type]
        for response in responses:
            chunk = chunks.popleft()
            for obj, saved in zip(chunk, response.saved_objects, strict=True):
                key = obj_key(obj)
                if saved.error is not None:
                    if saved.error.get("statusCode") == 409:
                        error: dict[str, Any] = {"type": "conflict"}
                        destination = state.get(key)
                        if destination is not None and destination.destination_id:
                            error["destinationId"] = destination.destination_id
                    else:
                        error = {**saved.error, "type": "unknown"}
                    outcome.errors.append(error_entry(self.registry, obj, error, meta=obj["meta"]))
                    continue
                if saved.type in hooked:
                    created.append(saved.to_doc())  # type: ignore[arg-type]
                successes.append(
                    success_entry(
                        self.registry,
                        obj,
                        saved.id,
                        saved.origin_id,
                        overwrite=key in pending_overwrites
                        or bool(retries.get(key, {}).get("overwrite")),
                        create_new_copies=create_new_copies,
                        meta=obj["meta"],
                    )
                )
                if compatibility_mode and saved.origin_id and saved.origin_id != saved.id:
                    alias_id = f"{space}:{saved.type}:{saved.origin_id}"
                    aliases[alias_id] = {
                        "type": LEGACY_URL_ALIAS_TYPE,
                        "id": alias_id,
                        "attributes": {
                            "sourceId": saved.origin_id,
                            "targetNamespace": space,
                            "targetType": saved.type,
                            "targetId": saved.id,
                            "purpose": "savedObjectImport",
                        },
                        # the import's own flag, as Kibana: an alias of a managed import
                        # is managed too
                        "managed": bool(managed),
                    }
            outcome.add_successes(successes)
            successes.clear()
        if aliases:
            alias_options = {k: v for k, v in options.items() if k != "namespace"}
            alias_objects = list(aliases.values())
            response = self.repository.bulk_create(alias_objects, **alias_options)  # type: ignore[arg-type]
            for alias, saved in zip(alias_objects, response.saved_objects, strict=True):
                if saved.error is not None:
                    attrs = alias["attributes"]
                    outcome.errors.append(
                        {
                            "id": alias["id"],
                            "type": LEGACY_URL_ALIAS_TYPE,
                            "meta": {
                                "title": f"Legacy URL alias ({attrs['sourceId']} -> "
                                f"{attrs['targetId']})"
                            },
                            "error": {**saved.error, "type": "unknown"},
                        }
                    )

    def _run_import_hooks(self, created: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``on_import`` per type, in order of first appearance; warnings concatenated
        (spec 07 §4.12)."""
        by_type: dict[str, list[dict[str, Any]]] = {}
        for doc in created:
            by_type.setdefault(doc["type"], []).append(doc)
        warnings: list[dict[str, Any]] = []
        for type_name, docs in by_type.items():
            definition = self.registry.get_type(type_name)
            hook = definition.management.on_import if definition and definition.management else None
            if hook is None:
                continue
            result = hook(docs)
            if inspect.isawaitable(result):
                result = result
            if isinstance(result, Mapping):
                warnings.extend(result.get("warnings") or [])
        return warnings


def _destination_info(registry: Any, hit: Any) -> dict[str, Any]:
    doc = hit.to_doc()
    info: dict[str, Any] = {"id": hit.id}
    title = object_meta(registry, doc).get("title")
    if title is not None:
        info["title"] = title
    if hit.updated_at is not None:
        info["updatedAt"] = hit.updated_at
    return info
