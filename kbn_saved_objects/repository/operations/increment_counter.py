"""``increment_counter``: add to numeric attributes atomically (spec 03 §2.13).

Counters are incremented *by the engine*: one ``_update`` call with a painless script
(run when the document exists) and an ``upsert`` document (inserted when it does not).
The increment happens inside the engine, so concurrent increments never lose a count.
Two ``_update`` calls racing on one document can still conflict inside the engine; as the
script only adds, re-running it is always right, so the engine is asked to retry
(``retry_on_conflict``, 3 by default). Kibana sends no ``retry_on_conflict`` here and lets
such a race fail with a 409.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    BadRequestError,
    UnclassifiedError,
    create_conflict_error,
    create_unsupported_type_error,
)
from kbn_saved_objects.repository.config import Refresh
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.helpers.documents import prepare_write
from kbn_saved_objects.repository.helpers.engine_limits import encoded_request, raw_id_error
from kbn_saved_objects.repository.helpers.namespaces import current_namespace
from kbn_saved_objects.repository.helpers.preflight import (
    CreateCheck,
    classify_namespaces,
    preflight_create,
)
from kbn_saved_objects.repository.helpers.scripts import INCREMENT_COUNTER
from kbn_saved_objects.repository.helpers.validation import object_id_error
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import (
    SavedObject,
    SavedObjectDoc,
    encode_hit_version,
    namespace_id_to_string,
    saved_object_from_doc,
)

TYPE_NOT_STRING = '"type" argument must be a string'
BAD_COUNTER_FIELDS = (
    '"counterFields" argument must be of type '
    "Array<string | { incrementBy?: number; fieldName: string }>"
)


class CounterField(TypedDict):
    """A counter and its increment (1 when absent). Kibana's spelling (``fieldName``,
    ``incrementBy``) is accepted too, so ported call sites keep working."""

    field_name: str
    increment_by: NotRequired[int | float]


class IncrementCounterOptions(TypedDict, total=False):
    namespace: str
    refresh: Refresh
    initialize: bool
    """Create missing counters at 0 (and add 0 to existing ones) instead of incrementing."""
    upsert_attributes: Any
    """Attributes of the object when it has to be created; counters override them."""
    managed: bool
    migration_version: dict[str, str]
    type_migration_version: str
    retry_on_conflict: int
    """Engine-side retries when concurrent increments of one object collide (default 3)."""


DEFAULT_RETRY_COUNT = 3


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def normalize_counter_fields(
    counter_fields: Any, initialize: bool
) -> list[tuple[str, int | float]]:
    """``(field name, increment)`` pairs; raise Kibana's message for anything else.

    Kibana checks only that each object has a string ``fieldName``; a non-numeric
    ``incrementBy`` is refused here as well, rather than failing inside the engine's
    script with a less helpful message.
    """
    if isinstance(counter_fields, (str, bytes, Mapping)) or not isinstance(
        counter_fields, Sequence
    ):
        raise UnclassifiedError(BAD_COUNTER_FIELDS)
    normalized: list[tuple[str, int | float]] = []
    for field in counter_fields:
        if isinstance(field, str):
            name, increment = field, 1
        elif isinstance(field, Mapping):
            name = field.get("field_name", field.get("fieldName"))
            increment = field.get("increment_by", field.get("incrementBy", 1))
            if not isinstance(name, str) or not _is_number(increment):
                raise UnclassifiedError(BAD_COUNTER_FIELDS)
        else:
            raise UnclassifiedError(BAD_COUNTER_FIELDS)
        normalized.append((name, 0 if initialize else increment))
    return normalized


def increment_counter(
    ctx: RepositoryContext,
    type_name: str,
    object_id: str,
    counter_fields: Sequence[str | CounterField | Mapping[str, Any]],
    options: IncrementCounterOptions,
) -> Operation[SavedObject[Any]]:
    if not isinstance(type_name, str):
        raise UnclassifiedError(TYPE_NOT_STRING)
    counters = normalize_counter_fields(counter_fields, options.get("initialize", False))
    if not ctx.is_allowed(type_name):
        raise create_unsupported_type_error(type_name)
    id_error = object_id_error(object_id)
    if id_error is not None:
        raise id_error
    if not object_id:
        # an upsert with an empty id would create an object nobody can address
        raise BadRequestError(reason="id cannot be empty")
    namespace = current_namespace(ctx.namespace_option(options.get("namespace")))
    length_error = raw_id_error(ctx.serializer.generate_raw_id(namespace, type_name, object_id))
    if length_error is not None:
        raise length_error

    registry = ctx.registry
    index = ctx.index_for(type_name)
    doc: SavedObjectDoc = {"id": object_id, "type": type_name}
    namespaces: list[str] | None = None
    if registry.is_single_namespace(type_name) and namespace is not None:
        doc["namespace"] = namespace
    elif registry.is_multi_namespace(type_name):
        namespace_string = namespace_id_to_string(namespace)
        raw_id = ctx.serializer.generate_raw_id(namespace, type_name, object_id)
        found = yield rq.get_document(index, raw_id)
        check = classify_namespaces(ctx, found, type_name, namespace)
        if check == "found_outside_namespace":
            # not 404: the id is taken, and an upsert here would take it over
            raise create_conflict_error(type_name, object_id)
        if check == "not_found":
            (alias_check,) = yield from preflight_create(
                ctx, [CreateCheck(type_name, object_id, False, [namespace_string])]
            )
            if alias_check.error == "aliasConflict":
                raise create_conflict_error(type_name, object_id)
            namespaces = [namespace_string]
        else:
            namespaces = list(found["_source"].get("namespaces") or [namespace_string])
        doc["namespaces"] = namespaces

    upsert_attributes = options.get("upsert_attributes")
    attributes: dict[str, Any] = dict(upsert_attributes) if upsert_attributes else {}
    attributes.update(counters)
    doc["attributes"] = attributes
    now = ctx.config.clock()
    doc["updated_at"] = now
    managed = options.get("managed")
    if managed is not None:
        doc["managed"] = managed
    if "migration_version" in options:
        doc["migrationVersion"] = options["migration_version"]
    if "type_migration_version" in options:
        doc["typeMigrationVersion"] = options["type_migration_version"]
    raw = prepare_write(ctx, doc)
    answer = yield encoded_request(
        rq.update_document,
        index,
        raw["_id"],
        {
            "script": {
                "source": INCREMENT_COUNTER,
                "lang": "painless",
                "params": {
                    "counts": [increment for _, increment in counters],
                    "counterFieldNames": [name for name, _ in counters],
                    "time": now,
                    "type": type_name,
                    "singleNamespace": registry.is_single_namespace(type_name),
                    "namespace": namespace,
                },
            },
            "upsert": raw["_source"],
        },
        refresh=options.get("refresh", ctx.config.refresh),
        require_alias=ctx.config.require_alias,
        retry_on_conflict=max(0, options.get("retry_on_conflict", DEFAULT_RETRY_COUNT)),
        source=True,
    )
    if answer.get("result") == "noop":
        # another object holds this raw id (the script checked): the id is taken here
        raise create_conflict_error(type_name, object_id)
    stored = (answer.get("get") or {}).get("_source") or {}
    result: SavedObjectDoc = {
        "id": object_id,
        "type": type_name,
        "updated_at": now,
        "references": stored.get("references") or [],
        "version": encode_hit_version(answer),
        "attributes": stored.get(type_name),
    }
    if namespaces is not None:
        result["namespaces"] = namespaces
    if stored.get("originId"):
        result["originId"] = stored["originId"]
    if managed:
        result["managed"] = managed
    return saved_object_from_doc(result)
