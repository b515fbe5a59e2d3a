"""The pure half of export: validation, ordering, exported shape, details line.

Kept apart from the engine calls so that Kibana's ordering rules (spec 07 §2.4) can be
tested on plain data and reused by the sync and async exporters alike. Ordering works on
*keys* (``type:id``) and references only, never on whole objects, which is what lets the
exporter stream objects from a spill file instead of holding them in memory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import BaseModel

from kbn_saved_objects.import_export.errors import SavedObjectsExportError
from kbn_saved_objects.serialization import SavedObject
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = [
    "ALL_TYPES",
    "DEFAULT_MAX_IMPORT_EXPORT_SIZE",
    "ExportDetails",
    "ExportIndex",
    "ExportedEntry",
    "dependency_order",
    "exported_document",
    "exported_from_document",
    "size_exceeded_error",
    "validate_export_request",
]

ALL_TYPES = "*"
DEFAULT_MAX_IMPORT_EXPORT_SIZE = 10_000
"""Kibana's ``savedObjects.maxImportExportSize``."""


def object_key(type_name: str, object_id: str) -> str:
    return f"{type_name}:{object_id}"


def size_exceeded_error(limit: int) -> SavedObjectsExportError:
    return SavedObjectsExportError(
        "export-size-exceeded",
        f"Can't export more than {limit} objects. If your server has enough memory, this "
        'limit can be increased by adjusting the "savedObjects.maxImportExportSize" setting.',
    )


def validate_export_request(
    registry: SavedObjectTypeRegistry,
    *,
    types: Sequence[str] | None,
    objects: Sequence[Mapping[str, str]] | None,
    search: str | None,
    has_reference: Any,
    limit: int,
) -> list[str]:
    """Kibana's route checks, in its order (spec 07 §2.1); returns the types to export
    (``*`` expanded) for a by-types export, ``[]`` for a by-objects one."""
    if not types and not objects:
        raise SavedObjectsExportError("invalid-request", "Either `type` or `objects` are required.")
    if types and objects:
        raise SavedObjectsExportError(
            "invalid-request", 'Can\'t specify both "types" and "objects" properties when exporting'
        )
    supported = [t.name for t in registry.get_importable_and_exportable_types()]
    if objects:
        if len(objects) > limit:
            raise SavedObjectsExportError(
                "invalid-request", f"Can't export more than {limit} objects"
            )
        if search:
            raise SavedObjectsExportError(
                "invalid-request",
                'Can\'t specify both "search" and "objects" properties when exporting',
            )
        if has_reference:
            raise SavedObjectsExportError(
                "invalid-request",
                'Can\'t specify both "references" and "objects" properties when exporting',
            )
        bad = [f"{o['type']}:{o['id']}" for o in objects if o["type"] not in supported]
        if bad:
            raise SavedObjectsExportError(
                "invalid-request",
                f"Trying to export object(s) with non-exportable types: {', '.join(bad)}",
            )
        return []
    assert types is not None
    if ALL_TYPES in types:
        return supported
    bad_types = [t for t in types if t not in supported]
    if bad_types:
        raise SavedObjectsExportError(
            "invalid-request",
            f"Trying to export non-exportable type(s): {', '.join(bad_types)}",
        )
    return list(dict.fromkeys(types))


# A saved object's keys as the client sees them (``originId``...), minus the
# repository-only ``namespace`` and the bulk-only ``error``.
_EXPORTED_KEYS = frozenset(
    field.serialization_alias or name
    for name, field in SavedObject.model_fields.items()
    if name not in ("namespace", "error")
)
_EXPORTED_KEYS_WITHOUT_NAMESPACES = _EXPORTED_KEYS - {"namespaces"}


def exported_document(saved: SavedObject[Any], *, include_namespaces: bool) -> dict[str, Any]:
    """The object as Kibana's export writes it: the client's shape, without
    ``namespaces`` unless asked for (and never the repository-only ``namespace``)."""
    doc: dict[str, Any] = saved.to_doc()  # type: ignore[assignment]  # a fresh dict
    doc.pop("namespace", None)
    doc.pop("error", None)
    if not include_namespaces:
        doc.pop("namespaces", None)
    doc.setdefault("references", [])
    return doc


