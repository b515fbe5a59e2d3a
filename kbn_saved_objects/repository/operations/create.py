"""``create``: store one new object, or overwrite one (spec 03 §2.1).

An overwrite never replaces *another* object that shares the raw id (another type, or a
single-namespace object of another space; :mod:`..helpers.raw_id_collisions`): when the
raw id could be shared, what is stored there is read first (or taken from the
multi-namespace preflight, which reads it anyway), another object is a 409, and the write
is a compare-and-set on what was read -- or a plain ``create`` when nothing was there.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    BadRequestError,
    create_conflict_error,
    create_unsupported_type_error,
)
from kbn_saved_objects.repository.config import Refresh
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import AuthorizeCreateObject
from kbn_saved_objects.repository.helpers.documents import prepare_write, written_result
from kbn_saved_objects.repository.helpers.engine_limits import encoded_request, raw_id_error
from kbn_saved_objects.repository.helpers.extensions import (
    access_control_for_create,
    active_namespace,
    decrypt_and_redact,
    encrypt_for_write,
    object_name,
    reads_through_extensions,
    valid_object_id,
)
from kbn_saved_objects.repository.helpers.preflight import CreateCheck, preflight_create
from kbn_saved_objects.repository.helpers.raw_id_collisions import (
    is_stored_object,
    may_share_raw_id,
)
from kbn_saved_objects.repository.helpers.validation import (
    initial_namespaces_error,
    object_id_error,
    origin_id_error,
    validate_attributes,
)
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import (
    AccessControl,
    SavedObject,
    SavedObjectDoc,
    SavedObjectReference,
    decode_request_version,
    namespace_id_to_string,
    namespace_string_to_id,
)

_UNSET: Any = object()


class CreateOptions(TypedDict, total=False):
    id: str
    overwrite: bool
    version: str
    references: Sequence[SavedObjectReference]
    refresh: Refresh
    namespace: str
    initial_namespaces: Sequence[str]
    origin_id: str | None
    managed: bool
    migration_version: dict[str, str]
    core_migration_version: str
    type_migration_version: str
    access_control: AccessControl
    """Only ``accessMode`` is read: the owner is always the current user."""


def stored_namespace(
    ctx: RepositoryContext,
    type_name: str,
    initial_namespaces: Sequence[str] | None,
    namespace: str | None,
) -> str | None:
    """The namespace id a new object's raw id carries: the space of a single-namespace
    object (its one initial namespace, else the current one), ``None`` for other types."""
    if not ctx.registry.is_single_namespace(type_name):
        return None
    if initial_namespaces:
        return namespace_string_to_id(initial_namespaces[0])
    return namespace


def new_object_id(requested: str | None) -> str:
    """The caller's id, or a random UUID v4 when it is missing or empty."""
    return requested or str(uuid.uuid4())


