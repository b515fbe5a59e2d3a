"""Export saved objects as Kibana's NDJSON, streamed (spec 07 §2).

Kibana's order needs every exported object before the first line can be written (the
by-id sort and the dependency sort span the whole export). To keep a large export out of
memory, each fetched object is serialised at once into an anonymous spill file and only
its key, references and file offset stay in memory; once collection is done the lines
are read back in Kibana's order and yielded one by one. Every refusal (size limit, fetch
error, transform error) therefore happens before the first line is yielded.

Export is bound by the per-object cost, so a by-types export reads the point-in-time as
documents (``find_documents``) and writes objects of types without ``is_exportable`` or
``on_export`` hooks straight from them; only objects a hook will see are built as
:class:`SavedObject`. The engine searches for the next page while one is processed
(the finder's ``read_ahead``).

This module is the async source; ``import_export/_sync/exporter.py`` is generated from it.
"""

from __future__ import annotations

import inspect
import logging
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, TypeAlias

from kbn_saved_objects._gc import paused_gc
from kbn_saved_objects.import_export.errors import SavedObjectsExportError
from kbn_saved_objects.import_export.export import (
    DEFAULT_MAX_IMPORT_EXPORT_SIZE,
    ExportDetails,
    ExportIndex,
    exported_document,
    exported_from_document,
    object_key,
    size_exceeded_error,
    validate_export_request,
)
from kbn_saved_objects.import_export.ndjson import dumps_line, encode_line
from kbn_saved_objects.repository._async.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.repository.results import FoundDocument
from kbn_saved_objects.serialization import SavedObject

if TYPE_CHECKING:  # the client's module imports this one (through the service)
    from kbn_saved_objects.service._async.client import AsyncSavedObjectsClient

__all__ = ["ExportContext", "SavedObjectsExporter"]

logger = logging.getLogger(__name__)

_BULK_GET_CHUNK = 1000

Fetched: TypeAlias = SavedObject[Any] | FoundDocument
"""An object to export: a point-in-time hit left as a document, or a saved object
(fetched by id, or returned by an ``on_export`` hook)."""

_Hooks: TypeAlias = tuple[Callable[[Any], bool] | None, Callable[..., Any] | None]


@dataclass(frozen=True)
class ExportContext:
    """What ``on_export`` hooks receive first (Kibana's ``{request}``)."""

    request: Any = None