def exported_from_document(doc: Mapping[str, Any], *, include_namespaces: bool) -> dict[str, Any]:
    """:func:`exported_document` of the object ``saved_object_from_doc(doc)`` would
    build, without building it: the same keys, ``None`` values dropped except an
    explicit ``attributes: None``."""
    keys = _EXPORTED_KEYS if include_namespaces else _EXPORTED_KEYS_WITHOUT_NAMESPACES
    exported = {key: value for key, value in doc.items() if value is not None and key in keys}
    if "attributes" in doc:
        attributes = doc["attributes"]
        if isinstance(attributes, BaseModel):
            attributes = attributes.model_dump(mode="json", by_alias=True)
        exported["attributes"] = attributes
    if "references" not in exported:
        exported["references"] = []
    return exported


@dataclass(slots=True)
class ExportedEntry:
    """What ordering needs about one exported object; the body lives in the spill file.
    (:class:`ExportIndex` keeps these facts compactly and hands out entries on demand.)"""

    type: str
    id: str
    references: tuple[str, ...]
    offset: int
    length: int
    requested: int | None = None
    """Position in a by-objects request (``None``: a reference or transform addition)."""


class ExportIndex(Mapping[str, ExportedEntry]):
    """Every exported object's key, references and place in the spill file: the
    bookkeeping Kibana's ordering needs, for the whole export.

    It would be the one part of an export that grows with the object count, so it lives
    in a private on-disk SQLite database (the standard library's; its page cache is
    bounded): a 100,000-object export keeps a bit per object in memory, not a key. The
    order is read back by SQL (``ORDER BY``) and the dependency walk looks references up
    by key, so nothing holds all keys at once. Read as a mapping it hands out
    :class:`ExportedEntry` values, built when asked; close it when the export is done.
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect("", check_same_thread=False)  # "": a private temp file
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE entries (
                ordinal INTEGER PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL,
                id TEXT NOT NULL,
                refs BLOB,
                offset INTEGER NOT NULL,
                length INTEGER NOT NULL,
                requested INTEGER
            );
            """
        )
        self._count = 0

    def close(self) -> None:
        self._db.close()

    def add(
        self,
        key: str,
        type_name: str,
        references: Iterable[str],
        offset: int,
        length: int,
        requested: int | None,
    ) -> None:
        refs = list(references)
        self._db.execute(
            "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self._count,
                key,
                type_name,
                key[len(type_name) + 1 :],
                orjson.dumps(refs) if refs else None,
                offset,
                length,
                requested,
            ),
        )
        self._count += 1

    def location(self, key: str) -> tuple[int, int]:
        """``(offset, length)`` of the object's line in the spill file."""
        row = self._db.execute("SELECT offset, length FROM entries WHERE key = ?", (key,))
        found = row.fetchone()
        if found is None:
            raise KeyError(key)
        return int(found[0]), int(found[1])

    def references_from(self, start: int) -> Iterator[str]:
        """The references of the objects added from ordinal ``start`` on."""
        rows = self._db.execute(
            "SELECT refs FROM entries WHERE ordinal >= ? AND refs IS NOT NULL ORDER BY ordinal",
            (start,),
        )
        while batch := rows.fetchmany(1000):
            for (refs,) in batch:
                yield from orjson.loads(refs)

    def ordered(self, *, by_objects: bool) -> Iterator[tuple[int, int]]:
        """``(offset, length)`` of every object in Kibana's order (see
        :func:`dependency_order`, which this follows step for step): the comparator's
        order from SQL, then each object after the exported objects it references."""
        order_by = (
            "requested IS NULL, requested, CASE WHEN requested IS NULL THEN id END, ordinal"
            if by_objects
            else "id, ordinal"
        )
        emitted = bytearray(self._count)
        # SQLite runs the walk's lookups while this statement is still being read
        roots = self._db.execute(
            f"SELECT ordinal, refs, offset, length FROM entries ORDER BY {order_by}"
        )
        while batch := roots.fetchmany(1000):
            for ordinal, refs, offset, length in batch:
                if emitted[ordinal]:
                    continue
                if refs is None:  # the common case: nothing to walk
                    emitted[ordinal] = 1
                    yield int(offset), int(length)
                    continue
                yield from self._walk(ordinal, refs, emitted)

    def _walk(self, root: int, refs: bytes, emitted: bytearray) -> Iterator[tuple[int, int]]:
        on_path = {root}
        stack: list[tuple[int, Iterator[str]]] = [(root, iter(orjson.loads(refs)))]
        while stack:
            ordinal, pending = stack[-1]
            pushed = False
            for ref in pending:
                row = self._db.execute(
                    "SELECT ordinal, refs FROM entries WHERE key = ?", (ref,)
                ).fetchone()
                if row is None or emitted[row[0]] or row[0] in on_path:
                    continue
                child_refs = orjson.loads(row[1]) if row[1] is not None else []
                stack.append((row[0], iter(child_refs)))
                on_path.add(row[0])
                pushed = True
                break
            if not pushed:
                stack.pop()
                on_path.discard(ordinal)
                emitted[ordinal] = 1
                offset, length = self._db.execute(
                    "SELECT offset, length FROM entries WHERE ordinal = ?", (ordinal,)
                ).fetchone()
                yield int(offset), int(length)

    def __getitem__(self, key: str) -> ExportedEntry:
        row = self._db.execute(
            "SELECT type, id, refs, offset, length, requested FROM entries WHERE key = ?",
            (key,),
        ).fetchone()
        if row is None:
            raise KeyError(key)
        type_name, object_id, refs, offset, length, requested = row
        return ExportedEntry(
            type=type_name,
            id=object_id,
            references=tuple(orjson.loads(refs)) if refs is not None else (),
            offset=offset,
            length=length,
            requested=requested,
        )

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        row = self._db.execute("SELECT 1 FROM entries WHERE key = ?", (key,)).fetchone()
        return row is not None

    def __iter__(self) -> Iterator[str]:
        rows = self._db.execute("SELECT key FROM entries ORDER BY ordinal").fetchall()
        return iter([key for (key,) in rows])

    def __len__(self) -> int:
        return self._count