def create(
    ctx: RepositoryContext, type_name: str, attributes: Any, options: CreateOptions
) -> Operation[SavedObject[Any]]:
    namespace = active_namespace(ctx, options.get("namespace"))
    if not ctx.is_allowed(type_name):
        raise create_unsupported_type_error(type_name)
    overwrite = options.get("overwrite", False)
    version = options.get("version")
    object_id = valid_object_id(ctx, type_name, options.get("id"), version, overwrite)
    initial = options.get("initial_namespaces")
    raw_namespace = stored_namespace(ctx, type_name, initial, namespace)
    raw_id = ctx.serializer.generate_raw_id(raw_namespace, type_name, object_id)
    for error in (
        object_id_error(object_id),
        initial_namespaces_error(ctx.registry, type_name, initial),
        origin_id_error(ctx.registry, type_name, "origin_id" in options),
        None if initial is None else ctx.scope_error(initial, '"initialNamespaces"'),
        raw_id_error(raw_id),
    ):
        if error is not None:
            raise error
    cas = decode_request_version(version) if overwrite and version is not None else None
    # An overwrite replaces whatever is stored at the raw id; when that could be another
    # object (raw_id_collisions), the write is guarded by a read of what is there.
    guarded = overwrite and may_share_raw_id(ctx, type_name, raw_namespace, raw_id)
    read: dict[str, Any] | None = None  # what is stored at the raw id, once read
    preflighted = False  # the multi-namespace preflight read the raw id
    conflict = False  # raised only after authorization, as Kibana does

    doc: SavedObjectDoc = {"id": object_id, "type": type_name, "attributes": attributes}
    original_attributes = attributes
    registry = ctx.registry
    if registry.is_single_namespace(type_name):
        target = namespace_string_to_id(initial[0]) if initial else namespace
        if target is not None:
            doc["namespace"] = target
    elif registry.is_multi_namespace(type_name):
        namespaces = list(initial) if initial else [namespace_id_to_string(namespace)]
        existing_source: dict[str, Any] = {}
        if options.get("id"):
            (check,) = yield from preflight_create(
                ctx, [CreateCheck(type_name, object_id, overwrite, namespaces)]
            )
            conflict = check.error is not None
            read = check.existing
            existing_source = (check.existing or {}).get("_source", {})
            preflighted = True
        if not initial and existing_source.get("namespaces"):
            namespaces = list(existing_source["namespaces"])
        doc["namespaces"] = namespaces
        origin_id = options.get("origin_id", _UNSET)
        if origin_id is _UNSET:
            origin_id = existing_source.get("originId")
        if origin_id:
            doc["originId"] = origin_id
    if guarded and not preflighted:
        answer = yield rq.get_document(ctx.index_for(type_name), raw_id)
        if answer.get("found"):
            if not is_stored_object(ctx, answer["_source"], type_name, raw_namespace):
                conflict = True
            read = answer
    access_control = access_control_for_create(
        ctx, type_name, options.get("access_control"), bulk=False
    )
    if isinstance(access_control, BadRequestError):
        raise access_control
    type_map = None
    security = ctx.extensions.security
    if security is not None:
        existing = (read or {}).get("_source") or {} if preflighted else {}
        type_map = security.authorize_create(
            namespace_id_to_string(namespace),
            [
                AuthorizeCreateObject(
                    type=type_name,
                    id=object_id,
                    name=object_name(ctx, type_name, attributes),
                    access_control=access_control,
                    existing_namespaces=tuple(existing.get("namespaces") or ()),
                    initial_namespaces=tuple(initial or ()),
                )
            ],
            bulk=False,
        ).type_map
    if conflict:
        raise create_conflict_error(type_name, object_id)
    references = options.get("references")
    doc["references"] = list(references) if references is not None else []
    doc["managed"] = options.get("managed", False)
    now = ctx.config.clock()
    doc["created_at"] = doc["updated_at"] = now
    user = ctx.current_user_profile_uid()
    if user:
        doc["created_by"] = doc["updated_by"] = user
    for key, option in (
        ("migrationVersion", "migration_version"),
        ("coreMigrationVersion", "core_migration_version"),
        ("typeMigrationVersion", "type_migration_version"),
    ):
        if option in options:
            doc[key] = options[option]  # type: ignore[literal-required]

    if access_control is not None:
        doc["accessControl"] = access_control
    definition = registry.get_type(type_name)
    assert definition is not None
    validate_attributes(definition, attributes)
    if ctx.extensions.encryption is not None:
        doc["attributes"] = encrypt_for_write(ctx, type_name, object_id, raw_namespace, attributes)
    raw = prepare_write(ctx, doc)
    index = ctx.index_for(type_name)
    refresh = options.get("refresh", ctx.config.refresh)
    if guarded and read is None and cas is not None:
        raise create_conflict_error(type_name, object_id)  # nothing there to compare with
    if guarded and read is not None:
        cas = cas or {"if_seq_no": read["_seq_no"], "if_primary_term": read["_primary_term"]}
    if overwrite and (read is not None or not guarded):
        request = encoded_request(
            rq.index_document,
            index,
            raw["_source"],
            id=raw["_id"],
            refresh=refresh,
            if_seq_no=cas["if_seq_no"] if cas else None,
            if_primary_term=cas["if_primary_term"] if cas else None,
            require_alias=ctx.config.require_alias,
        )
    else:
        request = encoded_request(
            rq.create_document,
            index,
            raw["_id"],
            raw["_source"],
            refresh=refresh,
            require_alias=ctx.config.require_alias,
        )
    answer = yield request
    result = written_result(ctx, raw, answer)
    if reads_through_extensions(ctx):
        result = decrypt_and_redact(ctx, result, type_map, original_attributes)
    return result
