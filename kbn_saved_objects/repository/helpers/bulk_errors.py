"""Per-item failures of a ``_bulk`` answer as bulk-result error payloads (spec 03 §2.2).

Every bulk write (bulk_create, bulk_update, bulk_delete, update_objects_spaces) reports the
engine's per-item failures the same way, Kibana's ``getBulkOperationError``: the engine's
reason never reaches the caller for the expected cases (missing alias, missing document,
version conflict), which read exactly like the single-object errors; anything else keeps
the engine's status, type and reason in a 500 payload so it can be diagnosed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from kbn_saved_objects.errors import (
    create_conflict_error,
    create_generic_not_found_error,
    create_index_alias_not_found_error,
)
from kbn_saved_objects.serialization import SavedObject, SavedObjectDoc, saved_object_from_doc

__all__ = ["bulk_item_error", "bulk_item_result", "error_entry"]


def bulk_item_result(item: Mapping[str, Any]) -> Mapping[str, Any]:
    """The result inside one ``items[i]`` entry, whatever its action key.

    The engine wraps each result in its action name (``{"create": {...}}``); callers only
    need what is inside (Kibana's ``Object.values(item)[0]``).
    """
    for result in item.values():
        return result  # type: ignore[no-any-return]
    return {}


_ABSENT: Any = object()


def _js(value: Any) -> str:
    """A value as a JavaScript template literal renders it: Kibana builds the message
    with one, so a missing key reads ``undefined`` and a JSON ``null`` reads ``null``."""
    if value is _ABSENT:
        return "undefined"
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def bulk_item_error(
    result: Mapping[str, Any], type_name: str, object_id: str | None
) -> dict[str, Any] | None:
    """The error payload for one bulk item result, or ``None`` when it succeeded.

    ``result`` is the item's inner result (see :func:`bulk_item_result`); an item counts
    as failed only when it carries an ``error``, whatever its status.

    ====================================  =========================================
    item                                  payload
    ====================================  =========================================
    404 ``index_not_found_exception``     500, message hidden (the alias is lost)
    other 404                             404 ``Saved object [<type>/<id>] not found``
    409                                   409 ``Saved object [<type>/<id>] conflict``
    any other status                      500 ``Unexpected bulk response [<status>]
                                          <error.type>: <error.reason>``
    ====================================  =========================================
    """
    error = result.get("error")
    if not error:
        return None
    if not isinstance(error, Mapping):
        error = {"reason": error}
    status = result.get("status")
    shown_id = "undefined" if object_id is None else object_id
    if status == 404:
        if error.get("type") == "index_not_found_exception":
            return create_index_alias_not_found_error(str(error.get("index"))).payload()
        return create_generic_not_found_error(type_name, shown_id).payload()
    if status == 409:
        return create_conflict_error(type_name, shown_id).payload()
    return {
        "statusCode": 500,
        "error": "Internal Server Error",
        "message": (
            f"Unexpected bulk response [{_js(result.get('status', _ABSENT))}] "
            f"{_js(error.get('type', _ABSENT))}: {_js(error.get('reason', _ABSENT))}"
        ),
    }


def error_entry(type_name: str, object_id: str | None, error: dict[str, Any]) -> SavedObject[Any]:
    """A bulk result entry for an object that was not written: only type, id and error
    are set, so it dumps as Kibana's ``{"id", "type", "error"}`` (no id when none was given).
    """
    doc: dict[str, Any] = {"type": type_name, "error": error}
    if object_id is not None:
        doc["id"] = object_id
    return saved_object_from_doc(cast(SavedObjectDoc, doc))
