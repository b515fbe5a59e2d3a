"""``delete``: remove one object (spec 03 §2.9).

A multi-namespace object is one document shared by several spaces, so deleting it from
one space deletes it from all of them. That is refused unless the caller says ``force``;
removing an object from a single space is ``update_objects_spaces``' job. After the
delete, the legacy URL aliases that pointed at the object are deleted too (spec 05 §5.4).

Other objects are read first only when their raw id could also be another object's
(:mod:`..helpers.raw_id_collisions`): the delete is then guarded by that read.
"""

from __future__ import annotations

from typing import Any, TypedDict

import orjson

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    BadRequestError,
    EngineUnavailableError,
    NotFoundError,
    UnclassifiedError,
    create_generic_not_found_error,
)
from kbn_saved_objects.repository.config import Refresh
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import AuthorizeObjectWithExistingSpaces
from kbn_saved_objects.repository.helpers.engine_limits import storable_raw_id
from kbn_saved_objects.repository.helpers.extensions import active_namespace, object_name
from kbn_saved_objects.repository.helpers.legacy_url_aliases import (
    delete_legacy_url_aliases,
    deleted_object_target,
)
from kbn_saved_objects.repository.helpers.preflight import classify_namespaces
from kbn_saved_objects.repository.helpers.raw_id_collisions import may_share_raw_id
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING, namespace_id_to_string

MULTIPLE_NAMESPACES_REASON = (
    "Unable to delete saved object that exists in multiple namespaces, "
    "use the `force` option to delete it anyway"
)


class DeleteOptions(TypedDict, total=False):
    refresh: Refresh
    force: bool
    namespace: str


def in_several_spaces(namespaces: list[str]) -> bool:
    """Whether deleting an object stored in ``namespaces`` needs ``force``."""
    return len(namespaces) > 1 or ALL_NAMESPACES_STRING in namespaces


def delete(
    ctx: RepositoryContext, type_name: str, object_id: str, options: DeleteOptions
) -> Operation[None]:
    namespace = active_namespace(ctx, options.get("namespace"))
    if not ctx.is_allowed(type_name):
        raise create_generic_not_found_error(type_name, object_id)
    index = ctx.index_for(type_name)
    raw_id = ctx.serializer.generate_raw_id(namespace, type_name, object_id)
    storable = storable_raw_id(raw_id)
    found: dict[str, Any] | None = None
    security = ctx.extensions.security
    if security is not None:
        # Kibana reads the object's name and access control for the security extension
        # and authorizes before the namespace preflight: 403 comes before any 404
        if storable:
            try:
                found = yield from _read(index, raw_id, type_name, object_id)
            except NotFoundError:
                found = None  # decided after the authorization
        source = (found or {}).get("_source") or {}
        security.authorize_delete(
            namespace_id_to_string(namespace),
            [
                AuthorizeObjectWithExistingSpaces(
                    type=type_name,
                    id=object_id,
                    name=object_name(ctx, type_name, source.get(type_name)),
                    access_control=source.get("accessControl"),
                )
            ],
            bulk=False,
        )
    if not storable:
        raise create_generic_not_found_error(type_name, object_id)
    stored_namespaces: list[str] | None = None
    guard: dict[str, int] = {}
    multi = ctx.registry.is_multi_namespace(type_name)
    if multi or may_share_raw_id(ctx, type_name, namespace, raw_id):
        if found is None:
            found = yield from _read(index, raw_id, type_name, object_id)
        check = classify_namespaces(ctx, found, type_name, namespace)
        if check != "found_in_namespace":
            raise create_generic_not_found_error(type_name, object_id)
        if multi:
            stored_namespaces = list(found["_source"].get("namespaces") or [])
            if in_several_spaces(stored_namespaces) and not options.get("force", False):
                raise BadRequestError(reason=MULTIPLE_NAMESPACES_REASON)
        # Delete exactly what was checked: if the object was shared to another space in
        # between (or replaced by another object with the same raw id), the engine
        # answers 409 instead of deleting it (Kibana sends no compare-and-set here).
        guard = {"if_seq_no": found["_seq_no"], "if_primary_term": found["_primary_term"]}

    answer = yield rq.delete_document(
        index, raw_id, refresh=options.get("refresh", ctx.config.refresh), **guard
    )
    result = answer.get("result")
    if result == "deleted":
        if stored_namespaces is not None:
            yield from delete_legacy_url_aliases(
                ctx, [deleted_object_target(type_name, object_id, stored_namespaces)]
            )
        return None
    error = answer.get("error")
    if result == "not_found" or (
        isinstance(error, dict) and error.get("type") == "index_not_found_exception"
    ):
        raise create_generic_not_found_error(type_name, object_id)
    raise UnclassifiedError(
        "Unexpected Elasticsearch DELETE response: "
        + orjson.dumps(
            {
                "type": type_name,
                "id": object_id,
                "response": {"body": answer, "statusCode": _status(answer)},
            }
        ).decode()
    )


def _read(index: str, raw_id: str, type_name: str, object_id: str) -> Operation[dict[str, Any]]:
    try:
        found: dict[str, Any] = yield rq.get_document(index, raw_id)
    except EngineUnavailableError as exc:
        # Kibana's namespace preflight reports an unverifiable 404 as not found
        if exc.metadata.get("engine_status") == 404:
            raise create_generic_not_found_error(type_name, object_id) from exc
        raise
    return found


def _status(answer: Any) -> Any:
    return answer.get("status", 200) if isinstance(answer, dict) else None