class _Collector:
    """Kibana's ``collectExportedObjects`` over a spill file (spec 07 §2.3)."""

    def __init__(
        self, exporter: SavedObjectsExporter, include_namespaces: bool, request: Any
    ) -> None:
        self.exporter = exporter
        self.include_namespaces = include_namespaces
        self.context = ExportContext(request)
        self.entries = ExportIndex()
        # Keys met but not exported (excluded, missing references): with the index and
        # the round in progress, what Kibana's ``processedObjects`` holds.
        self.skipped: set[str] = set()
        self._round: set[str] = set()
        self._references_followed = 0  # the index ordinals whose references were read
        self.details = ExportDetails()
        self.spill: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.offset = 0
        self._hooks: dict[str, _Hooks] = {}

    def close(self) -> None:
        self.spill.close()
        self.entries.close()

    def _hooks_of(self, type_name: str) -> _Hooks:
        """The type's ``(is_exportable, on_export)``, either ``None``."""
        hooks = self._hooks.get(type_name)
        if hooks is None:
            definition = self.exporter.repository.context.registry.get_type(type_name)
            management = definition.management if definition else None
            hooks = (management.is_exportable, management.on_export) if management else (None, None)
            self._hooks[type_name] = hooks
        return hooks

    async def add(self, objects: Sequence[Fetched], requested: Mapping[str, int]) -> None:
        """Run one round: exportability, transforms, spill. New objects returned by
        transforms go through the same round until none is left."""
        pending: Sequence[Fetched] = objects
        while pending:
            by_type = self._exportable_by_type(pending)
            transformed, added = await self._transform(by_type)
            for obj in transformed:
                self._spill(obj, requested)
            self._round.clear()  # every object of the round is in the index now
            pending = added

    def _seen(self, key: str) -> bool:
        return key in self.entries or key in self.skipped or key in self._round

    def _exportable_by_type(self, objects: Sequence[Fetched]) -> dict[str, list[Fetched]]:
        """The objects not seen before that ``is_exportable`` keeps, grouped by type in
        order of first appearance (the order Kibana runs ``on_export`` in); an object
        a predicate saw is handed on as the saved object it saw."""
        by_type: dict[str, list[Fetched]] = {}
        for obj in objects:
            if isinstance(obj, FoundDocument):
                type_name, object_id = obj.doc["type"], obj.doc["id"]
            else:
                type_name, object_id = obj.type, obj.id
            key = object_key(type_name, object_id)
            if self._seen(key):
                continue
            self._round.add(key)
            predicate = self._hooks_of(type_name)[0]
            if predicate is not None:
                saved = _as_result(obj)
                if not self._is_exportable(saved, predicate):
                    self.skipped.add(key)
                    continue
                obj = saved
            same_type = by_type.get(type_name)
            if same_type is None:
                by_type[type_name] = [obj]
            else:
                same_type.append(obj)
        return by_type

    def _is_exportable(self, saved: SavedObject[Any], predicate: Callable[[Any], bool]) -> bool:
        try:
            ok = predicate(saved)
        except Exception as exc:
            logger.error("isExportable of %s:%s raised: %s", saved.type, saved.id, exc)
            self.details.excluded_objects.append(
                {"id": saved.id, "reason": "predicate_error", "type": saved.type}
            )
            return False
        if not ok:
            self.details.excluded_objects.append(
                {"id": saved.id, "reason": "excluded", "type": saved.type}
            )
        return bool(ok)

    async def _transform(
        self, by_type: dict[str, list[Fetched]]
    ) -> tuple[list[Fetched], list[SavedObject[Any]]]:
        """Apply ``on_export`` per type; returns (objects to export, additions)."""
        result: list[Fetched] = []
        added: list[SavedObject[Any]] = []
        for type_name, fetched in by_type.items():
            hook = self._hooks_of(type_name)[1]
            if hook is None:
                result.extend(fetched)
                continue
            group = [_as_result(obj) for obj in fetched]
            try:
                returned = hook(self.context, list(group))
                if inspect.isawaitable(returned):
                    returned = await returned
                returned_list = [_as_saved_object(o) for o in returned]
            except Exception as exc:
                raise SavedObjectsExportError(
                    "object-transform-error",
                    "Error transforming objects to export",
                    {
                        "objects": [{"type": o.type, "id": o.id} for o in group],
                        "cause": str(exc),
                    },
                ) from exc
            returned_keys = {f"{o.type}|{o.id}" for o in returned_list}
            missing = [f"{o.type}|{o.id}" for o in group if f"{o.type}|{o.id}" not in returned_keys]
            if missing:
                raise SavedObjectsExportError(
                    "invalid-transform-error",
                    "Invalid transform performed on objects to export",
                    {"objectKeys": missing},
                )
            own = {object_key(o.type, o.id) for o in group}
            for saved in returned_list:
                if object_key(saved.type, saved.id) in own:
                    result.append(saved)
                else:
                    added.append(saved)
        return result, added

    def _spill(self, obj: Fetched, requested: Mapping[str, int]) -> None:
        if isinstance(obj, FoundDocument):
            exported = exported_from_document(obj.doc, include_namespaces=self.include_namespaces)
            type_name, object_id = exported["type"], exported["id"]
            references = exported["references"]
        else:
            exported = exported_document(obj, include_namespaces=self.include_namespaces)
            type_name, object_id, references = obj.type, obj.id, obj.references
        key = object_key(type_name, object_id)
        data = encode_line(exported)
        self.spill.write(data)
        self.entries.add(
            key,
            type_name,
            (object_key(r["type"], r["id"]) for r in references),
            self.offset,
            len(data),
            requested.get(key),
        )
        self.offset += len(data)

    async def follow_references(self, namespace: str | None) -> None:
        """``includeReferencesDeep``: fetch what exported objects reference, round by
        round, until nothing new is referenced."""
        while True:
            wanted: dict[str, tuple[str, str]] = {}
            start, self._references_followed = self._references_followed, len(self.entries)
            for ref in self.entries.references_from(start):
                if ref not in wanted and not self._seen(ref):
                    type_name, _, ref_id = ref.partition(":")
                    wanted[ref] = (type_name, ref_id)
            if not wanted:
                return
            found: list[SavedObject[Any]] = []
            refs = list(wanted.values())
            for first in range(0, len(refs), _BULK_GET_CHUNK):
                chunk = refs[first : first + _BULK_GET_CHUNK]
                response = await self.exporter.repository.bulk_get(
                    [{"type": t, "id": i} for t, i in chunk], **_ns(namespace)
                )
                for saved in response.saved_objects:
                    if saved.error is not None:
                        self.details.missing_references.append({"id": saved.id, "type": saved.type})
                        self.skipped.add(object_key(saved.type, saved.id))
                    else:
                        found.append(saved)
            await self.add(found, {})

    def lines(self, by_objects: bool) -> Iterator[str]:
        """The spilled lines in Kibana's order."""
        self.details.exported_count = len(self.entries)
        for offset, length in self.entries.ordered(by_objects=by_objects):
            self.spill.seek(offset)
            yield self.spill.read(length).decode("utf-8")

    def details_line(self) -> str:
        return dumps_line(self.details.to_json())


