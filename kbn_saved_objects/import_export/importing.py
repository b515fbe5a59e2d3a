"""The pure half of import and resolve-import-errors (spec 07 §3, §4, §6).

Everything here works on plain dicts and needs no engine: collecting the objects of a
file (limit, duplicates, unsupported types, normalisation), the import state map, retry
validation, origin queries, conflict classification, building the objects to create and
shaping Kibana's response. The engine-facing pipeline (``_async/importer.py``) strings
these together, so both the sync and the async importer share one implementation of
Kibana's rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

from kbn_saved_objects.engine.requests import dumps as engine_dumps
from kbn_saved_objects.import_export.errors import (
    ImportSizeExceededError,
    InvalidNdjsonError,
    SavedObjectsImportError,
    UnwritableObjectError,
)
from kbn_saved_objects.import_export.ndjson import parse_ndjson
from kbn_saved_objects.import_export.spool import ObjectSpool
from kbn_saved_objects.serialization._js import js_truthy
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = [
    "REFERENCE_TYPES_TO_VALIDATE",
    "CollectedObjects",
    "ImportOutcome",
    "ImportRetry",
    "ImportStateEntry",
    "collect_saved_objects",
    "create_origin_query",
    "import_response",
    "validate_retries",
]

REFERENCE_TYPES_TO_VALIDATE = ("index-pattern", "search")
"""Kibana validates only these references (spec 07 §4.6)."""

RESOLVABLE_ERRORS = frozenset({"conflict", "ambiguous_conflict", "missing_references"})


class ImportRetry(TypedDict, total=False):
    """One retry of resolve_import_errors, with Kibana's wire names."""

    type: str
    id: str
    overwrite: bool
    destinationId: str
    replaceReferences: list[dict[str, str]]
    createNewCopy: bool
    ignoreMissingReferences: bool


@dataclass(slots=True)
class ImportStateEntry:
    """Kibana's import state map entry (spec 07 §4.2)."""

    is_only_reference: bool = False
    destination_id: str | None = None
    omit_origin_id: bool = False


def key_of(type_name: str, object_id: str) -> str:
    return f"{type_name}:{object_id}"


def obj_key(obj: Mapping[str, Any]) -> str:
    """``type:id`` of a collected object (both already checked to be strings)."""
    return f"{obj['type']}:{obj['id']}"


@dataclass
class CollectedObjects:
    """The outcome of :func:`collect_saved_objects`: the accepted objects in a spool (read
    back by each later stage), their keys, the per-object errors found while reading, and
    the state map's entries for references to objects not in the file."""

    objects: ObjectSpool = field(default_factory=ObjectSpool)
    keys: set[str] = field(default_factory=set)
    errors: list[dict[str, Any]] = field(default_factory=list)
    state: dict[str, ImportStateEntry] = field(default_factory=dict)


def _check_shape(line: int, value: dict[str, Any]) -> None:
    """What a later stage would crash on becomes a typed, line-numbered error."""
    for name in ("type", "id"):
        if not isinstance(value.get(name), str) or not value[name]:
            raise InvalidNdjsonError(line, f'"{name}" must be a non-empty string')
    references = value.get("references", [])
    if not isinstance(references, list) or not all(
        isinstance(r, dict) and isinstance(r.get("type"), str) and isinstance(r.get("id"), str)
        for r in references
    ):
        raise InvalidNdjsonError(line, '"references" must be a list of {name, type, id}')
    if "attributes" in value and not isinstance(value["attributes"], dict):
        raise InvalidNdjsonError(line, '"attributes" must be an object')
    origin = value.get("originId")
    if origin is not None and not isinstance(origin, str):
        raise InvalidNdjsonError(line, '"originId" must be a string')


_ENCODER_PROBLEMS = {
    "Recursion limit reached": "it is nested too deeply for the engine's JSON encoder",
    "surrogates not allowed": "it holds a lone UTF-16 surrogate, which is not valid Unicode",
    "Integer exceeds 64-bit range": "it holds an integer beyond 64 bits",
}


def why_unwritable(value: Any) -> str | None:
    """Why the engine's JSON encoder would refuse ``value``, or ``None`` if it would not.

    Encoding with the very encoder the writes use (``engine.requests.dumps``) is the one
    check that cannot drift from it: nesting ~253 levels deep parses (orjson reads up to
    1,024, ``json`` a little less) but cannot be written, and neither can a lone
    surrogate, which ``json`` reads from ``"\\ud800"``. Found at read time, such an object
    is an error of its own before any engine call sees its id or references.
    """
    try:
        engine_dumps(value)
    except TypeError as exc:  # orjson.JSONEncodeError
        detail = str(exc)
        for known, said in _ENCODER_PROBLEMS.items():
            if known in detail:
                return said
        return f"the engine's JSON encoder refuses it ({detail})"
    return None


