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
    UnclassifiedError,
    create_generic_not_found_error,
)
from kbn_saved_objects.repository.config import Refresh
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.helpers.engine_limits import storable_raw_id
from kbn_saved_objects.repository.helpers.legacy_url_aliases import (
    delete_legacy_url_aliases,
    deleted_object_target,
)
from kbn_saved_objects.repository.helpers.namespaces import current_namespace
from kbn_saved_objects.repository.helpers.preflight import classify_namespaces
from kbn_saved_objects.repository.helpers.raw_id_collisions import may_share_raw_id
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING

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
    namespace = current_namespace(ctx.namespace_option(options.get("namespace")))
    if not ctx.is_allowed(type_name):
        raise create_generic_not_found_error(type_name, object_id)
    index = ctx.index_for(type_name)
    raw_id = ctx.serializer.generate_raw_id(namespace, type_name, object_id)
    if not storable_raw_id(raw_id):
        raise create_generic_not_found_error(type_name, object_id)
    stored_namespaces: list[str] | None = None
    guard: dict[str, int] = {}
    multi = ctx.registry.is_multi_namespace(type_name)
    if multi or may_share_raw_id(ctx, type_name, namespace, raw_id):
        try:
            found = yield rq.get_document(index, raw_id)
        except EngineUnavailableError as exc:
            # Kibana's namespace preflight reports an unverifiable 404 as not found
            if exc.metadata.get("engine_status") == 404:
                raise create_generic_not_found_error(type_name, object_id) from exc
            raise
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


def _status(answer: Any) -> Any:
    return answer.get("status", 200) if isinstance(answer, dict) else None
