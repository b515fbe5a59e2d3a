"""The pure rules of copying saved objects to other spaces (Kibana's spaces plugin,
``lib/copy_to_spaces``; spec 09 §3.11).

Kibana builds the copy on top of export and import: the requested objects are exported
from the source space once, then imported into each destination space in turn. What
lives here needs no engine:

* :func:`validate_copy_request` / :func:`validate_resolve_copy_request`: the checks of
  Kibana's ``_copy_saved_objects`` and ``_resolve_copy_saved_objects_errors`` routes,
  with their messages, so that a library caller is refused what an HTTP caller is;
* :func:`ineligible_types` and :func:`objects_for_space`: which exported objects go to
  which space;
* :func:`space_result` and :func:`empty_failure_response`: the per-space answer.

The engine calls are in ``_async/copy_to_spaces.py`` (``_sync`` generated).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from kbn_saved_objects.errors import BadRequestError, NotFoundError, SavedObjectsError
from kbn_saved_objects.import_export.errors import SavedObjectsExportError
from kbn_saved_objects.import_export.importing import ImportRetry
from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = [
    "MAX_COPY_OBJECTS",
    "MAX_COPY_SPACES",
    "MAX_RETRIES_PER_SPACE",
    "CopyRequestError",
    "CopySourceNotFoundError",
    "eligible_objects",
    "empty_failure_response",
    "ineligible_types",
    "not_found_error",
    "objects_for_space",
    "space_result",
    "validate_copy_request",
    "validate_resolve_copy_request",
]

MAX_COPY_SPACES = 100
"""Destination spaces per copy (Kibana's route bound)."""
MAX_COPY_OBJECTS = 1000
"""Requested objects per copy or resolve (Kibana's route bound)."""
MAX_RETRIES_PER_SPACE = 1000
"""Retries per destination space of a resolve (Kibana's route bound)."""

SPACE_ID_PATTERN = re.compile(r"^[a-z0-9_\-]+$")
"""Kibana's ``SPACE_ID_REGEX``: what a space id may be made of."""

_SPACE_ID_MESSAGE = 'lower case, a-z, 0-9, "_", and "-" are allowed'
_RETRY_KEYS = frozenset(
    {"type", "id", "overwrite", "destinationId", "createNewCopy", "ignoreMissingReferences"}
)


class CopyRequestError(BadRequestError):
    """A copy or resolve request refused as a whole (400) before anything is read or
    written. ``path`` names the offending field as Kibana's schema errors do
    (``spaces.1``, ``objects``...); the message starts with it in brackets."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"[{path}]: {detail}" if path else detail)
        self.path = path
        self.detail = detail


class CopySourceNotFoundError(NotFoundError):
    """Some requested objects are not in the source space: Kibana's copy route answers
    404 ``Saved objects not found`` with their ``{id, type}`` in ``attributes``."""

    def __init__(self, objects: Sequence[Mapping[str, Any]]) -> None:
        super().__init__("Saved objects not found")
        self.attributes: dict[str, Any] = {
            "objects": [{"id": o["id"], "type": o["type"]} for o in objects]
        }

    def payload(self) -> dict[str, Any]:
        return {**super().payload(), "attributes": self.attributes}


def not_found_error(error: SavedObjectsExportError) -> SavedObjectsError:
    """The copy route's answer to a failed export: an ``object-fetch-error`` listing the
    objects becomes :class:`CopySourceNotFoundError`; any other refusal is kept."""
    objects = error.attributes.get("objects")
    if error.type == "object-fetch-error" and objects:
        return CopySourceNotFoundError(objects)
    return error


def _check_space_id(space_id: object, path: str) -> str:
    if not isinstance(space_id, str):
        raise CopyRequestError(path, f"expected value of type [string] but got [{space_id!r}]")
    if not SPACE_ID_PATTERN.match(space_id):
        raise CopyRequestError(path, _SPACE_ID_MESSAGE)
    return space_id


def _check_size(items: Sequence[Any], limit: int, path: str) -> None:
    if len(items) > limit:
        raise CopyRequestError(
            path, f"array size is [{len(items)}], but cannot be greater than [{limit}]"
        )


def _check_objects(objects: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    _check_size(objects, MAX_COPY_OBJECTS, "objects")
    checked: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for index, obj in enumerate(objects):
        if not isinstance(obj, Mapping):
            raise CopyRequestError(f"objects.{index}", "expected a value of type [object]")
        for key in ("type", "id"):
            if not isinstance(obj.get(key), str):
                raise CopyRequestError(
                    f"objects.{index}.{key}",
                    f"expected value of type [string] but got [{obj.get(key)!r}]",
                )
        seen.add((obj["type"], obj["id"]))
        checked.append({"type": obj["type"], "id": obj["id"]})
    if len(seen) != len(checked):
        raise CopyRequestError("objects", "duplicate objects are not allowed")
    return checked


def validate_copy_request(
    objects: Sequence[Mapping[str, Any]],
    spaces: Sequence[str],
    *,
    overwrite: bool,
    create_new_copies: bool,
    compatibility_mode: bool,
) -> tuple[list[dict[str, str]], list[str]]:
    """Kibana's ``_copy_saved_objects`` body checks; returns ``(objects, spaces)`` as
    plain ``[{type, id}]`` and space ids. Raises :class:`CopyRequestError`."""
    if isinstance(spaces, str):
        raise CopyRequestError("spaces", "expected value of type [array] but got [string]")
    _check_size(spaces, MAX_COPY_SPACES, "spaces")
    space_ids = [_check_space_id(s, f"spaces.{n}") for n, s in enumerate(spaces)]
    if len(set(space_ids)) != len(space_ids):
        raise CopyRequestError("spaces", "duplicate space ids are not allowed")
    checked = _check_objects(objects)
    if overwrite and create_new_copies:
        raise CopyRequestError("", "cannot use [overwrite] with [createNewCopies]")
    if compatibility_mode and create_new_copies:
        raise CopyRequestError("", "cannot use [compatibilityMode] with [createNewCopies]")
    return checked, space_ids


def validate_resolve_copy_request(
    objects: Sequence[Mapping[str, Any]],
    retries: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    create_new_copies: bool,
    compatibility_mode: bool,
) -> tuple[list[dict[str, str]], dict[str, list[ImportRetry]]]:
    """Kibana's ``_resolve_copy_saved_objects_errors`` body checks; returns the objects
    and, per space, its retries with ``replaceReferences: []`` (a copy never replaces
    references: the body may not name them). Each retry's own fields are checked by the
    importer's ``resolve_import_errors`` as for any resolve."""
    if not isinstance(retries, Mapping):
        raise CopyRequestError("retries", "expected a value of type [object]")
    per_space: dict[str, list[ImportRetry]] = {}
    for space_id, space_retries in retries.items():
        if not isinstance(space_id, str) or not SPACE_ID_PATTERN.match(space_id):
            raise CopyRequestError(f"retries.{space_id}", f"Invalid space id: {space_id}")
        if isinstance(space_retries, (str, bytes)) or not isinstance(space_retries, Sequence):
            raise CopyRequestError(f"retries.{space_id}", "expected value of type [array]")
        _check_size(space_retries, MAX_RETRIES_PER_SPACE, f"retries.{space_id}")
        checked: list[ImportRetry] = []
        for index, retry in enumerate(space_retries):
            path = f"retries.{space_id}.{index}"
            if not isinstance(retry, Mapping):
                raise CopyRequestError(path, "expected a value of type [object]")
            for key in retry:
                if key not in _RETRY_KEYS:
                    raise CopyRequestError(f"{path}.{key}", "definition for this key is missing")
            checked.append(
                cast(ImportRetry, {"overwrite": False, **retry, "replaceReferences": []})
            )
        per_space[space_id] = checked
    checked_objects = _check_objects(objects)
    if create_new_copies and compatibility_mode:
        raise CopyRequestError("", "cannot use [createNewCopies] with [compatibilityMode]")
    return checked_objects, per_space


def ineligible_types(registry: SavedObjectTypeRegistry) -> frozenset[str]:
    """Importable namespace-agnostic types: they are in every space already, so a copy
    would only meet itself as a conflict (Kibana's ``getIneligibleTypes``)."""
    return frozenset(
        t.name
        for t in registry.get_importable_and_exportable_types()
        if registry.is_namespace_agnostic(t.name)
    )


def eligible_objects(
    exported: Iterable[dict[str, Any]], ineligible: frozenset[str]
) -> list[dict[str, Any]]:
    """The exported objects a copy may write anywhere: not of an ineligible type, and
    not already shared to every space (``"*"``)."""
    return [
        obj
        for obj in exported
        if obj.get("type") not in ineligible
        and ALL_NAMESPACES_STRING not in (obj.get("namespaces") or ())
    ]


def objects_for_space(objects: Iterable[dict[str, Any]], space_id: str) -> list[dict[str, Any]]:
    """The objects to import into ``space_id``: those not already in it, without their
    ``namespaces``. Importing an object into a space it is in would only report a
    conflict that skipping or overwriting both leave as it is. Objects exported without
    ``namespaces`` (new copies) all go."""
    kept: list[dict[str, Any]] = []
    for obj in objects:
        namespaces = obj.get("namespaces")
        if namespaces is not None and space_id in namespaces:
            continue
        kept.append({k: v for k, v in obj.items() if k != "namespaces"})
    return kept


def space_result(response: Mapping[str, Any]) -> dict[str, Any]:
    """One space's answer from the importer's response: ``success``, ``successCount``,
    and ``successResults`` / ``errors`` when the import has them (no ``warnings``, as in
    Kibana)."""
    result: dict[str, Any] = {
        "success": response["success"],
        "successCount": response["successCount"],
    }
    for key in ("successResults", "errors"):
        if key in response:
            result[key] = response[key]
    return result


def empty_failure_response(errors: Iterable[SavedObjectsError]) -> dict[str, Any]:
    """A space whose import was refused as a whole: nothing written there, the error's
    HTTP payload in ``errors`` (Kibana's ``createEmptyFailureResponse``)."""
    return {"success": False, "successCount": 0, "errors": [e.payload() for e in errors]}
