"""``check_conflicts``: which of these objects would a create collide with (spec 03 §2.3).

Import calls it before writing to decide what to ask the user. It reads the objects where
a create in the current namespace would write them: a found object is a conflict, and a
multi-namespace object found only in other spaces is additionally *not overwritable*
(creating it here would need a new id), and so is another object that shares the raw id
(another type, or another space: :mod:`..helpers.raw_id_collisions`). Legacy URL aliases
are not considered; only the create preflight looks at them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import create_conflict_error, create_unsupported_type_error
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import AuthorizeObject
from kbn_saved_objects.repository.helpers.engine_limits import storable_raw_id
from kbn_saved_objects.repository.helpers.extensions import active_namespace
from kbn_saved_objects.repository.helpers.namespaces import exists_in_namespace
from kbn_saved_objects.repository.helpers.raw_id_collisions import is_stored_object
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.results import CheckConflictsError, CheckConflictsResponse
from kbn_saved_objects.serialization import namespace_id_to_string


class CheckConflictsObject(TypedDict):
    type: str
    id: str


class CheckConflictsOptions(TypedDict, total=False):
    namespace: str


def _entry(type_name: str, object_id: str, error: dict[str, Any]) -> CheckConflictsError:
    return CheckConflictsError.model_construct(id=object_id, type=type_name, error=error)


def check_conflicts(
    ctx: RepositoryContext, objects: Sequence[CheckConflictsObject], options: CheckConflictsOptions
) -> Operation[CheckConflictsResponse]:
    namespace = active_namespace(ctx, options.get("namespace"))
    # (object, its position in the _mget, or the error entry it already is)
    slots: list[tuple[CheckConflictsObject, int | CheckConflictsError]] = []
    docs: list[dict[str, Any]] = []
    for obj in objects:
        type_name, object_id = obj["type"], obj["id"]
        if not ctx.is_allowed(type_name):
            error = create_unsupported_type_error(type_name).payload()
            slots.append((obj, _entry(type_name, object_id, error)))
            continue
        raw_id = ctx.serializer.generate_raw_id(namespace, type_name, object_id)
        if not storable_raw_id(raw_id):
            continue  # nothing can be stored there, so nothing to collide with
        slots.append((obj, len(docs)))
        docs.append(
            {
                "_id": raw_id,
                "_index": ctx.index_for(type_name),
                "_source": {"includes": ["type", "namespace", "namespaces"]},
            }
        )
    security = ctx.extensions.security
    if security is not None:
        # before the read, for the current space only; never audited
        valid = [
            AuthorizeObject(obj["type"], obj["id"])
            for obj in objects
            if ctx.is_allowed(obj["type"])
        ]
        if valid:
            security.authorize_check_conflicts(namespace_id_to_string(namespace), valid)
    found: list[dict[str, Any]] = []
    if docs:
        answer = yield dataclasses.replace(rq.mget(docs), not_found_ok=True)
        found = answer.get("docs") or []
    errors: list[CheckConflictsError] = []
    for obj, slot in slots:
        if isinstance(slot, CheckConflictsError):
            errors.append(slot)
            continue
        doc = found[slot] if slot < len(found) else None
        if not doc or not doc.get("found"):
            continue
        type_name, object_id = obj["type"], obj["id"]
        payload = create_conflict_error(type_name, object_id).payload()
        source = doc.get("_source") or {}
        if not is_stored_object(ctx, source, type_name, namespace) or not exists_in_namespace(
            ctx.registry, source, namespace
        ):
            # found only elsewhere, or another object shares the raw id: a create here
            # cannot overwrite it and needs a new id
            payload["metadata"] = {"isNotOverwritable": True}
        errors.append(_entry(type_name, object_id, payload))
    return CheckConflictsResponse.model_construct(errors=errors)