def collect_saved_objects(
    lines: Iterable[str | bytes],
    registry: SavedObjectTypeRegistry,
    *,
    limit: int,
    supported_types: Sequence[str],
    managed: bool | None = None,
    filter: Callable[[dict[str, Any]], bool] | None = None,
    rewrite: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> CollectedObjects:
    """Kibana's ``collectSavedObjects`` (spec 07 §4.3), in stream order.

    Raises (before anything is written) on a bad line, on the ``limit + 1``-th object and
    on duplicates; an unsupported type, and an object the engine's encoder cannot write
    (:func:`why_unwritable`), are per-object errors. ``filter`` (resolve) keeps only
    retried objects after the unsupported-type check; ``rewrite`` (resolve's
    ``replaceReferences``) changes each kept object before it is spooled, while the state
    map keeps the references as the file has them (Kibana builds it before replacing).
    """
    collected = CollectedObjects()
    seen: dict[str, int] = {}
    referenced: set[str] = set()
    supported = frozenset(supported_types)
    count = 0
    for line, value in parse_ndjson(lines):
        count += 1
        if count > limit:
            collected.objects.close()
            raise ImportSizeExceededError(limit)
        if progress is not None:
            progress(count)
        _check_shape(line, value)
        key = obj_key(value)
        seen[key] = seen.get(key, 0) + 1
        if value["type"] not in supported:
            attributes = value.get("attributes") or {}
            collected.errors.append(
                {
                    "id": value["id"],
                    "type": value["type"],
                    "meta": _drop_none({"title": attributes.get("title")}),
                    "error": {"type": "unsupported_type"},
                }
            )
            continue
        if js_truthy(value.get("accessControl")):
            # Kibana's access-control import transforms (spec 08 §4.5): a type without
            # access control refuses the metadata; on one with it the metadata is dropped,
            # so the importing user becomes the owner, never the file.
            if not registry.supports_access_control(value["type"]):
                attributes = value.get("attributes") or {}
                collected.errors.append(
                    {
                        "id": value["id"],
                        "type": value["type"],
                        "meta": _drop_none({"title": attributes.get("title")}),
                        "error": {"type": "unexpected_access_control_metadata"},
                    }
                )
                continue
            value = {key: item for key, item in value.items() if key != "accessControl"}
        if filter is not None and not filter(value):
            continue
        obj = dict(value)
        obj.setdefault("references", [])
        if "migrationVersion" not in obj and "typeMigrationVersion" not in obj:
            obj["typeMigrationVersion"] = ""
        obj["managed"] = managed if managed is not None else bool(obj.get("managed", False))
        # Encoded once, with the encoder the writes use: what it refuses is an error of
        # its own, what it takes goes to the spool as is.
        try:
            data = engine_dumps(obj)
        except TypeError:
            refusal = UnwritableObjectError(line, why_unwritable(value) or "unwritable")
            collected.errors.append(
                error_entry(registry, value, {**refusal.payload(), "type": "unknown"})
            )
            continue
        for ref in obj["references"]:
            referenced.add(key_of(ref["type"], ref["id"]))
        if rewrite is not None:
            data = engine_dumps(rewrite(obj))
        collected.objects.append_encoded(data)
        collected.keys.add(key)
    duplicates = [k for k, n in seen.items() if n > 1]
    if duplicates:
        collected.objects.close()
        raise SavedObjectsImportError(
            "non-unique-entries",
            f"Non-unique import objects detected: [{','.join(duplicates)}]",
            {"keys": duplicates},
        )
    collected.state = {
        ref: ImportStateEntry(is_only_reference=True)
        for ref in referenced
        if ref not in collected.keys
    }
    return collected


_RETRY_FLAGS = ("overwrite", "createNewCopy", "ignoreMissingReferences")


def _check_retry(position: int, retry: object) -> None:
    """One retry against Kibana's route schema, so that a bad value is a 400 here rather
    than a crash (or an engine call with a non-string id) later."""

    def refuse(problem: str) -> SavedObjectsImportError:
        return SavedObjectsImportError(
            "invalid-retry", f"Retry {position}: {problem}", {"retry": position}
        )

    if not isinstance(retry, Mapping):
        raise refuse("must be an object")
    if not isinstance(retry.get("type"), str) or not isinstance(retry.get("id"), str):
        raise SavedObjectsImportError(
            "invalid-retry", "Every retry needs a string `type` and `id`", {"retry": position}
        )
    for flag in _RETRY_FLAGS:
        if retry.get(flag) is not None and not isinstance(retry[flag], bool):
            raise refuse(f"`{flag}` must be a boolean")
    if retry.get("destinationId") is not None and not isinstance(retry["destinationId"], str):
        raise refuse("`destinationId` must be a string")
    replacements = retry.get("replaceReferences", [])
    if not isinstance(replacements, list) or not all(
        isinstance(r, Mapping) and all(isinstance(r.get(k), str) for k in ("type", "from", "to"))
        for r in replacements
    ):
        raise refuse("`replaceReferences` must be a list of {type, from, to} strings")
    problem = why_unwritable(retry)
    if problem is not None:
        raise refuse(f"cannot be used: {problem}")


def validate_retries(retries: Sequence[ImportRetry]) -> None:
    """Malformed retries, duplicate retries or retry destinations refuse the request
    (spec 07 §6.2), before anything is read or written."""
    for position, retry in enumerate(retries):
        _check_retry(position, retry)
    keys = [key_of(r["type"], r["id"]) for r in retries]
    dup = sorted({k for k in keys if keys.count(k) > 1}, key=keys.index)
    if dup:
        raise SavedObjectsImportError(
            "non-unique-retry-objects", f"Non-unique retry objects: [{','.join(dup)}]"
        )
    dests = [key_of(r["type"], r["destinationId"]) for r in retries if r.get("destinationId")]
    dup_dests = sorted({k for k in dests if dests.count(k) > 1}, key=dests.index)
    if dup_dests:
        raise SavedObjectsImportError(
            "non-unique-retry-destination",
            f"Non-unique retry destinations: [{','.join(dup_dests)}]",
        )


def create_origin_query(type_name: str, object_id: str) -> str:
    """Kibana's ``createOriginQuery``: matches ``_id`` or ``originId`` (spec 07 §4.5)."""
    escaped = object_id.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{type_name}:{escaped}" | "{escaped}"'


def _drop_none(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if v is not None}


def object_meta(registry: SavedObjectTypeRegistry, obj: Mapping[str, Any]) -> dict[str, Any]:
    """``meta: {title, icon}`` of a result: the type's ``get_title`` or the title
    attribute, and the type's icon; absent values are left out as in Kibana's JSON."""
    definition = registry.get_type(str(obj["type"]))
    management = definition.management if definition else None
    title: Any = None
    if management and management.get_title:
        try:
            title = management.get_title(obj)
        except Exception:
            title = None
    if title is None:
        attributes = obj.get("attributes")
        title = attributes.get("title") if isinstance(attributes, dict) else None
    return _drop_none({"title": title, "icon": management.icon if management else None})


def new_id() -> str:
    return str(uuid.uuid4())


def regenerate_ids(
    objects: Sequence[Mapping[str, Any]], generate: Callable[[], str]
) -> dict[str, ImportStateEntry]:
    """``createNewCopies``: a new id and lineage for every object (spec 07 §4.7)."""
    return {
        obj_key(o): ImportStateEntry(destination_id=generate(), omit_origin_id=True)
        for o in objects
    }


def object_to_create(
    obj: Mapping[str, Any], state: Mapping[str, ImportStateEntry]
) -> dict[str, Any]:
    """The object as written (spec 07 §4.10 step 2): no ``version``, references
    rewritten through the state map, id and ``originId`` from its entry."""
    out = {k: v for k, v in obj.items() if k not in ("version", "originId", "namespaces")}
    refs = []
    for ref in obj.get("references") or []:
        entry = state.get(key_of(ref["type"], ref["id"]))
        if entry is not None and entry.destination_id:
            ref = {**ref, "id": entry.destination_id}
        refs.append(ref)
    out["references"] = refs
    entry = state.get(obj_key(obj))
    if entry is not None and entry.destination_id:
        out["id"] = entry.destination_id
        if not entry.omit_origin_id:
            out["originId"] = obj.get("originId") or obj["id"]
    elif obj.get("originId"):
        out["originId"] = obj["originId"]
    return out


def success_entry(
    registry: SavedObjectTypeRegistry,
    obj: Mapping[str, Any],
    created_id: str,
    created_origin: str | None,
    *,
    overwrite: bool,
    create_new_copies: bool,
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One ``successResults`` entry (spec 07 §4.11); ``meta`` when already known."""
    entry: dict[str, Any] = {
        "type": obj["type"],
        "id": obj["id"],
        "meta": object_meta(registry, obj) if meta is None else meta,
        "managed": bool(obj.get("managed", False)),
    }
    if overwrite:
        entry["overwrite"] = True
    if created_id != obj["id"]:
        entry["destinationId"] = created_id
        if not created_origin and not create_new_copies:
            entry["createNewCopy"] = True
    return entry


def error_entry(
    registry: SavedObjectTypeRegistry,
    obj: Mapping[str, Any],
    error: dict[str, Any],
    *,
    overwrite: bool = False,
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": obj["id"],
        "type": obj["type"],
        "meta": object_meta(registry, obj) if meta is None else meta,
    }
    if overwrite:
        entry["overwrite"] = True
    entry["error"] = error
    if "managed" in obj:
        entry["managed"] = bool(obj["managed"])
    return entry


def has_resolvable_errors(errors: Iterable[Mapping[str, Any]]) -> bool:
    """Kibana writes nothing when any of these is present (spec 07 §4.10 step 3)."""
    return any(e["error"]["type"] in RESOLVABLE_ERRORS for e in errors)


ConflictOutcome = Literal["free", "conflict", "overwrite", "unresolvable", "unknown"]


def classify_conflict(error: Mapping[str, Any] | None, *, overwrite: bool) -> ConflictOutcome:
    """One check_conflicts result as Kibana's ``checkConflicts`` reads it (spec 07 §4.8)."""
    if error is None:
        return "free"
    if error.get("statusCode") != 409:
        return "unknown"
    if (error.get("metadata") or {}).get("isNotOverwritable"):
        return "unresolvable"
    return "overwrite" if overwrite else "conflict"


def sort_destinations(destinations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ambiguous-conflict destinations: ``updatedAt`` descending, then ``id`` ascending."""
    by_id = sorted(destinations, key=lambda d: d["id"])
    return sorted(by_id, key=lambda d: d.get("updatedAt") or "", reverse=True)


def import_response(
    success_results: list[dict[str, Any]],
    errors: list[dict[str, Any]],
    warnings: list[dict[str, Any]],
) -> dict[str, Any]:
    """Kibana's response (spec 07 §4.11): ``successResults``/``errors`` omitted when empty."""
    response: dict[str, Any] = {
        "successCount": len(success_results),
        "success": not errors,
        "warnings": warnings,
    }
    if success_results:
        response["successResults"] = success_results
    if errors:
        response["errors"] = errors
    return response


class ImportOutcome:
    """What an import found and did, with its ``successResults``.

    An import of 100,000 objects answers 100,000 success entries; as dicts they would be
    most of a server's memory for the request. Spooled (the default), the entries wait in
    a spool and :meth:`iter_json` writes Kibana's response as JSON bytes, a chunk at a
    time, for a server to stream; ``spooled=False`` keeps them as a list, for a caller
    that wants the response dict anyway (:meth:`to_response`). Close it (or use it as a
    context manager) when done.
    """

    def __init__(
        self,
        *,
        errors: list[dict[str, Any]] | None = None,
        warnings: list[dict[str, Any]] | None = None,
        spooled: bool = True,
    ) -> None:
        self.errors: list[dict[str, Any]] = errors if errors is not None else []
        self.warnings: list[dict[str, Any]] = warnings if warnings is not None else []
        self._spool: ObjectSpool | None = ObjectSpool() if spooled else None
        self._list: list[dict[str, Any]] = []

    @property
    def success_count(self) -> int:
        return len(self._spool) if self._spool is not None else len(self._list)

    @property
    def success_results(self) -> Iterable[dict[str, Any]]:
        """The success entries, in order (read back from the spool when spooled)."""
        return self._spool if self._spool is not None else self._list

    def add_successes(self, entries: Iterable[dict[str, Any]]) -> None:
        if self._spool is None:
            self._list.extend(entries)
            return
        for entry in entries:
            self._spool.append(entry)

    def sort_successes(self, position: Callable[[dict[str, Any]], int]) -> None:
        """Success entries in file order (resolve writes in two batches)."""
        entries = sorted(self.success_results, key=position)
        if self._spool is not None:
            self._spool.close()
            self._spool = ObjectSpool()
        self._list = []
        self.add_successes(entries)

    def to_response(self) -> dict[str, Any]:
        return import_response(list(self.success_results), self.errors, self.warnings)

    def iter_json(self) -> Iterator[bytes]:
        """Kibana's response as JSON, in the key order of :func:`import_response`."""
        head: dict[str, Any] = {
            "successCount": self.success_count,
            "success": not self.errors,
            "warnings": self.warnings,
        }
        yield engine_dumps(head)[:-1]
        if self.success_count:
            yield b',"successResults":['
            chunks = self._spool.chunks() if self._spool is not None else iter([self._list])
            first = True
            for chunk in chunks:
                body = b",".join(engine_dumps(entry) for entry in chunk)
                yield body if first else b"," + body
                first = False
            yield b"]"
        if self.errors:
            yield b',"errors":' + engine_dumps(self.errors)
        yield b"}"

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()

    def __enter__(self) -> ImportOutcome:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