@dataclass
class ExportDetails:
    """The details line (``SavedObjectsExportResultDetails``)."""

    exported_count: int = 0
    missing_references: list[dict[str, str]] = field(default_factory=list)
    excluded_objects: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "excludedObjects": self.excluded_objects,
            "excludedObjectsCount": len(self.excluded_objects),
            "exportedCount": self.exported_count,
            "missingRefCount": len(self.missing_references),
            "missingReferences": self.missing_references,
        }


def dependency_order(entries: Mapping[str, ExportedEntry], *, by_objects: bool) -> list[str]:
    """Kibana's final order: the comparator sort, then the depth-first dependency sort.

    Comparator: by-types → id ascending; by-objects → requested order first, then the rest
    by id. Dependency sort: every object after the exported objects it references, in
    ``references`` order; a cycle is broken where the walk meets an object already on its
    path (Kibana's ``sortObjects``). Iterative, so 100k-object chains cannot overflow the
    stack.
    """

    def references(key: str) -> Iterable[str]:
        return entries[key].references

    def comparator(key: str) -> tuple[int, int, str]:
        entry = entries[key]
        if by_objects and entry.requested is not None:
            return (0, entry.requested, "")
        return (1, 0, entry.id)

    ordered = sorted(entries, key=comparator)
    emitted: dict[str, None] = {}
    on_path: set[str] = set()
    for root in ordered:
        if root in emitted:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(references(root)))]
        on_path.add(root)
        while stack:
            key, refs = stack[-1]
            pushed = False
            for ref in refs:
                if ref in entries and ref not in emitted and ref not in on_path:
                    stack.append((ref, iter(references(ref))))
                    on_path.add(ref)
                    pushed = True
                    break
            if not pushed:
                stack.pop()
                on_path.discard(key)
                emitted[key] = None
    return list(emitted)
