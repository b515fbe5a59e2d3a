"""``open_point_in_time_for_type`` and ``close_point_in_time`` (spec 03 §2.15-2.16)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

from kbn_saved_objects.engine import flavors
from kbn_saved_objects.errors import (
    BadRequestError,
    create_bad_request_error,
    create_generic_not_found_error,
)
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.helpers.extensions import searchable_namespaces
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import DEFAULT_NAMESPACE_STRING


class OpenPointInTimeOptions(TypedDict, total=False):
    keep_alive: str
    preference: str
    namespaces: Sequence[str]


def open_point_in_time_for_type(
    ctx: RepositoryContext, types: str | Sequence[str], options: OpenPointInTimeOptions
) -> Operation[str]:
    """The id of a point-in-time over the indices of ``types``. ``namespaces`` decide no
    document here (the finds through it do), but a scoped repository refuses to open one
    for spaces it may not reach, so a finder fails before it holds anything open."""
    namespaces = options.get("namespaces")
    spaces = ctx.extensions.spaces
    if namespaces is not None and not namespaces and spaces is None:
        raise BadRequestError(reason="options.namespaces cannot be an empty array")
    if namespaces:
        error = ctx.scope_error(namespaces, "options.namespaces")
        if error is not None:
            raise error
    requested = [types] if isinstance(types, str) else list(types)
    allowed = ctx.allowed_types(requested)
    if not allowed:
        raise create_generic_not_found_error()
    if spaces is not None:
        searchable = yield from searchable_namespaces(ctx, namespaces)
        if searchable is None:  # no space to search: Kibana's 400 without a reason
            raise create_bad_request_error()
        namespaces = searchable
    security = ctx.extensions.security
    if security is not None:  # raises the 403 when the caller may open it nowhere
        security.authorize_open_point_in_time(
            list(namespaces)
            if namespaces is not None
            else [ctx.namespace or DEFAULT_NAMESPACE_STRING],
            requested,
        )
    answer = yield flavors.open_point_in_time(
        ctx.engine,
        ctx.indices_for(allowed),
        keep_alive=options.get("keep_alive", "5m"),
        preference=options.get("preference"),
    )
    return flavors.point_in_time_id(ctx.engine, answer)


def close_point_in_time(ctx: RepositoryContext, pit_id: str) -> Operation[dict[str, Any]]:
    security = ctx.extensions.security
    if security is not None:
        security.audit_close_point_in_time()
    answer = yield flavors.close_point_in_time(ctx.engine, pit_id)
    return dict(answer or {})