def _as_result(obj: Fetched) -> SavedObject[Any]:
    """What hooks receive: the object as ``find`` would have returned it."""
    if isinstance(obj, FoundDocument):
        return obj.to_result()
    return obj


def _as_saved_object(value: Any) -> SavedObject[Any]:
    if isinstance(value, SavedObject):
        return value
    if isinstance(value, Mapping):
        return SavedObject[Any].model_validate(dict(value))
    raise TypeError(f"on_export returned {type(value).__name__}, not a saved object")


def _ns(namespace: str | None) -> dict[str, Any]:
    return {"namespace": namespace} if namespace is not None else {}


class SavedObjectsExporter:
    """Kibana's ``SavedObjectsExporter`` over a repository.

    The repository must include the hidden types that are importable and exportable
    (``include_hidden_types``), as Kibana's export route does. ``namespace`` is the
    space to read from (``None``: the repository's own).
    """

    def __init__(
        self,
        repository: AsyncSavedObjectsRepository | AsyncSavedObjectsClient,
        *,
        export_size_limit: int = DEFAULT_MAX_IMPORT_EXPORT_SIZE,
        page_size: int = 1000,
        pause_gc: bool = False,
    ) -> None:
        self.pause_gc = pause_gc
        self.repository = repository
        self.export_size_limit = export_size_limit
        self.page_size = page_size

    async def export_by_types(
        self,
        types: Sequence[str],
        *,
        search: str | None = None,
        has_reference: Any = None,
        include_references_deep: bool = False,
        exclude_export_details: bool = False,
        include_namespaces: bool = False,
        namespace: str | None = None,
        request: Any = None,
    ) -> AsyncIterator[str]:
        """NDJSON lines (without ``\\n``) of every object of ``types`` (``"*"``: all).

        Validation and collection run on the first ``__anext__``; a refusal raises
        :class:`SavedObjectsExportError` before any line.
        """
        registry = self.repository.context.registry
        type_names = validate_export_request(
            registry,
            types=list(types),
            objects=None,
            search=search,
            has_reference=has_reference,
            limit=self.export_size_limit,
        )
        collector = _Collector(self, include_namespaces, request)
        try:
            options: dict[str, Any] = {"type": type_names, "per_page": self.page_size}
            if search:
                options["search"] = search
            if has_reference:
                options["has_reference"] = has_reference
                options["has_reference_operator"] = "OR"
            if namespace is not None:
                options["namespaces"] = [namespace]
            with paused_gc(self.pause_gc):  # collection only: never while the caller runs
                count = 0
                finder = self.repository.create_point_in_time_finder(**options)
                pages = finder.find_documents(read_ahead=True)
                try:
                    async for page in pages:
                        count += len(page.documents)
                        if count > self.export_size_limit:
                            raise size_exceeded_error(self.export_size_limit)
                        await collector.add(page.documents, {})
                finally:
                    await pages.aclose()
                if include_references_deep:
                    await collector.follow_references(namespace)
            for line in collector.lines(by_objects=False):  # noqa: RUF100, UP028 - sync twin: yield from
                yield line
            if not exclude_export_details:
                yield collector.details_line()
        finally:
            collector.close()

    async def export_by_objects(
        self,
        objects: Sequence[Mapping[str, str]],
        *,
        include_references_deep: bool = False,
        exclude_export_details: bool = False,
        include_namespaces: bool = False,
        namespace: str | None = None,
        request: Any = None,
    ) -> AsyncIterator[str]:
        """NDJSON lines of the given ``[{type, id}]``, in request order first.

        Any object that cannot be read fails the whole export (``object-fetch-error``).
        """
        registry = self.repository.context.registry
        validate_export_request(
            registry,
            types=None,
            objects=list(objects),
            search=None,
            has_reference=None,
            limit=self.export_size_limit,
        )
        collector = _Collector(self, include_namespaces, request)
        try:
            response = await self.repository.bulk_get(
                [{"type": o["type"], "id": o["id"]} for o in objects], **_ns(namespace)
            )
            errors = [o for o in response.saved_objects if o.error is not None]
            if errors:
                raise SavedObjectsExportError(
                    "object-fetch-error",
                    "Error fetching objects to export",
                    {"objects": [{"id": o.id, "type": o.type, "error": o.error} for o in errors]},
                )
            requested = {object_key(o["type"], o["id"]): n for n, o in enumerate(objects)}
            await collector.add(response.saved_objects, requested)
            if include_references_deep:
                await collector.follow_references(namespace)
            for line in collector.lines(by_objects=True):  # noqa: RUF100, UP028 - sync twin: yield from
                yield line
            if not exclude_export_details:
                yield collector.details_line()
        finally:
            collector.close()
